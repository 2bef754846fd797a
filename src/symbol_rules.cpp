#include "mexc/symbol_rules.hpp"

#include <algorithm>
#include <cmath>

namespace mexc {
namespace {

Error rule(Errc e, std::string_view why) {
    return Error(Condition::rejected, e).with_venue_message(why);
}

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

// A decimal text (e.g. "1", "0.5") at `scale`, or 0 when absent or not representable.
std::int64_t bound(const std::string& text, std::uint8_t scale) {
    if (text.empty()) return 0;
    auto v = parse_decimal_units(text, scale);
    return v ? *v : 0;
}

std::int64_t round_units(double value, std::uint8_t scale, Rounding mode) {
    const double scaled = value * static_cast<double>(pow10(scale));
    switch (mode) {
        case Rounding::down:
            return static_cast<std::int64_t>(std::floor(scaled + 1e-9));
        case Rounding::up:
            return static_cast<std::int64_t>(std::ceil(scaled - 1e-9));
        case Rounding::nearest:
            return static_cast<std::int64_t>(std::llround(scaled));
    }
    return 0;
}

template <class T>
Result<T> rescale(T value, std::uint8_t scale) {
    if (value.scale() == scale) return value;
    if (value.scale() < scale) {
        std::int64_t units = value.units();
        if (__builtin_mul_overflow(units, pow10(scale - value.scale()), &units))
            return Error(Condition::rejected, Errc::overflow);
        return T::from_units(units, scale);
    }
    const std::int64_t divisor = pow10(value.scale() - scale);
    if (value.units() % divisor != 0) return Error(Condition::rejected, Errc::precision_exceeded);
    return T::from_units(value.units() / divisor, scale);
}

}  // namespace

Result<SymbolRules> SymbolRules::from(const SymbolInfo& info, RulesPolicy policy) {
    if (info.symbol.empty() || info.quote_precision > max_decimal_scale ||
        info.base_asset_precision > max_decimal_scale)
        return Error(Condition::bad_data, Errc::unexpected_json_shape);
    SymbolRules r;
    r.symbol_ = info.symbol;
    r.scales_ = info.scales();
    r.status_ = info.status;
    r.spot_allowed_ = info.is_spot_trading_allowed;
    r.policy_ = policy;
    r.trade_side_type_ = info.trade_side_type;
    r.order_types_ = info.order_types;
    const auto notional_scale = static_cast<std::uint8_t>(
        std::min<int>(r.scales_.price + r.scales_.quantity, max_decimal_scale));
    r.min_notional_ = bound(info.quote_amount_precision, notional_scale);
    r.max_notional_ = bound(info.max_quote_amount, notional_scale);
    r.min_notional_market_ = bound(info.quote_amount_precision_market, notional_scale);
    r.max_notional_market_ = bound(info.max_quote_amount_market, notional_scale);
    return r;
}

std::optional<Error> SymbolRules::tradability(Side side) const {
    // "1" online since 2024-08-16, "ENABLED" before; "2" paused, "3" offline (SPEC §3.1).
    if (status_ != "1" && status_ != "ENABLED")
        return rule(Errc::symbol_not_tradable, "symbol status is not online");
    if (!spot_allowed_ && policy_.refuse_when_spot_trading_not_allowed)
        return rule(Errc::symbol_not_tradable, "isSpotTradingAllowed is false");
    if (trade_side_type_ == 4) return rule(Errc::symbol_not_tradable, "tradeSideType: closed");
    if (trade_side_type_ == 2 && side == Side::sell)
        return rule(Errc::symbol_not_tradable, "tradeSideType: buy only");
    if (trade_side_type_ == 3 && side == Side::buy)
        return rule(Errc::symbol_not_tradable, "tradeSideType: sell only");
    return std::nullopt;
}

Result<void> SymbolRules::check(const OrderRequest& order) const {
    if (order.symbol != symbol_) return rule(Errc::invalid_argument, "order is for another symbol");
    if (auto why = tradability(order.side)) return *why;
    // IOC and FOK are limit-priced and are not listed in orderTypes (SPEC §3.1, §4.2).
    const std::string_view listed =
        order.type == OrderType::immediate_or_cancel || order.type == OrderType::fill_or_kill
            ? std::string_view("LIMIT")
            : to_string(order.type);
    if (!order_types_.empty() &&
        std::find(order_types_.begin(), order_types_.end(), listed) == order_types_.end())
        return rule(Errc::symbol_not_tradable, "order type not allowed for the symbol");
    const bool market = order.type == OrderType::market;
    if (market) {
        if (order.quantity.has_value() == order.quote_order_qty.has_value())
            return rule(Errc::filter_violation,
                        "market orders take exactly one of quantity and quoteOrderQty");
        if (order.price) return rule(Errc::filter_violation, "market orders take no price");
    } else {
        if (!order.price || !order.quantity)
            return rule(Errc::filter_violation, "price and quantity are required");
        if (order.quote_order_qty)
            return rule(Errc::filter_violation, "quoteOrderQty is for market orders");
    }
    std::optional<Price> price;
    std::optional<Quantity> quantity;
    if (order.price) {
        auto p = exact_price(*order.price);
        if (!p) return rule(Errc::filter_violation, "price has more decimals than quotePrecision");
        if (p->units() <= 0) return rule(Errc::filter_violation, "price must be positive");
        price = *p;
    }
    if (order.quantity) {
        auto q = exact_quantity(*order.quantity);
        if (!q)
            return rule(Errc::filter_violation,
                        "quantity has more decimals than baseAssetPrecision");
        if (q->units() <= 0) return rule(Errc::filter_violation, "quantity must be positive");
        quantity = *q;
    }
    const auto notional_scale = static_cast<std::uint8_t>(
        std::min<int>(scales_.price + scales_.quantity, max_decimal_scale));
    std::int64_t notional = 0;
    if (price && quantity) {
        if (__builtin_mul_overflow(price->units(), quantity->units(), &notional))
            return rule(Errc::filter_violation, "notional out of range");
    } else if (order.quote_order_qty) {
        auto q = rescale(*order.quote_order_qty, notional_scale);
        if (!q || q->units() <= 0)
            return rule(Errc::filter_violation, "quoteOrderQty is not a positive amount");
        notional = q->units();
    } else {
        return {};  // a market order by quantity: its notional depends on the book
    }
    const std::int64_t min = market ? min_notional_market_ : min_notional_;
    const std::int64_t max = market ? max_notional_market_ : max_notional_;
    if (min > 0 && notional < min)
        return rule(Errc::filter_violation, "below the minimum notional (quoteAmountPrecision)");
    if (max > 0 && notional > max)
        return rule(Errc::filter_violation, "above the maximum notional (maxQuoteAmount)");
    return {};
}

Price SymbolRules::round_price(double value, Rounding mode) const {
    return Price::from_units(round_units(value, scales_.price, mode), scales_.price);
}

Quantity SymbolRules::round_quantity(double value, Rounding mode) const {
    return Quantity::from_units(round_units(value, scales_.quantity, mode), scales_.quantity);
}

Result<Price> SymbolRules::exact_price(Price value) const {
    return rescale(value, scales_.price);
}
Result<Quantity> SymbolRules::exact_quantity(Quantity value) const {
    return rescale(value, scales_.quantity);
}

}  // namespace mexc
