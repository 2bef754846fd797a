// OrderTracker, step by step: observations from any source in any order give each order one
// monotonic state and each fill once (FAULTS C02–C07, C11, C14, I1, I7, I8).

#include "account/order_tracker.hpp"
#include "support/catch_result.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace mexc;
using namespace mexc::account;
using namespace std::chrono_literals;

namespace {

Quantity qty(std::string_view text) {
    const auto dot = text.find('.');
    const auto scale = dot == std::string_view::npos ? 0 : text.size() - dot - 1;
    return Quantity::parse(text, static_cast<std::uint8_t>(scale)).value();
}

OrderRequest limit_buy(std::string client_id) {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = Side::buy;
    o.price = Price::parse("50000.00", 2).value();
    o.quantity = Quantity::parse("1.000000", 6).value();
    o.client_order_id = std::move(client_id);
    return o;
}

OrderObservation push(std::string_view order_id, std::string_view client_id, OrderStatus status,
                      std::string_view filled) {
    OrderObservation o;
    o.symbol = "BTCUSDT";
    o.order_id = order_id;
    o.client_order_id = client_id;
    o.status = status;
    o.price = Price::parse("50000", 0).value();
    o.quantity = qty("1");  // written without decimals: compared exactly across scales
    o.filled = qty(filled);
    o.filled_quote = qty("0");
    o.source = EventSource::stream;
    return o;
}

OrderObservation ack(std::string_view order_id, std::string_view client_id) {
    OrderObservation o;
    o.symbol = "BTCUSDT";
    o.order_id = order_id;
    o.client_order_id = client_id;
    o.quantity = qty("1.000000");
    o.filled = qty("0");
    o.source = EventSource::rest;
    return o;  // no status: the placement ack carries none (SPEC §3.2)
}

Fill fill(std::string_view trade_id, std::string_view order_id, std::string_view client_id,
          std::string_view quantity) {
    Fill f;
    f.symbol = "BTCUSDT";
    f.trade_id = trade_id;
    f.order_id = order_id;
    f.client_order_id = client_id;
    f.price = Price::parse("50000", 0).value();
    f.quantity = qty(quantity);
    return f;
}

const auto t0 = OrderTracker::Clock::time_point{} + 1h;

}  // namespace

