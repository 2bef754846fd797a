#include "mexc/order.hpp"

namespace mexc {

std::string_view to_string(Side s) noexcept {
    switch (s) {
        case Side::buy:
            return "BUY";
        case Side::sell:
            return "SELL";
        case Side::unknown:
            break;
    }
    return "UNKNOWN";
}

std::string_view to_string(OrderType t) noexcept {
    switch (t) {
        case OrderType::limit:
            return "LIMIT";
        case OrderType::market:
            return "MARKET";
        case OrderType::limit_maker:
            return "LIMIT_MAKER";
        case OrderType::immediate_or_cancel:
            return "IMMEDIATE_OR_CANCEL";
        case OrderType::fill_or_kill:
            return "FILL_OR_KILL";
        case OrderType::unknown:
            break;
    }
    return "UNKNOWN";
}

std::string_view to_string(StpMode m) noexcept {
    switch (m) {
        case StpMode::none:
            return "";
        case StpMode::cancel_maker:
            return "cancel_maker";
        case StpMode::cancel_taker:
            return "cancel_taker";
        case StpMode::cancel_both:
            return "cancel_both";
    }
    return "";
}

std::string_view to_string(OrderStatus s) noexcept {
    switch (s) {
        case OrderStatus::new_order:
            return "NEW";
        case OrderStatus::partially_filled:
            return "PARTIALLY_FILLED";
        case OrderStatus::filled:
            return "FILLED";
        case OrderStatus::canceled:
            return "CANCELED";
        case OrderStatus::partially_canceled:
            return "PARTIALLY_CANCELED";
        case OrderStatus::rejected:
            return "REJECTED";
        case OrderStatus::expired:
            return "EXPIRED";
        case OrderStatus::unknown:
            break;
    }
    return "UNKNOWN";
}

std::string_view to_string(JournaledCommand c) noexcept {
    switch (c) {
        case JournaledCommand::place:
            return "place";
        case JournaledCommand::cancel:
            return "cancel";
        case JournaledCommand::cancel_all:
            return "cancel_all";
    }
    return "unknown";
}

std::string_view to_string(RecoveryOutcome o) noexcept {
    switch (o) {
        case RecoveryOutcome::placed:
            return "placed";
        case RecoveryOutcome::not_placed:
            return "not_placed";
        case RecoveryOutcome::found:
            return "found";
        case RecoveryOutcome::not_found:
            return "not_found";
        case RecoveryOutcome::listed:
            return "listed";
    }
    return "unknown";
}

std::optional<Side> parse_side(std::string_view text) noexcept {
    if (text == "BUY") return Side::buy;
    if (text == "SELL") return Side::sell;
    return std::nullopt;
}

std::optional<OrderType> parse_order_type(std::string_view text) noexcept {
    for (auto t : {OrderType::limit, OrderType::market, OrderType::limit_maker,
                   OrderType::immediate_or_cancel, OrderType::fill_or_kill})
        if (to_string(t) == text) return t;
    return std::nullopt;
}

std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept {
    for (auto s : {OrderStatus::new_order, OrderStatus::partially_filled, OrderStatus::filled,
                   OrderStatus::canceled, OrderStatus::partially_canceled, OrderStatus::rejected,
                   OrderStatus::expired})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

Result<void> sendable(const OrderRequest& order) {
    if (order.side == Side::unknown || order.type == OrderType::unknown)
        return Error(Condition::rejected, Errc::invalid_argument);
    return {};
}

bool is_final(OrderStatus s) noexcept {
    return s == OrderStatus::filled || s == OrderStatus::canceled ||
           s == OrderStatus::partially_canceled || s == OrderStatus::rejected ||
           s == OrderStatus::expired;
}

}  // namespace mexc
