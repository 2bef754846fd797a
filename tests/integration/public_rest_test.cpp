// Typed market-data endpoints against the sandbox (SPEC §3.1), compared with its tape and book.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;

TEST_CASE("public market data endpoints parse into exact typed results", "[integration][rest][market]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    const auto& btc = *sandbox.market().find("BTCUSDT");
    mexc::testing::run_until(ioc, [&] { return btc.trades().size() > 30; });
    sandbox.pause_market(true);  // exact comparisons with the oracle
    mexc::Config c;
    c.rest_url = sandbox.rest_url();
    mexc::rest::PublicRest rest(ioc.get_executor(), c);

    auto trades = run(ioc, rest.trades("BTCUSDT", 10));
    REQUIRE(trades);
    REQUIRE(trades->size() == 10);
    const auto& last = btc.trades().back();
    CHECK(trades->back().price.units() == last.price);
    CHECK(trades->back().qty.units() == last.quantity);
    CHECK(trades->back().time == last.time_ms);

    auto bars = run(ioc, rest.klines("BTCUSDT", "1m"));
    REQUIRE(bars);
    REQUIRE_FALSE(bars->empty());
    CHECK(bars->back().close.units() == last.price);
    CHECK(bars->back().close_time - bars->back().open_time == 60000);
    CHECK(bars->back().high >= bars->back().low);

    auto avg = run(ioc, rest.avg_price("BTCUSDT"));
    REQUIRE(avg);
    CHECK(avg->minutes == 5);

    auto book = run(ioc, rest.book_ticker("BTCUSDT"));
    REQUIRE(book);
    REQUIRE(book->size() == 1);
    const auto top = btc.snapshot(1);
    CHECK((*book)[0].bid_price.units() == top.bids[0].price);
    CHECK((*book)[0].ask_qty.units() == top.asks[0].quantity);

    auto all = run(ioc, rest.ticker_24hr());
    REQUIRE(all);
    CHECK(all->size() == sandbox.market().symbols().size());
    auto one = run(ioc, rest.ticker_24hr("BTCUSDT"));
    REQUIRE(one);
    CHECK((*one)[0].last_price.units() == last.price);

    auto prices = run(ioc, rest.ticker_price("ETHUSDT"));
    REQUIRE(prices);
    CHECK((*prices)[0].symbol == "ETHUSDT");

    auto symbols = run(ioc, rest.default_symbols());
    REQUIRE(symbols);
    CHECK(std::find(symbols->begin(), symbols->end(), "MXUSDT") != symbols->end());

    auto bad = run(ioc, rest.klines("BTCUSDT", "7m"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().condition() == mexc::Condition::rejected);
    sandbox.stop();
}
