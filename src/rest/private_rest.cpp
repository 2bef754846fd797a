#include "mexc/rest/private_rest.hpp"

#include "mexc/sign/hmac_signer.hpp"
#include "mexc/sign/query.hpp"
#include "mexc/wire/json.hpp"
#include "net/http_client.hpp"
#include "net/tls.hpp"
#include "rest/admission.hpp"
#include "rest/http_errors.hpp"
#include "rest/server_clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>

namespace mexc::rest {
namespace asio = boost::asio;

namespace {

std::int64_t local_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void append_decimal(std::string& query, std::string_view name, const auto& value) {
    char buf[32];
    const auto n = value.format_compact(std::span<char, 32>(buf));
    append_param(query, name, std::string_view(buf, n));
}

asio::awaitable<void> stamp_after(std::function<asio::awaitable<void>()> admit, std::shared_ptr<std::int64_t> sent) {
    co_await admit();
    *sent = local_ms();
}

std::string order_params(const OrderRequest& o) {
    // The parameter order of SPEC §11.1: symbol, side, type, quantity, price.
    std::string q;
    append_param(q, "symbol", o.symbol);
    append_param(q, "side", to_string(o.side));
    append_param(q, "type", to_string(o.type));
    if (o.quantity) append_decimal(q, "quantity", *o.quantity);
    if (o.quote_order_qty) append_decimal(q, "quoteOrderQty", *o.quote_order_qty);
    if (o.price) append_decimal(q, "price", *o.price);
    if (!o.client_order_id.empty()) append_param(q, "newClientOrderId", o.client_order_id);
    return q;
}

std::string ref_params(const std::string& symbol, const OrderRef& ref) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (!ref.order_id.empty()) append_param(q, "orderId", ref.order_id);
    if (!ref.client_order_id.empty()) append_param(q, "origClientOrderId", ref.client_order_id);
    return q;
}

}  // namespace

struct PrivateRest::Impl {
    asio::any_io_executor ex;
    std::unique_ptr<net::HttpClient> http;
    std::optional<HmacSigner> signer;
    std::string api_key;
    std::chrono::milliseconds recv_window;
    Error setup_error{Condition::auth, Errc::config_invalid};
    ServerClock clock;
    wire::JsonReader json;
    std::shared_ptr<RateLimiter> limiter;
    std::function<std::int64_t()> fixed_clock;

    asio::awaitable<Result<void>> sync_clock(int samples) {
        for (int i = 0; i < samples; ++i) {
            net::HttpRequest req;
            meter(req, limiter, RateScope::ip, "/api/v3/time", false);
            // The sample's send time is taken after admission: waiting for budget is not latency.
            auto sent = std::make_shared<std::int64_t>(0);
            req.before_send = [admit = std::move(req.before_send), sent]() { return stamp_after(admit, sent); };
            req.target = "/api/v3/time";
            auto res = co_await http->request(std::move(req));
            const auto received = local_ms();
            if (!res) co_return res.error();
            note_answer(*limiter, RateScope::ip, *res);
            if (res->status != 200) co_return classify_http_error(*res, json, false);
            auto server = json.server_time(res->body);
            if (!server) co_return server.error();
            clock.add_sample(*sent, *server, received);
        }
        co_return Result<void>{};
    }

    // One signed call. The query is rebuilt and re-signed for every attempt (S09).
    asio::awaitable<Result<net::HttpResponse>> call(net::HttpMethod method, std::string path, std::string params,
                                                    bool is_command) {
        if (!signer || !http) co_return setup_error;
        if (!clock.synced() && !fixed_clock) {
            if (auto synced = co_await sync_clock(3); !synced) co_return synced.error();
        }
        asio::steady_timer pause(ex);
        // Order and cancel endpoints share MEXC's per-second order rate (SPEC §6.1).
        const bool is_order = is_command && (path == "/api/v3/order" || path == "/api/v3/batchOrders" || path == "/api/v3/openOrders");
        for (int attempt = 0;; ++attempt) {
            std::string query = params;
            append_param(query, "recvWindow", std::to_string(recv_window.count()));
            append_param(query, "timestamp", std::to_string(fixed_clock ? fixed_clock() : clock.stamp(local_ms())));
            append_signature(query, *signer);
            net::HttpRequest req;
            req.method = method;
            req.target = path + "?" + query;
            req.headers.emplace_back("X-MEXC-APIKEY", api_key);
            req.is_command = is_command;
            meter(req, limiter, RateScope::uid, path, is_order);
            auto res = co_await http->request(std::move(req));
            if (res) note_answer(*limiter, RateScope::uid, *res);
            Error e;
            if (!res) {
                e = res.error();
            } else if (res->status == 200) {
                co_return res;
            } else {
                e = classify_http_error(*res, json, is_command);
            }
            if (e.condition() == Condition::clock_skew && attempt == 0) {
                // 700003 proves the request was not processed: resync and re-sign once (E02).
                clock.reset();
                if (auto synced = co_await sync_clock(3); !synced) co_return synced.error();
                continue;
            }
            if (!is_command && e.condition() == Condition::network && attempt < 2) {
                pause.expires_after(std::chrono::milliseconds(100 << attempt));
                co_await pause.async_wait(asio::as_tuple(asio::deferred));
                continue;
            }
            co_return e;
        }
    }

    template <class T, class Parse>
    asio::awaitable<Result<T>> parsed(net::HttpMethod method, std::string path, std::string params, bool is_command,
                                      Parse parse) {
        auto res = co_await call(method, std::move(path), std::move(params), is_command);
        if (!res) co_return res.error();
        auto value = parse(json, res->body);
        // A command whose answer cannot be read did execute or not: its outcome is unknown.
        if (!value && is_command) co_return Error(Condition::outcome_unknown, value.error().code());
        co_return value;
    }
};

