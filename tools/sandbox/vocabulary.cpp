#include "vocabulary.hpp"

namespace mexc::sandbox {
namespace {

// One row per value: its REST text and its protobuf number. Rows are in enum order.
template <class E>
struct Row {
    E value;
    std::string_view text;
    int push;
};

constexpr Row<Side> sides[] = {{Side::buy, "BUY", 1}, {Side::sell, "SELL", 2}};
constexpr Row<OrderType> order_types[] = {
    {OrderType::limit, "LIMIT", 1},
    {OrderType::market, "MARKET", 5},
    {OrderType::limit_maker, "LIMIT_MAKER", 2},
    {OrderType::immediate_or_cancel, "IMMEDIATE_OR_CANCEL", 3},
    {OrderType::fill_or_kill, "FILL_OR_KILL", 4},
};
constexpr Row<OrderStatus> order_statuses[] = {
    {OrderStatus::new_order, "NEW", 1},
    {OrderStatus::partially_filled, "PARTIALLY_FILLED", 3},
    {OrderStatus::filled, "FILLED", 2},
    {OrderStatus::canceled, "CANCELED", 4},
    {OrderStatus::partially_canceled, "PARTIALLY_CANCELED", 5},
};
constexpr Row<StpMode> stp_modes[] = {
    {StpMode::none, "", 0},
    {StpMode::cancel_maker, "cancel_maker", 0},
    {StpMode::cancel_taker, "cancel_taker", 0},
    {StpMode::cancel_both, "cancel_both", 0},
};

template <class E, std::size_t N>
constexpr bool in_enum_order(const Row<E> (&rows)[N]) {
    for (std::size_t i = 0; i < N; ++i)
        if (static_cast<std::size_t>(rows[i].value) != i) return false;
    return true;
}
static_assert(in_enum_order(sides) && in_enum_order(order_types) && in_enum_order(order_statuses) &&
              in_enum_order(stp_modes));

template <class E, std::size_t N>
const Row<E>& row(const Row<E> (&rows)[N], E value) noexcept {
    const auto i = static_cast<std::size_t>(value);
    return rows[i < N ? i : 0];
}

template <class E, std::size_t N>
std::optional<E> parse(const Row<E> (&rows)[N], std::string_view text) noexcept {
    for (const auto& r : rows)
        if (r.text == text) return r.value;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Side s) noexcept {
    return row(sides, s).text;
}
std::string_view to_string(OrderType t) noexcept {
    return row(order_types, t).text;
}
std::string_view to_string(OrderStatus s) noexcept {
    return row(order_statuses, s).text;
}
std::string_view to_string(StpMode m) noexcept {
    return row(stp_modes, m).text;
}

std::optional<Side> parse_side(std::string_view text) noexcept {
    return parse(sides, text);
}
std::optional<OrderType> parse_order_type(std::string_view text) noexcept {
    return parse(order_types, text);
}
std::optional<OrderStatus> parse_order_status(std::string_view text) noexcept {
    return parse(order_statuses, text);
}
std::optional<StpMode> parse_stp_mode(std::string_view text) noexcept {
    return parse(stp_modes, text);
}

bool is_final(OrderStatus s) noexcept {
    return s == OrderStatus::filled || s == OrderStatus::canceled ||
           s == OrderStatus::partially_canceled;
}

int push_side(Side s) noexcept {
    return row(sides, s).push;
}
int push_order_type(OrderType t) noexcept {
    return row(order_types, t).push;
}
int push_order_status(OrderStatus s) noexcept {
    return row(order_statuses, s).push;
}

}  // namespace mexc::sandbox
