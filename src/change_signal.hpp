#pragma once
// ChangeSignal: coroutines wait for "something changed", then look at the state again.
//
// One timer that never expires serves every wait without a deadline, so a wait per pushed frame
// builds no timer (no service lookup, no executor copies): it registers one wait, and
// notify_all() completes them all. A wait with a deadline has a timer of its own (cold paths).
// A wait that starts after notify_all() is not woken by it: waiters check their condition first.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace mexc::detail {

class ChangeSignal {
public:
    using Clock = std::chrono::steady_clock;

    explicit ChangeSignal(const boost::asio::any_io_executor& ex)
        : ex_(ex), forever_(ex, boost::asio::steady_timer::time_point::max()) {}
    ChangeSignal(const ChangeSignal&) = delete;
    ChangeSignal& operator=(const ChangeSignal&) = delete;

    /// Wakes every wait in progress.
    void notify_all() noexcept {
        forever_.cancel();
        for (auto* t : deadlined_) t->cancel();
    }

    /// Completes at the next notify_all(). Cancellation: per operation, like a timer wait.
    auto wait() { return forever_.async_wait(boost::asio::as_tuple(boost::asio::deferred)); }

    /// Completes at the next notify_all() or at `deadline`, whichever comes first.
    /// Cancellation: per operation; the wait leaves the list however it ends.
    boost::asio::awaitable<void> wait_until(Clock::time_point deadline) {
        if (deadline == Clock::time_point::max()) {
            co_await wait();
            co_return;
        }
        boost::asio::steady_timer timer(ex_, deadline);
        deadlined_.push_back(&timer);
        struct Leave {
            std::vector<boost::asio::steady_timer*>& list;
            boost::asio::steady_timer* timer;
            ~Leave() { list.erase(std::find(list.begin(), list.end(), timer)); }
        } leave{deadlined_, &timer};
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::deferred));
    }

private:
    boost::asio::any_io_executor ex_;
    boost::asio::steady_timer forever_;
    std::vector<boost::asio::steady_timer*> deadlined_;
};

}  // namespace mexc::detail
