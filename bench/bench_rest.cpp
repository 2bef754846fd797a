// REST order path and round trips (STYLE §8):
//  - BM_OrderRequestBuildSignParse: the POST /api/v3/order query built and signed as
//    src/rest/private_rest.cpp does, plus parsing a realistic acknowledgement;
//  - BM_OrderRequestAsClientBuilds: the same through the client's own steps (pooled buffers,
//    append_order_params, write_signed_target, the HttpRequest and its header);
//  - BM_OrderRoundTrip_PrivateRest: PrivateRest::new_order against an embedded sandbox on its own
//    thread, end to end; allocations counted on the client's thread;
//  - BM_RestRoundTrip_ClientVsRaw / _PublicRestVsRaw: GET /api/v3/ping through net::HttpClient
//    and through PublicRest::ping, each paired in one run with the same ping over a blocking
//    socket;
//  - BM_RestRoundTrip_RawAsync / _RawSocket: the raw ping alone, over an async asio socket with
//    callbacks (the reactor's cost) and over a blocking socket.

#include "bench_util.hpp"
#include "client_config.hpp"
#include "sandbox_thread.hpp"

#include "net/http_client.hpp"
#include "net/url.hpp"
#include "rest/private_calls.hpp"

#include <mexc/exchange.hpp>
#include <mexc/rest/private_rest.hpp>
#include <mexc/rest/public_rest.hpp>

