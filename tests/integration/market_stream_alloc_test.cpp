// STYLE §8 and the delivery policy on the typed stream path, through the facade: once warm, every
// push read as a typed event allocates nothing on the client's thread; and a program that never
// reads keeps memory flat over 100 000 pushes (C13, I7), every push accounted for as queued,
// dropped (lossless kinds) or conflated. The venue runs on its own thread, so its allocations are
// not counted.

#include "client_config.hpp"
#include "sandbox_thread.hpp"
#include "support/alloc_counter.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/market_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/catch_result.hpp"

#include <array>
#include <exception>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::run;

namespace {

struct Counts {
    std::uint64_t events = 0;
    std::uint64_t errors = 0;
};

// Reads until the stream ends, as a program's market-data loop does.
template <class Event>
asio::awaitable<void> read_all(mexc::MarketStream<Event>* stream, Counts* counts) {
    for (;;) {
        auto event = co_await stream->next();
        if (event) {
            ++counts->events;
        } else if (event.error().condition() == mexc::Condition::closed) {
            co_return;
        } else {
            ++counts->errors;
        }
    }
}

template <class Event>
void spawn_reader(asio::io_context& ioc, mexc::MarketStream<Event>& stream, Counts& counts) {
    asio::co_spawn(ioc, read_all(&stream, &counts), [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
    });
}

constexpr std::array<const char*, 4> symbols{"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"};

}  // namespace

TEST_CASE("typed streams allocate nothing per push after warm-up",
          "[integration][stream][alloc][threads]") {
    mexc::sandbox::SandboxOptions options;
    options.kline_period = 20ms;
    options.mini_ticker_period = 20ms;
    mexc::sandbox::SandboxThread venue(options);
    asio::io_context ioc{1};
    mexc::MexcExchange exchange(ioc.get_executor(), mexc::sandbox::client_config(venue));
    auto klines =
        run(ioc, exchange.subscribe_klines("BTCUSDT", mexc::topic::KlineInterval::min1)).value();
    auto depth =
        run(ioc, exchange.subscribe_limit_depth("BTCUSDT", mexc::topic::DepthLevels::twenty))
            .value();
    auto ticker =
        run(ioc, exchange.subscribe_book_ticker("ETHUSDT", mexc::topic::Speed::ms10)).value();
    auto batch = run(ioc, exchange.subscribe_book_ticker_batch("ETHUSDT")).value();
    auto mini =
        run(ioc, exchange.subscribe_mini_ticker("SOLUSDT", mexc::topic::TimeZone::h24)).value();
    auto minis = run(ioc, exchange.subscribe_mini_tickers(mexc::topic::TimeZone::utc_p0)).value();
    Counts counts;
    spawn_reader(ioc, klines, counts);
    spawn_reader(ioc, depth, counts);
    spawn_reader(ioc, ticker, counts);
    spawn_reader(ioc, batch, counts);
    spawn_reader(ioc, mini, counts);
    spawn_reader(ioc, minis, counts);
    ioc.restart();
    ioc.run_for(1500ms);  // warm-up: buffers, slots and events reach their working size

    const auto before = counts.events;
    mexc::testing::AllocationCounter allocs;
    ioc.restart();
    ioc.run_for(1s);
    const auto counted = allocs.count();
    CHECK(counts.events - before > 100);
    CHECK(counts.errors == 0);
    CHECK(counted == 0);
    run(ioc, exchange.close());
}

TEST_CASE("typed streams: a program that never reads keeps memory flat over 100000 pushes",
          "[integration][stream][alloc][threads][C13][I7]") {
    mexc::sandbox::SandboxOptions options;
    options.tick = 1ms;  // the time-driven channels push every tick
    options.kline_period = 1ms;
    options.mini_ticker_period = 1ms;
    mexc::sandbox::SandboxThread venue(options);
    asio::io_context ioc{1};
    mexc::MexcExchange exchange(ioc.get_executor(), mexc::sandbox::client_config(venue));

    constexpr std::size_t bound = 8;
    std::vector<mexc::KlineStream> klines;        // lossless: at most `bound` wait each
    std::vector<mexc::MiniTickerStream> tickers;  // conflating: at most one waits each
    for (const char* symbol : symbols) {
        for (int i = 0; i <= static_cast<int>(mexc::topic::KlineInterval::month1); ++i)
            klines.push_back(
                run(ioc, exchange.subscribe_klines(
                             symbol, static_cast<mexc::topic::KlineInterval>(i), bound))
                    .value());
        for (auto zone : {mexc::topic::TimeZone::h24, mexc::topic::TimeZone::utc_p8})
            tickers.push_back(run(ioc, exchange.subscribe_mini_ticker(symbol, zone)).value());
    }
    auto pushes = [&] { return exchange.metrics().frames; };
    auto run_until_pushes = [&](std::uint64_t target) {
        const auto deadline = std::chrono::steady_clock::now() + 90s;
        while (pushes() < target && std::chrono::steady_clock::now() < deadline) {
            ioc.restart();
            ioc.run_for(100ms);
        }
        REQUIRE(pushes() >= target);
    };
    // Warm-up: every slot has held a frame (each kline queue full, each ticker holding one).
    const auto warm = [&] {
        return std::all_of(klines.begin(), klines.end(),
                           [&](const mexc::KlineStream& k) { return k.queued() == bound; }) &&
               std::all_of(tickers.begin(), tickers.end(),
                           [](const mexc::MiniTickerStream& t) { return t.queued() == 1; });
    };
    const auto warm_deadline = std::chrono::steady_clock::now() + 60s;
    while (!warm() && std::chrono::steady_clock::now() < warm_deadline) {
        ioc.restart();
        ioc.run_for(100ms);
    }
    REQUIRE(warm());
    run_until_pushes(pushes() + 2000);

    mexc::testing::AllocationCounter allocs;
    run_until_pushes(pushes() + 100000);
    const auto counted = allocs.count();
    CHECK(counted == 0);

    // Every push is accounted for, and no queue grew past its bound.
    std::uint64_t accounted = 0, dropped = 0, conflated = 0;
    for (const auto& k : klines) {
        CHECK(k.queued() == bound);
        accounted += k.queued() + k.dropped();
        dropped += k.dropped();
    }
    for (const auto& t : tickers) {
        CHECK(t.queued() == 1);
        CHECK(t.dropped() == 0);
        accounted += t.queued() + t.conflated();
        conflated += t.conflated();
    }
    const auto m = exchange.metrics();
    CHECK(m.decode_errors == 0);
    CHECK(m.unrouted_frames == 0);
    CHECK(accounted == m.frames);
    CHECK(dropped > 50000);
    CHECK(conflated > 5000);

    // The program comes back: what waited first, then the loss with its count, then new pushes.
    auto& first = klines.front();
    for (std::size_t i = 0; i < bound; ++i) REQUIRE(run(ioc, first.next()));
    auto loss = run(ioc, first.next());
    REQUIRE_FALSE(loss);
    CHECK(loss.error().code() == mexc::make_error_code(mexc::Errc::frames_dropped));
    CHECK(loss.error().lost() == first.dropped());
    CHECK(run(ioc, first.next()));
    run(ioc, exchange.close());
}
