// Private pushes and REST answers read into the tracker's terms, on the SPEC §11.4 frames S2–S4,
// then fed to the tracker: the order and its fill agree (FAULTS C03, I1).

#include "account/private_events.hpp"
#include "account/order_tracker.hpp"
#include "support/catch_result.hpp"
#include "support/frames.hpp"

#include "mexc/wire/push.hpp"

#include <catch2/catch.hpp>

using namespace mexc;
using namespace mexc::account;
using mexc::testing::from_hex;

namespace {
wire::PushFrame must_decode(const std::string& bytes) {
    auto f = wire::decode_push(bytes);
    REQUIRE(f);
    return *f;
}
}  // namespace

TEST_CASE("S2 S3 S4 private pushes read exactly, and the deal fills the order it names",
          "[unit][account][C03]") {
    const std::string order_bytes = from_hex(mexc::testing::s2_private_order_hex);
    const std::string deal_bytes = from_hex(mexc::testing::s3_private_deal_hex);
    const std::string account_bytes = from_hex(mexc::testing::s4_private_account_hex);
    const auto order_frame = must_decode(order_bytes);
    const auto deal_frame = must_decode(deal_bytes);
    const auto account_frame = must_decode(account_bytes);

    auto order = observation_of(order_frame, wire::decode_private_order(order_frame.body).value());
    REQUIRE(order);
    CHECK(order->symbol == "MXUSDT");
    CHECK(order->order_id == "C02__505979017439002624115");
    CHECK(order->client_order_id == "my-order-1");
    CHECK(order->side == Side::sell);
    CHECK(order->type == OrderType::market);
    CHECK(order->status == OrderStatus::filled);  // wire status 2 (SPEC §4.8)
    CHECK(order->price.to_string() == "3.5121");
    CHECK(order->filled.to_string() == "1");
    CHECK(order->time == 1736417034281);

    auto deal = fill_of(deal_frame, wire::decode_private_deal(deal_frame.body).value());
    REQUIRE(deal);
    CHECK(deal->trade_id == "505979017439002624X1");
    CHECK(deal->order_id == "C02__505979017439002624115");
    CHECK(deal->price.to_string() == "3.6962");
    CHECK(deal->fee.to_string() == "0.0003998377369698171");  // 19 decimals, exact
    CHECK(deal->fee_asset == "MX");
    CHECK(deal->side == Side::sell);

    auto balance = balance_of(wire::decode_private_account(account_frame.body).value());
    REQUIRE(balance);
    CHECK(balance->asset == "USDT");
    CHECK(balance->free.to_string() == "21.94210356004384");
    CHECK(balance->locked.units() == 0);

    // Deal first, then the order (either order happens, SPEC §9): one order, one fill, agreed.
    OrderTracker tracker;
    OrderTracker::Events ev;
    const auto now = OrderTracker::Clock::now();
    REQUIRE(tracker.observe(*deal, now, ev));
    CHECK(ev.fills.empty());  // held until its order is known
    REQUIRE(tracker.observe(*order, now, ev));
    REQUIRE(ev.orders.size() == 1);
    CHECK(ev.orders[0].external);  // not placed through this client
    REQUIRE(ev.fills.size() == 1);
    CHECK(tracker.due_fetches(now + std::chrono::hours(1)).empty());
    CHECK(tracker.completed_count() == 1);
}

TEST_CASE("private push enums the library does not know read as unknown", "[unit][account][P16]") {
    CHECK(order_type_of(100) == OrderType::unknown);
    CHECK(order_type_of(2) == OrderType::limit_maker);
    CHECK(order_status_of(9) == OrderStatus::unknown);
    CHECK(order_status_of(3) == OrderStatus::partially_filled);
    CHECK(side_of_trade_type(0) == Side::unknown);
}
