#pragma once
// Client-side request budget (SPEC §6.1), sans-io: request weights per endpoint are metered per
// IP (unsigned endpoints) and per account (signed endpoints) over a sliding window, orders and
// cancels share a per-second count, and a 429/418 pauses the scope until Retry-After (E04, E05).
//
// The venue counts a request when it arrives, which is somewhere between our admission and its
// answer. So an admitted request holds its weight while it is in flight and for one whole window
// after its answer (settle()): then no window of arrival times the venue can see holds more than
// the budget, however late the request left this process or how long it took on the way.

#include "mexc/rest/rate_limits.hpp"

#include <chrono>
#include <memory>
#include <string_view>

namespace mexc {

/// One budget, shared by every REST client of an exchange (MexcExchange::rate_limiter()). Not
/// thread-safe: used from the clients' executor.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    /// Allocates its state once; admissions allocate only while the log grows to a full window.
    explicit RateLimiter(RateLimits limits = {});
    ~RateLimiter();
    RateLimiter(RateLimiter&&) noexcept;
    RateLimiter& operator=(RateLimiter&&) noexcept;

    /// The configured override, else the endpoint table's weight, else 1. Never fails.
    int weight_of(std::string_view method_and_path) const;
    int weight_of(std::string_view method, std::string_view path) const;

    /// Admits the request now (holding its weight in flight) and returns 0, or returns how long
    /// to wait before asking again (at least 1 ms; nothing is recorded then). `is_order` also
    /// counts against the shared order rate. Every admission is settled exactly once.
    std::chrono::milliseconds try_acquire(RateScope scope, int weight, bool is_order,
                                          Clock::time_point now);

    /// The admitted request has ended (answered, failed or abandoned) at `now`: its weight leaves
    /// the window one window later.
    void settle(RateScope scope, int weight, bool is_order, Clock::time_point now);

    /// A 429 or 418 answer: nothing on this scope until `until` (E04, E05); a later pause wins.
    void pause(RateScope scope, Clock::time_point until);

    /// Weight still available in the current window (0 while paused): a gauge for metrics.
    int remaining(RateScope scope, Clock::time_point now);

    /// The budgets it was made with.
    const RateLimits& limits() const noexcept { return limits_; }

private:
    struct State;  // the meters and their admission logs (src/rest/rate_limiter.cpp)
    RateLimits limits_;
    std::unique_ptr<State> state_;
};

}  // namespace mexc
