#pragma once
// What the account side reports as it happens: order state changes, fills and balance changes,
// whichever source told the client first (the private streams, SPEC §8.15–§8.17, a REST answer or
// a reconciliation after a gap, SPEC §9). Values are exact, at the scale MEXC wrote them.

#include "mexc/decimal.hpp"
#include "mexc/fixed_string.hpp"
#include "mexc/order.hpp"
#include "mexc/types.hpp"

#include <cstdint>
#include <string_view>
#include <variant>

namespace mexc {

/// Symbols and asset names are short; kept inline so events copy without allocating.
using SymbolName = FixedString<31>;
using AssetName = FixedString<31>;

/// Where an event's information came from.
enum class EventSource : std::uint8_t {
    local,   ///< this client: a placement sent or refused
    stream,  ///< a private WebSocket push
    rest,    ///< a REST answer (placement ack, query, reconciliation)
};

/// The state of an order after a change. An order's updates never move backwards: each one has
/// more filled, or the same filled and a later status (FAULTS C05).
struct OrderUpdate {
    SymbolName symbol;
    OrderId order_id;         ///< empty while the placement is unanswered
    OrderId client_order_id;  ///< empty for orders placed without one by other programs
    Side side = Side::buy;
    OrderType type = OrderType::limit;
    OrderStatus status = OrderStatus::new_order;
    /// No venue answer yet (PendingNew): sent, or its outcome unknown.
    bool pending = false;
    /// Not placed through this client (another program, the web UI: FAULTS C14).
    bool external = false;
    Price price;
    Quantity quantity;      ///< ordered base quantity (0 for market orders sized in quote)
    Quantity filled;        ///< cumulative base quantity filled
    Quantity filled_quote;  ///< cumulative quote amount filled
    std::int64_t time = 0;  ///< exchange time of the information, ms since the epoch (0: none)
    EventSource source = EventSource::local;
};

/// One execution of an order, reported once per trade id.
struct Fill {
    SymbolName symbol;
    FixedString<47> trade_id;
    OrderId order_id;
    OrderId client_order_id;
    Side side = Side::buy;
    Price price;
    Quantity quantity;
    Quantity quote_quantity;
    Quantity fee;
    AssetName fee_asset;
    bool maker = false;
    bool self_trade = false;
    std::int64_t time = 0;  ///< trade time, ms
    EventSource source = EventSource::stream;
};

/// The balance of one asset after a change (absolute values, SPEC §8.15).
struct BalanceUpdate {
    AssetName asset;
    Quantity free;
    Quantity locked;
    std::int64_t time = 0;  ///< settlement time, ms
    EventSource source = EventSource::stream;
};

/// The private stream's state as the program sees it: connected, then reconciling (REST fills
/// in what a gap hid), then live; gap when the connection is lost or the key ends (SPEC §9).
enum class StreamStatus : std::uint8_t { connected, reconciling, live, gap };
/// "connected", "reconciling", "live", "gap".
std::string_view to_string(StreamStatus s) noexcept;

/// One event of the account, in the order the client learnt it.
using AccountEvent = std::variant<OrderUpdate, Fill, BalanceUpdate, StreamStatus>;

}  // namespace mexc
