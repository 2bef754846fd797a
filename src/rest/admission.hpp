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
#include <cstdint>

namespace mexc::rest {

/// The rate admission of one request: a gate the HTTP client awaits once a connection is ready.
/// It lives in the calling coroutine's frame, so metering a request allocates nothing; it settles
/// the admission when it goes, which is when the request has ended one way or another.
class Admission final : public net::SendGate {
public:
    /// `sent_ms`, when given, receives the local time at which the request was admitted.
    Admission(RateLimiter& limiter, RateScope scope, int weight, bool is_order,
              std::int64_t* sent_ms = nullptr)
        : limiter_(limiter),
          scope_(scope),
          weight_(weight),
          is_order_(is_order),
          sent_ms_(sent_ms) {}
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;
    ~Admission() {
        if (admitted_) limiter_.settle(scope_, weight_, is_order_, RateLimiter::Clock::now());
    }

    /// Waits (never fails) until the limiter admits the request; true if it had to wait.
    boost::asio::awaitable<bool> before_send() override {
        bool waited = false;
        for (;;) {
            const auto wait =
                limiter_.try_acquire(scope_, weight_, is_order_, RateLimiter::Clock::now());
            if (wait.count() == 0) {
                admitted_ = true;
                break;
            }
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, wait);
            co_await timer.async_wait(boost::asio::as_tuple(boost::asio::deferred));
            waited = true;
        }
        if (sent_ms_ != nullptr)
            *sent_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        co_return waited;
    }

private:
    RateLimiter& limiter_;
    RateScope scope_;
    int weight_;
    bool is_order_;
    std::int64_t* sent_ms_;
    bool admitted_ = false;
};

/// After an answer: a 429/418 pauses the scope until Retry-After (at least one second).
inline void note_answer(RateLimiter& limiter, RateScope scope, const net::HttpResponse& response) {
    if (response.status != 429 && response.status != 418) return;
    const auto wait =
        std::max<std::chrono::milliseconds>(response.retry_after, std::chrono::seconds(1));
    limiter.pause(scope, RateLimiter::Clock::now() + wait);
}

}  // namespace mexc::rest
