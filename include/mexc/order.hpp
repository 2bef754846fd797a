#pragma once
// Orders and fills as the REST client returns them (SPEC §3.2, §4). Prices and
// quantities are exact fixed-point values at the scale written by MEXC.

#include "mexc/decimal.hpp"
#include "mexc/error.hpp"
#include "mexc/fixed_string.hpp"
#include "mexc/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mexc {

/// Order types of SPEC §4.2. `unknown` is a value MEXC sent that this library does not know (e.g.
/// STOP_MARKET_ORDER, which only appears in queries): answers keep it, requests never carry it.
enum class OrderType : std::uint8_t {
    limit,
    market,
    limit_maker,
    immediate_or_cancel,
    fill_or_kill,
    unknown
};
/// Order statuses of SPEC §4.3; `unknown` as for OrderType.
enum class OrderStatus : std::uint8_t {
    new_order,
    partially_filled,
    filled,
    canceled,
    partially_canceled,
    rejected,  // not in MEXC's documented list (SPEC §4.3); kept when an answer says so
    expired,   // likewise
    unknown
};

/// The wire names of the enumerations.
std::string_view to_string(Side s) noexcept;         // "BUY", "SELL"; "UNKNOWN"
std::string_view to_string(OrderType t) noexcept;    // "LIMIT", "MARKET", ...; "UNKNOWN"
std::string_view to_string(OrderStatus s) noexcept;  // "NEW", "PARTIALLY_FILLED", ...; "UNKNOWN"
/// The known values; anything else is nullopt (decoders keep it as `unknown`).
std::optional<Side> parse_side(std::string_view text) noexcept;
std::optional<OrderType> parse_order_type(std::string_view text) noexcept;
std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept;
/// FILLED, CANCELED, PARTIALLY_CANCELED, REJECTED and EXPIRED are final (SPEC §4.3); an unknown
/// status is not.
bool is_final(OrderStatus s) noexcept;

/// Self-trade prevention (SPEC §3.2 `stpMode`): effective only when the master account has an
/// STP group holding both sides (§3.4).
enum class StpMode : std::uint8_t { none, cancel_maker, cancel_taker, cancel_both };
/// The wire name: "cancel_maker", ... ("" for none, which is never sent).
std::string_view to_string(StpMode m) noexcept;

/// A new order (POST /api/v3/order). LIMIT-priced types need price and quantity; MARKET takes
/// exactly one of quantity / quote_order_qty and no price (SymbolRules::check enforces it).
struct OrderRequest {
    std::string symbol;
    Side side = Side::buy;
    OrderType type = OrderType::limit;
    std::optional<Price> price;
    std::optional<Quantity> quantity;
    std::optional<Quantity> quote_order_qty;  // quote amount (MARKET buy)
    std::string client_order_id;              // sent as newClientOrderId when not empty
    StpMode stp_mode = StpMode::none;         // sent as stpMode unless none
};

/// Whether a request can be put on the wire at all: its side and type are values MEXC takes,
/// never `unknown`. Else rejected/invalid_argument, before anything is sent.
Result<void> sendable(const OrderRequest& order);

/// The placement acknowledgement: MEXC sends no status here (SPEC §3.2).
struct OrderAck {
    std::string symbol;
    OrderId order_id;
    OrderId client_order_id;  // as sent (MEXC's ack does not always echo it)
    Price price;
    Quantity orig_qty;
    OrderType type = OrderType::limit;
    Side side = Side::buy;
    std::int64_t transact_time = 0;
};

/// One element of a batch placement: accepted with an ack, or its own error (FAULTS §1.2: a
/// batch answers per order; an element MEXC did not answer is outcome_unknown, P18).
struct BatchOrderResult {
    std::string client_order_id;
    std::optional<OrderAck> ack;
    std::optional<Error> error;
};

/// An order as queried, listed or cancelled.
struct OrderInfo {
    std::string symbol;
    OrderId order_id;
    OrderId client_order_id;  // empty when MEXC sends null
    Price price;
    Quantity orig_qty;
    Quantity executed_qty;
    Quantity cummulative_quote_qty;  // MEXC's spelling
    OrderStatus status = OrderStatus::new_order;
    OrderType type = OrderType::limit;
    Side side = Side::buy;
    std::int64_t time = 0;
    std::int64_t update_time = 0;
    std::string cancel_reason;  // "stp_cancel" when self-trade prevention cancelled it
};

/// A command found unresolved in the journal of a previous run (Config::journal_path).
enum class JournaledCommand : std::uint8_t { place, cancel, cancel_all };
/// How MexcExchange::recover() resolved it, from what the venue says now.
enum class RecoveryOutcome : std::uint8_t {
    placed,      ///< place: the order exists on the venue (once); `order` is its state now
    not_placed,  ///< place: not on the venue, and past the time the venue could still take it
    found,       ///< cancel: the order as it is now (`order`), after the cancel could land
    not_found,   ///< cancel: the venue knows no such order
    listed,      ///< cancel_all: `open_orders` are the symbol's orders still open
};
/// "place", "cancel", "cancel_all"; "placed", "not_placed", "found", "not_found", "listed".
std::string_view to_string(JournaledCommand c) noexcept;
std::string_view to_string(RecoveryOutcome o) noexcept;

/// One journaled command of a previous run and its resolution (MexcExchange::recover()).
struct RecoveredCommand {
    JournaledCommand command = JournaledCommand::place;
    RecoveryOutcome outcome = RecoveryOutcome::not_placed;
    std::string symbol;
    /// place: the order as it was to be sent, its client order id included.
    std::optional<OrderRequest> request;
    /// cancel: the order it named, by exchange id and/or client order id.
    OrderId cancel_order_id;
    OrderId cancel_client_order_id;
    /// placed, found: the order as queried after the command could no longer land.
    std::optional<OrderInfo> order;
    /// listed: the symbol's open orders.
    std::vector<OrderInfo> open_orders;
    /// Local wall-clock time (ms since the epoch) at which the command was journaled.
    std::int64_t journaled_ms = 0;
};

/// One own trade (GET /api/v3/myTrades).
struct TradeInfo {
    std::string symbol;
    std::string id;
    std::string order_id;
    std::string client_order_id;
    Price price;
    Quantity qty;
    Quantity quote_qty;
    Quantity commission;
    std::string commission_asset;
    std::int64_t time = 0;
    bool is_buyer = false;
    bool is_maker = false;
    bool is_self_trade = false;
};

}  // namespace mexc
