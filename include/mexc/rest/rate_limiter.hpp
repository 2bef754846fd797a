#pragma once
// Client-side request budget (SPEC §6.1), sans-io: request weights per endpoint are metered per
// IP (unsigned endpoints) and per account (signed endpoints) over a sliding window, orders and
// cancels share a per-second count, and a 429/418 pauses the scope until Retry-After (E04, E05).
// The tables are configurable because MEXC changes them.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mexc {

struct RateLimits {
    int ip_weight = 300;   // per window (SPEC §6.1 recommendation: ≤ 300 / 10 s)
    int uid_weight = 500;  // per window
    std::chrono::milliseconds window{10000};
    int orders_per_second = 10;  // MEXC: 12 / s shared by order and cancel endpoints
    /// "METHOD /path" → weight: overrides the weights of the client's endpoint table (SPEC §3 as
    /// of DOC-2025) for endpoints whose cost MEXC changed; e.g. {"GET /api/v3/exchangeInfo", 25}.
    std::map<std::string, int, std::less<>> weights;
};

enum class RateScope : std::uint8_t { ip, uid };

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(RateLimits limits = {}) : limits_(std::move(limits)) {}

    /// The configured override, else the endpoint table's weight, else 1.
    int weight_of(std::string_view method_and_path) const;
    int weight_of(std::string_view method, std::string_view path) const;

    /// Admits the request now (recording it) and returns 0, or returns how long to wait before
    /// asking again. `is_order` also counts against the shared order rate.
    std::chrono::milliseconds try_acquire(RateScope scope, int weight, bool is_order,
                                          Clock::time_point now);

    /// A 429 or 418 answer: nothing on this scope until `until` (E04, E05).
    void pause(RateScope scope, Clock::time_point until);

    /// Weight still available in the current window: a gauge for metrics.
    int remaining(RateScope scope, Clock::time_point now);

    const RateLimits& limits() const noexcept { return limits_; }

private:
    /// Admissions still inside the window, oldest first, in a ring that grows by doubling until it
    /// holds a full window (at most the budget: each entry weighs at least 1), then never again.
    class Log {
    public:
        struct Entry {
            Clock::time_point at;
            int weight;
        };
        bool empty() const noexcept { return count_ == 0; }
        std::size_t size() const noexcept { return count_; }
        const Entry& front() const noexcept { return ring_[head_]; }
        const Entry& operator[](std::size_t i) const noexcept {
            return ring_[(head_ + i) % ring_.size()];
        }
        void pop_front() noexcept {
            head_ = (head_ + 1) % ring_.size();
            --count_;
        }
        void push_back(Entry e) {
            if (count_ == ring_.size()) grow();
            ring_[(head_ + count_) % ring_.size()] = e;
            ++count_;
        }

    private:
        void grow() {
            std::vector<Entry> bigger(std::max<std::size_t>(64, ring_.size() * 2));
            for (std::size_t i = 0; i < count_; ++i) bigger[i] = (*this)[i];
            ring_ = std::move(bigger);
            head_ = 0;
        }
        std::vector<Entry> ring_;
        std::size_t head_ = 0;
        std::size_t count_ = 0;
    };
    struct Meter {
        Log log;
        int used = 0;
        Clock::time_point paused_until{};
    };
    void expire(Meter& m, Clock::time_point now, std::chrono::milliseconds window);

    RateLimits limits_;
    Meter ip_, uid_, orders_;
};

}  // namespace mexc
