// The sandbox's meters as MEXC's: `GET /api/v3/depth` weighs 3 (DOC-2026, SPEC §3.1, §10.3), as in
// the client's endpoint table; at most 30 topics per connection (SPEC §6.2), UNSUBSCRIPTION frees
// a slot, and the topic counts in SandboxStats.

#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "rest/endpoints.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/ws_control.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::net::WsConnection;
using mexc::sandbox::Sandbox;
using mexc::sandbox::SandboxOptions;
using mexc::testing::ack;
using mexc::testing::blocked;
using mexc::testing::joined;
using mexc::testing::next_text;
using mexc::testing::request;
using mexc::testing::run;
using mexc::testing::run_until;
using mexc::testing::subscribe;

namespace {

asio::awaitable<std::unique_ptr<WsConnection>> open_ws(Sandbox& s) {
    auto ex = co_await asio::this_coro::executor;
    co_return (
        co_await WsConnection::connect(ex, mexc::net::parse_url(s.ws_url()).value(), nullptr, {}))
        .value();
}

// Thirty distinct public topics: depth, deals and limit depth of the default symbols, and more.
std::vector<std::string> thirty_topics() {
    std::vector<std::string> out;
    for (const char* sym : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"}) {
        const std::string s = sym;
        for (const char* spd : {"10ms", "100ms"}) {
            out.push_back("spot@public.aggre.depth.v3.api.pb@" + std::string(spd) + "@" + s);
            out.push_back("spot@public.aggre.deals.v3.api.pb@" + std::string(spd) + "@" + s);
        }
        for (const char* n : {"5", "10", "20"})
            out.push_back("spot@public.limit.depth.v3.api.pb@" + s + "@" + n);
    }
    out.resize(30);  // 4 × 7 = 28 so far: two klines complete the set
    out[28] = "spot@public.kline.v3.api.pb@BTCUSDT@Min1";
    out[29] = "spot@public.kline.v3.api.pb@ETHUSDT@Min5";
    return out;
}

}  // namespace

TEST_CASE("E04 depth snapshots weigh 3 (DOC-2026), in the sandbox and the client's table",
          "[integration][sandbox][rest][rate]") {
    CHECK(mexc::rest::endpoints::depth.weight == 3);
    asio::io_context ioc{1};
    SandboxOptions options;
    options.rate_limits.ip_weight_per_window = 9;
    options.rate_limits.window = 60s;
    Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::net::HttpClient http(ioc.get_executor(), mexc::net::parse_url(sandbox.rest_url()).value(),
                               nullptr, {});
    auto get = [&](std::string target) {
        mexc::net::HttpRequest req;
        req.method = mexc::net::HttpMethod::get;
        req.target = std::move(target);
        auto r = run(ioc, http.request(std::move(req)));
        REQUIRE(r);
        return r->status;
    };
    // Three snapshots spend the 9 weight: a weight-1 ping is then over budget (at weight 1 each
    // six more calls would fit).
    for (int i = 0; i < 3; ++i) CHECK(get("/api/v3/depth?symbol=BTCUSDT&limit=5") == 200);
    CHECK(get("/api/v3/ping") == 429);
    CHECK(sandbox.rate_limited() == 1);
    sandbox.stop();
}

TEST_CASE(
    "E16 30 topics per connection: the 31st is Blocked, UNSUBSCRIPTION frees a slot, stats "
    "count topics",
    "[integration][sandbox][ws][topics]") {
    asio::io_context ioc{1};
    SandboxOptions defaults;
    CHECK(defaults.ws_max_topics == 30);  // SPEC §6.2
    Sandbox sandbox(ioc.get_executor(), defaults);
    REQUIRE(sandbox.start());
    const auto topics = thirty_topics();
    const std::string extra = "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT";
    const std::string refused = blocked(2, {extra});  // GCC 12: no braced list in a co_await
    const std::string unsubscribe = request("UNSUBSCRIPTION", {topics[0]}, 4);
    // co_await results are named before a CHECK: GCC 12 may evaluate one inside CHECK twice.
    run(ioc, [&]() -> asio::awaitable<void> {
        auto first = co_await open_ws(sandbox);
        auto second = co_await open_ws(sandbox);
        const std::string reply1 = co_await subscribe(*first, topics, 1);
        CHECK(reply1 == ack(1, joined(topics)));
        CHECK(sandbox.stats().ws_topics_current == 30);
        CHECK(sandbox.stats().ws_topics_busiest_connection == 30);
        CHECK(sandbox.stats().ws_topics_peak_per_connection == 30);

        const auto rejected_before = sandbox.stats().ws_topics_rejected;
        const std::string reply2 = co_await subscribe(*first, extra, 2);
        CHECK(reply2 == refused);
        CHECK(sandbox.stats().ws_topics_rejected == rejected_before + 1);
        CHECK(sandbox.stats().ws_topics_current == 30);

        // Another connection has a cap of its own.
        const std::string reply3 = co_await subscribe(*second, extra, 3);
        CHECK(reply3 == ack(3, extra));
        CHECK(sandbox.stats().ws_topics_current == 31);
        CHECK(sandbox.stats().ws_topics_busiest_connection == 30);

        first->send_text(unsubscribe);
        const std::string reply4 = co_await next_text(*first);
        CHECK(reply4 == ack(4, topics[0]));
        CHECK(sandbox.stats().ws_topics_current == 30);
        CHECK(sandbox.stats().ws_topics_busiest_connection == 29);
        const std::string reply5 = co_await subscribe(*first, extra, 5);
        CHECK(reply5 == ack(5, extra));
        CHECK(sandbox.stats().ws_topics_busiest_connection == 30);
        CHECK(sandbox.stats().ws_topics_peak_per_connection == 30);

        // A closed connection holds no topics; the peak stays.
        co_await first->close();
        asio::steady_timer pause(co_await asio::this_coro::executor);
        for (int i = 0; i < 500 && sandbox.stats().ws_topics_current != 1; ++i) {
            pause.expires_after(10ms);
            co_await pause.async_wait(asio::use_awaitable);
        }
        CHECK(sandbox.stats().ws_topics_current == 1);
        CHECK(sandbox.stats().ws_topics_busiest_connection == 1);
        CHECK(sandbox.stats().ws_topics_peak_per_connection == 30);
    }());
    run_until(ioc, [&] { return sandbox.stats().ws_topics_current == 0; });
    sandbox.stop();
}
