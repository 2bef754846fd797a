// The order-outcome taxonomy of FAULTS §1.2 with the sandbox as oracle: after a lost or garbled
// acknowledgement the client reports outcome_unknown, never resends, and resolves the order by
// the client id it chose; the sandbox ends with exactly one order (I8, G11).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {

struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::optional<mexc::MexcExchange> exchange;
    Venue() {
        REQUIRE(sandbox.start());
        auto c = mexc::sandbox::client_config(sandbox);
        c.timeouts.request = 400ms;  // T01: a held answer becomes a timeout quickly
        exchange.emplace(ioc.get_executor(), std::move(c));
        REQUIRE(run(ioc, exchange->rules("BTCUSDT")));  // exchangeInfo fetched before faults apply
        REQUIRE(run(ioc, exchange->private_rest().sync_clock()));
    }
    ~Venue() {
        run(ioc, exchange->close());
        sandbox.stop();
    }
    std::size_t venue_orders() { return sandbox.engine().open_orders(1, "BTCUSDT").size(); }

    // Places a resting buy and, when its outcome is unknown, resolves it by client id.
    void expect_unknown_then_resolved(const mexc::Error& e, const std::string& client_id) {
        CHECK(e.condition() == mexc::Condition::outcome_unknown);
        CHECK(venue_orders() == 1);  // the venue did place it
        sandbox.faults().clear_rest_faults();
        auto resolved =
            run(ioc, exchange->order("BTCUSDT", mexc::rest::OrderRef::by_client_id(client_id)));
        REQUIRE(resolved);
        CHECK(resolved->status == mexc::OrderStatus::new_order);
        CHECK(venue_orders() == 1);  // nothing was resent (I8)
    }
};

mexc::OrderRequest resting_buy(std::string client_id) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.price = mexc::Price::parse("50000.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    o.client_order_id = std::move(client_id);
    return o;
}

}  // namespace

TEST_CASE("E12 a 503 after the venue accepted the order is outcome_unknown, resolved by client id",
          "[integration][orders][outcome]") {
    Venue v;
    v.sandbox.faults().respond_after_apply(
        "POST /api/v3/order", 503,
        R"({"code":503,"msg":"Unknown error, please check your request or try again later."})");
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("e12-503")));
    REQUIRE_FALSE(r);
    CHECK(r.error().http_status() == 503);
    v.expect_unknown_then_resolved(r.error(), "e12-503");
}

TEST_CASE("E12 a maintenance 500 after apply is outcome_unknown",
          "[integration][orders][outcome]") {
    Venue v;
    v.sandbox.faults().respond_after_apply(
        "POST /api/v3/order", 500,
        R"({"code":500,"message":"Under maintenance, please try again later","announcement":"https://www.mexc.com/support"})");
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("e12-500")));
    REQUIRE_FALSE(r);
    v.expect_unknown_then_resolved(r.error(), "e12-500");
}

TEST_CASE("N07 T01 a timeout after POST /api/v3/order was written is outcome_unknown",
          "[integration][orders][outcome][N07][T01]") {
    Venue v;
    v.sandbox.faults().timeout_after_apply("POST /api/v3/order");
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("n07-timeout")));
    REQUIRE_FALSE(r);
    v.expect_unknown_then_resolved(r.error(), "n07-timeout");
}

TEST_CASE("N07 a reset after POST /api/v3/order was written is outcome_unknown",
          "[integration][orders][outcome][N07]") {
    Venue v;
    v.sandbox.faults().reset_after_apply("POST /api/v3/order");
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("n07-reset")));
    REQUIRE_FALSE(r);
    v.expect_unknown_then_resolved(r.error(), "n07-reset");
}

TEST_CASE("N10 P15 a truncated answer to an order is outcome_unknown, never a short success",
          "[integration][orders][outcome][N10][P15]") {
    Venue v;
    v.sandbox.faults().truncate_after_apply("POST /api/v3/order", 60);
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("n10-cut")));
    REQUIRE_FALSE(r);
    v.expect_unknown_then_resolved(r.error(), "n10-cut");
}

TEST_CASE("P15 a wrong Content-Length on an order answer is outcome_unknown",
          "[integration][orders][outcome][P15]") {
    Venue v;
    v.sandbox.faults().wrong_content_length("POST /api/v3/order");
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("p15-length")));
    REQUIRE_FALSE(r);
    v.expect_unknown_then_resolved(r.error(), "p15-length");
}

TEST_CASE("E04 a 429 on an order is rate_limited with Retry-After, and nothing was placed",
          "[integration][orders][outcome]") {
    Venue v;
    v.sandbox.faults().respond_instead("POST /api/v3/order", 429,
                                       R"({"code":429,"msg":"Too Many Requests"})",
                                       {{"Retry-After", "3"}});
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("e04")));
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::rate_limited);
    CHECK(r.error().retry_after() == 3s);
    CHECK(v.venue_orders() == 0);
}

TEST_CASE(
    "P19 S10 a redirect is never followed: the key and signed query stay with the configured host",
    "[integration][orders][outcome][P19][S10]") {
    Venue v;
    v.sandbox.faults().respond_instead("POST /api/v3/order", 302, "",
                                       {{"Location", "http://127.0.0.1:9/api/v3/order"}});
    auto r = run(v.ioc, v.exchange->place_order(resting_buy("p19")));
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == mexc::Errc::redirect_refused);
    CHECK(v.venue_orders() == 0);
}

TEST_CASE("P14 E13 a WAF HTML page is a typed error with a sanitised snippet",
          "[integration][orders][outcome][E13]") {
    Venue v;
    v.sandbox.faults().respond_instead(
        "GET /api/v3/openOrders", 403,
        "<html>\n<head><title>403 Forbidden</title></head>\n<body>Access Denied</body></html>",
        {{"Content-Type", "text/html"}});
    auto r = run(v.ioc, v.exchange->open_orders("BTCUSDT"));
    REQUIRE_FALSE(r);
    CHECK(r.error().http_status() == 403);
    CHECK(r.error().code() == mexc::Errc::waf_blocked);
    CHECK(r.error().condition() == mexc::Condition::network);  // distinct from auth: back off
    CHECK(r.error().venue_message().find('\n') == std::string_view::npos);  // S08
    CHECK(r.error().venue_message().find("403 Forbidden") != std::string_view::npos);
}

TEST_CASE("E12 a 5xx on a read is retried and succeeds", "[integration][orders][outcome]") {
    Venue v;
    v.sandbox.faults()
        .respond_instead("GET /api/v3/openOrders", 503, R"({"code":503,"msg":"busy"})")
        .times(1);
    auto r = run(v.ioc, v.exchange->open_orders("BTCUSDT"));
    REQUIRE(r);
}
