// E15 the listen key deleted under a live private stream (another program, the web UI): the venue
// closes the connection (1008); the client reports a gap, makes a new key, reconnects, reconciles,
// and goes live again, and an order that filled during the gap comes out in full through the
// reconciliation (the engine is the oracle). One key remains, the new one.

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/account_log.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

TEST_CASE("E15 a listen key deleted under a live stream is renewed, the gap reconciled",
          "[integration][account][listen_key][E15]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::rest::PrivateRest other(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    REQUIRE(run(ioc, exchange.start_account()));

    mexc::testing::AccountLog log;
    log.start(ioc, exchange);
    auto& statuses = log.statuses;
    auto& orders = log.orders;
    auto& fills = log.fills;
    run_until(ioc,
              [&] { return !statuses.empty() && statuses.back() == mexc::StreamStatus::live; });

    auto keys = run(ioc, other.listen_keys());
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    const std::string old_key = keys->front();
    REQUIRE(run(ioc, other.delete_listen_key(old_key)));
    // The venue drops the connection; meanwhile another program's order fills.
    mexc::OrderRequest buy;
    buy.symbol = "BTCUSDT";
    buy.side = mexc::Side::buy;
    buy.type = mexc::OrderType::market;
    buy.quote_order_qty = mexc::Quantity::parse("30", 0).value();
    auto placed = run(ioc, other.new_order(buy));
    REQUIRE(placed);
    const std::string id = placed->order_id.str();

    run_until(ioc, [&] {
        auto it = orders.find(id);
        return exchange.metrics().listen_key_renewals == 1 && exchange.account_live() &&
               statuses.back() == mexc::StreamStatus::live && it != orders.end() &&
               mexc::is_final(it->second.status);
    });
    CHECK(sandbox.stats().ws_closed_listen_key == 1);
    CHECK(std::find(statuses.begin(), statuses.end(), mexc::StreamStatus::gap) != statuses.end());
    CHECK(statuses.back() == mexc::StreamStatus::live);
    CHECK(exchange.metrics().listen_key_renewals == 1);
    CHECK(exchange.metrics().reconciliations == 2);
    auto trades = run(ioc, other.my_trades("BTCUSDT", mexc::OrderId(id)));
    REQUIRE(trades);
    for (const auto& t : *trades) CHECK(fills[t.id] == 1);  // what the gap hid, once each
    auto venue = run(ioc, other.query_order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
    REQUIRE(venue);
    CHECK(orders[id].filled == venue->executed_qty);
    auto now_keys = run(ioc, other.listen_keys());
    REQUIRE(now_keys);
    REQUIRE(now_keys->size() == 1);
    CHECK(now_keys->front() != old_key);

    run(ioc, exchange.close());
    other.close();
    sandbox.stop();
}
