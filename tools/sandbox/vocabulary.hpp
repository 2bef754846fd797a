#pragma once
// The venue's own order vocabulary and its wire names (SPEC §3.2, §4.1–§4.4, §4.8), kept apart
// from the client library's so that a wrong name on either side fails the tests.

#include <cstdint>
#include <optional>
#include <string_view>

namespace mexc::sandbox {

enum class Side : std::uint8_t { buy, sell };
enum class OrderType : std::uint8_t {
    limit,
    market,
    limit_maker,
    immediate_or_cancel,
    fill_or_kill
};
enum class OrderStatus : std::uint8_t {
    new_order,
    partially_filled,
    filled,
    canceled,
    partially_canceled
};
/// `stpMode` (SPEC §3.2): none is the default "" (no self-trade check).
enum class StpMode : std::uint8_t { none, cancel_maker, cancel_taker, cancel_both };

/// SPEC §4.4: no request parameter; every order the venue answers with is good-till-cancel.
inline constexpr std::string_view time_in_force = "GTC";

std::string_view to_string(Side s) noexcept;         // SPEC §4.1 "BUY", "SELL"
std::string_view to_string(OrderType t) noexcept;    // SPEC §4.2 "LIMIT", ...
std::string_view to_string(OrderStatus s) noexcept;  // SPEC §4.3 "NEW", ...
std::string_view to_string(StpMode m) noexcept;      // SPEC §3.2 "", "cancel_maker", ...
std::optional<Side> parse_side(std::string_view text) noexcept;
/// The types that can be placed (STOP_MARKET_ORDER is query-only, SPEC §4.2).
std::optional<OrderType> parse_order_type(std::string_view text) noexcept;
std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept;
/// "" is none; anything else unknown is nullopt.
std::optional<StpMode> parse_stp_mode(std::string_view text) noexcept;

/// FILLED, CANCELED and PARTIALLY_CANCELED are final (SPEC §4.3).
bool is_final(OrderStatus s) noexcept;

/// Protobuf numbers (SPEC §4.8): tradeType 1 buy, 2 sell.
int push_side(Side s) noexcept;
/// PrivateOrdersV3Api.orderType: 1 LIMIT_ORDER, 2 POST_ONLY, 3 IOC, 4 FOK, 5 MARKET_ORDER.
int push_order_type(OrderType t) noexcept;
/// PrivateOrdersV3Api.status: 1 new, 2 filled, 3 partially filled, 4 cancelled, 5 partially
/// filled then cancelled.
int push_order_status(OrderStatus s) noexcept;

}  // namespace mexc::sandbox
