// The owned-task join of src/ws/task_group.hpp: join completes when the last task finishes (not
// by polling), a bound ends it early, tasks hold their owner, and a task that throws is counted.

#include "ws/task_group.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <stdexcept>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Owner {
    explicit Owner(asio::any_io_executor ex) : tasks(ex) {}
    mexc::ws::TaskGroup tasks;
    int finished = 0;
};

asio::awaitable<void> sleep_then_count(asio::any_io_executor ex, std::chrono::milliseconds d,
                                       Owner* owner) {
    asio::steady_timer t(ex, d);
    co_await t.async_wait(asio::as_tuple(asio::deferred));
    ++owner->finished;
}

asio::awaitable<void> throws(asio::any_io_executor ex) {
    asio::steady_timer t(ex, 1ms);
    co_await t.async_wait(asio::as_tuple(asio::deferred));
    throw std::runtime_error("bug");
}

/// Runs join(bound) to completion; returns its answer and how long it took.
std::pair<bool, Clock::duration> join(asio::io_context& ioc, mexc::ws::TaskGroup& tasks,
                                      std::chrono::milliseconds bound) {
    std::optional<bool> joined;
    const auto started = Clock::now();
    asio::co_spawn(ioc, tasks.join(bound), [&](std::exception_ptr e, bool all) {
        REQUIRE_FALSE(e);
        joined = all;
    });
    ioc.restart();
    while (!joined && Clock::now() - started < 5s) ioc.run_one_for(10ms);
    REQUIRE(joined);
    return {*joined, Clock::now() - started};
}

}  // namespace

TEST_CASE("task group: join completes when the last task finishes", "[unit][ws][tasks]") {
    asio::io_context ioc{1};
    auto owner = std::make_shared<Owner>(ioc.get_executor());
    owner->tasks.bind(owner);
    for (auto d : {10ms, 30ms, 60ms})
        REQUIRE(owner->tasks.spawn(sleep_then_count(ioc.get_executor(), d, owner.get())));
    CHECK(owner->tasks.live() == 3);
    const auto [all, took] = join(ioc, owner->tasks, 2s);
    CHECK(all);
    CHECK(owner->finished == 3);
    CHECK(owner->tasks.live() == 0);
    CHECK(took >= 60ms);
    CHECK(took < 1s);                          // woken by the last task, not by the bound
    CHECK(join(ioc, owner->tasks, 2s).first);  // nothing left: at once
}

TEST_CASE("task group: join gives up at the bound while a task still runs", "[unit][ws][tasks]") {
    asio::io_context ioc{1};
    auto owner = std::make_shared<Owner>(ioc.get_executor());
    owner->tasks.bind(owner);
    REQUIRE(owner->tasks.spawn(sleep_then_count(ioc.get_executor(), 500ms, owner.get())));
    const auto [all, took] = join(ioc, owner->tasks, 50ms);
    CHECK_FALSE(all);
    CHECK(took < 400ms);
    CHECK(owner->tasks.live() == 1);
    CHECK(join(ioc, owner->tasks, 2s).first);
    CHECK(owner->finished == 1);
}

TEST_CASE("task group: tasks hold their owner, and none starts once it is gone",
          "[unit][ws][tasks]") {
    asio::io_context ioc{1};
    auto owner = std::make_shared<Owner>(ioc.get_executor());
    std::weak_ptr<Owner> watch = owner;
    owner->tasks.bind(owner);
    REQUIRE(owner->tasks.spawn(sleep_then_count(ioc.get_executor(), 20ms, owner.get())));
    owner.reset();
    CHECK_FALSE(watch.expired());  // the running task keeps it
    ioc.run_for(1s);
    CHECK(watch.expired());  // released with the task's completion
    CHECK(ioc.stopped());

    asio::io_context other{1};
    auto orphan = std::make_unique<Owner>(other.get_executor());
    CHECK_FALSE(orphan->tasks.spawn(sleep_then_count(other.get_executor(), 1ms, orphan.get())));
    CHECK(orphan->tasks.live() == 0);
}

TEST_CASE("task group: a task that throws is counted and still joined", "[unit][ws][tasks]") {
    asio::io_context ioc{1};
    auto owner = std::make_shared<Owner>(ioc.get_executor());
    owner->tasks.bind(owner);
    REQUIRE(owner->tasks.spawn(throws(ioc.get_executor())));
    CHECK(join(ioc, owner->tasks, 2s).first);
    CHECK(owner->tasks.failures() == 1);
}