#include <mexc/decimal.hpp>
#include <mexc/order.hpp>
#include <mexc/sign/hmac_signer.hpp>
#include "sign/query.hpp"
#include "wire/json.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <charconv>
#include <climits>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace mexc::bench {
namespace {
namespace asio = boost::asio;
using sandbox::SandboxThread;

constexpr std::string_view demo_secret = "45d0b3c26f2644f19bfb98b07741b2f5";

// The acknowledgement of SPEC §3.2 as MEXC writes it (orderId in MEXC's "C02__" form).
constexpr std::string_view ack_body =
    R"({"symbol":"BTCUSDT","orderId":"C02__443776347957968896","orderListId":-1,"price":"84270.01",)"
    R"("origQty":"0.0002","type":"LIMIT","side":"BUY","transactTime":1644489390087})";

OrderRequest bench_order() {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = Side::buy;
    o.type = OrderType::limit;
    o.price = Price::from_units(8427001, 2);  // 84270.01
    o.quantity = Quantity::from_units(2, 4);  // 0.0002
    o.client_order_id = "mx-bench-000042";
    return o;
}

bool ack_matches(const Result<OrderAck>& ack) {
    return ack && ack->symbol == "BTCUSDT" && ack->order_id == "C02__443776347957968896" &&
           ack->price == Price::from_units(8427001, 2) &&
           ack->orig_qty == Quantity::from_units(2, 4) && ack->transact_time == 1644489390087;
}

/// The order path with every buffer reused: the client's own append_order_params and
/// write_signed_target into strings whose capacity is kept, then the ack parsed by a reused
/// JsonReader. The floor of what the client's path (below) can reach.
void BM_OrderRequestBuildSignParse(benchmark::State& state) {
    const HmacSigner signer(demo_secret);
    const OrderRequest order = bench_order();
    wire::JsonReader json;
    std::string params, target;
    std::int64_t timestamp = 1644489390087;
    auto build = [&] {
        params.clear();
        rest::append_order_params(params, order);
        write_signed_target(target, "/api/v3/order", params, 5000, timestamp, signer);
    };
    build();
    const std::string_view expected_prefix =
        "/api/v3/"
        "order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.0002&price=84270.01&newClientOrderId="
        "mx-bench-000042"
        "&recvWindow=5000&timestamp=1644489390087&signature=";
    if (!target.starts_with(expected_prefix) ||
        target.size() != expected_prefix.size() + HmacSigner::hex_size) {
        state.SkipWithError("unexpected target layout");
        return;
    }
    if (!ack_matches(json.order_ack(ack_body))) {
        state.SkipWithError("order_ack did not parse the ack body");
        return;
    }
    AllocMeter meter;
    for (auto _ : state) {
        ++timestamp;
        build();
        benchmark::DoNotOptimize(target.data());
        auto ack = json.order_ack(ack_body);
        if (ack) ack->client_order_id = order.client_order_id;  // as PrivateRest::new_order does
        benchmark::DoNotOptimize(ack);
    }
    meter.report(state);
    state.counters["target_bytes"] = static_cast<double>(target.size());
}
BENCHMARK(BM_OrderRequestBuildSignParse);

/// The client's own code for the same work: rest::order_params and write_signed_target (what
/// Transport::call runs per attempt), the HttpRequest with its X-MEXC-APIKEY header, and
/// JsonReader::order_ack with the client id copied in as new_order does. Not included: the
/// rate-limiter hook, the coroutine frames and the HTTP exchange itself.
void BM_OrderRequestAsClientBuilds(benchmark::State& state) {
    const HmacSigner signer(demo_secret);
    const OrderRequest order = bench_order();
    const std::string api_key = "mx0aBYs33eIilxBWC5mx0aBYs33eIilxBW";
    wire::JsonReader json;
    net::StringPool pool;
    std::string body;
    std::int64_t timestamp = 1644489390087;
    auto one = [&] {
        ++timestamp;
        std::string params = pool.take();  // PrivateRest::new_order
        rest::append_order_params(params, order);
        net::HttpRequest req;  // Transport::call, per attempt
        req.method = net::HttpMethod::post;
        req.target = pool.take();
        write_signed_target(req.target, "/api/v3/order", params, 5000, timestamp, signer);
        req.headers.emplace_back("X-MEXC-APIKEY", pool.take()).second.assign(api_key);
        req.is_command = true;
        benchmark::DoNotOptimize(req.target.data());
        body = pool.take();  // HttpClient: the response body
        body.assign(ack_body);
        auto ack = json.order_ack(body);
        if (ack) ack->client_order_id = order.client_order_id;
        benchmark::DoNotOptimize(ack);
        // What HttpClient::request and Transport::parsed give back.
        pool.give(std::move(req.target));
        for (auto& [name, value] : req.headers) pool.give(std::move(value));
        pool.give(std::move(params));
        pool.give(std::move(body));
    };
    one();  // warm-up: the pool holds its strings from here on
    AllocMeter meter;
    for (auto _ : state) one();
    meter.report(state);
}
BENCHMARK(BM_OrderRequestAsClientBuilds);

// ---- round trips against an embedded sandbox ------------------------------------------------

/// One symbol, a slow market and no REST rate limit: the venue does as little as possible besides
/// answering, and thousands of pings per second are never answered 429.
sandbox::SandboxOptions round_trip_options() {
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
OrderRequest round_trip_order() {
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
sandbox::SandboxOptions order_venue_options() {
    auto options = round_trip_options();
    options.rate_limits.orders_per_second = 1 << 30;
    return options;
}

Config unmetered_config(const SandboxThread& venue) {
    Config config = sandbox::client_config(venue);
    config.rate_limits.ip_weight = 1 << 30;
    config.rate_limits.uid_weight = 1 << 30;
    config.rate_limits.orders_per_second = 1 << 30;
    return config;
}

void BM_OrderRoundTrip_PrivateRest(benchmark::State& state) {
    SandboxThread venue(order_venue_options());
    asio::io_context io;
    rest::PrivateRest client(io.get_executor(), unmetered_config(venue));
    const OrderRequest order = round_trip_order();
    auto place = [&]() -> asio::awaitable<bool> {
        auto ack = co_await client.new_order(order);
        if (!ack) std::fprintf(stderr, "new_order: %s\n", ack.error().describe().c_str());
        co_return ack && ack->symbol == "BTCUSDT" && !ack->order_id.empty();
    };
    time_awaited(state, io, place, 200, "PrivateRest::new_order failed");
}
BENCHMARK(BM_OrderRoundTrip_PrivateRest)->UseRealTime();

/// The same through the facade: MexcExchange::place_order checks the symbol's cached rules and
/// API tradability and generates the client order id before PrivateRest::new_order.
void BM_OrderRoundTrip_Exchange(benchmark::State& state) {
    SandboxThread venue(order_venue_options());
    asio::io_context io;
    MexcExchange exchange(io.get_executor(), unmetered_config(venue));
    OrderRequest order = round_trip_order();
    order.client_order_id.clear();  // generated per order
    auto place = [&]() -> asio::awaitable<bool> {
        auto ack = co_await exchange.place_order(order);
        if (!ack) std::fprintf(stderr, "place_order: %s\n", ack.error().describe().c_str());
        co_return ack && !ack->order_id.empty() && ack->client_order_id.size() == 15;
    };
    time_awaited(state, io, place, 200, "MexcExchange::place_order failed");
    bool closed = false;
    io.restart();
    asio::co_spawn(io, exchange.close(), [&](std::exception_ptr) { closed = true; });
    while (!closed) io.run_one();
}
BENCHMARK(BM_OrderRoundTrip_Exchange)->UseRealTime();

/// Bytes of one complete ping response at the front of `got`: 0 while incomplete, npos if it is
/// not `200` with body `{}`.
std::size_t complete_ping_response(std::string_view got) {
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

std::string raw_ping_request(std::uint16_t port) {
    // The header fields HttpClient sends for a GET (Host, User-Agent, Accept); keep-alive is
    // HTTP/1.1's default.
    return "GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
           "\r\nUser-Agent: mexcpp/0.1\r\nAccept: application/json\r\n\r\n";
}

/// Not in the brief's pair: the same fixed request over an asio socket with async_write /
/// async_read_some and plain callbacks on a run_one-driven io_context (reactor wake-ups as the
/// client has them, without Beast, coroutines or deadlines). Separates the epoll-driven model's
/// cost from HttpClient's own.
void BM_RestRoundTrip_RawAsync(benchmark::State& state) {
    SandboxThread venue(round_trip_options());
    asio::io_context io;
    auto guard = asio::make_work_guard(io);  // run_one never sees an idle, stopped context
    asio::ip::tcp::socket socket(io);
    socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), venue.port()));
    socket.set_option(asio::ip::tcp::no_delay(true));
    const std::string request = raw_ping_request(venue.port());
    std::array<char, 4096> buf{};
    std::size_t have = 0;
    bool done = false;
    bool ok = false;
    std::function<void(boost::system::error_code, std::size_t)> on_read =
        [&](boost::system::error_code ec, std::size_t n) {
            if (ec) {
                done = true;
                return;
            }
            have += n;
            const auto used = complete_ping_response(std::string_view(buf.data(), have));
            if (used == 0) {
                socket.async_read_some(asio::buffer(buf.data() + have, buf.size() - have), on_read);
                return;
            }
            ok = used != std::string_view::npos;
            done = true;
        };
    auto ping = [&] {
        done = ok = false;
        have = 0;
        asio::async_write(socket, asio::buffer(request),
                          [&](boost::system::error_code ec, std::size_t) {
                              if (ec) {
                                  done = true;
                                  return;
                              }
                              socket.async_read_some(asio::buffer(buf), on_read);
                          });
        while (!done) io.run_one();
        return ok;
    };
    if (!time_pings(state, ping, "raw async ping failed")) return;
}
BENCHMARK(BM_RestRoundTrip_RawAsync)->UseRealTime();

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

void BM_RestRoundTrip_RawSocket(benchmark::State& state) {
    SandboxThread venue(round_trip_options());
    asio::io_context io;
    RawPinger ping(io, venue.port());
    if (!time_pings(state, ping, "raw ping failed")) return;
}
BENCHMARK(BM_RestRoundTrip_RawSocket)->UseRealTime();

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

/// net::HttpClient, the REST transport.
void BM_RestRoundTrip_ClientVsRaw(benchmark::State& state) {
    SandboxThread venue(round_trip_options());
    asio::io_context io;
    net::HttpClient client(io.get_executor(), net::parse_url(venue.rest_url()).value(), nullptr,
                           {});
    paired_with_raw(state, io, venue.port(), [&]() -> asio::awaitable<bool> {
        net::HttpRequest req;
        req.target = client.buffers().take();
        req.target.assign("/api/v3/ping");
        auto r = co_await client.request(std::move(req));
        const bool ok = r && r->status == 200 && r->body == "{}";
        if (r) client.buffers().give(std::move(r->body));  // as the REST clients do
        co_return ok;
    });
    state.counters["connections"] = static_cast<double>(client.connections_opened());
}
BENCHMARK(BM_RestRoundTrip_ClientVsRaw)->UseRealTime();

/// PublicRest::ping: admission, the status check and the body's classification on top.
void BM_RestRoundTrip_PublicRestVsRaw(benchmark::State& state) {
    SandboxThread venue(round_trip_options());
    asio::io_context io;
    rest::PublicRest client(io.get_executor(), unmetered_config(venue));
    paired_with_raw(state, io, venue.port(), [&]() -> asio::awaitable<bool> {
        co_return static_cast<bool>(co_await client.ping());
    });
}
BENCHMARK(BM_RestRoundTrip_PublicRestVsRaw)->UseRealTime();

}  // namespace
}  // namespace mexc::bench
