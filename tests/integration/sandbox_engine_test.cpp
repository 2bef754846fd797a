// The sandbox's matching engine (sans-io): order-level books shared with the synthetic market,
// order types, MEXC error codes, balances and events. The engine is the oracle of FAULTS I1/I2,
// so these tests check its invariants directly.

#include "engine.hpp"
#include "market.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace mexc::sandbox;

namespace {

constexpr std::int64_t unit = 100000000;  // one asset at asset_scale

// A small static book: bids 99.95..99.99, asks 100.01..100.05 (price scale 2, quantity scale 4).
SymbolSpec test_spec(int levels = 5) {
    return {"TSTUSDT", "TST", "USDT", 2, 4, 10000, levels};
}

struct Fixture {
    explicit Fixture(std::vector<SymbolSpec> symbols = {test_spec(),
                                                        {"EMPTYUSDT", "EMP", "USDT", 2, 4, 10000,
                                                         0}},
                     std::uint64_t seed = 7)
        : market(seed, std::move(symbols)), engine(market) {
        for (std::uint64_t id = 1; id <= 3; ++id)
            engine.add_account({id,
                                {{"USDT", 1000000 * unit},
                                 {"TST", 10000 * unit},
                                 {"EMP", 10000 * unit},
                                 {"BTC", 100 * unit},
                                 {"ETH", 1000 * unit},
                                 {"SOL", 10000 * unit},
                                 {"MX", 1000000 * unit}}});
        engine.on_event([this](const EngineEvent& e) { events.push_back(e); });
    }
    SymbolBook& book(const std::string& s = "TSTUSDT") { return *market.find(s); }

    Market market;
    Engine engine;
    std::vector<EngineEvent> events;
};

OrderRequest limit(Side side, std::int64_t price, std::int64_t qty, std::string symbol = "TSTUSDT",
                   OrderType type = OrderType::limit) {
    OrderRequest r;
    r.symbol = std::move(symbol);
    r.side = side;
    r.type = type;
    r.price = price;
    r.quantity = qty;
    return r;
}

OrderRequest market_qty(Side side, std::int64_t qty, std::string symbol = "TSTUSDT") {
    OrderRequest r;
    r.symbol = std::move(symbol);
    r.side = side;
    r.type = OrderType::market;
    r.quantity = qty;
    return r;
}

OrderRequest market_quote(std::int64_t quote, std::string symbol = "TSTUSDT") {
    OrderRequest r;
    r.symbol = std::move(symbol);
    r.side = Side::buy;
    r.type = OrderType::market;
    r.quote_order_qty = quote;
    return r;
}

Order ok(std::variant<Order, EngineError> r) {
    if (auto* e = std::get_if<EngineError>(&r))
        FAIL("unexpected error " << e->code << " " << e->msg);
    return std::get<Order>(r);
}

EngineError err(std::variant<Order, EngineError> r) {
    if (std::holds_alternative<Order>(r))
        FAIL("expected an error, got order " << std::get<Order>(r).order_id);
    return std::get<EngineError>(r);
}

std::int64_t level_qty(const SymbolBook& b, bool ask, std::int64_t price) {
    if (ask) {
        auto it = b.ask_levels().find(price);
        return it == b.ask_levels().end() ? 0 : it->second.quantity;
    }
    auto it = b.bid_levels().find(price);
    return it == b.bid_levels().end() ? 0 : it->second.quantity;
}

// Published levels equal the sum of their queues; no empty level or entry; no crossed book.
void check_book(const SymbolBook& b) {
    auto side = [](const auto& levels, std::vector<BookLevel>& out) {
        for (const auto& [price, level] : levels) {
            std::int64_t sum = 0;
            for (const auto& e : level.queue) {
                REQUIRE(e.quantity > 0);
                sum += e.quantity;
            }
            REQUIRE(sum == level.quantity);
            REQUIRE(sum > 0);
            out.push_back({price, sum});
        }
    };
    std::vector<BookLevel> bids, asks;
    side(b.bid_levels(), bids);
    side(b.ask_levels(), asks);
    const auto snap = b.snapshot(1000000);
    REQUIRE(snap.bids == bids);
    REQUIRE(snap.asks == asks);
    if (!bids.empty() && !asks.empty()) REQUIRE(bids.front().price < asks.front().price);
}

template <class T>
std::vector<T> of_type(const std::vector<EngineEvent>& events) {
    std::vector<T> out;
    for (const auto& e : events)
        if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
    return out;
}

std::string kinds(const std::vector<EngineEvent>& events) {
    std::string out;
    for (const auto& e : events) {
        if (!out.empty()) out += ' ';
        if (auto* o = std::get_if<Order>(&e))
            out += "O:" + std::string(to_string(o->status));
        else if (std::get_if<Fill>(&e))
            out += "F";
        else
            out += "B:" + std::get<BalanceChange>(e).type;
    }
    return out;
}

}  // namespace

