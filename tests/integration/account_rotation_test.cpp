// T08 C11 the private connection rotates before the venue's cut, make-before-break on the same
// listen key: with the cut shortened to seconds and orders of another program filling throughout,
// the stream never reports a gap, every fill arrives exactly once (the engine's trades are the
// oracle) and the venue never has to cut a connection.

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

namespace asio = boost::asio;
using mexc::testing::run;
using namespace std::chrono_literals;

TEST_CASE("T08 C11 the private stream rotates on its key: no gap, each fill once",
          "[integration][account][rotation][T08][C11]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.ws_max_lifetime = 4s;  // the venue's 24 h, scaled down
    mexc::sandbox::Sandbox sandbox{ioc.get_executor(), options};
    REQUIRE(sandbox.start());
    auto config = mexc::sandbox::client_config(sandbox);
    config.ws_rotate_after = 1s;
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));
    mexc::rest::PrivateRest other(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    REQUIRE(run(ioc, exchange.start_account()));

    mexc::testing::AccountLog log;
    log.start(ioc, exchange);
    const auto drain = [&](std::chrono::milliseconds for_how_long) {
        ioc.restart();
        ioc.run_for(for_how_long);
    };
    std::vector<std::string> orders;
    for (int i = 0; i < 8; ++i) {  // an order every ~700 ms across several rotations
        mexc::OrderRequest buy;
        buy.symbol = "BTCUSDT";
        buy.side = mexc::Side::buy;
        buy.type = mexc::OrderType::market;
        buy.quote_order_qty = mexc::Quantity::parse("20", 0).value();
        auto placed = run(ioc, other.new_order(buy));
        REQUIRE(placed);
        orders.push_back(placed->order_id.str());
        drain(700ms);
    }
    drain(1s);

    std::size_t venue_trades = 0;
    for (const auto& id : orders) {
        auto trades = run(ioc, other.my_trades("BTCUSDT", mexc::OrderId(id)));
        REQUIRE(trades);
        venue_trades += trades->size();
        for (const auto& t : *trades) CHECK(log.fills[t.id] == 1);  // each exactly once
    }
    CHECK(log.fills.size() == venue_trades);
    CHECK(log.count(mexc::StreamStatus::gap) == 0);
    CHECK(exchange.metrics().rotations >= 3);
    CHECK(exchange.metrics().reconciliations == 1);  // a rotation needs none
    CHECK(sandbox.stats().ws_closed_lifetime == 0);
    run(ioc, exchange.close());
    other.close();
    sandbox.stop();
}
