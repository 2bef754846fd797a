// The signed REST client against the sandbox exchange, which is the oracle (FAULTS §1.2).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {

struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::optional<mexc::rest::PrivateRest> rest;

    explicit Venue(std::string secret = mexc::sandbox::demo_api_key().secret) {
        REQUIRE(sandbox.start());
        rest.emplace(ioc.get_executor(),
                     mexc::sandbox::client_config(sandbox, mexc::sandbox::demo_api_key().key,
                                                  std::move(secret)));
    }
    ~Venue() { sandbox.stop(); }

    template <class T>
    T operator()(asio::awaitable<T> task) {
        return run(ioc, std::move(task));
    }
};

mexc::OrderRequest limit(std::string symbol, mexc::Side side, std::string price, std::string qty,
                         std::string client_id, mexc::SymbolScales s) {
    mexc::OrderRequest o;
    o.symbol = std::move(symbol);
    o.side = side;
    o.type = mexc::OrderType::limit;
    o.price = mexc::Price::parse(price, s.price).value();
    o.quantity = mexc::Quantity::parse(qty, s.quantity).value();
    o.client_order_id = std::move(client_id);
    return o;
}

const mexc::SymbolScales btc{2, 6};

}  // namespace

TEST_CASE("a resting limit order is placed, queried, listed and cancelled, funds lock and unlock",
          "[integration][rest][orders]") {
    Venue v;
    auto before = v(v.rest->account());
    REQUIRE(before);
    auto ack =
        v(v.rest->new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", "rest-1", btc)));
    REQUIRE(ack);
    CHECK(ack->symbol == "BTCUSDT");
    CHECK_FALSE(ack->order_id.empty());
    auto queried = v(v.rest->query_order("BTCUSDT", mexc::rest::OrderRef::by_client_id("rest-1")));
    REQUIRE(queried);
    CHECK(queried->order_id == ack->order_id);
    CHECK(queried->status == mexc::OrderStatus::new_order);
    CHECK(queried->price.to_string() == "50000.00");
    auto open = v(v.rest->open_orders("BTCUSDT"));
    REQUIRE(open);
    REQUIRE(open->size() == 1);
    auto locked = v(v.rest->account());
    REQUIRE(locked);
    auto usdt = [](const mexc::AccountInfo& a) {
        for (const auto& b : a.balances)
            if (b.asset == "USDT") return b;
        return mexc::AssetBalance{};
    };
    CHECK(usdt(*locked).locked.to_double() == Approx(500.0));  // 50000 × 0.01
    auto cancelled = v(v.rest->cancel_order("BTCUSDT", mexc::rest::OrderRef::by_id(ack->order_id)));
    REQUIRE(cancelled);
    CHECK(cancelled->status == mexc::OrderStatus::canceled);
    auto after = v(v.rest->account());
    REQUIRE(after);
    CHECK(usdt(*after).locked.to_double() == 0.0);
    CHECK(usdt(*after).free == usdt(*before).free);
    CHECK(v(v.rest->open_orders("BTCUSDT"))->empty());
}

TEST_CASE("a marketable order fills and its trades add up to the executed quantity",
          "[integration][rest][orders]") {
    Venue v;
    mexc::OrderRequest buy;
    buy.symbol = "BTCUSDT";
    buy.side = mexc::Side::buy;
    buy.type = mexc::OrderType::market;
    buy.quote_order_qty = mexc::Quantity::parse("100", 0).value();
    buy.client_order_id = "mkt-1";
    auto ack = v(v.rest->new_order(buy));
    REQUIRE(ack);
    auto order = v(v.rest->query_order("BTCUSDT", mexc::rest::OrderRef::by_id(ack->order_id)));
    REQUIRE(order);
    CHECK(mexc::is_final(order->status));
    auto trades = v(v.rest->my_trades("BTCUSDT", ack->order_id));
    REQUIRE(trades);
    REQUIRE_FALSE(trades->empty());
    double sum = 0;
    for (const auto& t : *trades) sum += t.qty.to_double();
    CHECK(sum == Approx(order->executed_qty.to_double()));
}

TEST_CASE("E07 E08 E10 venue rejections are typed, definitive and carry MEXC's code",
          "[integration][rest][errors][E07][E08]") {
    Venue v;
    auto unknown_symbol =
        v(v.rest->new_order(limit("NOPEUSDT", mexc::Side::buy, "1", "1", "", {2, 2})));
    REQUIRE_FALSE(unknown_symbol);
    CHECK(unknown_symbol.error().condition() == mexc::Condition::rejected);
    CHECK(unknown_symbol.error().code().value() == -1121);
    auto too_big =
        v(v.rest->new_order(limit("BTCUSDT", mexc::Side::buy, "80000", "1000.000000", "", btc)));
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error().condition() == mexc::Condition::rejected);
    auto cancel_unknown =
        v(v.rest->cancel_order("BTCUSDT", mexc::rest::OrderRef::by_client_id("never-placed")));
    REQUIRE_FALSE(cancel_unknown);
    CHECK(cancel_unknown.error().code().value() == -2011);
    auto query_unknown =
        v(v.rest->query_order("BTCUSDT", mexc::rest::OrderRef::by_client_id("never-placed")));
    REQUIRE_FALSE(query_unknown);
    CHECK(query_unknown.error().code().value() == -2013);
    CHECK(query_unknown.error().http_status() == 400);
}