TEST_CASE("engine: better price first, then time priority within a level",
          "[integration][sandbox][engine]") {
    Fixture f;
    const auto a = ok(f.engine.place(1, limit(Side::sell, 10000, 10000), 1));  // 1.0 @ 100.00
    const auto b =
        ok(f.engine.place(2, limit(Side::sell, 10000, 10000), 2));  // 1.0 @ 100.00, later
    const auto c = ok(f.engine.place(3, limit(Side::sell, 9999 + 1, 5000), 3));  // same level, last
    CHECK(level_qty(f.book(), true, 10000) == 25000);
    check_book(f.book());
    const auto buy = ok(f.engine.place(3, limit(Side::buy, 10001, 15000), 4));
    CHECK(buy.status == OrderStatus::filled);
    CHECK(buy.executed_qty == 15000);
    const auto fills = f.engine.my_trades(3, "TSTUSDT", buy.order_id, 0, 100, 100);
    REQUIRE(fills.size() == 2);
    CHECK(fills[0].quantity == 10000);
    CHECK(fills[1].quantity == 5000);
    CHECK(fills[0].price == 10000);  // the maker's price, not the taker's limit
    CHECK(std::get<Order>(f.engine.query(1, "TSTUSDT", a.order_id, "")).status ==
          OrderStatus::filled);
    const auto qb = std::get<Order>(f.engine.query(2, "TSTUSDT", b.order_id, ""));
    CHECK(qb.status == OrderStatus::partially_filled);
    CHECK(qb.executed_qty == 5000);
    CHECK(std::get<Order>(f.engine.query(3, "TSTUSDT", c.order_id, "")).executed_qty == 0);
    CHECK(level_qty(f.book(), true, 10000) == 10000);
    CHECK(f.engine.my_trades(1, "TSTUSDT", "", 0, 100, 100).front().is_maker);
    CHECK_FALSE(fills[0].is_maker);
    check_book(f.book());
}

TEST_CASE(
    "engine: a user order joins a synthetic level behind it and a crossing limit sweeps levels",
    "[integration][sandbox][engine]") {
    Fixture f;
    const std::int64_t syn_1 = level_qty(f.book(), true, 10001);
    const std::int64_t syn_2 = level_qty(f.book(), true, 10002);
    const auto mine = ok(f.engine.place(1, limit(Side::sell, 10001, 100), 1));
    CHECK(level_qty(f.book(), true, 10001) == syn_1 + 100);
    // Takes all synthetic at 100.01 first, then this user's 0.01, then part of 100.02.
    const auto buy = ok(f.engine.place(2, limit(Side::buy, 10002, syn_1 + 100 + 10), 2));
    CHECK(buy.status == OrderStatus::filled);
    CHECK(std::get<Order>(f.engine.query(1, "TSTUSDT", mine.order_id, "")).status ==
          OrderStatus::filled);
    CHECK(level_qty(f.book(), true, 10001) == 0);
    CHECK(level_qty(f.book(), true, 10002) == syn_2 - 10);
    // A limit buy larger than what its price reaches rests the remainder at its price.
    const std::int64_t syn_3 = level_qty(f.book(), true, 10003);
    const auto big = ok(f.engine.place(2, limit(Side::buy, 10003, (syn_2 - 10) + syn_3 + 777), 3));
    CHECK(big.status == OrderStatus::partially_filled);
    CHECK(big.executed_qty == (syn_2 - 10) + syn_3);
    CHECK(level_qty(f.book(), false, 10003) == 777);
    CHECK(f.book().best_price(true) == 10004);
    check_book(f.book());
    CHECK(f.engine.open_orders(2, "TSTUSDT").size() == 1);
}

TEST_CASE("engine: LIMIT_MAKER rests unless it would take", "[integration][sandbox][engine]") {
    Fixture f;
    const auto v = f.book().version();
    const auto e = err(
        f.engine.place(1, limit(Side::buy, 10001, 10000, "TSTUSDT", OrderType::limit_maker), 1));
    CHECK(e.code == 30010);
    CHECK(e.http_status == 400);
    CHECK(f.book().version() == v);
    CHECK(f.events.empty());
    CHECK(
        err(f.engine.place(1, limit(Side::sell, 9999, 10000, "TSTUSDT", OrderType::limit_maker), 1))
            .code == 30010);
    const auto o =
        ok(f.engine.place(1, limit(Side::buy, 10000, 10000, "TSTUSDT", OrderType::limit_maker), 1));
    CHECK(o.status == OrderStatus::new_order);
    CHECK(f.book().best_price(false) == 10000);
    CHECK(f.engine.balances(1).at("USDT").locked == 100 * unit);
}

