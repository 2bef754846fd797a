// The account in real time against the sandbox, its engine the oracle: one listen key, the
// private stream live after a reconciliation, orders of this client and of other programs
// tracked, each fill once with Σ fills = the venue's filled quantity, the key deleted at close
// (SPEC §9; FAULTS C01, C02, C14, E15, I1, I2).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/orders.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace asio = boost::asio;
using mexc::testing::market_buy;
using mexc::testing::run;
using namespace std::chrono_literals;

namespace {

mexc::Quantity sum(mexc::Quantity a, mexc::Quantity b) {
    // Both at the symbol's quantity scale here (the sandbox writes them so).
    REQUIRE(a.scale() == b.scale());
    return mexc::Quantity::from_units(a.units() + b.units(), a.scale());
}

struct Seen {
    std::map<std::string, mexc::OrderUpdate> orders;  // last update by order id
    std::map<std::string, std::vector<mexc::Fill>> fills;
    std::vector<mexc::StreamStatus> statuses;
};

// Reads events until `done` holds or the deadline.
template <class Done>
void read_until(asio::io_context& ioc, mexc::MexcExchange& ex, Seen& seen, Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        auto e = run(ioc, ex.next_account_event());
        REQUIRE(e);
        if (auto* o = std::get_if<mexc::OrderUpdate>(&*e)) {
            if (!o->order_id.empty()) seen.orders[o->order_id.str()] = *o;
        } else if (auto* f = std::get_if<mexc::Fill>(&*e)) {
            seen.fills[f->order_id.str()].push_back(*f);
        } else if (auto* s = std::get_if<mexc::StreamStatus>(&*e)) {
            seen.statuses.push_back(*s);
        }
    }
    REQUIRE(done());
}

}  // namespace

TEST_CASE("C01 C14 I1 the account stream tracks own and foreign orders, each fill once, one key",
          "[integration][account][C01][C14][I1][E15]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    std::optional<mexc::MexcExchange> exchange;
    exchange.emplace(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::rest::PrivateRest other(ioc.get_executor(), mexc::sandbox::client_config(sandbox));

    REQUIRE(run(ioc, exchange->start_account()));
    CHECK(exchange->account_live());
    auto keys = run(ioc, other.listen_keys());
    REQUIRE(keys);
    CHECK(keys->size() == 1);  // one client, one key

    Seen seen;
    read_until(ioc, *exchange, seen, [&] {
        return !seen.statuses.empty() && seen.statuses.back() == mexc::StreamStatus::live;
    });

    auto mine = run(ioc, exchange->place_order(market_buy("100")));
    REQUIRE(mine);
    auto theirs = run(ioc, other.new_order(market_buy("50")));  // another program, same account
    REQUIRE(theirs);
    const std::string mine_id = mine->order_id.str(), theirs_id = theirs->order_id.str();

    const auto final_with_fills = [&](const std::string& id) {
        auto it = seen.orders.find(id);
        if (it == seen.orders.end() || !mexc::is_final(it->second.status)) return false;
        mexc::Quantity total = mexc::Quantity::from_units(0, it->second.filled.scale());
        for (const auto& f : seen.fills[id]) total = sum(total, f.quantity);
        return total == it->second.filled;
    };
    read_until(ioc, *exchange, seen,
               [&] { return final_with_fills(mine_id) && final_with_fills(theirs_id); });

    // The venue agrees: same status and filled quantity; every fill reported once by trade id.
    for (const auto& id : {mine_id, theirs_id}) {
        auto venue = run(ioc, other.query_order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
        REQUIRE(venue);
        CHECK(seen.orders[id].status == venue->status);
        CHECK(seen.orders[id].filled == venue->executed_qty);
        auto trades = run(ioc, other.my_trades("BTCUSDT", mexc::OrderId(id)));
        REQUIRE(trades);
        CHECK(seen.fills[id].size() == trades->size());
    }
    CHECK_FALSE(seen.orders[mine_id].external);
    CHECK(seen.orders[theirs_id].external);
    CHECK(seen.orders[mine_id].client_order_id == mine->client_order_id);

    // Balances come from the pushes while live, and equal the venue's.
    auto cached = run(ioc, exchange->balances());
    auto venue = run(ioc, other.account());
    REQUIRE(cached);
    REQUIRE(venue);
    for (const auto& b : venue->balances) {
        if (b.free.units() == 0 && b.locked.units() == 0) continue;
        bool found = false;
        for (const auto& c : *cached)
            if (c.asset == b.asset) {
                found = true;
                CHECK(c.free.to_string() == b.free.to_string());
                CHECK(c.locked.to_string() == b.locked.to_string());
            }
        CHECK(found);
    }

    run(ioc, exchange->close());
    auto after = run(ioc, other.listen_keys());
    REQUIRE(after);
    CHECK(after->empty());  // deleted at close
    other.close();
    sandbox.stop();
}
