#include "mexc/rest/rate_limiter.hpp"

#include "rest/endpoints.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mexc {

namespace {

using Clock = RateLimiter::Clock;

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

void expire(Meter& m, Clock::time_point now, std::chrono::milliseconds window) {
    while (!m.log.empty() && now - m.log.front().at >= window) {
        m.used -= m.log.front().weight;
        m.log.pop_front();
    }
}

}  // namespace

struct RateLimiter::State {
    Meter ip, uid, orders;
    Meter& of(RateScope scope) noexcept { return scope == RateScope::ip ? ip : uid; }
};

RateLimiter::RateLimiter(RateLimits limits)
    : limits_(std::move(limits)), state_(std::make_unique<State>()) {}
RateLimiter::~RateLimiter() = default;
RateLimiter::RateLimiter(RateLimiter&&) noexcept = default;
RateLimiter& RateLimiter::operator=(RateLimiter&&) noexcept = default;

int RateLimiter::weight_of(std::string_view method_and_path) const {
    if (auto it = limits_.weights.find(method_and_path); it != limits_.weights.end())
        return it->second;
    for (const rest::Endpoint* e : rest::endpoints::all) {
        const auto method = rest::method_name(e->method);
        if (method_and_path.size() == method.size() + 1 + e->path.size() &&
            method_and_path.starts_with(method) && method_and_path[method.size()] == ' ' &&
            method_and_path.ends_with(e->path))
            return e->weight;
    }
    return 1;
}

int RateLimiter::weight_of(std::string_view method, std::string_view path) const {
    char key[160];  // "METHOD /path": every table key is far shorter
    if (method.size() + 1 + path.size() > sizeof key) return 1;
    std::copy(method.begin(), method.end(), key);
    key[method.size()] = ' ';
    std::copy(path.begin(), path.end(), key + method.size() + 1);
    return weight_of(std::string_view(key, method.size() + 1 + path.size()));
}

std::chrono::milliseconds RateLimiter::try_acquire(RateScope scope, int weight, bool is_order,
                                                   Clock::time_point now) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    Meter& m = state_->of(scope);
    const int budget = scope == RateScope::ip ? limits_.ip_weight : limits_.uid_weight;
    if (m.paused_until > now)
        return std::max(milliseconds(1),
                        duration_cast<milliseconds>(m.paused_until - now) + milliseconds(1));
    expire(m, now, limits_.window);
    // The oldest entries leave the sliding window first: wait until enough of them have.
    if (m.used + weight > budget && !m.log.empty()) {
        int freed = 0;
        for (std::size_t i = 0; i < m.log.size(); ++i) {
            freed += m.log[i].weight;
            if (m.used - freed + weight <= budget)
                return std::max(milliseconds(1),
                                duration_cast<milliseconds>(m.log[i].at + limits_.window - now) +
                                    milliseconds(1));
        }
    }
    if (is_order) {
        constexpr milliseconds second(1000);
        expire(state_->orders, now, second);
        if (static_cast<int>(state_->orders.log.size()) >= limits_.orders_per_second &&
            !state_->orders.log.empty())
            return std::max(milliseconds(1), duration_cast<milliseconds>(
                                                 state_->orders.log.front().at + second - now) +
                                                 milliseconds(1));
        state_->orders.log.push_back({now, 1});
        ++state_->orders.used;
    }
    if (weight > 0) {
        m.log.push_back({now, weight});
        m.used += weight;
    }
    return milliseconds(0);
}

void RateLimiter::pause(RateScope scope, Clock::time_point until) {
    Meter& m = state_->of(scope);
    m.paused_until = std::max(m.paused_until, until);
}

int RateLimiter::remaining(RateScope scope, Clock::time_point now) {
    Meter& m = state_->of(scope);
    expire(m, now, limits_.window);
    const int budget = scope == RateScope::ip ? limits_.ip_weight : limits_.uid_weight;
    return m.paused_until > now ? 0 : std::max(0, budget - m.used);
}

}  // namespace mexc
