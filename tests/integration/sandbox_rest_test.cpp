// The sandbox's REST API driven with raw signed HTTP requests, not through the library's client:
// signature checks byte for byte (SPEC §2, §11.1–§11.2), each authentication error class
// (SPEC §2.4, §5.4), rate limits (SPEC §6.1), listen keys (SPEC §3.3, §9) and market data shapes.

#include "net/http_client.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/sign/hmac_signer.hpp"
#include "sign/query.hpp"

#include <simdjson.h>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t spec_timestamp = 1644489390087;  // SPEC §11.1
const std::string doc_key = "mx0aBYs33eIilxBWC5";       // the documentation's demo credentials
const std::string doc_secret = "45d0b3c26f2644f19bfb98b07741b2f5";

std::int64_t host_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct RestSandbox {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;
    mexc::net::HttpClient http;

    explicit RestSandbox(mexc::sandbox::SandboxOptions options = with_doc_key())
        : sandbox(ioc.get_executor(), std::move(options)),
          http(ioc.get_executor(), start_and_url(sandbox), nullptr, {}) {}
    ~RestSandbox() { sandbox.stop(); }

    static mexc::sandbox::SandboxOptions with_doc_key() {
        mexc::sandbox::SandboxOptions o;
        mexc::sandbox::ApiKey k;
        k.key = doc_key;
        k.secret = doc_secret;
        k.account = 7;
        o.keys.push_back(k);
        return o;
    }
    static mexc::net::Url start_and_url(mexc::sandbox::Sandbox& s) {
        REQUIRE(s.start());
        return mexc::net::parse_url(s.rest_url()).value();
    }

    mexc::net::HttpResponse send(std::string method, std::string target, std::string body = {},
                                 std::string key = doc_key) {
        mexc::net::HttpRequest req;
        req.method = method == "GET"    ? mexc::net::HttpMethod::get
                     : method == "POST" ? mexc::net::HttpMethod::post
                     : method == "PUT"  ? mexc::net::HttpMethod::put
                                        : mexc::net::HttpMethod::del;
        req.target = std::move(target);
        req.body = std::move(body);
        if (!key.empty()) req.headers.emplace_back("X-MEXC-APIKEY", key);
        auto r = run(ioc, http.request(std::move(req)));
        REQUIRE(r);
        return *r;
    }
    // A request signed now with the doc secret; `params` without timestamp and signature.
    mexc::net::HttpResponse signed_request(std::string method, std::string path, std::string params,
                                           std::string secret = doc_secret,
                                           std::string key = doc_key) {
        std::string query = std::move(params);
        mexc::append_param(query, "timestamp", std::to_string(host_now()));
        mexc::append_signature(query, mexc::HmacSigner(secret));
        return send(std::move(method), path + "?" + query, {}, std::move(key));
    }
};

std::int64_t code_of(const mexc::net::HttpResponse& r) {
    simdjson::ondemand::parser parser;
    simdjson::padded_string body(r.body);
    std::int64_t code = 0;
    auto doc = parser.iterate(body);
    if (doc["code"].get_int64().get(code)) return -999999;
    return code;
}

bool valid_json(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    return !parser.parse(text).get(e);
}

}  // namespace

TEST_CASE(
    "S09 the SPEC §11.1 signed request is accepted as sent, in the query and split with the body",
    "[integration][sandbox][rest][auth][S09]") {
    RestSandbox s;
    s.sandbox.set_clock_offset(std::chrono::milliseconds(spec_timestamp - host_now() + 100));
    const std::string all_in_query =
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
        "1644489390087"
        "&signature=fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a";
    CHECK(s.send("GET", "/api/v3/kyc/status?" + all_in_query).status == 200);
    // Mixed: totalParams = query + body with no '&' at the join (SPEC §2.1, §11.1 case 3).
    auto mixed =
        s.send("POST", "/api/v3/userDataStream?symbol=BTCUSDT&side=BUY&type=LIMIT",
               "quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
               "&signature=d1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592");
    CHECK(mixed.status == 200);
    CHECK(mixed.body.find("listenKey") != std::string::npos);
    // Non-ASCII symbol and a space, percent-encoded with upper-case hex (SPEC §11.2).
    CHECK(
        s.send(
             "GET",
             "/api/v3/kyc/"
             "status?symbol=%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT&side=BUY&type=LIMIT&quantity=1"
             "&price=0.5&newClientOrderId=a%20b&timestamp=1644489390087"
             "&signature=abc09765619dc74daf8191c454025391178f75ef6287cf2a345018a8d29d6384")
            .status == 200);
}

