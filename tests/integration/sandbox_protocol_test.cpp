// The sandbox speaks MEXC's wire protocol: driven here with a raw WebSocket and raw HTTP, not
// through the library's stream logic (SPEC §7.3, §11.5).

#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/ws_control.hpp"

#include "mexc/wire/push.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::next_text;
using mexc::testing::run;

namespace {}  // namespace

TEST_CASE("sandbox answers the SPEC §11.5 control frames byte for byte", "[integration][sandbox]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    run(ioc, [](mexc::sandbox::Sandbox& s) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        auto c = (co_await mexc::net::WsConnection::connect(
                      ex, mexc::net::parse_url(s.ws_url()).value(), nullptr, {}))
                     .value();
        c->send_text(R"({"method":"PING"})");
        const auto reply1 = co_await next_text(*c);
        CHECK(reply1 == R"({"id":0,"code":0,"msg":"PONG"})");
        c->send_text(
            R"({"method":"SUBSCRIPTION","params":["spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"],"id":7})");
        const auto reply2 = co_await next_text(*c);
        CHECK(reply2 ==
              R"({"id":7,"code":0,"msg":"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"})");
        c->send_text(
            R"({"method":"SUBSCRIPTION","params":["spot@public.kline.v3.api@BTCUSDT@Min1"],"id":8})");
        const auto reply3 = co_await next_text(*c);
        CHECK(reply3 ==
              "{\"id\":8,\"code\":0,\"msg\":\"Not Subscribed successfully! "
              "[spot@public.kline.v3.api@BTCUSDT@Min1].  "
              "Reason： Blocked! \"}");
        c->send_text(
            R"({"method":"SUBSCRIPTION","params":["spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"],"id":10})");
        const auto reply4 = co_await next_text(*c);
        CHECK(reply4 == R"({"id":10,"code":0,"msg":""})");  // duplicate on one connection
        c->send_text(
            R"({"method":"UNSUBSCRIPTION","params":["spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"],"id":9})");
        const auto reply5 = co_await next_text(*c);
        CHECK(reply5 ==
              R"({"id":9,"code":0,"msg":"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"})");
        co_await c->close();
    }(sandbox));
    sandbox.stop();
}

TEST_CASE("sandbox pushes decode with protoc-generated classes and carry contiguous versions",
          "[integration][sandbox]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    run(ioc, [](mexc::sandbox::Sandbox& s) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        auto c = (co_await mexc::net::WsConnection::connect(
                      ex, mexc::net::parse_url(s.ws_url()).value(), nullptr, {}))
                     .value();
        const std::string depth = "spot@public.aggre.depth.v3.api.pb@10ms@ETHUSDT";
        const std::string deals = "spot@public.aggre.deals.v3.api.pb@10ms@ETHUSDT";
        c->send_text(R"({"method":"SUBSCRIPTION","params":[")" + depth + R"(",")" + deals +
                     R"("],"id":3})");
        const auto reply6 = co_await next_text(*c);
        CHECK(reply6 == R"({"id":3,"code":0,"msg":")" + depth + "," + deals + R"("})");
        std::int64_t last_to = 0;
        int depth_frames = 0, deal_frames = 0;
        while (depth_frames < 50 || deal_frames < 1) {
            auto m = (co_await c->read()).value();
            if (!m.binary) continue;
            PushDataV3ApiWrapper reference;
            REQUIRE(reference.ParseFromArray(m.data.data(), static_cast<int>(m.data.size())));
            auto ours = mexc::wire::decode_push(m.data);
            REQUIRE(ours);
            CHECK(ours->channel == reference.channel());
            CHECK(ours->symbol == "ETHUSDT");
            if (reference.has_publicaggredepths()) {
                CHECK(reference.channel() == depth);
                const auto& d = reference.publicaggredepths();
                CHECK(d.eventtype() == "spot@public.aggre.depth.v3.api.pb@10ms");
                const auto from = std::stoll(d.fromversion()), to = std::stoll(d.toversion());
                CHECK(from <= to);
                if (last_to != 0) CHECK(from == last_to + 1);  // contiguous
                last_to = to;
                ++depth_frames;
            } else {
                REQUIRE(reference.has_publicaggredeals());
                CHECK(reference.publicaggredeals().deals_size() > 0);
                ++deal_frames;
            }
        }
        // The REST snapshot shares the version space: it is at or past the last pushed version.
        mexc::net::HttpClient http(ex, mexc::net::parse_url(s.rest_url()).value(), nullptr, {});
        mexc::net::HttpRequest req;
        req.target = "/api/v3/depth?symbol=ETHUSDT&limit=5";
        auto res = (co_await http.request(std::move(req))).value();
        CHECK(res.status == 200);
        const auto at = res.body.find("\"lastUpdateId\":");
        REQUIRE(at != std::string::npos);
        CHECK(std::stoll(res.body.substr(at + 15)) >= last_to);
        co_await c->close();
    }(sandbox));
    sandbox.stop();
}

TEST_CASE("sandbox REST answers MEXC's shapes and error bodies", "[integration][sandbox]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    run(ioc, [](mexc::sandbox::Sandbox& s) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        mexc::net::HttpClient http(ex, mexc::net::parse_url(s.rest_url()).value(), nullptr, {});
        auto get = [&](std::string target) -> asio::awaitable<mexc::net::HttpResponse> {
            mexc::net::HttpRequest req;
            req.target = std::move(target);
            co_return (co_await http.request(std::move(req))).value();
        };
        auto ping = co_await get("/api/v3/ping");
        CHECK(ping.status == 200);
        CHECK(ping.body == "{}");
        auto bad = co_await get("/api/v3/depth?symbol=NOPE");
        CHECK(bad.status == 400);
        CHECK(bad.body == R"({"code":-1121,"msg":"Invalid symbol."})");
        auto info = co_await get("/api/v3/exchangeInfo?symbols=BTCUSDT,MXUSDT");
        CHECK(info.status == 200);
        CHECK(info.body.find(R"("symbol":"MXUSDT")") != std::string::npos);
        CHECK(info.body.find(R"("symbol":"ETHUSDT")") == std::string::npos);
        CHECK(http.connections_opened() == 1);  // kept alive across requests
    }(sandbox));
    sandbox.stop();
}
