#pragma once
// The long-lived tasks of one owner (stream loops, snapshot cycles, the watchdog), joined at
// close. Each task holds its owner alive, so an owner destroyed without close() outlives its last
// task; join() completes when the last task has finished, or at a bound.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace mexc::ws {

class TaskGroup {
public:
    explicit TaskGroup(boost::asio::any_io_executor ex);
    TaskGroup(const TaskGroup&) = delete;
    TaskGroup& operator=(const TaskGroup&) = delete;

    /// Lifetime: this group lives inside `owner`; every task holds `owner` until it finishes.
    void bind(std::weak_ptr<void> owner) noexcept { owner_ = std::move(owner); }

    /// Starts `task` on the executor (never detached). Returns false, and drops the task, when the
    /// owner is already gone.
    bool spawn(boost::asio::awaitable<void> task);

    /// Completes when no task is left (true) or after `bound` (false). One joiner at a time.
    boost::asio::awaitable<bool> join(std::chrono::milliseconds bound);

    /// Tasks started and not yet finished.
    std::size_t live() const noexcept { return live_; }
    /// Tasks that ended with an exception (a bug: owned tasks report failures as results).
    std::size_t failures() const noexcept { return failures_; }

private:
    void finished(bool failed) noexcept;

    boost::asio::any_io_executor ex_;
    std::weak_ptr<void> owner_;
    boost::asio::steady_timer joined_;  // a joiner sleeps on it; the last task cancels it
    std::size_t live_ = 0;
    std::size_t failures_ = 0;
};

}  // namespace mexc::ws
