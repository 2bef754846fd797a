// Typed market-data endpoints against the sandbox (SPEC §3.1), compared with its tape and book.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>

namespace asio = boost::asio;
using mexc::testing::run;

TEST_CASE("public market data endpoints parse into exact typed results",
          "[integration][rest][market]") {
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

namespace {

// A sandbox with some BTCUSDT tape, frozen so that answers can be compared with the oracle.
struct FrozenMarket {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::unique_ptr<mexc::rest::PublicRest> rest;

    FrozenMarket() {
        REQUIRE(sandbox.start());
        const auto& btc = *sandbox.market().find("BTCUSDT");
        mexc::testing::run_until(ioc, [&] { return btc.trades().size() > 30; });
        sandbox.pause_market(true);
        mexc::Config c;
        c.rest_url = sandbox.rest_url();
        rest = std::make_unique<mexc::rest::PublicRest>(ioc.get_executor(), c);
    }
    ~FrozenMarket() { sandbox.stop(); }
};

}  // namespace

TEST_CASE("aggTrades and historicalTrades match the sandbox's tape",
          "[integration][rest][market]") {
    FrozenMarket m;
    const auto& tape = m.sandbox.market().find("BTCUSDT")->trades();
    REQUIRE(tape.size() > 10);

    auto agg = run(m.ioc, m.rest->agg_trades("BTCUSDT", 0, 0, 10));
    REQUIRE(agg);
    REQUIRE(agg->size() == 10);
    for (std::size_t i = 0; i < 10; ++i) {
        const auto& truth = tape[tape.size() - 10 + i];
        const auto& got = (*agg)[i];
        CHECK(got.price.units() == truth.price);  // written at the symbol's scales: units compare
        CHECK(got.qty.units() == truth.quantity);
        CHECK(got.time == truth.time_ms);
        CHECK(got.is_buyer_maker == (truth.taker_side == 2));
        CHECK(got.is_best_match);
        CHECK(got.aggregate_id.empty());  // null on MEXC (SPEC §12.9)
    }

    // An inclusive window: exactly the tape's trades with from <= time <= to.
    const std::int64_t from = tape[tape.size() - 8].time_ms;
    const std::int64_t to = tape[tape.size() - 3].time_ms;
    const auto expected = std::count_if(tape.begin(), tape.end(), [&](const auto& t) {
        return t.time_ms >= from && t.time_ms <= to;
    });
    auto window = run(m.ioc, m.rest->agg_trades("BTCUSDT", from, to));
    REQUIRE(window);
    CHECK(static_cast<std::ptrdiff_t>(window->size()) == expected);
    for (const auto& t : *window) CHECK((t.time >= from && t.time <= to));

    // startTime without endTime is refused locally: nothing reaches the server.
    const auto sent = m.sandbox.recent_requests().back();
    auto half = run(m.ioc, m.rest->agg_trades("BTCUSDT", from, 0));
    REQUIRE_FALSE(half);
    CHECK(half.error().condition() == mexc::Condition::rejected);
    CHECK(half.error().code() == mexc::make_error_code(mexc::Errc::invalid_argument));
    auto only_end = run(m.ioc, m.rest->agg_trades("BTCUSDT", 0, to));
    REQUIRE_FALSE(only_end);
    CHECK(only_end.error().code() == mexc::make_error_code(mexc::Errc::invalid_argument));
    CHECK(m.sandbox.recent_requests().back() == sent);

    auto history = run(m.ioc, m.rest->historical_trades("BTCUSDT", 10));
    REQUIRE(history);
    REQUIRE(history->size() == 10);
    CHECK(m.sandbox.recent_requests().back().find(
              "/api/v3/historicalTrades?symbol=BTCUSDT&limit=10") != std::string::npos);
    for (std::size_t i = 0; i < 10; ++i) {
        const auto& truth = tape[tape.size() - 10 + i];
        CHECK((*history)[i].price.units() == truth.price);
        CHECK((*history)[i].qty.units() == truth.quantity);
        CHECK((*history)[i].time == truth.time_ms);
        CHECK((*history)[i].is_buyer_maker == (truth.taker_side == 2));
    }
    auto unknown = run(m.ioc, m.rest->historical_trades("NOPEUSDT"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().condition() == mexc::Condition::rejected);
    CHECK(unknown.error().code().value() == -1121);
}

TEST_CASE("symbol/offline lists what the sandbox takes offline, etf/info lists no tokens",
          "[integration][rest][market]") {
    FrozenMarket m;

    auto none = run(m.ioc, m.rest->offline_symbols());
    REQUIRE(none);
    CHECK(none->empty());

    m.sandbox.set_offline_symbol("MXUSDT", 2, 1767204403000);
    m.sandbox.set_offline_symbol("SOLUSDT", 3);  // no offlineTime (optional, SPEC §3.1)
    auto listed = run(m.ioc, m.rest->offline_symbols());
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    CHECK((*listed)[0].symbol == "MXUSDT");
    CHECK((*listed)[0].state == mexc::OfflineState::suspended);
    CHECK((*listed)[0].offline_time == 1767204403000);
    CHECK((*listed)[1].symbol == "SOLUSDT");
    CHECK((*listed)[1].state == mexc::OfflineState::delisted);
    CHECK((*listed)[1].offline_time == 0);

    m.sandbox.set_offline_symbol("MXUSDT", 1);  // back online
    auto after = run(m.ioc, m.rest->offline_symbols());
    REQUIRE(after);
    REQUIRE(after->size() == 1);
    CHECK((*after)[0].symbol == "SOLUSDT");

    auto etfs = run(m.ioc, m.rest->etf_info());
    REQUIRE(etfs);
    CHECK(etfs->empty());
    auto not_etf = run(m.ioc, m.rest->etf_info("BTCUSDT"));
    REQUIRE_FALSE(not_etf);
    CHECK(not_etf.error().condition() == mexc::Condition::rejected);
    CHECK(not_etf.error().code().value() == -1121);
    CHECK(not_etf.error().http_status() == 400);
}
