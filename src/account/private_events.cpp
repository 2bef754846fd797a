#include "account/private_events.hpp"

#include "account/amounts.hpp"

namespace mexc::account {
namespace {

// proto3 leaves an empty or absent string off the wire: it reads as zero.
template <class T>
Result<T> amount(std::string_view text) noexcept {
    if (text.empty()) return T::from_units(0, 0);
    return exact<T>(text);
}

}  // namespace

Side side_of_trade_type(std::int32_t trade_type) noexcept {
    switch (trade_type) {
        case 1:
            return Side::buy;
        case 2:
            return Side::sell;
        default:
            return Side::unknown;
    }
}

OrderType order_type_of(std::int32_t order_type) noexcept {
    switch (order_type) {
        case 1:
            return OrderType::limit;
        case 2:
            return OrderType::limit_maker;  // POST_ONLY
        case 3:
            return OrderType::immediate_or_cancel;
        case 4:
            return OrderType::fill_or_kill;
        case 5:
            return OrderType::market;
        default:
            return OrderType::unknown;  // 100: stop-loss/take-profit, and anything new
    }
}

OrderStatus order_status_of(std::int32_t status) noexcept {
    switch (status) {  // note 2 filled, 3 partially filled (SPEC §4.8)
        case 1:
            return OrderStatus::new_order;
        case 2:
            return OrderStatus::filled;
        case 3:
            return OrderStatus::partially_filled;
        case 4:
            return OrderStatus::canceled;
        case 5:
            return OrderStatus::partially_canceled;
        default:
            return OrderStatus::unknown;
    }
}

Result<OrderObservation> observation_of(const wire::PushFrame& frame,
                                        const wire::PrivateOrder& order) {
    OrderObservation o;
    o.symbol = frame.symbol;
    o.order_id = order.id;
    o.client_order_id = order.client_id;
    o.side = side_of_trade_type(order.trade_type);
    o.type = order_type_of(order.order_type);
    o.status = order_status_of(order.status);
    auto price = amount<Price>(order.price);
    auto quantity = amount<Quantity>(order.quantity);
    auto filled = amount<Quantity>(order.cumulative_quantity);
    auto filled_quote = amount<Quantity>(order.cumulative_amount);
    if (!price) return price.error();
    if (!quantity) return quantity.error();
    if (!filled) return filled.error();
    if (!filled_quote) return filled_quote.error();
    o.price = *price;
    o.quantity = *quantity;
    o.filled = *filled;
    o.filled_quote = *filled_quote;
    // The push carries no update time: its send time stands for it.
    o.time = frame.send_time != 0 ? frame.send_time : order.create_time;
    o.source = EventSource::stream;
    return o;
}

Result<Fill> fill_of(const wire::PushFrame& frame, const wire::PrivateDeal& deal) {
    Fill f;
    f.symbol = frame.symbol;
    f.trade_id = deal.trade_id;
    f.order_id = deal.order_id;
    f.client_order_id = deal.client_order_id;
    f.side = side_of_trade_type(deal.trade_type);
    auto price = amount<Price>(deal.price);
    auto quantity = amount<Quantity>(deal.quantity);
    auto quote = amount<Quantity>(deal.amount);
    auto fee = amount<Quantity>(deal.fee_amount);
    if (!price) return price.error();
    if (!quantity) return quantity.error();
    if (!quote) return quote.error();
    if (!fee) return fee.error();
    f.price = *price;
    f.quantity = *quantity;
    f.quote_quantity = *quote;
    f.fee = *fee;
    f.fee_asset = deal.fee_currency;
    f.maker = deal.is_maker;
    f.self_trade = deal.is_self_trade;
    f.time = deal.time;
    f.source = EventSource::stream;
    return f;
}

Result<BalanceUpdate> balance_of(const wire::AccountUpdate& update) {
    BalanceUpdate b;
    b.asset = update.asset;
    auto free = amount<Quantity>(update.free);
    auto locked = amount<Quantity>(update.locked);
    if (!free) return free.error();
    if (!locked) return locked.error();
    b.free = *free;
    b.locked = *locked;
    b.time = update.time;
    b.source = EventSource::stream;
    return b;
}

OrderObservation observation_of(const OrderInfo& order) {
    OrderObservation o;
    o.symbol = order.symbol;
    o.order_id = order.order_id.view();
    o.client_order_id = order.client_order_id.view();
    o.side = order.side;
    o.type = order.type;
    o.status = order.status;
    o.price = order.price;
    o.quantity = order.orig_qty;
    o.filled = order.executed_qty;
    o.filled_quote = order.cummulative_quote_qty;
    o.time = order.update_time != 0 ? order.update_time : order.time;
    o.source = EventSource::rest;
    return o;
}

OrderObservation observation_of(const OrderAck& ack) {
    OrderObservation o;
    o.symbol = ack.symbol;
    o.order_id = ack.order_id.view();
    o.client_order_id = ack.client_order_id.view();
    o.side = ack.side;
    o.type = ack.type;
    o.price = ack.price;
    o.quantity = ack.orig_qty;
    o.filled = Quantity::from_units(0, ack.orig_qty.scale());
    o.time = ack.transact_time;
    o.source = EventSource::rest;
    return o;
}

Fill fill_of(const TradeInfo& trade) {
    Fill f;
    f.symbol = trade.symbol;
    f.trade_id = trade.id;
    f.order_id = trade.order_id;
    f.client_order_id = trade.client_order_id;
    f.side = trade.is_buyer ? Side::buy : Side::sell;
    f.price = trade.price;
    f.quantity = trade.qty;
    f.quote_quantity = trade.quote_qty;
    f.fee = trade.commission;
    f.fee_asset = trade.commission_asset;
    f.maker = trade.is_maker;
    f.self_trade = trade.is_self_trade;
    f.time = trade.time;
    f.source = EventSource::rest;
    return f;
}

}  // namespace mexc::account
