// REST order path and round trips through the public API (STYLE §8):
//  - BM_OrderRoundTrip_PrivateRest: PrivateRest::new_order against an embedded sandbox on its own
//    thread, end to end; allocations counted on the client's thread;
//  - BM_OrderRoundTrip_Exchange: the same through MexcExchange::place_order;
//  - BM_RestRoundTrip_PublicRestVsRaw: GET /api/v3/ping through PublicRest::ping, paired in one
//    run with the same ping over a blocking socket;
//  - BM_RestRoundTrip_RawAsync / _RawSocket: the raw ping alone, over an async asio socket with
//    callbacks (the reactor's cost) and over a blocking socket.
// The request building and the HTTP client underneath are measured in bench/internal/.

#include "rest_round_trip.hpp"

#include <mexc/exchange.hpp>
#include <mexc/rest/private_rest.hpp>
#include <mexc/rest/public_rest.hpp>

#include <boost/asio/executor_work_guard.hpp>

#include <functional>

namespace mexc::bench {
namespace {

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

void BM_RestRoundTrip_RawSocket(benchmark::State& state) {
    SandboxThread venue(round_trip_options());
    asio::io_context io;
    RawPinger ping(io, venue.port());
    if (!time_pings(state, ping, "raw ping failed")) return;
}
BENCHMARK(BM_RestRoundTrip_RawSocket)->UseRealTime();

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
