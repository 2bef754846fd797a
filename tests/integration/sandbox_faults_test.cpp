// The sandbox's fault injection (FAULTS §2.0), driven with raw HTTP and raw WebSocket clients:
// REST fault rules (N07, N10, P14, P15, P19, E04, E12, T01, T02), public push faults (drop,
// duplicate, reorder, delay, close codes: N05, N09, C04), the TCP fault proxy (N01, N02, N11, N12)
// and the admin interface of the `mexc-sandbox` process.

#include "fault_proxy.hpp"
#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "text.hpp"

#include "mexc/sign/hmac_signer.hpp"
#include "sign/query.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <simdjson.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;
using mexc::net::HttpClient;
using mexc::net::HttpRequest;
using mexc::net::HttpResponse;
using mexc::net::WsConnection;
using mexc::sandbox::FaultProxy;
using mexc::sandbox::Sandbox;
using mexc::sandbox::SandboxOptions;
using mexc::testing::run;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view unknown_error =
    "Unknown error, please check your request or try again later.";
constexpr std::string_view depth_topic = "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT";

struct Fx {
    asio::io_context ioc{1};
    Sandbox sandbox;
    explicit Fx(SandboxOptions options = {}) : sandbox(ioc.get_executor(), std::move(options)) {
        REQUIRE(sandbox.start());
    }
    ~Fx() { sandbox.stop(); }

    std::unique_ptr<HttpClient> client(const std::string& url) {
        mexc::net::HttpOptions options;
        options.timeouts.connect = 2s;
        options.timeouts.request = 3s;
        return std::make_unique<HttpClient>(ioc.get_executor(), mexc::net::parse_url(url).value(),
                                            nullptr, options);
    }
    std::unique_ptr<HttpClient> client() { return client(sandbox.rest_url()); }

    mexc::Result<HttpResponse> call(HttpClient& c, HttpRequest req) {
        return run(ioc, c.request(std::move(req)));
    }

    bool has_order(const std::string& client_id) {
        const auto open = sandbox.engine().open_orders(1, "BTCUSDT");
        return std::any_of(open.begin(), open.end(),
                           [&](const auto& o) { return o.client_order_id == client_id; });
    }
};

/// A local IPv4 address that is not loopback (an interface such as eth0), if the machine has one.
std::optional<std::string> non_loopback_ipv4() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::optional<std::string> found;
    for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN] = {};
        const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        if (!inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) continue;
        if (std::string_view(text).rfind("127.", 0) != 0) found = text;
    }
    freeifaddrs(list);
    return found;
}

HttpRequest get(std::string target, std::chrono::milliseconds timeout = 0ms) {
    HttpRequest r;
    r.target = std::move(target);
    r.timeout = timeout;
    return r;
}

HttpRequest post(std::string target) {
    HttpRequest r;
    r.method = mexc::net::HttpMethod::post;
    r.target = std::move(target);
    return r;
}

std::int64_t host_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A signed LIMIT buy far below the market (it rests) with the demo credentials.
HttpRequest place_order(const std::string& client_id, std::chrono::milliseconds timeout = 0ms) {
    const auto demo = mexc::sandbox::demo_api_key();
    std::string query = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=40000.00";
    mexc::append_param(query, "newClientOrderId", client_id);
    mexc::append_param(query, "timestamp", std::to_string(host_now()));
    mexc::append_signature(query, mexc::HmacSigner(demo.secret));
    HttpRequest r;
    r.method = mexc::net::HttpMethod::post;
    r.target = "/api/v3/order?" + query;
    r.headers.emplace_back("X-MEXC-APIKEY", demo.key);
    r.is_command = true;
    r.timeout = timeout;
    return r;
}

bool valid_json(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    return !parser.parse(text).get(e);
}

// ---- WebSocket helpers ----------------------------------------------------------------------

struct Depth {
    std::int64_t from = 0;
    std::int64_t to = 0;
    std::int64_t send_time = 0;
    std::int64_t received_ms = 0;
    std::string raw;
};

asio::awaitable<std::unique_ptr<WsConnection>> open_ws(std::string url) {
    auto ex = co_await asio::this_coro::executor;
    co_return (co_await WsConnection::connect(ex, mexc::net::parse_url(url).value(), nullptr, {}))
        .value();
}

