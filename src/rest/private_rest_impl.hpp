#pragma once
// PrivateRest's shared state and its one signed-call path (private to src/rest): the trading
// endpoints (private_rest.cpp) and the account-management ones (private_rest_custody.cpp) both
// go through Impl::call, so signing, clock resync, retries and metering are the same for all.

#include "mexc/rest/private_rest.hpp"

#include "mexc/sign/hmac_signer.hpp"
#include "net/http_client.hpp"
#include "rest/admission.hpp"
#include "rest/http_errors.hpp"
#include "rest/read_retry.hpp"
#include "rest/server_clock.hpp"
#include "sign/query.hpp"
#include "wire/json.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

namespace mexc::rest {
namespace asio = boost::asio;

inline std::int64_t local_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline void append_decimal(std::string& query, std::string_view name, const auto& value) {
    char buf[32];
    const auto n = value.format_compact(std::span<char, 32>(buf));
    append_param(query, name, std::string_view(buf, n));
}

/// A refusal under HTTP 200: a body {"code": c, "msg": ..} with c ∉ {0, 200} (SPEC §5.2, P16),
/// as `rejected` with the venue code and message (callers classify the code).
inline std::optional<Error> refusal_of(wire::JsonReader& json, std::string_view body) {
    const auto v = json.venue_error(body);
    if (!v.present || v.code == 0 || v.code == 200) return std::nullopt;
    Error e(Condition::rejected,
            boost::system::error_code(static_cast<int>(v.code), venue_category()));
    e.with_venue_message(v.msg);
    return e;
}

/// Appends the parameters of POST /api/v3/order to `out` (a reused buffer) in SPEC §11.1's order
/// (symbol, side, type, quantity, price), then newClientOrderId and stpMode when set.
void append_order_params(std::string& out, const OrderRequest& o);

struct PrivateRest::Impl {
    boost::asio::any_io_executor ex;
    std::unique_ptr<net::HttpClient> http;
    std::optional<HmacSigner> signer;
    std::string api_key;
    std::chrono::milliseconds recv_window;
    Error setup_error{Condition::auth, Errc::config_invalid};
    ServerClock clock;
    wire::JsonReader json;
    std::shared_ptr<RateLimiter> limiter;
    std::function<std::int64_t()> fixed_clock;
    ReadRetry retry;

    asio::awaitable<Result<void>> sync_clock(int samples) {
        for (int i = 0; i < samples; ++i) {
            // The sample's send time is taken after admission: waiting for budget is not latency.
            std::int64_t sent = 0;
            Admission admission(*limiter, RateScope::ip, net::HttpMethod::get, "/api/v3/time",
                                false, &sent);
            net::HttpRequest req;
            req.gate = &admission;
            req.target = "/api/v3/time";
            req.retry_stale = true;  // unsigned and idempotent
            auto res = co_await http->request(std::move(req));
            const auto received = local_ms();
            if (!res) co_return res.error();
            note_answer(*limiter, RateScope::ip, *res);
            if (res->status != 200) co_return classify_http_error(*res, json, false);
            auto server = json.server_time(res->body);
            if (!server) co_return server.error();
            clock.add_sample(sent, *server, received);
        }
        co_return Result<void>{};
    }

    /// A string to build parameters in, from the HTTP client's pool (call() gives it back).
    std::string buffer() { return http ? http->buffers().take() : std::string{}; }

    // One signed call. The query is rebuilt and re-signed for every attempt (S09).
    asio::awaitable<Result<net::HttpResponse>> call(net::HttpMethod method, std::string_view path,
                                                    std::string params, bool is_command) {
        auto res = co_await signed_call(method, path, params, is_command);
        if (http) http->buffers().give(std::move(params));
        co_return res;
    }

    asio::awaitable<Result<net::HttpResponse>> signed_call(net::HttpMethod method,
                                                           std::string_view path,
                                                           const std::string& params,
                                                           bool is_command) {
        if (!signer || !http) co_return setup_error;
        if (!clock.synced() && !fixed_clock) {
            if (auto synced = co_await sync_clock(3); !synced) co_return synced.error();
        }
        // Order and cancel endpoints share MEXC's per-second order rate (SPEC §6.1).
        const bool is_order =
            is_command && (path == "/api/v3/order" || path == "/api/v3/batchOrders" ||
                           path == "/api/v3/openOrders");
        for (int attempt = 0;; ++attempt) {
            Admission admission(*limiter, RateScope::uid, method, path, is_order);
            net::HttpRequest req;
            req.method = method;
            req.target = http->buffers().take();
            write_signed_target(req.target, path, params, recv_window.count(),
                                fixed_clock ? fixed_clock() : clock.stamp(local_ms()), *signer);
            req.headers.emplace_back("X-MEXC-APIKEY", http->buffers().take())
                .second.assign(api_key);
            req.is_command = is_command;
            req.gate = &admission;
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
            if (is_command) co_return e;
            const auto wait = retry.after(e, attempt);
            if (!wait) co_return e;
            co_await ReadRetry::pause(*wait);  // then re-signed with a fresh timestamp (S09)
        }
    }

    template <class T, class Parse>
    asio::awaitable<Result<T>> parsed(net::HttpMethod method, std::string_view path,
                                      std::string params, bool is_command, Parse parse) {
        auto res = co_await call(method, path, std::move(params), is_command);
        if (!res) co_return res.error();
        auto value = parse(json, res->body);
        if (value) {
            http->buffers().give(std::move(res->body));
            co_return value;
        }
        auto code = value.error().code();
        std::string msg(value.error().venue_message());
        if (code.category() != venue_category()) {
            // Not the expected shape: perhaps {"code":..,"msg":..} under HTTP 200 (P16, SPEC §5.2).
            if (auto refused = refusal_of(json, res->body)) {
                code = refused->code();
                msg.assign(refused->venue_message());
            }
        }
        if (code.category() == venue_category()) {
            // A refusal under HTTP 200: classified like any venue code; it proves non-acceptance.
            Condition c = condition_of_venue_code(code.value());
            if (c == Condition::outcome_unknown && !is_command) c = Condition::network;
            Error e(c, code);
            e.with_http_status(200).with_venue_message(msg);
            co_return e;
        }
        // A command whose answer cannot be read did execute or not: its outcome is unknown.
        if (is_command) co_return Error(Condition::outcome_unknown, code);
        co_return value;
    }
};

}  // namespace mexc::rest