TEST_CASE("S09 any mutation of a signed request is rejected with 700002",
          "[integration][sandbox][rest][auth][S09]") {
    RestSandbox s;
    s.sandbox.set_clock_offset(std::chrono::milliseconds(spec_timestamp - host_now() + 100));
    const std::string params =
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
        "1644489390087";
    const std::string signature =
        "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a";
    // Every single-character change of the parameters (that keeps the request well-formed).
    int rejected = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i] == '&' || params[i] == '=' || params.compare(i > 9 ? i - 9 : 0, 0, "") != 0)
            continue;
        std::string mutated = params;
        mutated[i] = params[i] == 'X' ? 'Y' : 'X';
        if (mutated.find("timestamp=") == std::string::npos ||
            mutated.find("recvWindow=") == std::string::npos)
            continue;
        const auto ts = mutated.substr(mutated.find("timestamp=") + 10);
        const auto rw = mutated.substr(mutated.find("recvWindow=") + 11, 4);
        if (ts != "1644489390087" || rw != "5000")
            continue;  // those fail earlier checks, tested below
        auto r = s.send("GET", "/api/v3/kyc/status?" + mutated + "&signature=" + signature);
        CHECK(r.status == 400);
        CHECK(code_of(r) == 700002);
        ++rejected;
    }
    CHECK(rejected > 40);
    // Upper-case hex is not the same signature (SPEC §2.1).
    std::string upper = signature;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(code_of(s.send("GET", "/api/v3/kyc/status?" + params + "&signature=" + upper)) == 700002);
    // A signature from another secret.
    std::string other = params;
    mexc::append_signature(other, mexc::HmacSigner("another-secret"));
    CHECK(code_of(s.send("GET", "/api/v3/kyc/status?" + other)) == 700002);
}

TEST_CASE("E01 authentication failures carry MEXC's codes", "[integration][sandbox][rest][auth]") {
    mexc::sandbox::SandboxOptions o = RestSandbox::with_doc_key();
    mexc::sandbox::ApiKey read_only{"readOnlyKey0001", "readOnlySecret", 8, {"SPOT_DEAL_READ"}, {}};
    mexc::sandbox::ApiKey whitelisted{
        "whitelistedKey01", "whitelistedSecret", 9, {"SPOT_ACCOUNT_READ"}, {"10.1.2.3"}};
    o.keys.push_back(read_only);
    o.keys.push_back(whitelisted);
    RestSandbox s(std::move(o));
    CHECK(code_of(s.send("GET", "/api/v3/kyc/status?timestamp=1", {}, "")) ==
          400);  // api key required
    CHECK(code_of(s.signed_request("GET", "/api/v3/kyc/status", "", doc_secret, "unknownKey000")) ==
          10072);
    CHECK(code_of(s.signed_request("GET", "/api/v3/kyc/status", "", doc_secret, "bad key!")) ==
          700001);
    CHECK(code_of(s.send("GET", "/api/v3/kyc/status?timestamp=" + std::to_string(host_now()))) ==
          700004);
    CHECK(code_of(s.signed_request("GET", "/api/v3/kyc/status", "", "readOnlySecret",
                                   "readOnlyKey0001")) == 700007);
    CHECK(code_of(s.signed_request("GET", "/api/v3/kyc/status", "", "whitelistedSecret",
                                   "whitelistedKey01")) == 700006);
    CHECK(s.signed_request("GET", "/api/v3/kyc/status", "").status == 200);
}

TEST_CASE("E02 E03 T03 timestamps outside the window and oversized recvWindow are rejected",
          "[integration][sandbox][rest][auth][S11]") {
    RestSandbox s;
    auto at = [&](std::int64_t timestamp, std::string recv_window) {
        std::string q;
        if (!recv_window.empty()) mexc::append_param(q, "recvWindow", recv_window);
        mexc::append_param(q, "timestamp", std::to_string(timestamp));
        mexc::append_signature(q, mexc::HmacSigner(doc_secret));
        return code_of(s.send("GET", "/api/v3/kyc/status?" + q));
    };
    const auto now = host_now();
    CHECK(at(now - 6000, "") == 700003);       // older than the default 5000 ms window
    CHECK(at(now - 6000, "10000") != 700003);  // inside a wider window
    CHECK(at(now + 1500, "") == 700003);       // more than 1 s ahead of the server (SPEC §1.5)
    CHECK(at(now, "60001") == 700005);
    s.sandbox.set_clock_offset(-70s);  // the server's clock behind the client's
    CHECK(at(now, "") == 700003);
}

TEST_CASE("E04 E05 over-budget requests get 429 with Retry-After, then a 418 ban",
          "[integration][sandbox][rest][rate]") {
    mexc::sandbox::SandboxOptions o = RestSandbox::with_doc_key();
    o.rate_limits.ip_weight_per_window = 5;
    o.rate_limits.window = 60s;
    o.rate_limits.violations_before_ban = 3;
    RestSandbox s(std::move(o));
    for (int i = 0; i < 5; ++i) CHECK(s.send("GET", "/api/v3/ping").status == 200);
    auto limited = s.send("GET", "/api/v3/ping");
    CHECK(limited.status == 429);
    CHECK(limited.retry_after.count() > 0);
    CHECK(code_of(limited) == 429);
    CHECK(s.send("GET", "/api/v3/ping").status == 429);
    auto banned = s.send("GET", "/api/v3/ping");
    CHECK(banned.status == 418);
    CHECK(banned.retry_after >= 120s);
    CHECK(s.send("GET", "/api/v3/time").status == 418);  // the whole IP scope is banned
}

