// One REST transport per exchange (src/rest/transport.hpp), over real sockets to the sandbox: the
// public and private clients share one connection pool and one server clock, each endpoint family
// has its own timeout and read-retry budget, and a configuration that cannot make a client is
// reported the same way by every client.

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

namespace asio = boost::asio;
using mexc::testing::run;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    Venue() { REQUIRE(sandbox.start()); }
    ~Venue() { sandbox.stop(); }

    mexc::Config config() const { return mexc::sandbox::client_config(sandbox); }
    std::uint64_t connections() const { return sandbox.stats().tcp_connections; }
    /// Requests the venue answered itself, as "METHOD /path" (query cut off).
    std::size_t seen(std::string_view method_and_path) const {
        const auto& log = sandbox.recent_requests();
        return static_cast<std::size_t>(std::count_if(log.begin(), log.end(), [&](const auto& r) {
            return std::string_view(r).substr(0, r.find('?')) == method_and_path;
        }));
    }

    template <class T>
    T operator()(asio::awaitable<T> task) {
        return run(ioc, std::move(task));
    }
};

}  // namespace

TEST_CASE("an exchange's public and private calls go over one connection pool",
          "[integration][rest][transport]") {
    Venue v;
    {
        mexc::MexcExchange exchange(v.ioc.get_executor(), v.config());
        REQUIRE(v(exchange.public_rest().ping()));
        REQUIRE(v(exchange.private_rest().account()));  // clock sync, then the signed call
        REQUIRE(v(exchange.public_rest().default_symbols()));
        REQUIRE(v(exchange.private_rest().open_orders("BTCUSDT")));
        CHECK(v.seen("GET /api/v3/account") == 1);
        CHECK(v.connections() == 1);  // sequential calls: one kept-alive connection for all
        v(exchange.close());
    }
    // Separate clients have separate pools: the count tells them apart.
    const auto before = v.connections();
    mexc::rest::PublicRest pub(v.ioc.get_executor(), v.config());
    mexc::rest::PrivateRest priv(v.ioc.get_executor(), v.config());
    REQUIRE(v(pub.ping()));
    REQUIRE(v(priv.account()));
    CHECK(v.connections() == before + 2);
}

TEST_CASE("the server clock is shared: a private call after the public client synced does not sync",
          "[integration][rest][transport]") {
    Venue v;
    v.sandbox.set_clock_offset(7s);  // the venue's clock ahead of ours
    mexc::MexcExchange exchange(v.ioc.get_executor(), v.config());
    REQUIRE(v(exchange.public_rest().time()));
    CHECK(v.seen("GET /api/v3/time") == 1);
    CHECK(exchange.private_rest().clock_offset() > 6s);  // the public round trip's sample
    REQUIRE(v(exchange.private_rest().account()));       // stamped 7 s ahead: accepted
    REQUIRE(v(exchange.private_rest().open_orders("BTCUSDT")));
    CHECK(v.seen("GET /api/v3/time") == 1);  // no sync of its own

    // A private client of its own syncs before its first signed call.
    mexc::rest::PrivateRest alone(v.ioc.get_executor(), v.config());
    REQUIRE(v(alone.account()));
    CHECK(v.seen("GET /api/v3/time") == 4);
    v(exchange.close());
}

TEST_CASE("T01 each endpoint family has its own timeout: orders time out first, market data waits",
          "[integration][rest][transport][timeout][T01]") {
    Venue v;
    auto c = v.config();
    c.timeouts.request = 10s;
    c.rest.orders = {300ms, 0};
    c.rest.market_data = {4s, 0};
    c.rest.account = {300ms, 0};
    mexc::MexcExchange exchange(v.ioc.get_executor(), std::move(c));
    REQUIRE(v(exchange.private_rest().sync_clock()));
    v.sandbox.faults().delay("GET /api/v3/openOrders", 1500ms);
    v.sandbox.faults().delay("GET /api/v3/ping", 1500ms);

    auto start = Clock::now();
    auto orders = v(exchange.private_rest().open_orders("BTCUSDT"));
    const auto orders_took = Clock::now() - start;
    REQUIRE_FALSE(orders);
    CHECK(orders.error().condition() == mexc::Condition::network);
    CHECK(orders.error().code() == mexc::Errc::timeout);
    CHECK(orders_took >= 300ms);
    CHECK(orders_took < 1500ms);

    start = Clock::now();
    CHECK(v(exchange.public_rest().ping()));  // answered 1.5 s late, inside its 4 s
    CHECK(Clock::now() - start >= 1500ms);

    // A command of the orders family: the timeout after the write leaves its outcome unknown.
    v.sandbox.faults().delay("POST /api/v3/order", 1500ms);
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.type = mexc::OrderType::limit;
    o.price = mexc::Price::parse("100.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.010000", 6).value();
    o.client_order_id = "family-timeout";
    start = Clock::now();
    auto placed = v(exchange.private_rest().new_order(o));
    REQUIRE_FALSE(placed);
    CHECK(placed.error().condition() == mexc::Condition::outcome_unknown);
    CHECK(Clock::now() - start < 1500ms);
    v.sandbox.faults().clear_rest_faults();
    v(exchange.close());
}

