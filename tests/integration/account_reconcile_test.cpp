// Reconciliation reads each symbol's trades since the last fill seen: an order of another program
// that was placed and filled entirely inside a gap (never open, never pushed to the client) comes
// out with its state and every fill once; the engine is the oracle (FAULTS C14, N05, I1, I2).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/account_log.hpp"
#include "support/catch_result.hpp"
#include "support/orders.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace asio = boost::asio;
using mexc::testing::market_buy;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

TEST_CASE("N05 C14 I1 an order begun and ended inside a gap comes out of the reconciliation",
          "[integration][account][reconcile][N05][C14][I1][I2]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::rest::PrivateRest other(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    REQUIRE(run(ioc, exchange.start_account()));
    mexc::testing::AccountLog log;
    log.start(ioc, exchange);
    const auto live = [&] {
        return exchange.account_live() && !log.statuses.empty() &&
               log.statuses.back() == mexc::StreamStatus::live;
    };
    run_until(ioc, live);

    // The client has seen a fill on BTCUSDT.
    auto mine = run(ioc, exchange.place_order(market_buy("20")));
    REQUIRE(mine);
    auto my_trades = run(ioc, other.my_trades("BTCUSDT", mine->order_id));
    REQUIRE(my_trades);
    REQUIRE_FALSE(my_trades->empty());
    run_until(ioc, [&] {
        for (const auto& t : *my_trades)
            if (log.fills.count(t.id) == 0) return false;
        return true;
    });
    const auto fills_before = log.fills.size();

    // Another program's order fills while every private push is lost; then the connection drops.
    sandbox.faults().drop_pushes("private", 1000000);
    auto theirs = run(ioc, other.new_order(market_buy("30")));
    REQUIRE(theirs);
    const std::string id = theirs->order_id.str();
    auto venue = run(ioc, other.query_order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
    REQUIRE(venue);
    REQUIRE(mexc::is_final(venue->status));  // a market order: done before anything is seen
    auto trades = run(ioc, other.my_trades("BTCUSDT", mexc::OrderId(id)));
    REQUIRE(trades);
    REQUIRE_FALSE(trades->empty());
    CHECK(log.orders.count(id) == 0);  // the client knows nothing of it
    sandbox.faults().clear_push_faults();
    sandbox.drop_connections();

    // Gap, reconnect, reconciliation: the order and each of its fills, once.
    run_until(ioc, [&] {
        auto it = log.orders.find(id);
        return live() && log.count(mexc::StreamStatus::gap) == 1 && it != log.orders.end() &&
               mexc::is_final(it->second.status);
    });
    CHECK(exchange.metrics().reconciliations == 2);
    CHECK(log.orders[id].external);
    CHECK(log.orders[id].status == venue->status);
    CHECK(log.orders[id].filled == venue->executed_qty);
    CHECK(log.orders[id].filled_quote == venue->cummulative_quote_qty);
    for (const auto& t : *trades) CHECK(log.fills[t.id] == 1);
    CHECK(log.fills.size() == fills_before + trades->size());  // nothing else, nothing twice

    run(ioc, exchange.close());
    other.close();
    sandbox.stop();
}
