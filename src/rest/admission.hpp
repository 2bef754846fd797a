#pragma once
// Waits for the rate budget before a request and records 429/418 pauses after it (SPEC §6.1).

#include "mexc/rest/rate_limiter.hpp"
#include "net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <memory>
#include <string>

namespace mexc::rest {

inline std::string_view method_name(net::HttpMethod m) {
    switch (m) {
    case net::HttpMethod::get: return "GET";
    case net::HttpMethod::post: return "POST";
    case net::HttpMethod::put: return "PUT";
    case net::HttpMethod::del: return "DELETE";
    }
    return "GET";
}

/// Waits (never fails) until the limiter admits the request.
inline boost::asio::awaitable<void> admit(std::shared_ptr<RateLimiter> limiter_ptr, RateScope scope, net::HttpMethod method,
                                          std::string path, bool is_order) {
    RateLimiter& limiter = *limiter_ptr;
    std::string key(method_name(method));
    key += ' ';
    key += path;
    const int weight = limiter.weight_of(key);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (;;) {
        const auto wait = limiter.try_acquire(scope, weight, is_order, RateLimiter::Clock::now());
        if (wait.count() == 0) co_return;
        timer.expires_after(wait);
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::deferred));
    }
}

/// Sets the request's admission to the limiter (see HttpRequest::before_send).
inline void meter(net::HttpRequest& req, std::shared_ptr<RateLimiter> limiter, RateScope scope, std::string path, bool is_order) {
    req.before_send = [limiter = std::move(limiter), scope, method = req.method, path = std::move(path), is_order]() {
        return admit(limiter, scope, method, path, is_order);
    };
}

/// After an answer: a 429/418 pauses the scope until Retry-After (at least one second).
inline void note_answer(RateLimiter& limiter, RateScope scope, const net::HttpResponse& response) {
    if (response.status != 429 && response.status != 418) return;
    const auto wait = std::max<std::chrono::milliseconds>(response.retry_after, std::chrono::seconds(1));
    limiter.pause(scope, RateLimiter::Clock::now() + wait);
}

}  // namespace mexc::rest
