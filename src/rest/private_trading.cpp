// PrivateRest: trading (SPEC §3.2): orders, batches, cancels, order and trade queries, test
// orders. Placing and cancelling are commands; queries are reads.

#include "rest/private_calls.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

namespace {

std::string ref_params(std::string q, const std::string& symbol, const OrderRef& ref) {
    append_param(q, "symbol", symbol);
    if (!ref.order_id.empty()) append_param(q, "orderId", ref.order_id);
    if (!ref.client_order_id.empty()) append_param(q, "origClientOrderId", ref.client_order_id);
    return q;
}

}  // namespace

void append_order_params(std::string& q, const OrderRequest& o) {
    // The parameter order of SPEC §11.1: symbol, side, type, quantity, price.
    append_param(q, "symbol", o.symbol);
    append_param(q, "side", to_string(o.side));
    append_param(q, "type", to_string(o.type));
    if (o.quantity) append_decimal(q, "quantity", *o.quantity);
    if (o.quote_order_qty) append_decimal(q, "quoteOrderQty", *o.quote_order_qty);
    if (o.price) append_decimal(q, "price", *o.price);
    if (!o.client_order_id.empty()) append_param(q, "newClientOrderId", o.client_order_id);
    if (o.stp_mode != StpMode::none) append_param(q, "stpMode", to_string(o.stp_mode));
}

asio::awaitable<Result<OrderAck>> send_new_order(Transport& transport, OrderRequest order,
                                                 std::int64_t latest_stamp) {
    // The id travels back inline in the ack: one that would not fit is refused before sending.
    if (!OrderId::fits(order.client_order_id) || !sendable(order))
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string params = transport.buffer();
    append_order_params(params, order);
    auto ack = co_await transport.parsed<OrderAck>(
        ep::new_order, std::move(params),
        [](wire::JsonReader& j, std::string_view b) { return j.order_ack(b); }, latest_stamp);
    if (ack) ack->client_order_id = order.client_order_id;
    co_return ack;
}

asio::awaitable<Result<OrderInfo>> send_cancel_order(Transport& transport, std::string symbol,
                                                     OrderRef ref, std::int64_t latest_stamp) {
    co_return co_await transport.parsed<OrderInfo>(
        ep::cancel_order, ref_params(transport.buffer(), symbol, ref),
        [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); }, latest_stamp);
}

asio::awaitable<Result<std::vector<OrderInfo>>> send_cancel_open_orders(Transport& transport,
                                                                        std::string symbol,
                                                                        std::int64_t latest_stamp) {
    std::string q;
    append_param(q, "symbol", symbol);
    co_return co_await transport.parsed<std::vector<OrderInfo>>(
        ep::cancel_open_orders, q,
        [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); }, latest_stamp);
}

asio::awaitable<Result<OrderAck>> PrivateRest::new_order(OrderRequest order) {
    co_return co_await send_new_order(*transport_, std::move(order), 0);
}

asio::awaitable<Result<std::vector<BatchOrderResult>>> PrivateRest::batch_orders(
    std::vector<OrderRequest> orders) {
    if (orders.empty() || orders.size() > 20)
        co_return Error(Condition::rejected, Errc::invalid_argument);
    for (const auto& o : orders)
        if (!OrderId::fits(o.client_order_id) || !sendable(o))
            co_return Error(Condition::rejected, Errc::invalid_argument);
    // The JSON array travels in one parameter, percent-encoded with upper-case hex (SPEC §3.2,
    // §11.2).
    std::string json = "[";
    std::vector<std::string> client_ids;
    for (const auto& o : orders) {
        auto decimal = [](const auto& v) {
            char buf[32];
            return std::string(buf, v.format_compact(std::span<char, 32>(buf)));
        };
        json += json.size() > 1 ? ",{" : "{";
        json += "\"type\":\"" + std::string(to_string(o.type)) + "\"";
        if (o.price) json += ",\"price\":\"" + decimal(*o.price) + "\"";
        if (o.quantity) json += ",\"quantity\":\"" + decimal(*o.quantity) + "\"";
        if (o.quote_order_qty) json += ",\"quoteOrderQty\":\"" + decimal(*o.quote_order_qty) + "\"";
        json +=
            ",\"symbol\":\"" + o.symbol + "\",\"side\":\"" + std::string(to_string(o.side)) + "\"";
        if (!o.client_order_id.empty())
            json += ",\"newClientOrderId\":\"" + o.client_order_id + "\"";
        if (o.stp_mode != StpMode::none)
            json += ",\"stpMode\":\"" + std::string(to_string(o.stp_mode)) + "\"";
        json += "}";
        client_ids.push_back(o.client_order_id);
    }
    json += "]";
    std::string q;
    append_param(q, "batchOrders", json);
    auto res = co_await transport_->call(ep::batch_orders, q);
    if (!res) co_return res.error();
    auto results = transport_->json().batch_results(res->body, client_ids);
    if (!results)
        co_return Error(Condition::outcome_unknown,
                        results.error().code());  // sent, answer unreadable
    co_return results;
}

asio::awaitable<Result<void>> PrivateRest::test_order(OrderRequest order) {
    if (auto ok = sendable(order); !ok) co_return ok.error();
    std::string params = transport_->buffer();
    append_order_params(params, order);
    auto res = co_await transport_->call(ep::test_order, std::move(params));
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<OrderInfo>> PrivateRest::cancel_order(std::string symbol, OrderRef ref) {
    co_return co_await send_cancel_order(*transport_, std::move(symbol), std::move(ref), 0);
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::cancel_open_orders(
    std::string symbol) {
    co_return co_await send_cancel_open_orders(*transport_, std::move(symbol), 0);
}

asio::awaitable<Result<OrderInfo>> PrivateRest::query_order(std::string symbol, OrderRef ref) {
    co_return co_await transport_->parsed<OrderInfo>(
        ep::query_order, ref_params(transport_->buffer(), symbol, ref),
        [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::open_orders(std::string symbol) {
    std::string q;
    if (!symbol.empty()) append_param(q, "symbol", symbol);
    co_return co_await transport_->parsed<std::vector<OrderInfo>>(
        ep::open_orders, q,
        [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::all_orders(std::string symbol,
                                                                        std::int64_t start_ms,
                                                                        std::int64_t end_ms,
                                                                        int limit) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (start_ms) append_param(q, "startTime", std::to_string(start_ms));
    if (end_ms) append_param(q, "endTime", std::to_string(end_ms));
    if (limit) append_param(q, "limit", std::to_string(limit));
    co_return co_await transport_->parsed<std::vector<OrderInfo>>(
        ep::all_orders, q,
        [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<std::vector<TradeInfo>>> PrivateRest::my_trades(std::string symbol,
                                                                       OrderId order_id, int limit,
                                                                       std::int64_t start_ms,
                                                                       std::int64_t end_ms) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (!order_id.empty()) append_param(q, "orderId", order_id);
    if (start_ms) append_param(q, "startTime", std::to_string(start_ms));
    if (end_ms) append_param(q, "endTime", std::to_string(end_ms));
    if (limit) append_param(q, "limit", std::to_string(limit));
    co_return co_await transport_->parsed<std::vector<TradeInfo>>(
        ep::my_trades, q, [](wire::JsonReader& j, std::string_view b) { return j.trades(b); });
}

}  // namespace mexc::rest
