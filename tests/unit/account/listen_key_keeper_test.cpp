// ListenKeyKeeper step by step: one key per client, adopted rather than duplicated when a create's
// outcome is unknown, kept alive, renewed when it ends, deleted at close (SPEC §9; FAULTS E15,
// I6, I8, R01).

#include "account/listen_key_keeper.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace mexc;
using namespace mexc::account;
using namespace std::chrono_literals;
using Clock = ListenKeyKeeper::Clock;

namespace {
const auto t0 = Clock::time_point{} + 1h;
const Error lost(Condition::outcome_unknown, Errc::timeout);
const Error refused(Condition::rejected, Errc::http_status);
const Error network(Condition::network, Errc::timeout);
}  // namespace

TEST_CASE("a listen key is made after listing the account's keys, then kept alive every 30 min",
          "[unit][account][listen_key]") {
    ListenKeyKeeper keeper;
    CHECK(keeper.start(t0).step == KeyStep::list_keys);
    const std::vector<std::string> others{"k-other"};
    CHECK(keeper.listed(others, t0).step == KeyStep::create);
    CHECK(keeper.created("k-mine", t0).step == KeyStep::connect);
    CHECK(keeper.key().reveal() == "k-mine");
    auto wait = keeper.connected(t0);
    CHECK(wait.step == KeyStep::wait);
    CHECK(wait.at == t0 + 30min);
    CHECK(keeper.timer(t0 + 30min).step == KeyStep::keep_alive);
    wait = keeper.kept_alive(t0 + 30min);
    CHECK(wait.at == t0 + 60min);
    CHECK(keeper.stats().creates == 1);
    CHECK(keeper.stats().keepalives == 1);
    CHECK(keeper.close().step == KeyStep::delete_key);
    CHECK(keeper.key_to_delete().reveal() == "k-mine");
    CHECK_FALSE(keeper.has_key());
    CHECK(keeper.deleted(t0 + 61min).step == KeyStep::none);
    CHECK(keeper.close().step == KeyStep::none);  // idempotent
}

TEST_CASE("R01 E15 a create whose outcome is unknown adopts the key it made instead of a second",
          "[unit][account][listen_key][R01][E15][I8]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    const std::vector<std::string> before{"k-other"};
    REQUIRE(keeper.listed(before, t0).step == KeyStep::create);
    CHECK(keeper.create_failed(lost, t0).step == KeyStep::list_keys);  // not create again
    const std::vector<std::string> after{"k-other", "k-made"};
    CHECK(keeper.listed(after, t0 + 1s).step == KeyStep::connect);
    CHECK(keeper.key().reveal() == "k-made");
    CHECK(keeper.stats().creates == 1);
    CHECK(keeper.stats().adoptions == 1);
}

TEST_CASE("a create that did not happen, or that cannot be told apart, is made again",
          "[unit][account][listen_key][I8]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    const std::vector<std::string> none;
    keeper.listed(none, t0);
    REQUIRE(keeper.create_failed(lost, t0).step == KeyStep::list_keys);
    // Nothing new: it was never made; list (for the new "before") and create.
    CHECK(keeper.listed(none, t0).step == KeyStep::list_keys);
    CHECK(keeper.listed(none, t0).step == KeyStep::create);
    REQUIRE(keeper.create_failed(lost, t0).step == KeyStep::list_keys);
    const std::vector<std::string> two{"k-a", "k-b"};  // another program made one meanwhile
    CHECK(keeper.listed(two, t0).step == KeyStep::list_keys);
    CHECK(keeper.stats().adoptions == 0);
    CHECK(keeper.stats().creates == 2);
}

TEST_CASE("a refused create waits and doubles its pause before trying again",
          "[unit][account][listen_key]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    keeper.listed({}, t0);
    auto wait = keeper.create_failed(refused, t0);
    CHECK(wait.step == KeyStep::wait);
    CHECK(wait.at == t0 + 1s);
    CHECK(keeper.timer(t0 + 1s).step == KeyStep::list_keys);
    keeper.listed({}, t0 + 1s);
    wait = keeper.create_failed(refused, t0 + 1s);
    CHECK(wait.at == t0 + 3s);
}

TEST_CASE("T09 a refused keepalive, an invalid-key frame or a close 1008 renews the key",
          "[unit][account][listen_key][T09]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    keeper.listed({}, t0);
    keeper.created("k1", t0);
    keeper.connected(t0);
    REQUIRE(keeper.timer(t0 + 30min).step == KeyStep::keep_alive);
    CHECK(keeper.keep_alive_failed(refused, t0 + 30min).step == KeyStep::delete_key);
    CHECK(keeper.key_to_delete().reveal() == "k1");
    CHECK(keeper.deleted(t0 + 30min).step == KeyStep::list_keys);
    keeper.listed({}, t0 + 30min);
    CHECK(keeper.created("k2", t0 + 30min).step == KeyStep::connect);
    keeper.connected(t0 + 30min);
    CHECK(keeper.key_invalidated(t0 + 40min).step == KeyStep::delete_key);
    CHECK(keeper.stats().renewals == 2);
}

TEST_CASE("a keepalive lost on the network is retried while the key is valid, then renewed",
          "[unit][account][listen_key][T09]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    keeper.listed({}, t0);
    keeper.created("k1", t0);
    keeper.connected(t0);
    keeper.timer(t0 + 30min);
    auto wait = keeper.keep_alive_failed(network, t0 + 30min);
    REQUIRE(wait.step == KeyStep::wait);
    CHECK(wait.at == t0 + 31min);
    CHECK(keeper.timer(t0 + 31min).step == KeyStep::keep_alive);
    CHECK(keeper.kept_alive(t0 + 31min).at == t0 + 61min);
    // Lost again and again until the key's hour is over: a new key.
    keeper.timer(t0 + 61min);
    CHECK(keeper.keep_alive_failed(network, t0 + 92min).step == KeyStep::delete_key);
}

TEST_CASE("I6 the listen key never prints", "[unit][account][listen_key][I6][S06]") {
    ListenKeyKeeper keeper;
    keeper.start(t0);
    keeper.listed({}, t0);
    keeper.created("secret-listen-key", t0);
    std::ostringstream os;
    os << keeper.key();
    CHECK(os.str().find("secret-listen-key") == std::string::npos);
}