TEST_CASE("engine: IMMEDIATE_OR_CANCEL fills what it can and cancels the rest",
          "[integration][sandbox][engine]") {
    Fixture f;
    const std::int64_t syn_1 = level_qty(f.book(), true, 10001);
    const auto usdt0 = f.engine.balances(1).at("USDT");
    const auto part = ok(f.engine.place(
        1, limit(Side::buy, 10001, syn_1 + 500, "TSTUSDT", OrderType::immediate_or_cancel), 1));
    CHECK(part.status == OrderStatus::partially_canceled);
    CHECK(part.executed_qty == syn_1);
    CHECK(f.book().best_price(false) == 9999);  // nothing rested
    CHECK(f.engine.open_orders(1, "").empty());
    const auto usdt1 = f.engine.balances(1).at("USDT");
    CHECK(usdt1.locked == 0);
    CHECK(usdt1.free == usdt0.free - part.cummulative_quote_qty);
    const auto none = ok(f.engine.place(
        1, limit(Side::buy, 10000, 500, "TSTUSDT", OrderType::immediate_or_cancel), 2));
    CHECK(none.status == OrderStatus::canceled);
    CHECK(none.executed_qty == 0);
    CHECK(f.engine.balances(1).at("USDT").free == usdt1.free);
    CHECK(f.engine.balances(1).at("USDT").locked == 0);
    check_book(f.book());
}

TEST_CASE("engine: FILL_OR_KILL is all or nothing, decided before any fill",
          "[integration][sandbox][engine]") {
    Fixture f;
    const std::int64_t syn_1 = level_qty(f.book(), true, 10001);
    const std::int64_t syn_2 = level_qty(f.book(), true, 10002);
    const auto v = f.book().version();
    const auto killed = ok(f.engine.place(
        1, limit(Side::buy, 10002, syn_1 + syn_2 + 1, "TSTUSDT", OrderType::fill_or_kill), 1));
    CHECK(killed.status == OrderStatus::canceled);
    CHECK(killed.executed_qty == 0);
    CHECK(f.book().version() == v);  // the book was not touched
    CHECK(f.engine.balances(1).at("USDT").free == 1000000 * unit);
    CHECK(f.engine.balances(1).at("USDT").locked == 0);
    const auto filled = ok(f.engine.place(
        1, limit(Side::buy, 10002, syn_1 + syn_2, "TSTUSDT", OrderType::fill_or_kill), 2));
    CHECK(filled.status == OrderStatus::filled);
    CHECK(filled.executed_qty == syn_1 + syn_2);
    CHECK(f.engine.my_trades(1, "TSTUSDT", filled.order_id, 0, 10, 100).size() == 2);
    check_book(f.book());
}

TEST_CASE("engine: MARKET orders by quantity and by quote amount",
          "[integration][sandbox][engine]") {
    Fixture f;
    SECTION("buy by quote amount spends at most the amount and returns the rest") {
        const auto before = f.engine.balances(1);
        const auto o = ok(f.engine.place(1, market_quote(50 * unit + 12345), 1));
        CHECK(o.status == OrderStatus::filled);
        CHECK(o.orig_quote_order_qty == 50 * unit + 12345);
        CHECK(o.cummulative_quote_qty <= 50 * unit + 12345);
        CHECK(o.cummulative_quote_qty > 50 * unit + 12345 - 10005 * 100);  // within one unit's cost
        const auto after = f.engine.balances(1);
        CHECK(after.at("USDT").free == before.at("USDT").free - o.cummulative_quote_qty);
        CHECK(after.at("USDT").locked == 0);
        std::int64_t fee = 0;
        for (const auto& fill : f.engine.my_trades(1, "TSTUSDT", o.order_id, 0, 10, 100)) {
            CHECK(fill.commission_asset == "TST");
            CHECK(fill.commission == fill.quantity * 10000 * 5 / 10000);  // 0.0005, rounded down
            fee += fill.commission;
        }
        CHECK(fee > 0);
        CHECK(after.at("TST").free == before.at("TST").free + o.executed_qty * 10000 - fee);
    }
    SECTION("buy by quote amount larger than the book is cancelled with the rest") {
        Fixture g({test_spec(2)});
        const auto o = ok(g.engine.place(1, market_quote(90000 * unit), 1));
        CHECK(o.status == OrderStatus::partially_canceled);
        CHECK_FALSE(g.book().best_price(true));
        CHECK(g.engine.balances(1).at("USDT").locked == 0);
        CHECK(g.engine.balances(1).at("USDT").free == 1000000 * unit - o.cummulative_quote_qty);
    }
    SECTION("sell by quantity walks the bids") {
        const std::int64_t syn_1 = level_qty(f.book(), false, 9999);
        const auto o = ok(f.engine.place(1, market_qty(Side::sell, syn_1 + 3), 1));
        CHECK(o.status == OrderStatus::filled);
        CHECK(o.price == 0);
        CHECK(o.cummulative_quote_qty == (syn_1 * 9999 + 3 * 9998) * 100);
        CHECK(f.book().best_price(false) == 9998);
        const auto b = f.engine.balances(1);
        CHECK(b.at("TST").free == 10000 * unit - (syn_1 + 3) * 10000);
        CHECK(b.at("TST").locked == 0);
        std::int64_t fee = 0;
        for (const auto& fill : f.engine.my_trades(1, "TSTUSDT", o.order_id, 0, 10, 100))
            fee += fill.commission;
        CHECK(fee > 0);
        CHECK(b.at("USDT").free == 1000000 * unit + o.cummulative_quote_qty - fee);
    }
    SECTION("buy by quantity locks the cost against the book and spends it exactly") {
        std::int64_t cost = 0, left = 2000;  // 0.2 TST
        for (const auto& [price, level] : f.book().ask_levels()) {
            const std::int64_t q = std::min(left, level.quantity);
            cost += q * price * 100;
            left -= q;
        }
        REQUIRE(left == 0);
        const auto o = ok(f.engine.place(1, market_qty(Side::buy, 2000), 1));
        CHECK(o.status == OrderStatus::filled);
        CHECK(o.cummulative_quote_qty == cost);
        CHECK(f.engine.balances(1).at("USDT").free == 1000000 * unit - o.cummulative_quote_qty);
        CHECK(f.engine.balances(1).at("USDT").locked == 0);
    }
    SECTION("no opposing order is 30025") {
        const auto e = err(f.engine.place(1, market_qty(Side::sell, 10000, "EMPTYUSDT"), 1));
        CHECK(e.code == 30025);
        CHECK(err(f.engine.place(1, market_quote(10 * unit, "EMPTYUSDT"), 1)).code == 30025);
    }
}

