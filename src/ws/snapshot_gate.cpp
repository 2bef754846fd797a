#include "ws/snapshot_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>

#include <algorithm>

namespace mexc::ws {
namespace asio = boost::asio;

SnapshotGate::SnapshotGate(asio::any_io_executor ex, std::size_t limit)
    : ex_(std::move(ex)), limit_(std::max<std::size_t>(limit, 1)) {}

asio::awaitable<SnapshotGate::Slot> SnapshotGate::acquire(Priority priority) {
    if (closed_) co_return Slot{};
    if (in_flight_ < limit_ && waiting() == 0) {
        ++in_flight_;
        co_return Slot{this};
    }
    asio::steady_timer timer(ex_, asio::steady_timer::time_point::max());
    Waiter waiter{&timer};
    auto& queue = queues_[static_cast<std::size_t>(priority)];
    queue.push_back(&waiter);
    struct Leave {  // runs however the wait ends, the coroutine's destruction included
        SnapshotGate& gate;
        std::deque<Waiter*>& queue;
        Waiter& waiter;
        bool taken = false;
        ~Leave() {
            if (auto it = std::find(queue.begin(), queue.end(), &waiter); it != queue.end())
                queue.erase(it);
            if (waiter.granted && !taken) gate.release();  // granted, never used: pass it on
        }
    } leave{*this, queue, waiter};
    co_await timer.async_wait(asio::as_tuple(asio::deferred));
    if (!waiter.granted) co_return Slot{};  // closed
    leave.taken = true;
    co_return Slot{this};
}

void SnapshotGate::release() noexcept {
    --in_flight_;
    if (closed_) return;
    for (auto& queue : queues_) {
        if (queue.empty()) continue;
        Waiter* next = queue.front();
        queue.pop_front();
        next->granted = true;
        ++in_flight_;
        next->timer->cancel();
        return;
    }
}

void SnapshotGate::close() noexcept {
    closed_ = true;
    for (auto& queue : queues_) {
        for (auto* w : queue) w->timer->cancel();
        queue.clear();
    }
}

}  // namespace mexc::ws
