// MexcExchange's trading methods against the sandbox (the oracle).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>

namespace asio = boost::asio;
using mexc::testing::run;

namespace {

struct Session {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;
    std::optional<mexc::MexcExchange> exchange;
    explicit Session(mexc::sandbox::SandboxOptions options = {})
        : sandbox(ioc.get_executor(), std::move(options)) {
        REQUIRE(sandbox.start());
        exchange.emplace(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    }
    ~Session() {
        run(ioc, exchange->close());
        sandbox.stop();
    }
};

mexc::OrderRequest limit_buy(std::string price, std::string qty) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.price = mexc::Price::parse(price, 2).value();
    o.quantity = mexc::Quantity::parse(qty, 6).value();
    return o;
}

}  // namespace

TEST_CASE("place_order gives every order a client id, and the venue holds it under that id",
          "[integration][exchange][orders]") {
    Session s;
    auto a = run(s.ioc, s.exchange->place_order(limit_buy("50000.00", "0.001000")));
    auto b = run(s.ioc, s.exchange->place_order(limit_buy("50001.00", "0.001000")));
    REQUIRE(a);
    REQUIRE(b);
    CHECK_FALSE(a->client_order_id.empty());
    CHECK(a->client_order_id.size() <= 32);
    CHECK(a->client_order_id != b->client_order_id);
    auto found = run(s.ioc, s.exchange->order(
                                "BTCUSDT", mexc::rest::OrderRef::by_client_id(a->client_order_id)));
    REQUIRE(found);
    CHECK(found->order_id == a->order_id);
    auto open = run(s.ioc, s.exchange->open_orders("BTCUSDT"));
    REQUIRE(open);
    CHECK(open->size() == 2);
    auto cancelled = run(s.ioc, s.exchange->cancel_all("BTCUSDT"));
    REQUIRE(cancelled);
    CHECK(cancelled->size() == 2);
    CHECK(s.sandbox.engine().open_orders(1, "BTCUSDT").empty());  // the oracle agrees
}

TEST_CASE("place_order refuses a rule violation locally: nothing reaches the venue",
          "[integration][exchange][orders][E09]") {
    Session s;
    REQUIRE(run(s.ioc, s.exchange->rules("BTCUSDT")));  // rules cached first
    const auto requests = s.sandbox.stats().http_requests;
    auto fine = run(
        s.ioc, s.exchange->place_order(limit_buy("50000.00", "0.000001")));  // 0.05 USDT < 1 USDT
    REQUIRE_FALSE(fine);
    CHECK(fine.error().condition() == mexc::Condition::rejected);
    CHECK(fine.error().code() == mexc::Errc::filter_violation);
    CHECK(s.sandbox.stats().http_requests == requests);
    auto unknown = run(s.ioc, s.exchange->place_order([] {
        auto o = limit_buy("1.00", "1.000000");
        o.symbol = "NOPEUSDT";
        return o;
    }()));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().condition() == mexc::Condition::rejected);
}

TEST_CASE(
    "place_order refuses a symbol the key may not trade through the API (selfSymbols), the venue "
    "agrees",
    "[integration][exchange][orders][E08]") {
    mexc::sandbox::SandboxOptions o;
    o.keys.front().symbols = {"ETHUSDT"};  // this key trades ETHUSDT only
    Session s(std::move(o));
    auto refused = run(s.ioc, s.exchange->place_order(limit_buy("50000.00", "0.001000")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == mexc::Condition::rejected);
    CHECK(refused.error().code() == mexc::Errc::symbol_not_tradable);
    for (const auto& r : s.sandbox.recent_requests())
        CHECK(r.rfind("POST /api/v3/order", 0) != 0);  // nothing sent
    // The venue's own answer, had it been sent: 10007 (SPEC §5.3).
    auto direct =
        run(s.ioc, s.exchange->private_rest().new_order(limit_buy("50000.00", "0.001000")));
    REQUIRE_FALSE(direct);
    CHECK(direct.error().code().value() == 10007);
    // A symbol on the key's list goes through.
    mexc::OrderRequest eth;
    eth.symbol = "ETHUSDT";
    eth.side = mexc::Side::buy;
    eth.price = mexc::Price::parse("3000.00", 2).value();
    eth.quantity = mexc::Quantity::parse("0.01000", 5).value();
    auto placed = run(s.ioc, s.exchange->place_order(std::move(eth)));
    CHECK(placed);
}

TEST_CASE(
    "a trade-only key (no SPOT_ACCOUNT_READ for selfSymbols) still places orders: defaultSymbols "
    "decide",
    "[integration][exchange][orders]") {
    mexc::sandbox::SandboxOptions o;
    o.keys.front().permissions = {"SPOT_DEAL_READ", "SPOT_DEAL_WRITE"};
    Session s(std::move(o));
    auto placed = run(s.ioc, s.exchange->place_order(limit_buy("50000.00", "0.001000")));
    CHECK(placed);
    auto unknown = run(s.ioc, s.exchange->place_order([] {
        auto order = limit_buy("1.00", "1.000000");
        order.symbol = "NOPEUSDT";
        return order;
    }()));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().condition() == mexc::Condition::rejected);
}

