#include "rest/private_rest_impl.hpp"

#include "net/tls.hpp"

namespace mexc::rest {
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

PrivateRest::PrivateRest(asio::any_io_executor ex, const Config& config,
                         std::shared_ptr<RateLimiter> limiter)
    : impl_(std::make_unique<Impl>()) {
    impl_->ex = ex;
    impl_->limiter =
        limiter ? std::move(limiter) : std::make_shared<RateLimiter>(config.rate_limits);
    impl_->recv_window = config.recv_window;
    if (auto ok = validate(config); !ok) {
        impl_->setup_error = ok.error();
        return;
    }
    auto url = net::parse_url(config.rest_url);
    auto tls = net::make_client_tls_context(config.tls);
    if (!url || !tls) {
        impl_->setup_error = !url ? url.error() : tls.error();
        return;
    }
    net::HttpOptions options;
    options.timeouts = config.timeouts;
    options.max_body = config.http_max_body;
    impl_->http = std::make_unique<net::HttpClient>(ex, *url, *tls, options);
    if (config.credentials) {
        impl_->api_key = config.credentials->api_key;
        impl_->signer.emplace(
            config.credentials->secret_key);  // the secret lives on only as HMAC state
    }
}

PrivateRest::~PrivateRest() = default;

void PrivateRest::set_fixed_clock(std::function<std::int64_t()> now_ms) {
    impl_->fixed_clock = std::move(now_ms);
}

void PrivateRest::close() {
    if (impl_->http) impl_->http->close();
}

asio::awaitable<Result<void>> PrivateRest::sync_clock(int samples) {
    if (!impl_->http) co_return impl_->setup_error;
    co_return co_await impl_->sync_clock(samples);
}

std::chrono::milliseconds PrivateRest::clock_offset() const noexcept {
    return std::chrono::milliseconds(impl_->clock.offset_ms());
}

asio::awaitable<Result<OrderAck>> PrivateRest::new_order(OrderRequest order) {
    // The id travels back inline in the ack: one that would not fit is refused before sending.
    if (!OrderId::fits(order.client_order_id) || !sendable(order))
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string params = impl_->buffer();
    append_order_params(params, order);
    auto ack = co_await impl_->parsed<OrderAck>(
        net::HttpMethod::post, "/api/v3/order", std::move(params), true,
        [](wire::JsonReader& j, std::string_view b) { return j.order_ack(b); });
    if (ack) ack->client_order_id = order.client_order_id;
    co_return ack;
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
    auto res = co_await impl_->call(net::HttpMethod::post, "/api/v3/batchOrders", q, true);
    if (!res) co_return res.error();
    auto results = impl_->json.batch_results(res->body, client_ids);
    if (!results)
        co_return Error(Condition::outcome_unknown,
                        results.error().code());  // sent, answer unreadable
    co_return results;
}

asio::awaitable<Result<void>> PrivateRest::test_order(OrderRequest order) {
    if (auto ok = sendable(order); !ok) co_return ok.error();
    std::string params = impl_->buffer();
    append_order_params(params, order);
    auto res =
        co_await impl_->call(net::HttpMethod::post, "/api/v3/order/test", std::move(params), false);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<OrderInfo>> PrivateRest::cancel_order(std::string symbol, OrderRef ref) {
    co_return co_await impl_->parsed<OrderInfo>(
        net::HttpMethod::del, "/api/v3/order", ref_params(impl_->buffer(), symbol, ref), true,
        [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::cancel_open_orders(
    std::string symbol) {
    std::string q;
    append_param(q, "symbol", symbol);
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(
        net::HttpMethod::del, "/api/v3/openOrders", q, true,
        [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<OrderInfo>> PrivateRest::query_order(std::string symbol, OrderRef ref) {
    co_return co_await impl_->parsed<OrderInfo>(
        net::HttpMethod::get, "/api/v3/order", ref_params(impl_->buffer(), symbol, ref), false,
        [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::open_orders(std::string symbol) {
    std::string q;
    if (!symbol.empty()) append_param(q, "symbol", symbol);
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(
        net::HttpMethod::get, "/api/v3/openOrders", q, false,
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
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(
        net::HttpMethod::get, "/api/v3/allOrders", q, false,
        [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<AccountInfo>> PrivateRest::account() {
    co_return co_await impl_->parsed<AccountInfo>(
        net::HttpMethod::get, "/api/v3/account", {}, false,
        [](wire::JsonReader& j, std::string_view b) { return j.account(b); });
}

asio::awaitable<Result<std::vector<TradeInfo>>> PrivateRest::my_trades(std::string symbol,
                                                                       OrderId order_id,
                                                                       int limit) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (!order_id.empty()) append_param(q, "orderId", order_id);
    if (limit) append_param(q, "limit", std::to_string(limit));
    co_return co_await impl_->parsed<std::vector<TradeInfo>>(
        net::HttpMethod::get, "/api/v3/myTrades", q, false,
        [](wire::JsonReader& j, std::string_view b) { return j.trades(b); });
}

asio::awaitable<Result<std::string>> PrivateRest::create_listen_key() {
    co_return co_await impl_->parsed<std::string>(
        net::HttpMethod::post, "/api/v3/userDataStream", {}, false,
        [](wire::JsonReader& j, std::string_view b) { return j.listen_key(b); });
}

asio::awaitable<Result<void>> PrivateRest::keep_alive_listen_key(std::string listen_key) {
    std::string q;
    append_param(q, "listenKey", listen_key);
    auto res = co_await impl_->parsed<std::string>(
        net::HttpMethod::put, "/api/v3/userDataStream", q, false,
        [](wire::JsonReader& j, std::string_view b) { return j.listen_key(b); });
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<void>> PrivateRest::delete_listen_key(std::string listen_key) {
    std::string q;
    append_param(q, "listenKey", listen_key);
    auto res = co_await impl_->call(net::HttpMethod::del, "/api/v3/userDataStream", q, false);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

}  // namespace mexc::rest
