// Typed public channels on the facade (MexcExchange::subscribe_trades, ... → MarketStream) over
// real sockets against the embedded sandbox, each checked against the sandbox's own state: trades
// one for one with its tape, klines with the candle its tape makes, limit depth and book tickers
// with its book at the version they carry, mini tickers with its tape. Then the delivery policy:
// state conflates to the latest push (C13), flows report a loss with its count where it happened
// and go on (C13, I7).

#include "client_config.hpp"
#include "public_channels.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"
#include "mexc/market_stream.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;
using mexc::topic::Speed;

namespace {

mexc::sandbox::SandboxOptions quick_channels() {
    mexc::sandbox::SandboxOptions o;
    o.kline_period = 50ms;
    o.mini_ticker_period = 50ms;
    return o;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The next event, copied out of the stream's reused storage.
template <class Event>
Event next_event(asio::io_context& ioc, mexc::MarketStream<Event>& stream) {
    auto event = run(ioc, stream.next(), 10s);
    REQUIRE(event);
    REQUIRE(*event != nullptr);
    return **event;
}

/// The first event pushed after `after_ms` (the venue's clock is the host's).
template <class Event>
Event event_after(asio::io_context& ioc, mexc::MarketStream<Event>& stream, std::int64_t after_ms) {
    for (;;) {
        auto event = next_event(ioc, stream);
        if (event.meta.event_time > after_ms) return event;
    }
}

/// `value` equals units × 10^-scale, whatever scale it was written at.
template <class Fixed>
bool same_value(Fixed value, std::int64_t units, int scale) {
    std::int64_t a = value.units(), b = units;
    for (int s = value.scale(); s < scale; ++s) a *= 10;
    for (int s = scale; s < value.scale(); ++s) b *= 10;
    return a == b;
}

std::uint64_t trade_number(std::string_view id) {  // "<n>X0"
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    REQUIRE(ec == std::errc{});
    CHECK(std::string_view(end, static_cast<std::size_t>(id.data() + id.size() - end)) == "X0");
    return n;
}

std::vector<mexc::LevelUnits> units(const std::vector<mexc::sandbox::BookLevel>& levels) {
    std::vector<mexc::LevelUnits> out;
    for (const auto& l : levels) out.push_back({l.price, l.quantity});
    return out;
}

void check_top(const mexc::BookTop& top, const mexc::sandbox::DepthSnapshot& truth) {
    REQUIRE(!truth.bids.empty());
    REQUIRE(!truth.asks.empty());
    CHECK(top.bid_price == mexc::Price::from_units(truth.bids[0].price, 2));
    CHECK(top.bid_quantity == mexc::Quantity::from_units(truth.bids[0].quantity, 6));
    CHECK(top.ask_price == mexc::Price::from_units(truth.asks[0].price, 2));
    CHECK(top.ask_quantity == mexc::Quantity::from_units(truth.asks[0].quantity, 6));
}

}  // namespace

TEST_CASE("typed trades: the venue's tape one for one, at the symbol's scales",
          "[integration][stream][trades]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto trades = run(ioc, exchange.subscribe_trades("BTCUSDT", Speed::ms10));
    REQUIRE(trades);
    REQUIRE(trades->topics().size() == 1);
    CHECK(trades->topics()[0] == mexc::topic::aggre_deals("BTCUSDT", Speed::ms10).value());

    std::vector<mexc::Trade> got;
    const auto start = std::chrono::system_clock::now();
    while (got.size() < 20) {
        const auto event = next_event(ioc, *trades);
        CHECK(trades->symbols().name(event.meta.symbol) == "BTCUSDT");
        CHECK(event.meta.received >= start);
        CHECK(event.meta.event_time > 0);
        CHECK(!event.trades.empty());
        got.insert(got.end(), event.trades.begin(), event.trades.end());
    }
    // Every trade is the tape's, in order, none missing between the first and the last.
    const auto& tape = sandbox.market().find("BTCUSDT")->trades();
    REQUIRE(!tape.empty());
    std::uint64_t previous = 0;
    for (const auto& trade : got) {
        const auto id = trade_number(trade.trade_id);
        if (previous != 0) CHECK(id == previous + 1);
        previous = id;
        REQUIRE(id >= tape.front().id);
        const auto& truth = tape[id - tape.front().id];
        REQUIRE(truth.id == id);
        CHECK(trade.price == mexc::Price::from_units(truth.price, 2));
        CHECK(trade.quantity == mexc::Quantity::from_units(truth.quantity, 6));
        CHECK(trade.taker_side == (truth.taker_side == 1 ? mexc::Side::buy : mexc::Side::sell));
        CHECK(trade.time == truth.time_ms);
    }
    CHECK(trades->dropped() == 0);
    CHECK(exchange.metrics().decode_errors == 0);
    run(ioc, exchange.close());
    auto after = run(ioc, trades->next());
    REQUIRE_FALSE(after);
    CHECK(after.error().condition() == mexc::Condition::closed);
    sandbox.stop();
}

TEST_CASE("typed klines: the bar the venue's tape makes, open, high, low, close and volumes",
          "[integration][stream][kline]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), quick_channels());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    const auto interval =
        GENERATE(mexc::topic::KlineInterval::min1, mexc::topic::KlineInterval::day1);
    auto klines = run(ioc, exchange.subscribe_klines("ETHUSDT", interval));
    REQUIRE(klines);
    next_event(ioc, *klines);
    // Some trades, then frozen: the next bar pushed holds every trade of its window there is.
    const auto& book = *sandbox.market().find("ETHUSDT");  // prices at 2, quantities at 5
    run_until(ioc, [&] { return book.trades().size() >= 5; });
    sandbox.pause_market(true);
    const auto paused = now_ms();
    const auto bar = event_after(ioc, *klines, paused);
    CHECK(klines->symbols().name(bar.meta.symbol) == "ETHUSDT");
    CHECK(bar.interval == interval);
    const auto window =
        mexc::sandbox::kline_window(mexc::topic::to_string(interval), bar.meta.event_time / 1000);
    REQUIRE(window);
    CHECK(bar.open_time == window->start_s * 1000);
    CHECK(bar.close_time == window->end_s * 1000);

    std::vector<mexc::sandbox::Trade> in_window;
    std::optional<std::int64_t> before;  // the last price before the window
    for (const auto& t : book.trades()) {
        if (t.time_ms >= bar.open_time && t.time_ms < bar.close_time) in_window.push_back(t);
        if (t.time_ms < bar.open_time) before = t.price;
    }
    // A bar without trades shows the price before it (a window that just opened).
    std::int64_t open = before.value_or(0), close = open, high = open, low = open, volume = 0;
    std::int64_t turnover = 0, below_unit = 0;  // Σ price × quantity / 10^5, exact remainder
    if (!in_window.empty()) {
        open = high = low = in_window.front().price;
        close = in_window.back().price;
    }
    for (const auto& t : in_window) {
        high = std::max(high, t.price);
        low = std::min(low, t.price);
        volume += t.quantity;
        const std::int64_t pq = t.price * t.quantity;
        turnover += pq / 100000;
        below_unit += pq % 100000;
        turnover += below_unit / 100000;
        below_unit %= 100000;
    }
    CHECK(bar.open == mexc::Price::from_units(open, 2));
    CHECK(bar.close == mexc::Price::from_units(close, 2));
    CHECK(bar.high == mexc::Price::from_units(high, 2));
    CHECK(bar.low == mexc::Price::from_units(low, 2));
    CHECK(bar.volume == mexc::Quantity::from_units(volume, 5));
    // Quote turnover at the price scale, cut below one unit (as the venue writes it).
    CHECK(same_value(bar.quote_volume, turnover, 2));
    CHECK(klines->dropped() == 0);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("typed limit depth: the venue's top levels at the version pushed",
          "[integration][stream][limit_depth]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto depth = run(ioc, exchange.subscribe_limit_depth("BTCUSDT", mexc::topic::DepthLevels::ten));
    REQUIRE(depth);
    std::int64_t last_version = 0;
    for (int i = 0; i < 10; ++i) {
        const auto event = next_event(ioc, *depth);
        CHECK(depth->symbols().name(event.meta.symbol) == "BTCUSDT");
        CHECK(event.scales == mexc::SymbolScales{2, 6});
        CHECK(event.version > last_version);
        last_version = event.version;
        const auto truth = sandbox.market().find("BTCUSDT")->snapshot_at(event.version, 10);
        REQUIRE(truth);
        CHECK(event.bids.size() == 10);
        CHECK(event.bids == units(truth->bids));
        CHECK(event.asks == units(truth->asks));
    }
    CHECK(depth->dropped() == 0);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("typed book tickers: the venue's best bid and ask at the version pushed",
          "[integration][stream][book_ticker]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto ticker = run(ioc, exchange.subscribe_book_ticker("BTCUSDT", Speed::ms10));
    REQUIRE(ticker);
    auto batch = run(ioc, exchange.subscribe_book_ticker_batch("BTCUSDT"));
    REQUIRE(batch);
    const auto& book = *sandbox.market().find("BTCUSDT");
    for (int i = 0; i < 5; ++i) {
        const auto single = next_event(ioc, *ticker);
        CHECK(ticker->symbols().name(single.meta.symbol) == "BTCUSDT");
        REQUIRE(single.version > 0);
        const auto truth = book.snapshot_at(single.version, 1);
        REQUIRE(truth);
        check_top(single.top, *truth);

        const auto tops = next_event(ioc, *batch);
        REQUIRE(tops.version > 0);
        REQUIRE(tops.tops.size() == 1);
        const auto batch_truth = book.snapshot_at(tops.version, 1);
        REQUIRE(batch_truth);
        check_top(tops.tops[0], *batch_truth);
    }
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("typed mini tickers: last price, range and volume of the venue's tape",
          "[integration][stream][mini_ticker]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), quick_channels());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto one = run(ioc, exchange.subscribe_mini_ticker("SOLUSDT", mexc::topic::TimeZone::h24));
    REQUIRE(one);
    auto all = run(ioc, exchange.subscribe_mini_tickers(mexc::topic::TimeZone::utc_p8));
    REQUIRE(all);
    next_event(ioc, *one);
    // Every symbol has traded; then frozen.
    run_until(ioc, [&] {
        const auto& books = sandbox.market().symbols();
        return std::all_of(books.begin(), books.end(),
                           [](const auto& b) { return b.trades().size() >= 3; });
    });
    sandbox.pause_market(true);
    const auto paused = now_ms();

    // The venue's rolling day: every trade it kept (it started moments ago).
    auto check = [&](const mexc::MiniTicker& ticker, const mexc::sandbox::SymbolBook& book) {
        const auto& tape = book.trades();
        REQUIRE(!tape.empty());
        const int p = book.spec().price_scale, q = book.spec().quantity_scale;
        std::int64_t high = tape.back().price, low = high, base = 0;
        for (const auto& t : tape) {
            high = std::max(high, t.price);
            low = std::min(low, t.price);
            base += t.quantity;
        }
        CHECK(same_value(ticker.price, tape.back().price, p));
        CHECK(same_value(ticker.high, high, p));
        CHECK(same_value(ticker.low, low, p));
        CHECK(same_value(ticker.quantity, base, q));
    };
    const auto single = event_after(ioc, *one, paused);
    CHECK(one->symbols().name(single.meta.symbol) == "SOLUSDT");
    CHECK(one->symbols().name(single.ticker.symbol) == "SOLUSDT");
    CHECK(single.zone.rolling_24h);
    check(single.ticker, *sandbox.market().find("SOLUSDT"));

    const auto every = event_after(ioc, *all, paused);
    CHECK(every.meta.symbol == mexc::no_symbol);
    CHECK(every.zone == mexc::TickerZone{false, 480});
    CHECK(every.unknown_symbols == 0);
    REQUIRE(every.tickers.size() == sandbox.market().symbols().size());
    for (const auto& ticker : every.tickers) {
        const auto name = all->symbols().name(ticker.symbol);
        const auto* book = sandbox.market().find(name);
        REQUIRE(book);
        // A rolling-day range from the UTC+8 subscription: the same tape, the same figures.
        check(ticker, *book);
    }
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("typed streams: a symbol the venue does not list, or a malformed one, is refused",
          "[integration][stream]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto unknown = run(ioc, exchange.subscribe_trades("NOPEUSDT", Speed::ms10));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().condition() == mexc::Condition::rejected);
    auto malformed = run(ioc, exchange.subscribe_book_ticker("btcusdt", Speed::ms10));
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error().code() == mexc::make_error_code(mexc::Errc::invalid_argument));
    CHECK(sandbox.stats().ws_connections == 0);  // nothing was subscribed
    run(ioc, exchange.close());
    auto late = run(ioc, exchange.subscribe_klines("BTCUSDT", mexc::topic::KlineInterval::min1));
    REQUIRE_FALSE(late);
    CHECK(late.error().condition() == mexc::Condition::closed);
    sandbox.stop();
}

TEST_CASE("typed streams: a reader that stalls gets the latest book ticker, nothing lost",
          "[integration][stream][C13][I7]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto ticker = run(ioc, exchange.subscribe_book_ticker("BTCUSDT", Speed::ms10));
    REQUIRE(ticker);
    next_event(ioc, *ticker);

    // The reader stalls while the top moves: one push waits, each new one replacing it.
    run_until(ioc, [&] { return ticker->conflated() >= 20; });
    CHECK(ticker->queued() == 1);
    CHECK(ticker->dropped() == 0);
    sandbox.pause_market(true);
    ioc.restart();
    ioc.run_for(100ms);  // pushes already on the way arrive and conflate
    CHECK(ticker->queued() == 1);

    // What waits is the venue's current top (pushed on change only): latest wins, no loss.
    const auto latest = next_event(ioc, *ticker);
    const auto& book = *sandbox.market().find("BTCUSDT");
    CHECK(latest.version <= book.version());
    check_top(latest.top, book.snapshot(1));
    const auto at_version = book.snapshot_at(latest.version, 1);
    REQUIRE(at_version);
    check_top(latest.top, *at_version);
    CHECK(ticker->queued() == 0);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("typed streams: a kline reader behind its bound is told how many pushes it lost",
          "[integration][stream][C13][I7]") {
    asio::io_context ioc{1};
    auto options = quick_channels();
    options.kline_period = 10ms;
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto klines =
        run(ioc, exchange.subscribe_klines("BTCUSDT", mexc::topic::KlineInterval::min1, 4));
    REQUIRE(klines);

    run_until(ioc, [&] { return klines->dropped() >= 20; });
    CHECK(klines->queued() == 4);  // the bound holds
    std::int64_t last_time = 0;
    for (int i = 0; i < 4; ++i) {
        const auto bar = next_event(ioc, *klines);
        CHECK(bar.meta.event_time >= last_time);
        last_time = bar.meta.event_time;
    }
    // Then the loss, once, with its count; then delivery resumes with later bars.
    const auto dropped = klines->dropped();
    auto loss = run(ioc, klines->next(), 5s);
    REQUIRE_FALSE(loss);
    CHECK(loss.error().condition() == mexc::Condition::bad_data);
    CHECK(loss.error().code() == mexc::make_error_code(mexc::Errc::frames_dropped));
    CHECK(loss.error().lost() >= dropped);
    CHECK(loss.error().lost() == klines->dropped());  // one run of losses, all reported here
    const auto resumed = next_event(ioc, *klines);
    CHECK(resumed.meta.event_time > last_time);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE(
    "typed streams: a stream over a frame subscription types several symbols, and a push "
    "of another channel fails alone",
    "[integration][stream][P04]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
    auto table = std::make_shared<mexc::SymbolTable>();
    table->add("BTCUSDT", {2, 6});
    table->add("ETHUSDT", {2, 5});

    SECTION("trades of two symbols in one stream") {
        auto frames = run(ioc, exchange.subscribe_frames(
                                   {mexc::topic::aggre_deals("BTCUSDT", Speed::ms10).value(),
                                    mexc::topic::aggre_deals("ETHUSDT", Speed::ms10).value()}));
        REQUIRE(frames);
        mexc::TradeStream trades(std::move(*frames), table);
        CHECK(trades.topics().size() == 2);
        bool btc = false, eth = false;
        while (!btc || !eth) {
            const auto event = next_event(ioc, trades);
            const auto name = trades.symbols().name(event.meta.symbol);
            const auto& tape = sandbox.market().find(name)->trades();
            const auto id = trade_number(event.trades.back().trade_id);
            REQUIRE(id >= tape.front().id);
            CHECK(event.trades.back().price ==
                  mexc::Price::from_units(tape[id - tape.front().id].price, 2));
            (name == "BTCUSDT" ? btc : eth) = true;
        }
    }
    SECTION("depth pushes read as trades: unknown_body for each, the stream goes on") {
        auto frames = run(ioc, exchange.subscribe_frames(
                                   {mexc::topic::aggre_depth("BTCUSDT", Speed::ms10).value()}));
        REQUIRE(frames);
        mexc::TradeStream wrong(std::move(*frames), table);
        for (int i = 0; i < 3; ++i) {
            auto event = run(ioc, wrong.next(), 5s);
            REQUIRE_FALSE(event);
            CHECK(event.error().condition() == mexc::Condition::bad_data);
            CHECK(event.error().code() == mexc::make_error_code(mexc::Errc::unknown_body));
        }
        wrong.close();
        auto closed = run(ioc, wrong.next());
        REQUIRE_FALSE(closed);
        CHECK(closed.error().condition() == mexc::Condition::closed);
    }
    run(ioc, exchange.close());
    sandbox.stop();
}
