// The REST order path's internals (STYLE §8), white-box:
//  - BM_OrderRequestBuildSignParse: the POST /api/v3/order query built and signed as
//    src/rest/private_rest.cpp does, plus parsing a realistic acknowledgement;
//  - BM_OrderRequestAsClientBuilds: the same through the client's own steps (pooled buffers,
//    append_order_params, write_signed_target, the HttpRequest and its header);
//  - BM_RestRoundTrip_ClientVsRaw: GET /api/v3/ping through net::HttpClient, paired in one run
//    with the same ping over a blocking socket (compare with BM_RestRoundTrip_PublicRestVsRaw).

#include "rest_round_trip.hpp"

#include "net/http_client.hpp"
#include "net/url.hpp"
#include "rest/private_calls.hpp"
#include "sign/query.hpp"
#include "wire/json.hpp"

#include <mexc/sign/hmac_signer.hpp>

#include <string>
#include <string_view>

namespace mexc::bench {
namespace {

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

}  // namespace
}  // namespace mexc::bench
