#pragma once
// When a failed read is tried again (issue item: reads retried, bounded, backoff with jitter,
// Retry-After honoured). Transport failures and 5xx answers of reads (Condition::network) back off
// exponentially with full jitter; a Retry-After the venue sent is waited out when longer, and a
// longer one than `max_wait` ends the call instead. Commands are never retried here (FAULTS §1.2),
// and 429/418 are not either: the limiter pauses their scope until Retry-After.

#include "mexc/error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <random>

namespace mexc::rest {

class ReadRetry {
public:
    /// Attempts of a read by default (RestFamilyOptions::read_retries + 1).
    static constexpr int max_attempts = 3;
    static constexpr std::chrono::milliseconds base{100};
    static constexpr std::chrono::milliseconds max_wait{5000};

    /// The wait before another attempt after attempt number `attempt` (0-based) of at most
    /// `attempts` failed with `e`, or nothing when the call ends with `e`.
    std::optional<std::chrono::milliseconds> after(const Error& e, int attempt,
                                                   int attempts = max_attempts) {
        if (e.condition() != Condition::network || attempt + 1 >= attempts) return std::nullopt;
        if (e.retry_after() > max_wait) return std::nullopt;
        std::uniform_int_distribution<std::int64_t> pick(0, (base * (1 << attempt)).count());
        return std::max(std::chrono::milliseconds(pick(rng_)), e.retry_after());
    }

    /// Waits `delay` on the calling coroutine's executor.
    static boost::asio::awaitable<void> pause(std::chrono::milliseconds delay) {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::deferred));
    }

private:
    std::minstd_rand rng_{std::random_device{}()};
};

}  // namespace mexc::rest