asio::awaitable<void> subscribe_depth(WsConnection& c) {
    c.send_text(R"({"method":"SUBSCRIPTION","params":[")" + std::string(depth_topic) +
                R"("],"id":1})");
    for (;;) {
        auto m = (co_await c.read()).value();
        if (!m.binary) co_return;  // the acknowledgement
    }
}

asio::awaitable<Depth> next_depth(WsConnection& c) {
    for (;;) {
        auto m = (co_await c.read()).value();
        if (!m.binary) continue;
        PushDataV3ApiWrapper w;
        const bool parsed = w.ParseFromArray(m.data.data(), static_cast<int>(m.data.size()));
        REQUIRE(parsed);
        if (w.body_case() != PushDataV3ApiWrapper::kPublicAggreDepths) continue;
        co_return Depth{std::stoll(w.publicaggredepths().fromversion()),
                        std::stoll(w.publicaggredepths().toversion()), w.sendtime(),
                        mexc::sandbox::now_ms(), std::string(m.data)};
    }
}

asio::awaitable<std::vector<Depth>> depths(WsConnection& c, int n) {
    std::vector<Depth> out;
    for (int i = 0; i < n; ++i) out.push_back(co_await next_depth(c));
    co_return out;
}

int gaps(const std::vector<Depth>& d) {
    int n = 0;
    for (std::size_t i = 1; i < d.size(); ++i)
        if (d[i].from != d[i - 1].to + 1) ++n;
    return n;
}

struct Closed {
    boost::system::error_code error;
    int code = 0;
    std::string reason;
};

// A raw Beast client: connects, subscribes, reads one push, lets `fault` act, reads to the end.
asio::awaitable<Closed> close_seen(std::uint16_t port, Sandbox& s, int code, std::string reason) {
    namespace websocket = beast::websocket;
    constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
    auto ex = co_await asio::this_coro::executor;
    websocket::stream<beast::tcp_stream> ws(ex);
    beast::get_lowest_layer(ws).expires_after(5s);
    auto [cec] = co_await beast::get_lowest_layer(ws).async_connect(
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), tuple);
    REQUIRE_FALSE(cec);
    auto [hec] = co_await ws.async_handshake("127.0.0.1:" + std::to_string(port), "/ws", tuple);
    REQUIRE_FALSE(hec);
    beast::get_lowest_layer(ws).expires_after(5s);
    const std::string sub =
        R"({"method":"SUBSCRIPTION","params":[")" + std::string(depth_topic) + R"("],"id":1})";
    auto [wec, wn] = co_await ws.async_write(asio::buffer(sub), tuple);
    REQUIRE_FALSE(wec);
    beast::flat_buffer buffer;
    bool faulted = false;
    Closed out;
    for (;;) {
        buffer.clear();
        auto [rec, n] = co_await ws.async_read(buffer, tuple);
        if (rec) {
            out.error = rec;
            out.code = static_cast<int>(ws.reason().code);
            out.reason = std::string(ws.reason().reason.c_str());
            co_return out;
        }
        if (!faulted && ws.got_binary()) {
            faulted = true;
            s.close_connections(code, reason);
        }
    }
}

}  // namespace

// ---- REST fault rules -------------------------------------------------------------------------

TEST_CASE("E12 N07 a 5xx after apply: the order exists while the client got 503 or maintenance",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults()
        .respond_after_apply("POST /api/v3/order", 503, std::string(unknown_error))
        .times(1);
    auto r = f.call(*http, place_order("fault-503"));
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->body == unknown_error);
    CHECK(f.has_order("fault-503"));  // applied: the outcome was unknown, the order is real

    const std::string maintenance =
        R"({"code":500,"message":"Under maintenance, please try again later","announcement":"https://www.mexc.com/support/sections/360000547811"})";
    f.sandbox.faults().respond_after_apply("POST /api/v3/order", 500, maintenance).times(1);
    auto m = f.call(*http, place_order("fault-500"));
    REQUIRE(m);
    CHECK(m->status == 500);
    CHECK(m->body == maintenance);
    CHECK(f.has_order("fault-500"));

    // The rules were used up: the next order is answered normally.
    CHECK(f.sandbox.faults().rest_fault_count() == 0);
    auto normal = f.call(*http, place_order("fault-none"));
    REQUIRE(normal);
    CHECK(normal->status == 200);
    CHECK(f.sandbox.faults().stats().rest_faults_applied == 2);
}

