#pragma once
// Admits REST depth snapshots a few at a time, resyncs of books already in use before first
// loads. With hundreds of books subscribed at once, their snapshot requests (weight 3 each, SPEC
// §3.1, §6.1) would otherwise all wait inside the rate limiter together, each holding a
// connection of its own, and leave in no particular order.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>

namespace mexc::ws {

class SnapshotGate {
public:
    enum class Priority : std::uint8_t { resync, first_load };

    /// `limit`: snapshot requests in flight at most (at least 1).
    SnapshotGate(boost::asio::any_io_executor ex, std::size_t limit);
    SnapshotGate(const SnapshotGate&) = delete;
    SnapshotGate& operator=(const SnapshotGate&) = delete;

    /// One admission; the slot is given back when it is destroyed.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                if (gate_) gate_->release();
                gate_ = other.gate_;
                other.gate_ = nullptr;
            }
            return *this;
        }
        ~Slot() {
            if (gate_) gate_->release();
        }
        explicit operator bool() const noexcept { return gate_ != nullptr; }

    private:
        friend class SnapshotGate;
        explicit Slot(SnapshotGate* gate) noexcept : gate_(gate) {}
        SnapshotGate* gate_ = nullptr;
    };

    /// Completes with a slot when the request may go, first come first served within a priority;
    /// with an empty slot once closed. Cancellation: a waiter destroyed before it resumed gives
    /// up its place (or the slot it was just granted). Lifetime: the gate outlives the waiters.
    [[nodiscard]] boost::asio::awaitable<Slot> acquire(Priority priority);

    /// Wakes every waiter with an empty slot; later acquires complete at once, empty.
    void close() noexcept;

    std::size_t waiting() const noexcept { return queues_[0].size() + queues_[1].size(); }
    std::size_t in_flight() const noexcept { return in_flight_; }

private:
    struct Waiter {
        boost::asio::steady_timer* timer;
        bool granted = false;
    };
    void release() noexcept;

    boost::asio::any_io_executor ex_;
    std::size_t limit_;
    std::size_t in_flight_ = 0;
    bool closed_ = false;
    std::deque<Waiter*> queues_[2];  // by priority
};

}  // namespace mexc::ws
