#include "ws/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>

namespace mexc::ws {
namespace asio = boost::asio;

TaskGroup::TaskGroup(asio::any_io_executor ex) : ex_(ex), joined_(ex) {}

bool TaskGroup::spawn(asio::awaitable<void> task) {
    auto keep = owner_.lock();
    if (!keep) return false;
    ++live_;
    asio::co_spawn(ex_, std::move(task), [this, keep = std::move(keep)](std::exception_ptr e) {
        finished(e != nullptr);
    });
    return true;
}

void TaskGroup::finished(bool failed) noexcept {
    if (failed) ++failures_;
    if (--live_ == 0) joined_.cancel();
}

asio::awaitable<bool> TaskGroup::join(std::chrono::milliseconds bound) {
    if (live_ == 0) co_return true;
    // The timer's expiry is the bound; the last task to finish cancels the wait early.
    joined_.expires_after(bound);
    co_await joined_.async_wait(asio::as_tuple(asio::deferred));
    co_return live_ == 0;
}

}  // namespace mexc::ws