TEST_CASE("T02 N07 timeout after apply: the client gives up, the order exists",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults().timeout_after_apply("POST /api/v3/order").times(1);
    const auto start = Clock::now();
    auto r = f.call(*http, place_order("fault-timeout", 300ms));
    const auto elapsed = Clock::now() - start;
    CHECK_FALSE(r);
    CHECK(elapsed >= 300ms);
    CHECK(elapsed < 3s);
    CHECK(f.has_order("fault-timeout"));
    // The held connection is not reused: the next request gets an answer.
    auto next = f.call(*http, get("/api/v3/ping"));
    REQUIRE(next);
    CHECK(next->status == 200);
}

TEST_CASE("N07 reset after apply: a network failure, outcome unknown, the order exists",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults().reset_after_apply("POST /api/v3/order").times(1);
    auto r = f.call(*http, place_order("fault-reset"));
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::outcome_unknown);
    CHECK(f.has_order("fault-reset"));
}

TEST_CASE(
    "N06 N07 a kept-alive connection the venue closed while idle is not used: the order goes out "
    "on a new one",
    "[integration][sandbox][faults]") {
    SandboxOptions options;
    options.rest_idle_timeout = 150ms;
    Fx f(std::move(options));
    auto http = f.client();
    auto first = f.call(*http, place_order("idle-1"));
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(http->connections_opened() == 1);
    // The venue closes the idle connection (FIN) while it sits in the client's pool.
    asio::steady_timer wait(f.ioc, 400ms);
    run(f.ioc, wait.async_wait(asio::use_awaitable));
    // Written on that connection, the order would be lost in flight: outcome_unknown.
    auto second = f.call(*http, place_order("idle-2"));
    REQUIRE(second);
    CHECK(second->status == 200);
    CHECK(http->connections_opened() == 2);
    CHECK(f.has_order("idle-1"));
    CHECK(f.has_order("idle-2"));
}

TEST_CASE("N10 P15 a truncated body or a wrong Content-Length is an error, never a short success",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults().truncate_after_apply("POST /api/v3/order", 60).times(1);
    auto r = f.call(*http, place_order("fault-truncated"));
    CHECK_FALSE(r);
    CHECK(f.has_order("fault-truncated"));

    f.sandbox.faults().wrong_content_length("GET /api/v3/time", 16).times(1);
    auto w = f.call(*http, get("/api/v3/time", 1s));
    CHECK_FALSE(w);
    auto ok = f.call(*http, get("/api/v3/time"));
    REQUIRE(ok);
    CHECK(ok->status == 200);
}

TEST_CASE("P19 P14 E13 E04 any status instead of applying: 302, WAF 403 HTML, 429 with Retry-After",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults()
        .respond_instead("POST /api/v3/order", 302, "",
                         {{"Location", "http://127.0.0.1:1/elsewhere"}})
        .times(1);
    auto redirect = f.call(*http, place_order("fault-redirect"));
    REQUIRE(redirect);
    CHECK(redirect->status == 302);              // returned, not followed
    CHECK_FALSE(f.has_order("fault-redirect"));  // not applied

    const std::string waf =
        "<html><head><title>403 Forbidden</title></head><body>Access Denied</body></html>";
    f.sandbox.faults()
        .respond_instead("GET /api/v3/depth", 403, waf, {{"Content-Type", "text/html"}})
        .times(1);
    auto forbidden = f.call(*http, get("/api/v3/depth?symbol=BTCUSDT&limit=5"));
    REQUIRE(forbidden);
    CHECK(forbidden->status == 403);
    CHECK(forbidden->content_type == "text/html");
    CHECK(forbidden->body == waf);

    f.sandbox.faults()
        .respond_instead("/api/v3/ping", 429, R"({"code":429,"msg":"Too many requests"})",
                         {{"Retry-After", "7"}})
        .times(2);
    for (int i = 0; i < 2; ++i) {
        auto limited = f.call(*http, get("/api/v3/ping"));
        REQUIRE(limited);
        CHECK(limited->status == 429);
        CHECK(limited->retry_after == 7s);
    }
    auto after = f.call(*http, get("/api/v3/ping"));
    REQUIRE(after);
    CHECK(after->status == 200);
    // Rules match on the path only: other paths are untouched.
    auto depth = f.call(*http, get("/api/v3/depth?symbol=BTCUSDT&limit=5"));
    REQUIRE(depth);
    CHECK(depth->status == 200);
}