TEST_CASE("engine: cancel and cancel_all release locked funds", "[integration][sandbox][engine]") {
    Fixture f;
    OrderRequest r = limit(Side::buy, 9000, 20000);
    r.client_order_id = "mine-1";
    const auto a = ok(f.engine.place(1, r, 1));
    const auto b = ok(f.engine.place(1, limit(Side::sell, 10000, 30000), 2));  // the best ask
    const auto c = ok(f.engine.place(1, limit(Side::buy, 9100, 10000), 3));
    auto bal = f.engine.balances(1);
    CHECK(bal.at("USDT").locked == 180 * unit + 91 * unit);
    CHECK(bal.at("TST").locked == 3 * unit);
    const std::int64_t v = f.book().version();
    const auto canceled = ok(f.engine.cancel(1, "TSTUSDT", "", "mine-1", 4));
    CHECK(canceled.order_id == a.order_id);
    CHECK(canceled.status == OrderStatus::canceled);
    CHECK(f.book().version() == v + 1);
    CHECK(level_qty(f.book(), false, 9000) == 0);
    CHECK(f.engine.balances(1).at("USDT").locked == 91 * unit);
    CHECK(err(f.engine.cancel(1, "TSTUSDT", a.order_id, "", 5)).code == -2011);
    CHECK(err(f.engine.cancel(2, "TSTUSDT", b.order_id, "", 5)).code ==
          -2011);  // not this account's
    CHECK(err(f.engine.cancel(1, "TSTUSDT", "C02__1", "", 5)).code == -2011);
    CHECK(err(f.engine.cancel(1, "NOPE", b.order_id, "", 5)).code == -1121);
    // A partly filled order cancels as PARTIALLY_CANCELED.
    ok(f.engine.place(2, limit(Side::buy, 10000, 10000), 6));
    const auto all = f.engine.cancel_all(1, "TSTUSDT", 7);
    REQUIRE(all.size() == 2);
    CHECK(all[0].order_id == b.order_id);
    CHECK(all[0].status == OrderStatus::partially_canceled);
    CHECK(all[1].order_id == c.order_id);
    CHECK(all[1].status == OrderStatus::canceled);
    bal = f.engine.balances(1);
    CHECK(bal.at("USDT").locked == 0);
    CHECK(bal.at("TST").locked == 0);
    CHECK(bal.at("TST").free == 10000 * unit - 1 * unit);
    CHECK(f.engine.open_orders(1, "").empty());
    CHECK(f.engine.all_orders(1, "TSTUSDT", 0, 100, 1000).size() == 3);
    CHECK(f.engine.all_orders(1, "TSTUSDT", 2, 3, 1000).size() == 2);
    CHECK(f.engine.all_orders(1, "TSTUSDT", 0, 100, 1).front().order_id == c.order_id);  // newest
    CHECK(std::get<Order>(f.engine.query(1, "TSTUSDT", "", "mine-1")).status ==
          OrderStatus::canceled);
    CHECK(std::get<EngineError>(f.engine.query(1, "TSTUSDT", "C02__404", "")).code == -2013);
    check_book(f.book());
}