TEST_CASE("E15 listen keys: create, list, keep alive, delete, the 60-key cap and expiry",
          "[integration][sandbox][rest][listenkey]") {
    RestSandbox s;
    auto created = s.signed_request("POST", "/api/v3/userDataStream", "");
    REQUIRE(created.status == 200);
    const auto key = created.body.substr(created.body.find(":\"") + 2, 64);
    CHECK(key.size() == 64);
    CHECK(s.sandbox.listen_key_valid(key));
    CHECK(s.signed_request("GET", "/api/v3/userDataStream", "").body.find(key) !=
          std::string::npos);
    CHECK(s.signed_request("PUT", "/api/v3/userDataStream", "listenKey=" + key).body ==
          R"({"listenKey":")" + key + R"("})");
    CHECK(s.signed_request("DELETE", "/api/v3/userDataStream", "listenKey=" + key).status == 200);
    CHECK_FALSE(s.sandbox.listen_key_valid(key));
    auto again = s.signed_request("PUT", "/api/v3/userDataStream", "listenKey=" + key);
    CHECK(again.status == 400);
    CHECK(again.body.find("\"code\"") !=
          std::string::npos);  // an error body, not a listenKey (SPEC §9)
    for (int i = 0; i < 60; ++i)
        REQUIRE(s.signed_request("POST", "/api/v3/userDataStream", "").status == 200);
    CHECK(s.signed_request("POST", "/api/v3/userDataStream", "").status ==
          400);  // ≤ 60 per account
}

TEST_CASE("E15 T09 an expired listen key is gone", "[integration][sandbox][rest][listenkey]") {
    RestSandbox s;
    s.sandbox.set_listen_key_validity(50ms);
    auto created = s.signed_request("POST", "/api/v3/userDataStream", "");
    const auto key = created.body.substr(created.body.find(":\"") + 2, 64);
    const auto deadline = std::chrono::steady_clock::now() + 100ms;
    mexc::testing::run_until(s.ioc, [&] { return std::chrono::steady_clock::now() > deadline; });
    CHECK_FALSE(s.sandbox.listen_key_valid(key));
    CHECK(s.signed_request("PUT", "/api/v3/userDataStream", "listenKey=" + key).status == 400);
}

TEST_CASE("sandbox market data endpoints answer MEXC's shapes", "[integration][sandbox][rest]") {
    RestSandbox s;
    const auto& btc = *s.sandbox.market().find("BTCUSDT");
    mexc::testing::run_until(s.ioc, [&] { return btc.trades().size() > 20; });
    struct Case {
        std::string target;
        std::string must_contain;
    };
    const Case cases[] = {
        {"/api/v3/trades?symbol=BTCUSDT&limit=5", R"("isBestMatch":true)"},
        {"/api/v3/aggTrades?symbol=BTCUSDT&limit=5", R"("a":null)"},
        {"/api/v3/klines?symbol=BTCUSDT&interval=1m", "[["},
        {"/api/v3/avgPrice?symbol=BTCUSDT", R"("mins":5)"},
        {"/api/v3/ticker/24hr?symbol=BTCUSDT", R"("priceChangePercent")"},
        {"/api/v3/ticker/24hr", R"("symbol":"MXUSDT")"},
        {"/api/v3/ticker/price?symbol=ETHUSDT", R"("symbol":"ETHUSDT","price")"},
        {"/api/v3/ticker/bookTicker?symbol=BTCUSDT", R"("bidPrice")"},
        {"/api/v3/defaultSymbols", R"("code":0,"data":["BTCUSDT")"},
        {"/api/v3/symbol/offline", R"("data":[])"},
    };
    for (const auto& c : cases) {
        auto r = s.send("GET", c.target, {}, "");
        INFO(c.target << " → " << r.body.substr(0, 200));
        CHECK(r.status == 200);
        CHECK(valid_json(r.body));
        CHECK(r.body.find(c.must_contain) != std::string::npos);
    }
    CHECK(code_of(s.send("GET", "/api/v3/aggTrades?symbol=BTCUSDT&startTime=1", {}, "")) == -1128);
    CHECK(code_of(s.send("GET", "/api/v3/klines?symbol=BTCUSDT&interval=7m", {}, "")) == 33333);
    CHECK(code_of(s.send("GET", "/api/v3/trades", {}, "")) == 700004);
    CHECK(s.send("GET", "/api/v3/nope", {}, "").status == 404);
}