TEST_CASE("T01 a delayed answer: inside the deadline a success, beyond it a timeout",
          "[integration][sandbox][faults]") {
    Fx f;
    auto http = f.client();
    f.sandbox.faults().delay("GET /api/v3/time", 250ms);  // every request until cleared
    auto start = Clock::now();
    auto slow = f.call(*http, get("/api/v3/time", 2s));
    REQUIRE(slow);
    CHECK(slow->status == 200);
    CHECK(Clock::now() - start >= 250ms);
    start = Clock::now();
    auto late = f.call(*http, get("/api/v3/time", 100ms));
    CHECK_FALSE(late);  // (the client retries a GET once on a fresh connection: delayed too)
    CHECK(Clock::now() - start < 1s);
    f.sandbox.faults().clear_rest_faults();
    // A delay may be combined with any rule: a 503 after 150 ms, the order applied.
    f.sandbox.faults()
        .respond_after_apply("POST /api/v3/order", 503, std::string(unknown_error))
        .times(1)
        .after(150ms);
    start = Clock::now();
    auto r = f.call(*http, place_order("fault-slow-503"));
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(Clock::now() - start >= 150ms);
    CHECK(f.has_order("fault-slow-503"));
}

// ---- public push faults ------------------------------------------------------------------------

TEST_CASE("push faults: a dropped depth push is a version gap, duplicates and reorders are visible",
          "[integration][sandbox][faults]") {
    Fx f;
    run(f.ioc, [](Fx& fx) -> asio::awaitable<void> {
        auto c = co_await open_ws(fx.sandbox.ws_url());
        co_await subscribe_depth(*c);
        const auto clean = co_await depths(*c, 5);
        CHECK(gaps(clean) == 0);

        fx.sandbox.faults().drop_pushes("aggre.depth", 1);
        auto seen = co_await depths(*c, 8);
        seen.insert(seen.begin(), clean.back());  // the drop may come right after the last one read
        CHECK(gaps(seen) == 1);  // one push missing: fromVersion jumps past the last toVersion
        CHECK(fx.sandbox.faults().stats().pushes_dropped == 1);

        fx.sandbox.faults().duplicate_pushes("BTCUSDT", 1);
        seen = co_await depths(*c, 8);
        int duplicates = 0;
        for (std::size_t i = 1; i < seen.size(); ++i)
            if (seen[i].raw == seen[i - 1].raw) ++duplicates;
        CHECK(duplicates == 1);
        CHECK(fx.sandbox.faults().stats().pushes_duplicated == 1);

        fx.sandbox.faults().reorder_pushes(std::string(depth_topic), 1);
        seen = co_await depths(*c, 8);
        int backwards = 0;
        for (std::size_t i = 1; i < seen.size(); ++i)
            if (seen[i].to < seen[i - 1].from) {
                ++backwards;
                CHECK(seen[i].to + 1 ==
                      seen[i - 1].from);  // exactly the two consecutive pushes swapped
            }
        CHECK(backwards == 1);
        CHECK(fx.sandbox.faults().stats().pushes_reordered == 1);
        co_await c->close();
    }(f));
}

TEST_CASE("push faults: delayed pushes arrive late and in order",
          "[integration][sandbox][faults]") {
    Fx f;
    f.sandbox.faults().delay_pushes(200ms);
    run(f.ioc, [](Fx& fx) -> asio::awaitable<void> {
        auto c = co_await open_ws(fx.sandbox.ws_url());
        co_await subscribe_depth(*c);
        const auto seen = co_await depths(*c, 5);
        for (const auto& d : seen) CHECK(d.received_ms - d.send_time >= 190);
        CHECK(gaps(seen) == 0);
        fx.sandbox.faults().delay_pushes(0ms);
        co_await c->close();
    }(f));
    CHECK(f.sandbox.faults().stats().pushes_delayed >= 5);
}