TEST_CASE("C01 a placed order goes PendingNew, New on its ack, then fills to Filled and retires",
          "[unit][account][C01]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    tracker.placing(limit_buy("c1"), ev);
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].pending);
    CHECK_FALSE(ev.orders[0].external);
    ev.clear();

    REQUIRE(tracker.observe(ack("O1", "c1"), t0, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK_FALSE(ev.orders[0].pending);
    CHECK(ev.orders[0].status == OrderStatus::new_order);
    CHECK(ev.orders[0].order_id == "O1");
    ev.clear();

    REQUIRE(tracker.observe(fill("T1", "O1", "c1", "0.4"), t0, ev));
    REQUIRE(tracker.observe(push("O1", "c1", OrderStatus::partially_filled, "0.4"), t0, ev));
    REQUIRE(tracker.observe(fill("T2", "O1", "c1", "0.6"), t0, ev));
    REQUIRE(tracker.observe(push("O1", "c1", OrderStatus::filled, "1"), t0, ev));
    CHECK(ev.fills.size() == 2);
    REQUIRE(ev.orders.size() == 2);
    CHECK(ev.orders[1].status == OrderStatus::filled);
    CHECK(tracker.active_count() == 0);
    CHECK(tracker.completed_count() == 1);
    REQUIRE(tracker.by_client_id("c1"));
    CHECK(tracker.by_client_id("c1")->state.status == OrderStatus::filled);
    CHECK(tracker.due_fetches(t0 + 1h).empty());  // Σ fills = cumulative quantity
}

TEST_CASE("C02 a FILLED push before the ack links by client id, and the late ack regresses nothing",
          "[unit][account][C02]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    tracker.placing(limit_buy("c2"), ev);
    ev.clear();
    REQUIRE(tracker.observe(push("O2", "c2", OrderStatus::filled, "1"), t0, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].status == OrderStatus::filled);
    CHECK(ev.orders[0].order_id == "O2");
    ev.clear();
    REQUIRE(tracker.observe(ack("O2", "c2"), t0, ev));
    CHECK(ev.orders.empty());
    REQUIRE(tracker.by_order_id("O2"));
    CHECK(tracker.by_order_id("O2")->state.status == OrderStatus::filled);
    CHECK(tracker.by_order_id("O2") == tracker.by_client_id("c2"));
}

TEST_CASE(
    "C03 a fill before any order answer is matched by client id, or held until its order "
    "shows up",
    "[unit][account][C03]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    tracker.placing(limit_buy("c3"), ev);
    ev.clear();
    // Named by client id while the order is still pending: attached, and the id learnt.
    REQUIRE(tracker.observe(fill("T1", "O3", "c3", "0.5"), t0, ev));
    REQUIRE(ev.fills.size() == 1);
    CHECK(ev.fills[0].client_order_id == "c3");
    CHECK(tracker.by_order_id("O3") == tracker.by_client_id("c3"));
    ev.clear();

    // A fill of an order never seen is held (no phantom, I2) and asked for after the grace.
    REQUIRE(tracker.observe(fill("T9", "X9", "", "0.1"), t0, ev));
    CHECK(ev.fills.empty());
    CHECK(tracker.orphan_count() == 1);
    CHECK(tracker.due_fetches(t0 + 1s).empty());
    auto due = tracker.due_fetches(t0 + 3s);
    REQUIRE(due.size() == 2);  // the orphan's order, and c3 whose state is behind its fill
    bool orphan_listed = false;
    for (const auto& d : due)
        if (d.reason == FetchReason::unknown_order && d.order_id == "X9") orphan_listed = true;
    CHECK(orphan_listed);
    // The order arrives (an external one): the held fill is delivered with it.
    REQUIRE(tracker.observe(push("X9", "", OrderStatus::partially_filled, "0.1"), t0 + 3s, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].external);
    REQUIRE(ev.fills.size() == 1);
    CHECK(ev.fills[0].trade_id == "T9");
    CHECK(tracker.orphan_count() == 0);
}

TEST_CASE("C04 C11 a fill repeated by the stream and by reconciliation is delivered once",
          "[unit][account][C04][C11]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("O4", "", OrderStatus::partially_filled, "0.3"), t0, ev));
    REQUIRE(tracker.observe(fill("T1", "O4", "", "0.3"), t0, ev));
    auto again = fill("T1", "O4", "", "0.300000");
    again.source = EventSource::rest;
    REQUIRE(tracker.observe(again, t0, ev));
    REQUIRE(tracker.observe(push("O4", "", OrderStatus::partially_filled, "0.3"), t0, ev));
    CHECK(ev.fills.size() == 1);
    CHECK(ev.orders.size() == 1);
    CHECK(tracker.by_order_id("O4")->trade_ids.size() == 1);
}

TEST_CASE("C05 an older update after a newer one changes nothing", "[unit][account][C05]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("O5", "", OrderStatus::partially_filled, "0.7"), t0, ev));
    REQUIRE(tracker.observe(push("O5", "", OrderStatus::partially_filled, "0.5"), t0, ev));
    REQUIRE(tracker.observe(push("O5", "", OrderStatus::new_order, "0"), t0, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK(tracker.by_order_id("O5")->state.filled.to_string() == "0.7");
}

TEST_CASE("C07 a cancel that raced a fill ends PARTIALLY_CANCELED, final, with its fill",
          "[unit][account][C07]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("O7", "", OrderStatus::canceled, "0"), t0, ev));
    CHECK(tracker.completed_count() == 1);
    // The fill that happened before the cancel, reported after it: more filled, still final.
    REQUIRE(tracker.observe(push("O7", "", OrderStatus::partially_canceled, "0.2"), t0, ev));
    REQUIRE(tracker.observe(fill("T7", "O7", "", "0.2"), t0, ev));
    REQUIRE(ev.orders.size() == 2);
    CHECK(ev.orders[1].status == OrderStatus::partially_canceled);
    CHECK(ev.fills.size() == 1);
    // A final order never goes back to open, nor to another final state at the same quantity.
    REQUIRE(tracker.observe(push("O7", "", OrderStatus::partially_filled, "0.2"), t0, ev));
    REQUIRE(tracker.observe(push("O7", "", OrderStatus::filled, "0.2"), t0, ev));
    CHECK(ev.orders.size() == 2);
    CHECK(tracker.open_orders().empty());
}

TEST_CASE("I1 a cumulative quantity ahead of the fills asks for the order's trades after the grace",
          "[unit][account][I1]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("O8", "", OrderStatus::partially_filled, "0.5"), t0, ev));
    CHECK(tracker.due_fetches(t0 + 1s).empty());  // the deal push may still be on its way
    auto due = tracker.due_fetches(t0 + 2s);
    REQUIRE(due.size() == 1);
    CHECK(due[0].reason == FetchReason::fills_behind);
    CHECK(due[0].order_id == "O8");
    CHECK(tracker.due_fetches(t0 + 3s).empty());  // not again before another grace period
    CHECK(tracker.due_fetches(t0 + 4s).size() == 1);
    // The trades come back from the fetch: agreement, nothing more to ask.
    auto trade = fill("T8", "O8", "", "0.5");
    trade.source = EventSource::rest;
    REQUIRE(tracker.observe(trade, t0 + 4s, ev));
    CHECK(tracker.due_fetches(t0 + 1h).empty());
}

TEST_CASE("I1 fills beyond the order's quantity are refused and the order is fetched",
          "[unit][account][I1]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("O9", "", OrderStatus::partially_filled, "0.8"), t0, ev));
    REQUIRE(tracker.observe(fill("T1", "O9", "", "0.8"), t0, ev));
    auto over = tracker.observe(fill("T2", "O9", "", "0.3"), t0, ev);
    REQUIRE_FALSE(over);
    CHECK(over.error().condition() == Condition::bad_data);
    CHECK(ev.fills.size() == 1);
    CHECK(tracker.by_order_id("O9")->fills_sum.to_string() == "0.8");
    auto due = tracker.due_fetches(t0);
    REQUIRE(due.size() == 1);
    CHECK(due[0].reason == FetchReason::state_behind);
}

TEST_CASE(
    "I8 a placement with an unknown outcome is queried by client id, never resent, and "
    "resolved by the first answer",
    "[unit][account][I8]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    tracker.placing(limit_buy("c10"), ev);
    tracker.place_unknown("c10");
    CHECK(tracker.by_client_id("c10")->outcome_unknown);
    const auto now = OrderTracker::Clock::now();
    CHECK(tracker.due_fetches(now).empty());  // "not found" right after sending proves little
    auto due = tracker.due_fetches(now + 3s);
    REQUIRE(due.size() == 1);
    CHECK(due[0].reason == FetchReason::unresolved);
    CHECK(due[0].client_order_id == "c10");
    CHECK(due[0].order_id.empty());
    ev.clear();
    REQUIRE(tracker.observe(push("O10", "c10", OrderStatus::new_order, "0"), now + 3s, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK_FALSE(tracker.by_client_id("c10")->outcome_unknown);
    CHECK(tracker.due_fetches(now + 1h).empty());
}

TEST_CASE("a definitive refusal makes the pending order REJECTED and final", "[unit][account]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    tracker.placing(limit_buy("c11"), ev);
    ev.clear();
    tracker.place_rejected("c11", 1234, ev);
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].status == OrderStatus::rejected);
    CHECK(tracker.completed_count() == 1);
    CHECK(tracker.open_orders().empty());
}

TEST_CASE("I7 completed orders are bounded, oldest evicted first, and stay findable until then",
          "[unit][account][I7]") {
    TrackerOptions options;
    options.completed_capacity = 3;
    OrderTracker tracker(options);
    OrderTracker::Events ev;
    for (int i = 0; i < 5; ++i) {
        const std::string id = "F" + std::to_string(i);
        REQUIRE(tracker.observe(push(id, "", OrderStatus::canceled, "0"), t0, ev));
    }
    CHECK(tracker.completed_count() == 3);
    CHECK_FALSE(tracker.by_order_id("F0"));
    CHECK_FALSE(tracker.by_order_id("F1"));
    CHECK(tracker.by_order_id("F2"));
    CHECK(tracker.by_order_id("F4"));
}

TEST_CASE("C14 an order of another program is tracked as external", "[unit][account][C14]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    REQUIRE(tracker.observe(push("W1", "web-1", OrderStatus::new_order, "0"), t0, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].external);
    CHECK(tracker.open_orders().size() == 1);
    auto nameless = push("", "", OrderStatus::new_order, "0");
    CHECK_FALSE(tracker.observe(nameless, t0, ev));
}

TEST_CASE("C04 a self-trade's two fills share a trade id: each is kept once, even before its order",
          "[unit][account][C04][C14]") {
    OrderTracker tracker;
    OrderTracker::Events ev;
    // The account's buy met the account's sell (another program's): one trade id, two fills,
    // both arriving before either order is known, the second one twice.
    REQUIRE(tracker.observe(fill("T9", "B1", "", "0.25"), t0, ev));
    REQUIRE(tracker.observe(fill("T9", "S1", "", "0.25"), t0, ev));
    REQUIRE(tracker.observe(fill("T9", "S1", "", "0.25"), t0, ev));
    CHECK(tracker.orphan_count() == 2);
    CHECK(ev.fills.empty());
    REQUIRE(tracker.observe(push("B1", "", OrderStatus::partially_filled, "0.25"), t0, ev));
    REQUIRE(tracker.observe(push("S1", "", OrderStatus::partially_filled, "0.25"), t0, ev));
    REQUIRE(ev.fills.size() == 2);
    CHECK(ev.fills[0].order_id == "B1");
    CHECK(ev.fills[1].order_id == "S1");
    CHECK(tracker.by_order_id("B1")->trade_ids.size() == 1);
    CHECK(tracker.by_order_id("S1")->trade_ids.size() == 1);
    CHECK(tracker.orphan_count() == 0);
}
