// `mexc-cli watch` against the sandbox, its engine the oracle: another program of the same account
// places an order the market fills; watch prints its order updates up to FILLED, each fill once
// (Σ fill quantities = the venue's executed quantity) and the balances, one JSON object a line,
// decimals as exact strings (issue: account in real time, mexc-cli watch).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "watch.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"

#include <simdjson.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

namespace {

struct Line {
    std::string event, order_id, status, quantity, filled, trade_id, asset, free;
};

Line parse(const std::string& text) {
    simdjson::ondemand::parser parser;
    simdjson::padded_string padded(text);
    auto doc = parser.iterate(padded);
    Line l;
    const auto field = [&](const char* name, std::string& out) {
        std::string_view v;
        if (!doc[name].get_string().get(v)) out = v;
        doc.rewind();
    };
    field("event", l.event);
    field("order_id", l.order_id);
    field("status", l.status);
    field("quantity", l.quantity);
    field("filled", l.filled);
    field("trade_id", l.trade_id);
    field("asset", l.asset);
    field("free", l.free);
    return l;
}

}  // namespace

TEST_CASE("mexc-cli watch prints the orders, fills and balances of other programs as JSON lines",
          "[integration][cli][account][C14]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    mexc::MexcExchange exchange(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    mexc::rest::PrivateRest other(ioc.get_executor(), mexc::sandbox::client_config(sandbox));

    std::vector<Line> lines;
    std::vector<std::string> raw;
    mexc::cli::WatchRequest request;
    request.orders = request.fills = request.balances = true;
    request.seconds = 20s;
    request.out = [&](std::string_view l) {
        raw.emplace_back(l);
        lines.push_back(parse(raw.back()));
    };
    std::optional<int> rc;
    asio::co_spawn(ioc, mexc::cli::watch(exchange, std::move(request)),
                   [&](std::exception_ptr, int code) { rc = code; });
    run_until(ioc, [&] { return exchange.account_live() && !lines.empty(); });

    mexc::OrderRequest buy;
    buy.symbol = "BTCUSDT";
    buy.side = mexc::Side::buy;
    buy.type = mexc::OrderType::market;
    buy.quote_order_qty = mexc::Quantity::parse("100", 0).value();
    auto placed = run(ioc, other.new_order(buy));  // not through the watching exchange
    REQUIRE(placed);
    const std::string id = placed->order_id.str();

    const auto filled_line = [&] {
        for (const auto& l : lines)
            if (l.event == "order" && l.order_id == id && l.status == "FILLED") return &l;
        return static_cast<const Line*>(nullptr);
    };
    run_until(ioc, [&] {
        const Line* f = filled_line();
        if (!f) return false;
        // Every fill in: their quantities add up to the order's filled quantity.
        std::int64_t total = 0;  // at scale 8: every quantity the sandbox writes fits it
        for (const auto& l : lines)
            if (l.event == "fill" && l.order_id == id) {
                auto q = mexc::Quantity::parse(l.quantity, 8);
                if (!q) return false;
                total += q->units();
            }
        auto filled = mexc::Quantity::parse(f->filled, 8);
        return filled && total == filled->units();
    });
    auto venue = run(ioc, other.query_order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
    REQUIRE(venue);
    CHECK(filled_line()->filled == venue->executed_qty.to_string());
    auto trades = run(ioc, other.my_trades("BTCUSDT", mexc::OrderId(id)));
    REQUIRE(trades);
    std::set<std::string> trade_ids;
    for (const auto& l : lines)
        if (l.event == "fill" && l.order_id == id) trade_ids.insert(l.trade_id);
    std::size_t fill_lines = 0;
    for (const auto& l : lines) fill_lines += l.event == "fill" && l.order_id == id;
    CHECK(fill_lines == trades->size());  // each once
    CHECK(trade_ids.size() == trades->size());
    run_until(ioc, [&] {
        for (const auto& l : lines)
            if (l.event == "balance" && l.asset == "USDT" && !l.free.empty()) return true;
        return false;
    });
    for (const auto& l : raw) CHECK(l.find("secret") == std::string::npos);

    // The account side's metrics count what happened.
    const auto m = exchange.metrics();
    CHECK(m.fills == trades->size());
    CHECK(m.private_events >= trades->size() + 2);  // the fills, the order's updates, balances
    CHECK(m.reconciliations == 1);
    CHECK(m.listen_key_renewals == 0);
    CHECK(m.account_events_lost == 0);
    CHECK(m.active_orders == 0);
    CHECK(m.cached_orders == 1);  // final, kept for order()
    CHECK(m.active_symbols == 0);
    auto cached = run(ioc, exchange.balances());  // live: from the pushes, a REST call saved
    REQUIRE(cached);
    CHECK(exchange.metrics().balance_cache_hits == m.balance_cache_hits + 1);
    CHECK(exchange.metrics().balance_cache_hit_rate() > 0.0);

    run(ioc, exchange.close());
    run_until(ioc, [&] { return rc.has_value(); });
    other.close();
    sandbox.stop();
}