TEST_CASE("N09 every connection is closed with the chosen close code, 1006 is a reset",
          "[integration][sandbox][faults]") {
    Fx f;
    for (int code : {1000, 1001, 1011}) {
        const Closed c = run(
            f.ioc, close_seen(f.sandbox.port(), f.sandbox, code, "fault " + std::to_string(code)));
        CHECK(c.error == beast::websocket::error::closed);
        CHECK(c.code == code);
        CHECK(c.reason == "fault " + std::to_string(code));
    }
    const Closed reset = run(f.ioc, close_seen(f.sandbox.port(), f.sandbox, 1006, "ignored"));
    CHECK(reset.error);
    CHECK(reset.error != beast::websocket::error::closed);  // no close frame
}

// ---- the TCP fault proxy -----------------------------------------------------------------------

struct ProxyFx : Fx {
    FaultProxy proxy{ioc.get_executor(), "127.0.0.1", sandbox.port()};
    ProxyFx() { REQUIRE(proxy.start()); }
    ~ProxyFx() { proxy.stop(); }
};

TEST_CASE("N12 proxy latency is added to every exchange, traffic still flows",
          "[integration][sandbox][faults][proxy]") {
    ProxyFx f;
    auto http = f.client(f.proxy.url());
    auto plain = f.call(*http, get("/api/v3/ping"));
    REQUIRE(plain);
    CHECK(plain->status == 200);
    http = f.client(f.proxy.url());  // a fresh connection for the measured request
    f.proxy.set_latency(100ms, 20ms);
    const auto start = Clock::now();
    auto slow = f.call(*http, get("/api/v3/ping"));
    const auto elapsed = Clock::now() - start;
    REQUIRE(slow);
    CHECK(slow->status == 200);
    CHECK(elapsed >= 200ms);  // the request and the answer each waited >= 100 ms
    // WebSocket through the proxy too.
    f.proxy.set_latency(0ms);
    run(f.ioc, [](ProxyFx& fx) -> asio::awaitable<void> {
        auto c = co_await open_ws(fx.proxy.url("ws", "/ws"));
        co_await subscribe_depth(*c);
        const auto seen = co_await depths(*c, 3);
        CHECK(gaps(seen) == 0);
        co_await c->close();
    }(f));
}

TEST_CASE("proxy: cut after N bytes and reset now end connections mid-stream",
          "[integration][sandbox][faults][proxy]") {
    ProxyFx f;
    auto http = f.client(f.proxy.url());
    f.proxy.cut_after(200);
    auto cut = f.call(*http, get("/api/v3/exchangeInfo"));
    CHECK_FALSE(cut);
    CHECK(f.proxy.stats().connections_cut == 1);
    f.proxy.cut_after(0);
    auto whole = f.call(*http, get("/api/v3/exchangeInfo"));
    REQUIRE(whole);
    CHECK(whole->status == 200);
    CHECK(valid_json(whole->body));

    run(f.ioc, [](ProxyFx& fx) -> asio::awaitable<void> {
        auto c = co_await open_ws(fx.proxy.url("ws", "/ws"));
        co_await subscribe_depth(*c);
        (void)co_await next_depth(*c);
        fx.proxy.reset_now();
        boost::system::error_code ended;
        for (;;) {
            auto m = co_await c->read();
            if (!m) {
                ended = m.error().code();
                break;
            }
        }
        CHECK(ended);
        CHECK(ended != beast::websocket::error::closed);  // a reset, not a close frame
    }(f));
    CHECK(f.proxy.stats().connections_reset >= 1);
}