TEST_CASE("engine: validation errors carry MEXC codes", "[integration][sandbox][engine]") {
    Fixture f;
    auto code = [&](std::uint64_t account, OrderRequest r) {
        const auto e = err(f.engine.place(account, r, 1));
        CHECK(e.http_status == 400);
        CHECK_FALSE(e.msg.empty());
        return e.code;
    };
    CHECK(code(1, limit(Side::buy, 10000, 10000, "NOSUCH")) == -1121);
    CHECK(code(1, limit(Side::buy, 0, 10000)) == 44444);
    CHECK(code(1, limit(Side::buy, 10000, 0)) == 44444);
    CHECK(code(1, limit(Side::buy, -5, 10000)) == 33333);
    CHECK(code(1, limit(Side::buy, 0, 10000, "TSTUSDT", OrderType::immediate_or_cancel)) == 44444);
    CHECK(code(1, market_qty(Side::buy, 0)) == 44444);
    auto both = market_qty(Side::buy, 100);
    both.quote_order_qty = 10 * unit;
    CHECK(code(1, both) == -1128);
    auto sell_quote = market_quote(10 * unit);
    sell_quote.side = Side::sell;
    CHECK(code(1, sell_quote) == -1128);
    // Notional: 0.99 USDT is below the minimum, 1.00 is accepted.
    const auto small = err(f.engine.place(1, limit(Side::buy, 9900, 100), 1));
    CHECK(small.code == 30002);
    CHECK(small.msg == "The minimum transaction volume cannot be less than:1USDT");
    CHECK(code(1, market_quote(unit - 1)) == 30002);
    ok(f.engine.place(1, limit(Side::buy, 10000, 100), 1));
    CHECK(code(1, limit(Side::buy, 10000, 200000001)) == 30003);  // 2,000,000.01 USDT
    CHECK(code(1, market_quote(100001 * unit)) == 30003);
    // Balance: account 4 has 10 USDT and 0.5 TST.
    f.engine.add_account({4, {{"USDT", 10 * unit}, {"TST", unit / 2}}});
    CHECK(code(4, limit(Side::buy, 10000, 1001)) == 30004);  // 10.01 USDT
    CHECK(code(4, limit(Side::sell, 10000, 5001)) == 30004);
    CHECK(code(4, market_quote(10 * unit + 1)) == 30004);
    CHECK(code(5, limit(Side::buy, 10000, 1000)) == 10001);  // no such account
    // check() answers like place() and changes nothing.
    const auto v = f.book().version();
    const auto n_events = f.events.size();
    CHECK(f.engine.check(4, limit(Side::buy, 10000, 1001))->code == 30004);
    CHECK(f.engine.check(1, limit(Side::buy, 10000, 10000, "NOSUCH"))->code == -1121);
    CHECK_FALSE(f.engine.check(4, limit(Side::buy, 10001, 999)));  // would even fill
    CHECK(f.book().version() == v);
    CHECK(f.events.size() == n_events);
    CHECK(f.engine.balances(4).at("USDT").locked == 0);
    ok(f.engine.place(4, limit(Side::buy, 10000, 1000), 1));  // exactly 10 USDT
    CHECK(f.engine.balances(4).at("USDT").free == 0);
    // Duplicate client order id among open orders.
    OrderRequest r = limit(Side::buy, 9000, 1000);
    r.client_order_id = "dup";
    ok(f.engine.place(2, r, 1));
    const auto dup = err(f.engine.place(2, r, 1));
    CHECK(dup.code == 33333);
    CHECK(dup.msg == "Duplicate clientOrderId");
    ok(f.engine.place(3, r, 1));  // another account may use it
    ok(f.engine.cancel(2, "TSTUSDT", "", "dup", 2));
    ok(f.engine.place(2, r, 3));  // and once final it may be reused
    // At most 500 open orders.
    for (int i = 0; i < 498; ++i) ok(f.engine.place(3, limit(Side::buy, 9000 - i % 50, 1000), 4));
    CHECK(f.engine.open_orders(3, "").size() == 499);
    ok(f.engine.place(3, limit(Side::buy, 9000, 1000), 4));
    CHECK(code(3, limit(Side::buy, 9000, 1000)) == 30029);
    check_book(f.book());
}

TEST_CASE("engine: fees are charged in the received asset at the maker or taker rate",
          "[integration][sandbox][engine]") {
    Fixture f;
    f.engine.add_account({7,
                          {{"USDT", 1000 * unit}, {"TST", 10 * unit}},
                          20000,
                          100000});                             // maker 0.0002, taker 0.001
    ok(f.engine.place(7, limit(Side::sell, 10000, 20000), 1));  // 2 TST @ 100.00, maker
    const auto buy = ok(f.engine.place(1, limit(Side::buy, 10000, 20000), 2));  // taker 0.0005
    const auto taker = f.engine.my_trades(1, "TSTUSDT", "", 0, 10, 10).at(0);
    CHECK(taker.commission_asset == "TST");
    CHECK(taker.commission == 2 * unit * 5 / 10000);
    CHECK(taker.quote_qty == 200 * unit);
    const auto maker = f.engine.my_trades(7, "TSTUSDT", "", 0, 10, 10).at(0);
    CHECK(maker.commission_asset == "USDT");
    CHECK(maker.commission == 200 * unit * 2 / 10000);
    CHECK(maker.is_maker);
    CHECK_FALSE(maker.is_self_trade);
    CHECK(maker.trade_id == taker.trade_id);
    CHECK(maker.trade_id.size() > 2);
    CHECK(maker.trade_id.substr(maker.trade_id.size() - 2) == "X1");
    CHECK(buy.order_id.rfind("C02__", 0) == 0);
    const auto b7 = f.engine.balances(7);
    CHECK(b7.at("TST").free == 8 * unit);
    CHECK(b7.at("TST").locked == 0);
    CHECK(b7.at("USDT").free == 1000 * unit + 200 * unit - maker.commission);
    // Self-trade: allowed and flagged on both fills.
    ok(f.engine.place(1, limit(Side::sell, 10000, 10000), 3));
    ok(f.engine.place(1, limit(Side::buy, 10000, 10000), 4));
    const auto mine = f.engine.my_trades(1, "TSTUSDT", "", 3, 4, 10);
    REQUIRE(mine.size() == 2);
    CHECK(mine[0].is_self_trade);
    CHECK(mine[1].is_self_trade);
}