TEST_CASE("E12 each endpoint family has its own read-retry budget",
          "[integration][rest][transport][retry]") {
    Venue v;
    auto c = v.config();
    c.rest.orders.read_retries = 0;
    c.rest.market_data.read_retries = 3;
    mexc::MexcExchange exchange(v.ioc.get_executor(), std::move(c));
    REQUIRE(v(exchange.private_rest().sync_clock()));
    auto& faults = v.sandbox.faults();

    faults.respond_instead("GET /api/v3/openOrders", 503, "busy");
    auto orders = v(exchange.private_rest().open_orders("BTCUSDT"));
    REQUIRE_FALSE(orders);
    CHECK(orders.error().http_status() == 503);
    CHECK(faults.stats().rest_faults_applied == 1);  // not retried
    faults.clear_rest_faults();

    faults.respond_instead("GET /api/v3/ping", 503, "busy");
    auto ping = v(exchange.public_rest().ping());
    REQUIRE_FALSE(ping);
    CHECK(ping.error().http_status() == 503);
    CHECK(faults.stats().rest_faults_applied == 1 + 4);  // the first attempt and three retries
    faults.clear_rest_faults();
    v(exchange.close());
}

TEST_CASE(
    "a configuration that cannot make a client: every call of every client returns its "
    "error, the facade throws it",
    "[integration][rest][transport][errors]") {
    asio::io_context ioc{1};
    auto check_every_call = [&](const mexc::Config& c, mexc::Errc code) {
        // Constructors never throw.
        mexc::rest::PublicRest pub(ioc.get_executor(), c);
        mexc::rest::PrivateRest priv(ioc.get_executor(), c);
        const std::vector<mexc::Error> errors{
            run(ioc, pub.ping()).error(), run(ioc, pub.time()).error(),
            run(ioc, priv.sync_clock()).error(), run(ioc, priv.account()).error()};
        for (const auto& e : errors) {
            CHECK(e.condition() == mexc::Condition::rejected);
            CHECK(e.code() == code);
        }
        try {
            mexc::MexcExchange exchange(ioc.get_executor(), c.clone());
            FAIL("the facade accepted the configuration");
        } catch (const mexc::Exception& e) {
            CHECK(e.error().code() == code);
        }
    };
    mexc::Config bad_window;
    bad_window.rest_url = "http://127.0.0.1:9";  // nothing listens: a send would fail differently
    bad_window.recv_window = 70s;
    bad_window.credentials.emplace("key", mexc::SecretString("secret"));
    check_every_call(bad_window, mexc::Errc::config_invalid);

    mexc::Config missing_ca;
    missing_ca.rest_url = "https://127.0.0.1:9";
    missing_ca.ws_url = "wss://127.0.0.1:9/ws";
    missing_ca.tls.ca_file = "/nonexistent/ca.pem";
    missing_ca.credentials.emplace("key", mexc::SecretString("secret"));
    check_every_call(missing_ca, mexc::Errc::config_invalid);

    // Without credentials the signed calls answer auth; the public ones are unaffected.
    mexc::Config anonymous;
    anonymous.rest_url = "http://127.0.0.1:9";
    mexc::rest::PrivateRest priv(ioc.get_executor(), anonymous);
    auto account = run(ioc, priv.account());
    REQUIRE_FALSE(account);
    CHECK(account.error().condition() == mexc::Condition::auth);
}
