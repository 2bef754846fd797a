#include "private_channels.hpp"

#include "text.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <fmt/format.h>

#include <algorithm>

namespace mexc::sandbox {
namespace {

__extension__ typedef __int128 i128;  // exact products of int64 units

i128 pow10(int n) {
    i128 v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

// price × quantity (units at the symbol's scales) in units at asset_scale, rounded down.
std::int64_t notional(std::int64_t price, std::int64_t quantity, SymbolScales s) {
    const int shift = asset_scale - s.price - s.quantity;
    const i128 product = static_cast<i128>(price) * quantity;
    return static_cast<std::int64_t>(shift >= 0 ? product * pow10(shift) : product / pow10(-shift));
}

// Quote spent (asset_scale) / base filled (quantity scale) as a price at the price scale, rounded
// down; "0" before the first fill.
std::string average_price(std::int64_t quote, std::int64_t base, SymbolScales s) {
    if (base <= 0) return "0";
    const i128 units = static_cast<i128>(quote) * pow10(s.price + s.quantity) /
                       (static_cast<i128>(base) * pow10(asset_scale));
    return decimal(static_cast<std::int64_t>(units), s.price);
}

PushDataV3ApiWrapper wrapper(PrivateTopic topic, std::int64_t send_ms) {
    PushDataV3ApiWrapper w;
    w.set_channel(std::string(to_string(topic)));
    w.set_sendtime(send_ms);
    return w;
}

std::string serialized(const PushDataV3ApiWrapper& w) {
    std::string out;
    w.SerializeToString(&out);
    return out;
}

}  // namespace

std::optional<PrivateTopic> parse_private_topic(std::string_view topic) noexcept {
    if (topic == private_account_topic) return PrivateTopic::account;
    if (topic == private_deals_topic) return PrivateTopic::deals;
    if (topic == private_orders_topic) return PrivateTopic::orders;
    return std::nullopt;
}

std::string_view to_string(PrivateTopic topic) noexcept {
    switch (topic) {
        case PrivateTopic::account:
            return private_account_topic;
        case PrivateTopic::deals:
            return private_deals_topic;
        case PrivateTopic::orders:
            return private_orders_topic;
    }
    return {};
}

std::uint64_t account_of(const EngineEvent& event) noexcept {
    return std::visit([](const auto& e) { return e.account; }, event);
}

PrivateTopic topic_of(const EngineEvent& event) noexcept {
    if (std::holds_alternative<Order>(event)) return PrivateTopic::orders;
    if (std::holds_alternative<Fill>(event)) return PrivateTopic::deals;
    return PrivateTopic::account;
}

std::string coin_id(std::string_view asset) {
    // FNV-1a twice with different seeds, as for symbol ids: stable across runs and builds.
    auto fnv = [&](std::uint64_t h) {
        for (const unsigned char c : asset) h = (h ^ c) * 1099511628211ull;
        return h;
    };
    return fmt::format("{:016x}{:016x}", fnv(0x636f696e69643031ull), fnv(14695981039346656037ull));
}

std::string encode_private_order(const Order& o, SymbolScales s, const Fill* trigger,
                                 std::int64_t send_ms) {
    auto w = wrapper(PrivateTopic::orders, send_ms);
    w.set_symbol(o.symbol);
    PrivateOrdersV3Api& m = *w.mutable_privateorders();
    m.set_id(o.order_id);
    m.set_clientid(o.client_order_id);
    m.set_price(decimal(o.price, s.price));
    m.set_quantity(decimal(o.orig_qty, s.quantity));
    m.set_amount(o.orig_quote_order_qty > 0 ? decimal(o.orig_quote_order_qty, asset_scale) : "0");
    m.set_avgprice(average_price(o.cummulative_quote_qty, o.executed_qty, s));
    m.set_ordertype(push_order_type(o.type));
    m.set_tradetype(push_side(o.side));
    // The fill behind this update tells maker or taker; otherwise only a LIMIT_MAKER is a maker.
    m.set_ismaker(trigger ? trigger->is_maker : o.type == OrderType::limit_maker);
    // remainAmount: the order's quote budget (quote size, else price × quantity) minus what it
    // spent, as in the captured market-buy update of SPEC §8.17.
    const std::int64_t budget =
        o.orig_quote_order_qty > 0 ? o.orig_quote_order_qty : notional(o.price, o.orig_qty, s);
    m.set_remainamount(
        decimal(std::max<std::int64_t>(0, budget - o.cummulative_quote_qty), asset_scale));
    m.set_remainquantity(
        decimal(std::max<std::int64_t>(0, o.orig_qty - o.executed_qty), s.quantity));
    if (trigger) m.set_lastdealquantity(decimal(trigger->quantity, s.quantity));
    m.set_cumulativequantity(decimal(o.executed_qty, s.quantity));
    m.set_cumulativeamount(decimal(o.cummulative_quote_qty, asset_scale));
    m.set_status(push_order_status(o.status));
    m.set_createtime(o.time);
    return serialized(w);
}

std::string encode_private_deal(const Fill& f, SymbolScales s, std::int64_t send_ms) {
    auto w = wrapper(PrivateTopic::deals, send_ms);
    w.set_symbol(f.symbol);
    PrivateDealsV3Api& m = *w.mutable_privatedeals();
    m.set_price(decimal(f.price, s.price));
    m.set_quantity(decimal(f.quantity, s.quantity));
    m.set_amount(decimal(f.quote_qty, asset_scale));
    m.set_tradetype(push_side(f.side));
    m.set_ismaker(f.is_maker);
    m.set_isselftrade(f.is_self_trade);
    m.set_tradeid(f.trade_id);
    m.set_clientorderid(f.client_order_id);
    m.set_orderid(f.order_id);
    m.set_feeamount(decimal(f.commission, asset_scale));
    m.set_feecurrency(f.commission_asset);
    m.set_time(f.time);
    return serialized(w);
}

std::string encode_private_account(const BalanceChange& c, std::int64_t send_ms) {
    auto w = wrapper(PrivateTopic::account, send_ms);
    w.set_createtime(c.time);  // no symbol on account pushes (SPEC §7.5)
    PrivateAccountV3Api& m = *w.mutable_privateaccount();
    m.set_vcoinname(c.asset);
    m.set_coinid(coin_id(c.asset));
    m.set_balanceamount(decimal(c.after.free, asset_scale));
    m.set_balanceamountchange(decimal(c.free_change, asset_scale));
    m.set_frozenamount(decimal(c.after.locked, asset_scale));
    m.set_frozenamountchange(decimal(c.locked_change, asset_scale));
    m.set_type(c.type);
    m.set_time(c.time);
    return serialized(w);
}

std::string PrivateEncoder::encode(const EngineEvent& event, std::int64_t send_ms) {
    auto scales_of = [&](const std::string& symbol) {
        const SymbolBook* book = market_.find(symbol);
        return book ? book->scales() : SymbolScales{};
    };
    if (const auto* fill = std::get_if<Fill>(&event)) {
        last_fill_ = *fill;
        return encode_private_deal(*fill, scales_of(fill->symbol), send_ms);
    }
    if (const auto* order = std::get_if<Order>(&event)) {
        // The engine emits a fill's order update right after the fill (SPEC §9 ordering note).
        const Fill* trigger =
            last_fill_ && last_fill_->order_id == order->order_id ? &*last_fill_ : nullptr;
        auto frame = encode_private_order(*order, scales_of(order->symbol), trigger, send_ms);
        last_fill_.reset();
        return frame;
    }
    return encode_private_account(std::get<BalanceChange>(event), send_ms);
}

}  // namespace mexc::sandbox