TEST_CASE("engine: events follow MEXC's order for placement, fills and cancels",
          "[integration][sandbox][engine]") {
    Fixture f;
    const auto maker = ok(f.engine.place(1, limit(Side::sell, 10000, 20000), 1));
    CHECK(kinds(f.events) == "B:ENTRUST_PLACE O:NEW");
    const auto place_bc = std::get<BalanceChange>(f.events[0]);
    CHECK(place_bc.account == 1);
    CHECK(place_bc.asset == "TST");
    CHECK(place_bc.free_change == -2 * unit);
    CHECK(place_bc.locked_change == 2 * unit);
    CHECK(place_bc.after.locked == 2 * unit);
    f.events.clear();
    // A taker crossing the user's order and then all synthetic liquidity at 100.01.
    ok(f.engine.place(2, limit(Side::buy, 10001, 20000 + level_qty(f.book(), true, 10001)), 2));
    CHECK(kinds(f.events) ==
          "B:ENTRUST_PLACE O:NEW "
          "F O:PARTIALLY_FILLED B:ENTRUST B:ENTRUST B:TRADE_FEE "  // taker vs user maker
          "F O:FILLED B:ENTRUST B:ENTRUST "                        // the maker (maker fee 0)
          "F O:FILLED B:ENTRUST B:ENTRUST B:TRADE_FEE");           // taker vs synthetic
    const auto fills = of_type<Fill>(f.events);
    CHECK(fills[0].account == 2);
    CHECK(fills[1].account == 1);
    CHECK(fills[1].order_id == maker.order_id);
    for (const auto& e : f.events) {
        if (auto* b = std::get_if<BalanceChange>(&e)) {
            CHECK(b->account != 0);
            CHECK(b->after.free >= 0);
            CHECK(b->after.locked >= 0);
        }
    }
    f.events.clear();
    const auto resting = ok(f.engine.place(3, limit(Side::buy, 9000, 10000), 3));
    f.events.clear();
    ok(f.engine.cancel(3, "TSTUSDT", resting.order_id, "", 4));
    CHECK(kinds(f.events) == "O:CANCELED B:ENTRUST_CANCEL");
    const auto unlock = std::get<BalanceChange>(f.events[1]);
    CHECK(unlock.free_change == 90 * unit);
    CHECK(unlock.locked_change == -90 * unit);
    f.events.clear();
    ok(f.engine.place(3, limit(Side::buy, 10000, 1000, "TSTUSDT", OrderType::immediate_or_cancel),
                      5));
    CHECK(kinds(f.events) == "B:ENTRUST_PLACE O:NEW O:CANCELED B:ENTRUST_CANCEL");
}

TEST_CASE("engine: a resting user order is filled by synthetic takers over time",
          "[integration][sandbox][engine]") {
    Market market(99, default_symbols());
    Engine engine(market);
    engine.add_account({1, {{"USDT", 1000000 * unit}, {"BTC", 10 * unit}}});
    std::vector<EngineEvent> events;
    engine.on_event([&](const EngineEvent& e) { events.push_back(e); });
    auto& btc = *market.find("BTCUSDT");
    const std::int64_t price = *btc.best_price(false) + 1;  // inside the spread: the new best bid
    const auto o = ok(engine.place(1, limit(Side::buy, price, 2000, "BTCUSDT"), 0));  // 0.002 BTC
    CHECK(o.status == OrderStatus::new_order);
    std::int64_t now = 0;
    Order state = o;
    for (int i = 0; i < 200000 && state.status != OrderStatus::filled; ++i) {
        engine.step(now += 10);
        state = std::get<Order>(engine.query(1, "BTCUSDT", o.order_id, ""));
    }
    REQUIRE(state.status == OrderStatus::filled);
    const auto fills = engine.my_trades(1, "BTCUSDT", o.order_id, 0, now, 100);
    REQUIRE_FALSE(fills.empty());
    std::int64_t qty = 0;
    for (const auto& f : fills) {
        CHECK(f.is_maker);
        CHECK(f.price == price);
        CHECK(f.commission == 0);  // default maker rate
        qty += f.quantity;
    }
    CHECK(qty == 2000);
    const auto b = engine.balances(1);
    CHECK(b.at("BTC").free == 10 * unit + 2000 * 100);
    CHECK(b.at("USDT").locked == 0);
    CHECK(b.at("USDT").free == 1000000 * unit - state.cummulative_quote_qty);
    CHECK(kinds({events.end() - 4, events.end()}) == "F O:FILLED B:ENTRUST B:ENTRUST");
    check_book(btc);
}

