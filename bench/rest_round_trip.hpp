#pragma once
// What the REST round-trip benchmarks share (bench/bench_rest.cpp and the internal ones): the
// embedded venue's options, the timed loops, and a raw blocking-socket ping to compare with.
// Public API and the sandbox only.

#include "bench_util.hpp"
#include "client_config.hpp"
#include "sandbox_thread.hpp"

#include <mexc/config.hpp>
#include <mexc/decimal.hpp>
#include <mexc/order.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace mexc::bench {
namespace asio = boost::asio;
using sandbox::SandboxThread;

/// One symbol, a slow market and no REST rate limit: the venue does as little as possible besides
/// answering, and thousands of pings per second are never answered 429.
inline sandbox::SandboxOptions round_trip_options() {
    sandbox::SandboxOptions o;
    o.symbols.resize(1);  // BTCUSDT
    o.tick = std::chrono::milliseconds(1000);
    o.rate_limits.ip_weight_per_window = INT_MAX / 2;
    o.rate_limits.uid_weight_per_window = INT_MAX / 2;
    return o;
}

/// Checks one ping (which also opens any connection), then times `ping` per iteration, counting
/// failures and allocations. False (and the benchmark skipped) if the first ping failed.
template <class Ping>
bool time_pings(benchmark::State& state, Ping& ping, const char* failure) {
    if (!ping()) {
        state.SkipWithError(failure);
        return false;
    }
    AllocMeter meter;
    std::int64_t failures = 0;
    for (auto _ : state) {
        if (!ping()) ++failures;
    }
    meter.report_with_thread(state);
    state.counters["failures"] = static_cast<double>(failures);
    return true;
}

/// The timed loop inside one coroutine on the benchmark thread's io_context, as a strategy awaits
/// the client: `step` is awaited per iteration after `warm_up` untimed ones (pools and caches
/// filled). Allocations are reported process-wide and for this thread alone (the client's share:
/// the venue runs on its own thread).
template <class Step>
void time_awaited(benchmark::State& state, asio::io_context& io, Step step, int warm_up,
                  const char* failure) {
    bool warmed = true;
    std::int64_t failures = 0;
    std::exception_ptr error;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < warm_up; ++i) {
                const bool ok = co_await step();
                if (!ok) {
                    warmed = false;
                    co_return;
                }
            }
            AllocMeter meter;
            for (auto _ : state) {
                const bool ok = co_await step();
                if (!ok) ++failures;
            }
            meter.report_with_thread(state);
        },
        [&](std::exception_ptr e) {
            error = e;
            io.stop();  // a client may keep background work (timers, streams) queued
        });
    io.run();
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "exception: %s\n", e.what());
        }
    }
    if (error || !warmed) {
        state.SkipWithError(failure);
        return;
    }
    state.counters["failures"] = static_cast<double>(failures);
}

/// An order that is acknowledged and then expires at once (IOC far below the market), so the
/// venue's book and the account's balance stay as they were whatever the iteration count.
inline OrderRequest round_trip_order() {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = Side::buy;
    o.type = OrderType::immediate_or_cancel;
    o.price = Price::from_units(10000, 2);     // 100.00: 10 USDT, above the minimum notional
    o.quantity = Quantity::from_units(10, 2);  // 0.10
    o.client_order_id = "rt-0";
    return o;
}

/// A venue without an order rate limit, and a client configuration for its demo account with the
/// client's own limits lifted too: thousands of orders a second, none refused for rate.
inline sandbox::SandboxOptions order_venue_options() {
    auto options = round_trip_options();
    options.rate_limits.orders_per_second = 1 << 30;
    return options;
}

inline Config unmetered_config(const SandboxThread& venue) {
    Config config = sandbox::client_config(venue);
    config.rate_limits.ip_weight = 1 << 30;
    config.rate_limits.uid_weight = 1 << 30;
    config.rate_limits.orders_per_second = 1 << 30;
    return config;
}

/// Bytes of one complete ping response at the front of `got`: 0 while incomplete, npos if it is
/// not `200` with body `{}`.
inline std::size_t complete_ping_response(std::string_view got) {
    const auto header_end = got.find("\r\n\r\n");
    if (header_end == std::string_view::npos) return 0;
    std::size_t length = 0;
    const auto cl = got.find("Content-Length: ");
    if (cl != std::string_view::npos && cl < header_end)
        std::from_chars(got.data() + cl + 16, got.data() + header_end, length);
    if (got.size() < header_end + 4 + length) return 0;
    const bool ok = got.starts_with("HTTP/1.1 200") && got.substr(header_end + 4, length) == "{}";
    return ok ? header_end + 4 + length : std::string_view::npos;
}

inline std::string raw_ping_request(std::uint16_t port) {
    // The header fields HttpClient sends for a GET (Host, User-Agent, Accept); keep-alive is
    // HTTP/1.1's default.
    return "GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
           "\r\nUser-Agent: mexcpp/0.1\r\nAccept: application/json\r\n\r\n";
}

/// GET /api/v3/ping over a blocking socket: the floor a client's round trip is compared with.
struct RawPinger {
    explicit RawPinger(asio::io_context& io, std::uint16_t port)
        : socket(io), request(raw_ping_request(port)) {
        socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        socket.set_option(asio::ip::tcp::no_delay(true));  // as the client does
    }
    bool operator()() {
        asio::write(socket, asio::buffer(request));
        std::size_t have = 0;
        for (;;) {
            have += socket.read_some(asio::buffer(buf.data() + have, buf.size() - have));
            const auto used = complete_ping_response(std::string_view(buf.data(), have));
            if (used != 0) return used != std::string_view::npos;
        }
    }
    asio::ip::tcp::socket socket;
    std::string request;
    std::array<char, 4096> buf{};
};

/// A client's round trip against the raw socket's in one run: per iteration one awaited `step`
/// and one ping over a raw blocking socket, against the same venue, in alternating order, each
/// timed on its own. Load changes on the machine hit both alike; the counters give the mean of
/// each and their ratio.
template <class Step>
void paired_with_raw(benchmark::State& state, asio::io_context& io, std::uint16_t port, Step step) {
    RawPinger raw(io, port);
    using Clock = std::chrono::steady_clock;
    Clock::duration client_time{}, raw_time{};
    std::int64_t n = 0;
    auto pair = [&]() -> asio::awaitable<bool> {
        const bool raw_first = (n++ & 1) != 0;
        bool ok = true;
        if (raw_first) {
            const auto t0 = Clock::now();
            ok = raw();
            raw_time += Clock::now() - t0;
        }
        const auto t1 = Clock::now();
        const bool client_ok = co_await step();
        client_time += Clock::now() - t1;
        if (!raw_first) {
            const auto t2 = Clock::now();
            ok = raw();
            raw_time += Clock::now() - t2;
        }
        co_return ok&& client_ok;
    };
    time_awaited(state, io, pair, 100, "paired ping failed");
    // The warm-up pairs are in the means too; they are few and alike.
    const auto mean_ns = [&](Clock::duration d) {
        return static_cast<double>(
                   std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) /
               static_cast<double>(n);
    };
    state.counters["client_ns"] = mean_ns(client_time);
    state.counters["raw_ns"] = mean_ns(raw_time);
    state.counters["ratio"] = mean_ns(client_time) / mean_ns(raw_time);
}

}  // namespace mexc::bench