PrivateRest::PrivateRest(asio::any_io_executor ex, const Config& config, std::shared_ptr<RateLimiter> limiter)
    : impl_(std::make_unique<Impl>()) {
    impl_->ex = ex;
    impl_->limiter = limiter ? std::move(limiter) : std::make_shared<RateLimiter>(config.rate_limits);
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
        impl_->signer.emplace(config.credentials->secret_key);  // the secret lives on only as HMAC state
    }
}

PrivateRest::~PrivateRest() = default;

void PrivateRest::set_fixed_clock(std::function<std::int64_t()> now_ms) { impl_->fixed_clock = std::move(now_ms); }

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
    auto ack = co_await impl_->parsed<OrderAck>(net::HttpMethod::post, "/api/v3/order", order_params(order), true,
                                                [](wire::JsonReader& j, std::string_view b) { return j.order_ack(b); });
    if (ack) ack->client_order_id = order.client_order_id;
    co_return ack;
}

asio::awaitable<Result<std::vector<BatchOrderResult>>> PrivateRest::batch_orders(std::vector<OrderRequest> orders) {
    if (orders.empty() || orders.size() > 20) co_return Error(Condition::rejected, Errc::invalid_argument);
    // The JSON array travels in one parameter, percent-encoded with upper-case hex (SPEC §3.2, §11.2).
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
        json += ",\"symbol\":\"" + o.symbol + "\",\"side\":\"" + std::string(to_string(o.side)) + "\"";
        if (!o.client_order_id.empty()) json += ",\"newClientOrderId\":\"" + o.client_order_id + "\"";
        json += "}";
        client_ids.push_back(o.client_order_id);
    }
    json += "]";
    std::string q;
    append_param(q, "batchOrders", json);
    auto res = co_await impl_->call(net::HttpMethod::post, "/api/v3/batchOrders", q, true);
    if (!res) co_return res.error();
    auto results = impl_->json.batch_results(res->body, client_ids);
    if (!results) co_return Error(Condition::outcome_unknown, results.error().code());  // sent, answer unreadable
    co_return results;
}

asio::awaitable<Result<void>> PrivateRest::test_order(OrderRequest order) {
    auto res = co_await impl_->call(net::HttpMethod::post, "/api/v3/order/test", order_params(order), false);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<OrderInfo>> PrivateRest::cancel_order(std::string symbol, OrderRef ref) {
    co_return co_await impl_->parsed<OrderInfo>(net::HttpMethod::del, "/api/v3/order", ref_params(symbol, ref), true,
                                                [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::cancel_open_orders(std::string symbol) {
    std::string q;
    append_param(q, "symbol", symbol);
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(net::HttpMethod::del, "/api/v3/openOrders", q, true,
                                                             [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<OrderInfo>> PrivateRest::query_order(std::string symbol, OrderRef ref) {
    co_return co_await impl_->parsed<OrderInfo>(net::HttpMethod::get, "/api/v3/order", ref_params(symbol, ref), false,
                                                [](wire::JsonReader& j, std::string_view b) { return j.order_info(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::open_orders(std::string symbol) {
    std::string q;
    if (!symbol.empty()) append_param(q, "symbol", symbol);
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(net::HttpMethod::get, "/api/v3/openOrders", q, false,
                                                             [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<std::vector<OrderInfo>>> PrivateRest::all_orders(std::string symbol, std::int64_t start_ms,
                                                                        std::int64_t end_ms, int limit) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (start_ms) append_param(q, "startTime", std::to_string(start_ms));
    if (end_ms) append_param(q, "endTime", std::to_string(end_ms));
    if (limit) append_param(q, "limit", std::to_string(limit));
    co_return co_await impl_->parsed<std::vector<OrderInfo>>(net::HttpMethod::get, "/api/v3/allOrders", q, false,
                                                             [](wire::JsonReader& j, std::string_view b) { return j.order_infos(b); });
}

asio::awaitable<Result<AccountInfo>> PrivateRest::account() {
    co_return co_await impl_->parsed<AccountInfo>(net::HttpMethod::get, "/api/v3/account", {}, false,
                                                  [](wire::JsonReader& j, std::string_view b) { return j.account(b); });
}

asio::awaitable<Result<std::vector<TradeInfo>>> PrivateRest::my_trades(std::string symbol, std::string order_id, int limit) {
    std::string q;
    append_param(q, "symbol", symbol);
    if (!order_id.empty()) append_param(q, "orderId", order_id);
    if (limit) append_param(q, "limit", std::to_string(limit));
    co_return co_await impl_->parsed<std::vector<TradeInfo>>(net::HttpMethod::get, "/api/v3/myTrades", q, false,
                                                             [](wire::JsonReader& j, std::string_view b) { return j.trades(b); });
}

asio::awaitable<Result<std::string>> PrivateRest::create_listen_key() {
    co_return co_await impl_->parsed<std::string>(net::HttpMethod::post, "/api/v3/userDataStream", {}, false,
                                                  [](wire::JsonReader& j, std::string_view b) { return j.listen_key(b); });
}

asio::awaitable<Result<void>> PrivateRest::keep_alive_listen_key(std::string listen_key) {
    std::string q;
    append_param(q, "listenKey", listen_key);
    auto res = co_await impl_->parsed<std::string>(net::HttpMethod::put, "/api/v3/userDataStream", q, false,
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