namespace {

std::map<std::string, std::int64_t> user_totals(const Engine& engine, int accounts) {
    std::map<std::string, std::int64_t> out;
    for (int a = 1; a <= accounts; ++a)
        for (const auto& [asset, b] : engine.balances(static_cast<std::uint64_t>(a))) {
            REQUIRE(b.free >= 0);
            REQUIRE(b.locked >= 0);
            out[asset] += b.free + b.locked;
        }
    return out;
}

}  // namespace

TEST_CASE("engine: balances are conserved over a seeded random order flow with synthetic steps",
          "[integration][sandbox][engine]") {
    const auto seed = GENERATE(1u, 2u, 3u);
    Market market(seed, default_symbols());
    Engine engine(market);
    std::map<std::string, std::int64_t> initial;
    for (std::uint64_t id = 1; id <= 3; ++id) {
        AccountSpec spec{id,
                         {{"USDT", 500000 * unit},
                          {"BTC", 5 * unit},
                          {"ETH", 50 * unit},
                          {"SOL", 1000 * unit},
                          {"MX", 50000 * unit}}};
        spec.maker_commission = static_cast<std::int64_t>(id - 1) * 10000;
        engine.add_account(spec);
        for (const auto& [asset, amount] : spec.deposits) initial[asset] += amount;
    }
    std::mt19937_64 rng(seed * 1000 + 17);
    std::vector<std::pair<std::int64_t, DepthSnapshot>> recorded;  // BTCUSDT at versions
    std::int64_t now = 1000;
    int placed = 0, rejected = 0, fills_seen = 0, maker_fills = 0, user_vs_user = 0;
    std::map<std::string, int> trade_sides;
    std::map<OrderStatus, int> final_states;
    engine.on_event([&](const EngineEvent& e) {
        if (auto* f = std::get_if<Fill>(&e)) {
            ++fills_seen;
            if (f->is_maker) ++maker_fills;
            if (++trade_sides[f->trade_id] == 2) ++user_vs_user;
        }
        if (auto* o = std::get_if<Order>(&e)) ++final_states[o->status];
    });
    for (int i = 0; i < 1500; ++i) {
        now += 10;
        const unsigned action = static_cast<unsigned>(rng() % 10);
        auto& book = market.symbols()[rng() % market.symbols().size()];
        const auto& spec = book.spec();
        const std::uint64_t account = 1 + rng() % 3;
        if (action < 6) {
            OrderRequest r;
            r.symbol = spec.symbol;
            r.side = rng() % 2 ? Side::buy : Side::sell;
            r.type = static_cast<OrderType>(rng() % 5);
            const auto bid = book.best_price(false).value_or(spec.mid_price);
            const auto ask = book.best_price(true).value_or(spec.mid_price);
            const std::int64_t offset = static_cast<std::int64_t>(rng() % 7) - 3;
            r.price = (r.side == Side::buy ? bid : ask) + offset;
            std::int64_t one = 1;  // one base unit at the quantity scale
            for (int k = 0; k < spec.quantity_scale; ++k) one *= 10;
            const std::int64_t qunit = std::max<std::int64_t>(1, one / 1000);
            r.quantity = qunit * static_cast<std::int64_t>(1 + rng() % 3000);
            if (r.type == OrderType::market && r.side == Side::buy && rng() % 2) {
                r.quantity = 0;
                r.quote_order_qty = static_cast<std::int64_t>(1 + rng() % 3000) * unit;
            }
            if (r.type == OrderType::market) r.price = 0;
            if (rng() % 4 == 0) r.client_order_id = "c" + std::to_string(rng() % 20);
            auto res = engine.place(account, r, now);
            std::holds_alternative<Order>(res) ? ++placed : ++rejected;
        } else if (action < 8) {
            const auto open = engine.open_orders(account, spec.symbol);
            if (!open.empty())
                ok(engine.cancel(account, spec.symbol, open[rng() % open.size()].order_id, "",
                                 now));
        } else {
            for (int s = 0; s < 5; ++s) engine.step(now += 10);
        }
        for (const auto& b : market.symbols()) check_book(b);
        const auto& btc = *market.find("BTCUSDT");
        if (recorded.empty() || recorded.back().first != btc.version())
            recorded.emplace_back(btc.version(), btc.snapshot(100000));
        // Conservation: user totals move exactly by their fills and fees.
        if (i % 50 == 49) {
            auto expected = initial;
            for (std::uint64_t a = 1; a <= 3; ++a) {
                for (const auto& f : engine.my_trades(a, "", "", 0, now, 1000000)) {
                    const auto& s = market.find(f.symbol)->spec();
                    std::int64_t base = f.quantity;
                    for (int k = s.quantity_scale; k < 8; ++k) base *= 10;
                    if (f.side == Side::buy) {
                        expected[s.base_asset] += base;
                        expected[s.quote_asset] -= f.quote_qty;
                    } else {
                        expected[s.base_asset] -= base;
                        expected[s.quote_asset] += f.quote_qty;
                    }
                    expected[f.commission_asset] -= f.commission;
                }
            }
            const auto actual = user_totals(engine, 3);
            for (const auto& [asset, amount] : expected) REQUIRE(actual.at(asset) == amount);
        }
    }
    CHECK(placed > 200);
    CHECK(rejected > 0);
    CHECK(fills_seen > 100);
    CHECK(maker_fills > 10);  // resting user orders hit by synthetic and user takers
    CHECK(user_vs_user > 0);
    CHECK(final_states[OrderStatus::partially_canceled] > 0);
    CHECK(final_states[OrderStatus::canceled] > 0);
    CHECK(final_states[OrderStatus::filled] > 0);
    // Every order's fills sum to its executed quantity and quote amount.
    for (std::uint64_t a = 1; a <= 3; ++a) {
        std::size_t orders_with_fills = 0;
        for (const auto& o : engine.all_orders(a, "", 0, now, 1000000)) {
            std::int64_t qty = 0, quote = 0;
            for (const auto& f : engine.my_trades(a, o.symbol, o.order_id, 0, now, 1000000)) {
                qty += f.quantity;
                quote += f.quote_qty;
                CHECK(f.price > 0);
            }
            CHECK(qty == o.executed_qty);
            CHECK(quote == o.cummulative_quote_qty);
            if (o.type != OrderType::market || o.orig_qty > 0) CHECK(o.executed_qty <= o.orig_qty);
            if (o.orig_quote_order_qty > 0)
                CHECK(o.cummulative_quote_qty <= o.orig_quote_order_qty);
            if (o.status == OrderStatus::filled && o.orig_qty > 0)
                CHECK(o.executed_qty == o.orig_qty);
            if (qty > 0) ++orders_with_fills;
        }
        CHECK(orders_with_fills > 0);
    }
    // The oracle still rebuilds every recorded past book exactly.
    const auto& btc = *market.find("BTCUSDT");
    std::size_t checked = 0;
    for (const auto& [version, snap] : recorded) {
        const auto past = btc.snapshot_at(version, 100000);
        if (!past) continue;
        REQUIRE(past->bids == snap.bids);
        REQUIRE(past->asks == snap.asks);
        ++checked;
    }
    CHECK(checked > 100);
    // Cancelling everything leaves nothing locked.
    for (std::uint64_t a = 1; a <= 3; ++a) {
        for (const auto& b : market.symbols()) engine.cancel_all(a, b.spec().symbol, now);
        for (const auto& [asset, b] : engine.balances(a)) CHECK(b.locked == 0);
    }
}

