#include "mexc/rest/rate_limiter.hpp"

#include "rest/endpoints.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mexc {

namespace {

using Clock = RateLimiter::Clock;

/// Settled requests still inside the window, oldest first, in a ring that grows by doubling until
/// it holds a full window (at most the budget: each entry weighs at least 1), then never again.
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
    Log log;            // settled requests, by the time they ended
    int in_flight = 0;  // weight of admitted requests not settled yet: it cannot expire
    int used = 0;       // in_flight + the log's weight
    Clock::time_point paused_until{};
};

void expire(Meter& m, Clock::time_point now, std::chrono::milliseconds window) {
    while (!m.log.empty() && now - m.log.front().at >= window) {
        m.used -= m.log.front().weight;
        m.log.pop_front();
    }
}

constexpr std::chrono::milliseconds order_window{1000};

/// 0 when `weight` fits `budget` now, else how long until enough settled weight has left. When
/// settling requests cannot free enough, the rest is in flight and leaves a window after its
/// answer at the earliest: asking again in one window is then never too early to matter.
std::chrono::milliseconds wait_for(Meter& m, int weight, int budget,
                                   std::chrono::milliseconds window, Clock::time_point now) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    expire(m, now, window);
    // A request heavier than the whole budget goes alone rather than never.
    if (m.used + weight <= budget || m.used == 0) return milliseconds(0);
    int freed = 0;
    for (std::size_t i = 0; i < m.log.size(); ++i) {
        freed += m.log[i].weight;
        if (m.used - freed + weight <= budget)
            return std::max(
                milliseconds(1),
                duration_cast<milliseconds>(m.log[i].at + window - now) + milliseconds(1));
    }
    return window;
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
    if (const auto wait = wait_for(m, weight, budget, limits_.window, now); wait.count() > 0)
        return wait;
    if (is_order) {
        Meter& orders = state_->orders;
        if (const auto wait = wait_for(orders, 1, limits_.orders_per_second, order_window, now);
            wait.count() > 0)
            return wait;
        ++orders.in_flight;
        ++orders.used;
    }
    m.in_flight += weight;
    m.used += weight;
    return milliseconds(0);
}

void RateLimiter::settle(RateScope scope, int weight, bool is_order, Clock::time_point now) {
    const auto end = [now](Meter& m, int w) {
        if (w <= 0) return;
        m.in_flight -= w;
        m.log.push_back({now, w});  // `used` is unchanged: the weight only moves to the log
    };
    end(state_->of(scope), weight);
    if (is_order) end(state_->orders, 1);
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
