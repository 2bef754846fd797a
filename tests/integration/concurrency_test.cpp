// C08 / G12: many concurrent coroutines issuing mixed REST calls through one exchange: every answer
// belongs to its request, and the budget keeps the sandbox from ever answering 429.

#include "fault_proxy.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/public_rest.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

TEST_CASE("C08 G12 500 concurrent mixed calls: each answer matches its request, zero 429s",
          "[integration][rest][concurrency]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.rate_limits.window =
        1000ms;  // a short window keeps the test quick; the rule is the same
    options.rate_limits.ip_weight_per_window = 200;
    options.rate_limits.uid_weight_per_window = 200;
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::Config c;
    c.rest_url = sandbox.rest_url();
    c.ws_url = sandbox.ws_url();
    c.rate_limits.window = 1000ms;
    c.rate_limits.ip_weight = 180;
    c.rate_limits.uid_weight = 180;
    const auto demo = mexc::sandbox::demo_api_key();
    c.credentials.emplace(demo.key, mexc::SecretString(demo.secret));
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(c));

    // Twenty resting orders, each with its own client id.
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i) {
        mexc::OrderRequest o;
        o.symbol = "BTCUSDT";
        o.side = mexc::Side::buy;
        o.price = mexc::Price::parse(std::to_string(50000 + i) + ".00", 2).value();
        o.quantity = mexc::Quantity::parse("0.001000", 6).value();
        o.client_order_id = "c08-" + std::to_string(i);
        REQUIRE(run(ioc, exchange.place_order(o)));
        ids.push_back(o.client_order_id);
    }

    struct Tally {
        int done = 0, matched = 0, failures = 0;
    } tally;
    for (int i = 0; i < 500; ++i) {
        asio::co_spawn(
            ioc,
            [](mexc::MexcExchange& ex, int n, std::string id, Tally& t) -> asio::awaitable<void> {
                switch (n % 3) {
                    case 0: {  // the answer names the order asked for
                        auto r =
                            co_await ex.order("BTCUSDT", mexc::rest::OrderRef::by_client_id(id));
                        if (r && r->client_order_id == id)
                            ++t.matched;
                        else
                            ++t.failures;
                        break;
                    }
                    case 1: {
                        auto r = co_await ex.open_orders("BTCUSDT");
                        if (r && r->size() == 20)
                            ++t.matched;
                        else
                            ++t.failures;
                        break;
                    }
                    default: {
                        auto r = co_await ex.public_rest().time();
                        if (r && *r > 0)
                            ++t.matched;
                        else
                            ++t.failures;
                    }
                }
                ++t.done;
            }(exchange, i, ids[static_cast<std::size_t>(i) % ids.size()], tally),
            asio::detached);
    }
    mexc::testing::run_until(
        ioc, [&] { return tally.done == 500; }, 60s);
    CHECK(tally.matched == 500);
    CHECK(tally.failures == 0);
    CHECK(sandbox.rate_limited() == 0);
    CHECK(exchange.rate_limiter().remaining(mexc::RateScope::uid,
                                            mexc::RateLimiter::Clock::now()) <= 180);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("G12 E04 delays between admission and arrival never push the venue over the budget",
          "[integration][rest][concurrency]") {
    // The client spends its whole budget, with no margin, through a link whose delay varies by
    // up to 800 ms a chunk: requests admitted over more than a window arrive inside one. The
    // venue counts them on arrival, and still never sees more than the budget (no 429, no 418).
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.rate_limits.window = 1000ms;
    options.rate_limits.ip_weight_per_window = 20;
    options.rate_limits.violations_before_ban = 1000;  // count every 429 rather than stall on 418
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    mexc::sandbox::FaultProxy link(ioc.get_executor(), "127.0.0.1", sandbox.port());
    REQUIRE(link.start());
    link.set_latency(5ms, 800ms);
    mexc::Config c;
    c.rest_url = link.url();
    c.ws_url = sandbox.ws_url();
    c.rate_limits.window = 1000ms;
    c.rate_limits.ip_weight = 20;  // exactly the venue's
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(c));

    int done = 0, answered = 0;
    for (int i = 0; i < 60; ++i) {
        asio::co_spawn(
            ioc,
            [](mexc::MexcExchange& ex, int& d, int& ok) -> asio::awaitable<void> {
                if (auto r = co_await ex.public_rest().time(); r && *r > 0) ++ok;
                ++d;
            }(exchange, done, answered),
            asio::detached);
    }
    mexc::testing::run_until(
        ioc, [&] { return done == 60; }, 60s);
    CHECK(done == 60);
    CHECK(answered == 60);
    CHECK(sandbox.rate_limited() == 0);
    CHECK(link.stats().connections > 1);  // the calls really went out side by side
    run(ioc, exchange.close());
    link.stop();
    sandbox.stop();
}
