// What the client sends on its public connections stays inside SPEC §6.2, checked against the
// sandbox's counters: a burst of topics leaves as one message per connection, a churn of
// subscribe/unsubscribe is paced under the venue's message cap (E06: above it the venue cuts the
// connection), and new connections open at the configured rate.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"
#include "support/sandbox_exchange.hpp"

#include "mexc/exchange.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;
using mexc::topic::Speed;

namespace {

using Fixture = mexc::testing::SandboxExchange;

/// Distinct valid topics of the sandbox's default symbols, as many as asked (at most 40).
std::vector<mexc::Topic> some_topics(std::size_t n) {
    std::vector<mexc::Topic> out;
    for (const char* s : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"}) {
        for (auto speed : {Speed::ms10, Speed::ms100}) {
            out.push_back(mexc::topic::aggre_deals(s, speed).value());
            out.push_back(mexc::topic::aggre_depth(s, speed).value());
            out.push_back(mexc::topic::aggre_book_ticker(s, speed).value());
        }
        for (auto levels : {mexc::topic::DepthLevels::five, mexc::topic::DepthLevels::ten,
                            mexc::topic::DepthLevels::twenty})
            out.push_back(mexc::topic::limit_depth(s, levels).value());
        out.push_back(mexc::topic::book_ticker_batch(s).value());
    }
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(std::min(n, out.size())), out.end());
    return out;
}

}  // namespace

TEST_CASE("E06 a burst of topics leaves as one SUBSCRIPTION per connection",
          "[integration][ws][pacing][E06]") {
    Fixture f;
    const auto topics = some_topics(15);
    REQUIRE(topics.size() == 15);
    auto sub = run(f.ioc, f.exchange->subscribe_frames(topics));
    REQUIRE(sub);
    CHECK(f.sandbox.subscribed_topics().size() == 15);
    CHECK(f.sandbox.stats().ws_connections == 1);
    CHECK(f.sandbox.stats().ws_client_messages == 1);  // not fifteen
}

TEST_CASE("E06 a subscribe/unsubscribe churn is paced under the venue's cap, which holds",
          "[integration][ws][pacing][E06]") {
    mexc::sandbox::SandboxOptions options;
    options.ws_max_messages_per_second = 10;  // the venue's cap, scaled down
    const auto topics = some_topics(2);
    const auto churn = [&](Fixture& f) {
        auto keep = run(f.ioc, f.exchange->subscribe_frames({topics[0]}));  // holds the connection
        REQUIRE(keep);
        for (int i = 0; i < 12; ++i) {
            auto sub = run(f.ioc, f.exchange->subscribe_frames({topics[1]}));
            if (!sub) {
                UNSCOPED_INFO("round " << i << ": " << sub.error().describe());
                break;  // the connection was cut under it
            }
            // Dropped at once: UNSUBSCRIPTION leaves without waiting for its answer.
        }
        run_until(f.ioc, [&] {
            return f.sandbox.subscribed_topics() == std::vector<std::string>{topics[0].name()} ||
                   f.sandbox.stats().ws_closed_rate_limit > 0;
        });
    };
    SECTION("paced at 8 a second: 25 messages, the connection is never cut") {
        Fixture f(options, [](mexc::Config& c) { c.ws_messages_per_second = 8; });
        churn(f);
        CHECK(f.sandbox.stats().ws_client_messages >= 25);
        CHECK(f.sandbox.stats().ws_closed_rate_limit == 0);
        CHECK(f.sandbox.stats().ws_connections == 1);
    }
    SECTION("the control: pacing above the venue's cap gets the connection cut") {
        Fixture f(options, [](mexc::Config& c) { c.ws_messages_per_second = 100; });
        churn(f);
        CHECK(f.sandbox.stats().ws_closed_rate_limit > 0);
    }
}

TEST_CASE("new connections open no faster than ws_connects_per_second",
          "[integration][ws][pacing]") {
    Fixture f(mexc::sandbox::SandboxOptions{}, [](mexc::Config& c) {
        c.ws_topics_per_connection = 2;
        c.ws_connects_per_second = 4;  // one every 250 ms
    });
    const auto topics = some_topics(8);
    const auto started = std::chrono::steady_clock::now();
    auto sub = run(f.ioc, f.exchange->subscribe_frames(topics));
    REQUIRE(sub);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(f.sandbox.stats().ws_connections == 4);
    CHECK(f.sandbox.stats().ws_topics_peak_per_connection == 2);
    CHECK(took >= 740ms);  // the fourth connection waited three spacings
}