TEST_CASE("engine: same seed and calls give the same results", "[integration][sandbox][engine]") {
    auto run = [] {
        Market market(5, default_symbols());
        Engine engine(market);
        engine.add_account({1, {{"USDT", 100000 * unit}, {"ETH", 10 * unit}}});
        std::vector<std::string> trace;
        engine.on_event([&](const EngineEvent& e) {
            if (auto* f = std::get_if<Fill>(&e))
                trace.push_back(f->trade_id + ":" + std::to_string(f->quantity));
        });
        auto& eth = *market.find("ETHUSDT");
        for (int i = 0; i < 50; ++i) {
            ok(engine.place(1,
                            limit(i % 2 ? Side::buy : Side::sell,
                                  i % 2 ? *eth.best_price(false) + 1 : *eth.best_price(true) - 1,
                                  1000, "ETHUSDT"),
                            i));
            for (int s = 0; s < 20; ++s) engine.step(i * 100 + s);
        }
        trace.push_back(std::to_string(eth.version()));
        trace.push_back(std::to_string(engine.balances(1).at("USDT").free));
        return trace;
    };
    const auto a = run();
    CHECK(a.size() > 2);
    CHECK(a == run());
}

TEST_CASE("market: without an engine the synthetic market keeps its books consistent",
          "[integration][sandbox][engine]") {
    Market market(42, default_symbols());
    { Engine attached_then_gone(market); }  // detaches on destruction
    {
        auto short_lived = std::make_unique<Market>(1, default_symbols());
        Engine outliving(*short_lived);
        short_lived.reset();  // the engine outlives its market: destroying it later is safe
    }
    const auto v0 = market.find("BTCUSDT")->version();
    for (int i = 0; i < 2000; ++i) market.step(i);
    for (const auto& b : market.symbols()) check_book(b);
    const auto& btc = *market.find("BTCUSDT");
    CHECK(btc.version() > v0);
    CHECK(btc.snapshot_at(v0, 1000000).has_value());
    CHECK_FALSE(btc.trades().empty());
}
