// The sandbox's scripted market: empty books, no synthetic participants; the test's own accounts
// are each other's counterparties, so every book level and trade is known in advance.

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;

using mexc::sandbox::client_config;

namespace {

constexpr std::int64_t unit = 100000000;

mexc::sandbox::SandboxOptions scripted() {
    mexc::sandbox::SandboxOptions o;
    o.scripted = true;
    mexc::sandbox::AccountSpec seller;
    seller.id = 2;
    seller.deposits = {{"BTC", 1 * unit}};
    o.accounts.push_back(seller);
    mexc::sandbox::ApiKey key;
    key.key = "sandboxSellerKey0001";
    key.secret = "sandboxSellerSecret00000000001";
    key.account = 2;
    o.keys.push_back(key);
    return o;
}

mexc::OrderRequest btc(mexc::Side side, std::string price, std::string qty) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = side;
    o.price = mexc::Price::parse(price, 2).value();
    o.quantity = mexc::Quantity::parse(qty, 6).value();
    return o;
}

}  // namespace

TEST_CASE(
    "scripted market: empty books, the test places both sides, the book and tape show exactly that",
    "[integration][sandbox][scripted]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), scripted());
    REQUIRE(sandbox.start());
    mexc::rest::PrivateRest buyer(ioc.get_executor(), client_config(sandbox));
    mexc::rest::PrivateRest seller(
        ioc.get_executor(),
        client_config(sandbox, "sandboxSellerKey0001", "sandboxSellerSecret00000000001"));
    mexc::Config public_config;
    public_config.rest_url = sandbox.rest_url();
    mexc::rest::PublicRest market(ioc.get_executor(), public_config);
    const mexc::SymbolScales scales{2, 6};

    auto empty = run(ioc, market.depth("BTCUSDT", 10, scales));
    REQUIRE(empty);
    CHECK(empty->bids.empty());
    CHECK(empty->asks.empty());

    REQUIRE(run(ioc, seller.new_order(btc(mexc::Side::sell, "80000.00", "0.500000"))));
    auto one_level = run(ioc, market.depth("BTCUSDT", 10, scales));
    REQUIRE(one_level);
    REQUIRE(one_level->asks.size() == 1);
    CHECK(one_level->asks[0].price == 8000000);
    CHECK(one_level->asks[0].quantity == 500000);
    CHECK(one_level->last_update_id == empty->last_update_id + 1);

    auto bought = run(ioc, buyer.new_order(btc(mexc::Side::buy, "80000.00", "0.200000")));
    REQUIRE(bought);
    auto after = run(ioc, market.depth("BTCUSDT", 10, scales));
    REQUIRE(after);
    REQUIRE(after->asks.size() == 1);
    CHECK(after->asks[0].quantity == 300000);
    CHECK(after->bids.empty());
    auto tape = run(ioc, market.trades("BTCUSDT"));
    REQUIRE(tape);
    REQUIRE(tape->size() == 1);
    CHECK(tape->front().price.to_string() == "80000.00");
    CHECK(tape->front().qty.to_string() == "0.200000");
    CHECK(sandbox.engine().balances(2)["USDT"].free == 16000 * unit);  // 0.2 × 80000, no maker fee
    CHECK(sandbox.engine().balances(1)["BTC"].free ==
          2 * unit + 20000000 - 10000);  // less the 0.05 % taker fee in BTC

    // Nothing moves by itself: no synthetic steps.
    const auto version = sandbox.market().find("BTCUSDT")->version();
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(200));  // 20 ticks
    CHECK(sandbox.market().find("BTCUSDT")->version() == version);
    sandbox.stop();
}