TEST_CASE("N02 N01 proxy blackhole times out, refuse is connection refused",
          "[integration][sandbox][faults][proxy][N02]") {
    ProxyFx f;
    f.proxy.set_blackhole(true);
    auto http = f.client(f.proxy.url());
    auto start = Clock::now();
    auto hole = f.call(*http, get("/api/v3/ping", 300ms));
    CHECK_FALSE(hole);
    CHECK(Clock::now() - start >= 300ms);
    CHECK(Clock::now() - start < 3s);
    // A WebSocket handshake into the blackhole hits its deadline.
    run(f.ioc, [](ProxyFx& fx) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        mexc::net::WsOptions options;
        options.handshake = 300ms;
        const auto since = Clock::now();
        auto c = co_await WsConnection::connect(
            ex, mexc::net::parse_url(fx.proxy.url("ws", "/ws")).value(), nullptr, options);
        CHECK_FALSE(c);
        CHECK(Clock::now() - since >= 300ms);
    }(f));
    f.proxy.set_blackhole(false);

    f.proxy.set_refuse(true);
    http = f.client(f.proxy.url());
    start = Clock::now();
    auto refused = f.call(*http, get("/api/v3/ping", 1s));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == mexc::Condition::network);
    CHECK(Clock::now() - start < 1s);  // refused at once, not a timeout
    f.proxy.set_refuse(false);         // listening again on the same port
    auto back = f.call(*http, get("/api/v3/ping"));
    REQUIRE(back);
    CHECK(back->status == 200);
}

TEST_CASE("N12 proxy bandwidth cap slows a large response",
          "[integration][sandbox][faults][proxy]") {
    ProxyFx f;
    auto direct = f.client();
    auto info = f.call(*direct, get("/api/v3/exchangeInfo"));
    REQUIRE(info);
    const std::size_t size = info->body.size();
    REQUIRE(size > 1000);
    const std::size_t rate =
        std::max<std::size_t>(1000, size * 1000 / 400);  // about 400 ms for the body
    f.proxy.set_bandwidth(rate);
    auto http = f.client(f.proxy.url());
    const auto start = Clock::now();
    auto slow = f.call(*http, get("/api/v3/exchangeInfo", 5s));
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    REQUIRE(slow);
    CHECK(slow->body.size() == size);
    CHECK(elapsed.count() >= static_cast<std::int64_t>(size * 1000 / rate * 8 / 10));
}

// ---- the admin interface ----------------------------------------------------------------------

