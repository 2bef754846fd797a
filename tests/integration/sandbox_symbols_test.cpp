// A sandbox of many generated symbols (`mexc-sandbox --symbols N`): deterministic names, prices
// and scales; every symbol listed by exchangeInfo and served live on the public channels, read
// with the client's own decoders.

#include "mexc/wire/events.hpp"
#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/ws_control.hpp"
#include "wire/json.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <set>
#include <string>

namespace asio = boost::asio;
using mexc::net::WsConnection;
using mexc::sandbox::Sandbox;
using mexc::sandbox::SandboxOptions;
using mexc::testing::ack;
using mexc::testing::next_binary;
using mexc::testing::run;
using mexc::testing::subscribe;

namespace {

asio::awaitable<std::unique_ptr<WsConnection>> open_ws(Sandbox& s) {
    auto ex = co_await asio::this_coro::executor;
    co_return (
        co_await WsConnection::connect(ex, mexc::net::parse_url(s.ws_url()).value(), nullptr, {}))
        .value();
}

mexc::net::HttpResponse get(asio::io_context& ioc, mexc::net::HttpClient& http,
                            std::string target) {
    mexc::net::HttpRequest req;
    req.method = mexc::net::HttpMethod::get;
    req.target = std::move(target);
    auto r = run(ioc, http.request(std::move(req)));
    REQUIRE(r);
    return *r;
}

}  // namespace

TEST_CASE("generated symbols are deterministic from the seed, with sensible prices and scales",
          "[integration][sandbox][symbols]") {
    const auto a = mexc::sandbox::generated_symbols(2000, 42);
    const auto b = mexc::sandbox::generated_symbols(2000, 42);
    const auto c = mexc::sandbox::generated_symbols(2000, 43);
    REQUIRE(a.size() == 2000);
    CHECK(a.front().symbol == "S0001USDT");
    CHECK(a.front().base_asset == "S0001");
    CHECK(a.front().quote_asset == "USDT");
    CHECK(a.back().symbol == "S2000USDT");
    std::set<std::string> names;
    bool differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        names.insert(a[i].symbol);
        CHECK(a[i].mid_price == b[i].mid_price);
        CHECK(a[i].price_scale == b[i].price_scale);
        differs = differs || a[i].mid_price != c[i].mid_price;
        // Six significant digits at the price scale, between 0.0001 and 999999.
        CHECK(a[i].mid_price >= 100000);
        CHECK(a[i].mid_price < 1000000);
        CHECK(a[i].price_scale >= 1);
        CHECK(a[i].price_scale <= 9);
        CHECK(a[i].quantity_scale <= 8);
        CHECK(a[i].mid_price > a[i].levels_per_side);  // every initial bid is a positive price
    }
    CHECK(names.size() == 2000);
    CHECK(differs);
    CHECK(mexc::sandbox::generated_symbols(12000, 1).back().symbol == "S12000USDT");
}

TEST_CASE("N generated symbols: exchangeInfo lists N, and a depth topic of one of them pushes",
          "[integration][sandbox][symbols]") {
    asio::io_context ioc{1};
    SandboxOptions options;
    options.symbols = mexc::sandbox::generated_symbols(300, 7);
    Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::net::HttpClient http(ioc.get_executor(), mexc::net::parse_url(sandbox.rest_url()).value(),
                               nullptr, {});

    const auto listed = get(ioc, http, "/api/v3/exchangeInfo");
    REQUIRE(listed.status == 200);
    mexc::wire::JsonReader json;
    const auto info = json.exchange_info(listed.body);
    REQUIRE(info);
    REQUIRE(info->symbols.size() == 300);
    mexc::SymbolTable table;
    for (std::size_t i = 0; i < info->symbols.size(); ++i) {
        const auto& s = info->symbols[i];
        CHECK(s.symbol == options.symbols[i].symbol);
        CHECK(s.quote_precision == options.symbols[i].price_scale);
        CHECK(s.base_asset_precision == options.symbols[i].quantity_scale);
        table.add(s.symbol, s.scales());
    }
    CHECK(get(ioc, http, "/api/v3/depth?symbol=S0150USDT&limit=5").status == 200);

    const std::string depth = "spot@public.aggre.depth.v3.api.pb@10ms@S0150USDT";
    const std::string kline = "spot@public.kline.v3.api.pb@S0299USDT@Min1";
    // co_await results are named before a CHECK: GCC 12 may evaluate one inside CHECK twice.
    run(ioc, [&]() -> asio::awaitable<void> {
        auto ws = co_await open_ws(sandbox);
        const std::string reply1 = co_await subscribe(*ws, depth, 1);
        CHECK(reply1 == ack(1, depth));
        const std::string reply2 = co_await subscribe(*ws, kline, 2);
        CHECK(reply2 == ack(2, kline));
        bool saw_depth = false, saw_kline = false;
        while (!saw_depth || !saw_kline) {
            const std::string bytes = co_await next_binary(*ws);
            const auto push = mexc::wire::decode_push(bytes);
            REQUIRE(push);
            if (push->channel == depth) {
                CHECK(push->kind == mexc::wire::BodyKind::public_aggre_depths);
                const auto body = mexc::wire::decode_aggre_depth(push->body);
                REQUIRE(body);
                CHECK(body->asks.size() + body->bids.size() > 0);
                saw_depth = true;
            } else if (push->channel == kline) {
                mexc::KlineEvent ev;
                REQUIRE(
                    mexc::wire::decode_event(*push, std::chrono::system_clock::now(), table, ev));
                CHECK(table.name(ev.meta.symbol) == "S0299USDT");
                CHECK(ev.open.scale() == options.symbols[298].price_scale);
                CHECK(ev.low <= ev.high);
                saw_kline = true;
            }
        }
        co_await ws->close();
    }());
    sandbox.stop();
}