TEST_CASE("balances are cached for the TTL and fresh on demand",
          "[integration][exchange][balances]") {
    Session s;
    auto first = run(s.ioc, s.exchange->balances());
    REQUIRE(first);
    CHECK_FALSE(first->empty());
    const auto requests = s.sandbox.stats().http_requests;
    REQUIRE(run(s.ioc, s.exchange->balances()));
    CHECK(s.sandbox.stats().http_requests == requests);  // served from the cache
    REQUIRE(run(s.ioc, s.exchange->place_order(limit_buy("50000.00", "0.010000"))));
    auto after = run(s.ioc, s.exchange->balances());  // an order invalidates the cache
    REQUIRE(after);
    const auto usdt =
        std::find_if(after->begin(), after->end(), [](const auto& b) { return b.asset == "USDT"; });
    REQUIRE(usdt != after->end());
    CHECK(usdt->locked.to_double() == Approx(500.0));
    auto trades = run(s.ioc, s.exchange->my_trades("BTCUSDT"));
    REQUIRE(trades);
}

namespace {
std::size_t exchange_info_requests(const mexc::sandbox::Sandbox& sandbox) {
    return static_cast<std::size_t>(std::count_if(
        sandbox.recent_requests().begin(), sandbox.recent_requests().end(),
        [](const std::string& r) { return r.starts_with("GET /api/v3/exchangeInfo"); }));
}
}  // namespace

TEST_CASE(
    "the rules of many symbols come from one exchangeInfo answer shared by concurrent callers",
    "[integration][exchange][rules]") {
    using namespace asio::experimental::awaitable_operators;
    Session s;
    auto& ex = *s.exchange;
    auto [btc, eth, sol] = run(
        s.ioc,
        [&]() -> asio::awaitable<
                  std::tuple<mexc::Result<mexc::SymbolRules>, mexc::Result<mexc::SymbolRules>,
                             mexc::Result<mexc::SymbolRules>>> {
            co_return co_await (ex.rules("BTCUSDT") && ex.rules("ETHUSDT") && ex.rules("SOLUSDT"));
        }());
    REQUIRE(btc);
    REQUIRE(eth);
    REQUIRE(sol);
    CHECK(btc->scales() != eth->scales());  // each symbol got its own listing
    CHECK(exchange_info_requests(s.sandbox) == 1);
    CHECK(s.sandbox.recent_requests().back().find("symbol") == std::string::npos);  // all of them

    // Books take their scales from the same table.
    REQUIRE(run(s.ioc, ex.subscribe_book("MXUSDT")));
    CHECK(exchange_info_requests(s.sandbox) == 1);
    // A symbol missing from the table is asked for alone: the venue's refusal comes verbatim.
    auto unknown = run(s.ioc, ex.rules("NOSUCHUSDT"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code().value() == -1121);
    CHECK(exchange_info_requests(s.sandbox) == 2);
    CHECK(s.sandbox.recent_requests().back().find("symbol=NOSUCHUSDT") != std::string::npos);
}
