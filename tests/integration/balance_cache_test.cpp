// BalanceCache: seeded from the account, kept from account pushes while the stream is live and
// then served without REST; otherwise REST and the TTL decide (issue: live balances).

#include "balance_cache.hpp"
#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {
std::size_t account_requests(const mexc::sandbox::Sandbox& s) {
    return static_cast<std::size_t>(
        std::count_if(s.recent_requests().begin(), s.recent_requests().end(),
                      [](const std::string& r) { return r.starts_with("GET /api/v3/account"); }));
}
}  // namespace

TEST_CASE("balances come from account pushes while live, one asset in O(1), hits counted",
          "[integration][account][balances]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    mexc::rest::PrivateRest rest(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::BalanceCache cache(1h, rest);

    auto seeded = run(ioc, cache.get(true));
    REQUIRE(seeded);
    REQUIRE_FALSE(seeded->empty());
    const auto* usdt = cache.find("USDT");
    REQUIRE(usdt);
    const auto seeded_free = usdt->free;
    CHECK(account_requests(sandbox) == 1);

    cache.set_live(true);
    mexc::BalanceUpdate push;
    push.asset = "USDT";
    push.free = mexc::Quantity::parse("12.5", 1).value();
    push.locked = mexc::Quantity::parse("7.5", 1).value();
    cache.apply(push);
    cache.invalidate();  // an order went out: while live, the pushes say what it moved
    auto live = run(ioc, cache.get(false));
    REQUIRE(live);
    CHECK(account_requests(sandbox) == 1);  // no REST call
    CHECK(cache.find("USDT")->free.to_string() == "12.5");
    CHECK(cache.find("USDT")->locked.to_string() == "7.5");
    CHECK(cache.stats().hits == 1);

    // An asset the account never held arrives by push; zero balances are not listed.
    push.asset = "NEWCOIN";
    push.free = mexc::Quantity::from_units(0, 0);
    push.locked = mexc::Quantity::from_units(0, 0);
    cache.apply(push);
    REQUIRE(cache.find("NEWCOIN"));
    auto listed = run(ioc, cache.get(false));
    REQUIRE(listed);
    CHECK(std::none_of(listed->begin(), listed->end(),
                       [](const mexc::AssetBalance& b) { return b.asset == "NEWCOIN"; }));

    // Not live: an order cuts the cache short and REST answers again, with the venue's numbers.
    cache.set_live(false);
    cache.invalidate();
    auto fresh = run(ioc, cache.get(false));
    REQUIRE(fresh);
    CHECK(account_requests(sandbox) == 2);
    CHECK(cache.find("USDT")->free == seeded_free);
    CHECK(cache.stats().misses == 2);
    sandbox.stop();
}
