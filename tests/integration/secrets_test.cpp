// S06 S07 I6: a canary key and secret go through success and failure paths; nothing the library
// returns or prints may contain the secret, the full key, a signature or a signed query.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <sstream>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {

const std::string canary_key = "CanaryKeyZq7Wv3Xk9";
const std::string canary_secret = "CanarySecretQz81Hv62Lm0Px";

void require_clean(const std::string& text) {
    INFO(text);
    CHECK(text.find(canary_secret) == std::string::npos);
    CHECK(text.find(canary_key) == std::string::npos);
    CHECK(text.find("signature=") == std::string::npos);
    CHECK(text.find("timestamp=") == std::string::npos);  // no signed query string
}

}  // namespace

TEST_CASE(
    "S07 I6 no error, exception or printed credential carries the canary secret, key or a "
    "signature",
    "[integration][security]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.keys.push_back({canary_key, canary_secret, 1});
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    std::vector<std::string> outputs;

    auto session = [&](std::string secret) {
        mexc::Config c;
        c.rest_url = sandbox.rest_url();
        c.ws_url = sandbox.ws_url();
        c.timeouts.request = 300ms;
        c.credentials.emplace(canary_key, mexc::SecretString(std::move(secret)));
        std::ostringstream printed;
        printed << *c.credentials << ' ' << c.credentials->secret_key;
        outputs.push_back(printed.str());
        return c;
    };
    {
        mexc::MexcExchange good(ioc.get_executor(), session(canary_secret));
        mexc::OrderRequest o;
        o.symbol = "BTCUSDT";
        o.side = mexc::Side::buy;
        o.price = mexc::Price::parse("50000.00", 2).value();
        o.quantity = mexc::Quantity::parse("0.001000", 6).value();
        REQUIRE(run(ioc, good.place_order(o)));
        // Failure paths: venue rejection, injected 5xx, reset, timeout, rate limit, WAF page.
        o.quantity = mexc::Quantity::parse("1000.000000", 6).value();
        if (auto r = run(ioc, good.place_order(o)); !r) outputs.push_back(r.error().describe());
        o.quantity = mexc::Quantity::parse("0.001000", 6).value();
        sandbox.faults()
            .respond_after_apply("POST /api/v3/order", 503, R"({"code":503,"msg":"Unknown error"})")
            .times(1);
        if (auto r = run(ioc, good.place_order(o)); !r) outputs.push_back(r.error().describe());
        sandbox.faults().reset_after_apply("POST /api/v3/order").times(1);
        if (auto r = run(ioc, good.place_order(o)); !r) outputs.push_back(r.error().describe());
        sandbox.faults().timeout_after_apply("GET /api/v3/account").times(3);
        if (auto r = run(ioc, good.balances(true)); !r) outputs.push_back(r.error().describe());
        sandbox.faults()
            .respond_instead("GET /api/v3/openOrders", 403, "<html>denied</html>")
            .times(3);
        if (auto r = run(ioc, good.open_orders("BTCUSDT")); !r)
            outputs.push_back(r.error().describe());
        try {
            (void)run(ioc, good.cancel_order("BTCUSDT", mexc::rest::OrderRef::by_client_id("none")))
                .value();
        } catch (const mexc::Exception& e) {
            outputs.emplace_back(e.what());
        }
        run(ioc, good.close());
    }
    {
        mexc::MexcExchange bad(ioc.get_executor(), session("WrongSecretButAlsoCanaryish"));
        if (auto r = run(ioc, bad.balances()); !r) outputs.push_back(r.error().describe());
        run(ioc, bad.close());
    }
    sandbox.stop();
    CHECK(outputs.size() >= 9);
    for (const auto& text : outputs) require_clean(text);
}