TEST_CASE("E01 a wrong secret is an auth error with 700002, never retried",
          "[integration][rest][errors]") {
    Venue v("not-the-secret");
    const auto before = v.sandbox.stats().http_requests;
    auto r = v(v.rest->account());
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::auth);
    CHECK(r.error().code().value() == 700002);
    CHECK(v.sandbox.stats().http_requests - before <= 4);  // clock samples + one attempt
}

TEST_CASE(
    "E02 T03 a clock that drifted is resynced and the order re-signed once, exactly one order "
    "exists",
    "[integration][rest][clock]") {
    Venue v;
    REQUIRE(v(v.rest->sync_clock()));
    v.sandbox.set_clock_offset(20s);  // the venue's clock jumps ahead: our stamps are now too old
    auto ack = v(
        v.rest->new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", "clock-1", btc)));
    REQUIRE(ack);
    CHECK(v.rest->clock_offset() > 19s);
    auto open = v(v.rest->open_orders("BTCUSDT"));
    REQUIRE(open);
    CHECK(open->size() == 1);  // the 700003 attempt was never executed (I8)
}

TEST_CASE("a client order id longer than an OrderId holds is refused before sending, never cut",
          "[integration][rest][orders]") {
    Venue v;
    const std::string id64(64, 'c');
    auto ack =
        v(v.rest->new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", id64, btc)));
    REQUIRE_FALSE(ack);
    CHECK(ack.error().condition() == mexc::Condition::rejected);
    CHECK(ack.error().code() == mexc::Errc::invalid_argument);
    CHECK(v.sandbox.engine().open_orders(1, "").empty());
    // The longest id the venue accepts (32 characters) travels whole, out and back.
    const std::string id32 = "abcdefghijklmnopqrstuvwxyz_-0123";
    auto fits =
        v(v.rest->new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", id32, btc)));
    REQUIRE(fits);
    CHECK(fits->client_order_id == id32);
    auto by_client = v(v.rest->query_order("BTCUSDT", mexc::rest::OrderRef::by_client_id(id32)));
    REQUIRE(by_client);
    CHECK(by_client->order_id == fits->order_id);
}

TEST_CASE("E03 recvWindow above 60000 is refused locally, before anything is sent",
          "[integration][rest][errors][E03][S11]") {
    asio::io_context ioc{1};
    mexc::Config c;
    c.rest_url = "http://127.0.0.1:9";  // nothing listens: a send would fail differently
    c.recv_window = 70s;
    c.credentials.emplace("key", mexc::SecretString("secret"));
    mexc::rest::PrivateRest rest(ioc.get_executor(), c);
    auto r = run(ioc, rest.account());
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::rejected);
    CHECK(r.error().code() == mexc::Errc::config_invalid);
}

TEST_CASE("E14 a batch answers per order: one accepted, one refused by the venue",
          "[integration][rest][orders][E14]") {
    Venue v;
    std::vector<mexc::OrderRequest> batch{
        limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", "batch-ok", btc),
        limit("BTCUSDT", mexc::Side::buy, "50000", "0.000001", "batch-small", btc)};
    auto r = v(v.rest->batch_orders(batch));
    REQUIRE(r);
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].client_order_id == "batch-ok");
    REQUIRE((*r)[0].ack);
    CHECK_FALSE((*r)[0].error);
    CHECK((*r)[1].client_order_id == "batch-small");
    REQUIRE((*r)[1].error);
    CHECK((*r)[1].error->condition() == mexc::Condition::rejected);
    CHECK((*r)[1].error->code().value() == 30002);  // below the minimum notional
    CHECK(v.sandbox.engine().open_orders(1, "BTCUSDT").size() == 1);
}

TEST_CASE(
    "N07 an order that waited for the order rate is not written into a connection the venue closed "
    "meanwhile",
    "[integration][rest][orders]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.rest_idle_timeout = 150ms;  // the venue drops idle connections quickly
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), std::move(options));
    REQUIRE(sandbox.start());
    auto c = mexc::sandbox::client_config(sandbox);
    c.rate_limits.orders_per_second = 1;  // the second order waits about a second for admission
    mexc::rest::PrivateRest rest(ioc.get_executor(), c);
    REQUIRE(run(ioc, rest.sync_clock()));
    auto first = run(
        ioc, rest.new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", "rate-1", btc)));
    REQUIRE(first);
    // Taken from the pool while still open, then held by admission past the venue's idle close.
    auto second = run(
        ioc, rest.new_order(limit("BTCUSDT", mexc::Side::buy, "50000", "0.010000", "rate-2", btc)));
    REQUIRE(second);
    CHECK(second->client_order_id == "rate-2");
    CHECK(sandbox.engine().open_orders(1, "BTCUSDT").size() == 2);
    sandbox.stop();
}