TEST_CASE("admin interface: faults and knobs from loopback, off unless enabled",
          "[integration][sandbox][faults][admin]") {
    SandboxOptions options;
    options.admin_interface = true;
    Fx f(options);
    FaultProxy proxy(f.ioc.get_executor(), "127.0.0.1", f.sandbox.port());
    REQUIRE(proxy.start());
    f.sandbox.attach_proxy(&proxy);
    auto http = f.client();

    auto installed = f.call(
        *http,
        post("/sandbox/admin/fault?match=GET%20/api/v3/ping&action=respond_instead&status=503"
             "&body=Unknown%20error&headers=Retry-After:3&times=1"));
    REQUIRE(installed);
    CHECK(installed->status == 200);
    auto faulted = f.call(*http, get("/api/v3/ping"));
    REQUIRE(faulted);
    CHECK(faulted->status == 503);
    CHECK(faulted->body == "Unknown error");
    CHECK(faulted->retry_after == 3s);
    auto normal = f.call(*http, get("/api/v3/ping"));
    REQUIRE(normal);
    CHECK(normal->status == 200);

    auto bad = f.call(*http, post("/sandbox/admin/fault?action=nonsense"));
    REQUIRE(bad);
    CHECK(bad->status == 400);
    auto unknown = f.call(*http, post("/sandbox/admin/nothing"));
    REQUIRE(unknown);
    CHECK(unknown->status == 404);

    // A rule that would stay, then cleared.
    REQUIRE(f.call(
        *http, post("/sandbox/admin/fault?match=/api/v3/time&action=respond_instead&status=500")));
    CHECK(f.sandbox.faults().rest_fault_count() == 1);
    REQUIRE(f.call(*http, post("/sandbox/admin/fault/clear")));
    CHECK(f.sandbox.faults().rest_fault_count() == 0);

    // Clock offset: the server's time moves.
    REQUIRE(f.call(*http, post("/sandbox/admin/clock_offset?ms=60000")));
    auto time = f.call(*http, get("/api/v3/time"));
    REQUIRE(time);
    const auto at = time->body.find(':');
    REQUIRE(at != std::string::npos);
    CHECK(std::stoll(time->body.substr(at + 1)) - host_now() > 50000);
    REQUIRE(f.call(*http, post("/sandbox/admin/clock_offset?ms=0")));

    // Push faults, versions, snapshots, market, connections.
    CHECK(f.call(*http, post("/sandbox/admin/push?action=drop&topic=BTCUSDT&count=2"))->status ==
          200);
    CHECK(f.call(*http, post("/sandbox/admin/push?action=clear"))->status == 200);
    CHECK(f.call(*http, post("/sandbox/admin/skip_versions?symbol=BTCUSDT&count=3"))->status ==
          200);
    CHECK(f.call(*http, post("/sandbox/admin/stale_snapshot?symbol=BTCUSDT&versions_back=5"))
              ->status == 200);
    CHECK(f.call(*http, post("/sandbox/admin/drop_connections"))->status == 200);
    CHECK(f.call(*http, post("/sandbox/admin/close_connections?code=1001&reason=maintenance"))
              ->status == 200);
    CHECK(f.call(*http, post("/sandbox/admin/pause_market?paused=true"))->status == 200);
    const auto version = f.sandbox.market().find("BTCUSDT")->version();
    const auto until = Clock::now() + 100ms;  // ten market ticks
    mexc::testing::run_until(
        f.ioc, [&] { return Clock::now() >= until; }, 1s);
    CHECK(f.sandbox.market().find("BTCUSDT")->version() == version);
    CHECK(f.call(*http, post("/sandbox/admin/pause_market?paused=false"))->status == 200);

    // The proxy's knobs.
    auto knobs = f.call(
        *http, post("/sandbox/admin/proxy?latency_ms=40&jitter_ms=5&bandwidth=0&cut_after=0"));
    REQUIRE(knobs);
    CHECK(knobs->status == 200);
    CHECK(knobs->body.find(R"("latency_ms":40)") != std::string::npos);

    auto state = f.call(*http, get("/sandbox/admin/state"));
    REQUIRE(state);
    CHECK(state->status == 200);
    CHECK(valid_json(state->body));
    CHECK(state->body.find(R"("rest_faults_applied":1)") != std::string::npos);
    CHECK(state->body.find(R"("http_requests":)") != std::string::npos);
    CHECK(state->body.find(R"("proxy":{)") != std::string::npos);
    f.sandbox.attach_proxy(nullptr);
    proxy.stop();

    // Without the option, /sandbox/admin is just an unknown REST path.
    Fx plain;
    auto other = plain.client();
    auto refused = plain.call(*other, post("/sandbox/admin/pause_market?paused=true"));
    REQUIRE(refused);
    CHECK(refused->status != 200);
}

TEST_CASE(
    "admin interface refuses non-loopback peers with 403, API-key IP whitelists see the real peer "
    "address",
    "[integration][sandbox][faults][admin]") {
    const auto address = non_loopback_ipv4();
    if (!address) {
        WARN("no non-loopback IPv4 interface on this machine: nothing to connect from");
        return;
    }
    SandboxOptions options;
    options.host = *address;  // reachable over that interface only
    options.admin_interface = true;
    mexc::sandbox::ApiKey loopback_only{"loopbackOnlyKey01", "loopbackOnlySecret", 1};
    loopback_only.ip_whitelist = {"127.0.0.1"};
    options.keys.push_back(loopback_only);
    Fx f(options);
    auto http = f.client();
    auto refused = f.call(*http, post("/sandbox/admin/fault/clear"));
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body.find("loopback only") != std::string::npos);
    auto normal = f.call(*http, get("/api/v3/ping"));  // the API itself is served
    REQUIRE(normal);
    CHECK(normal->status == 200);
    // A key bound to 127.0.0.1, used from the interface address: 700006 (SPEC §5.3).
    std::string query = "timestamp=" + std::to_string(mexc::sandbox::now_ms());
    mexc::append_signature(query, mexc::HmacSigner("loopbackOnlySecret"));
    HttpRequest signed_get = get("/api/v3/kyc/status?" + query);
    signed_get.headers.emplace_back("X-MEXC-APIKEY", "loopbackOnlyKey01");
    auto whitelisted = f.call(*http, signed_get);
    REQUIRE(whitelisted);
    CHECK(whitelisted->status == 400);
    CHECK(whitelisted->body.find("700006") != std::string::npos);
    CHECK(whitelisted->body.find(*address) != std::string::npos);
}
