#pragma once
// Drives an io_context until an awaitable completes; fails (never hangs) at a deadline.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <optional>

namespace mexc::testing {

template <class T>
T run(boost::asio::io_context& ioc, boost::asio::awaitable<T> task,
      std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    std::optional<T> out;
    std::exception_ptr failure;
    bool done = false;
    boost::asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T value) {
        failure = e;
        if (!e) out.emplace(std::move(value));
        done = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + limit;
    ioc.restart();
    while (!done && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(std::chrono::milliseconds(20));
    if (!done) FAIL("the awaited operation did not finish before the test deadline");
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

inline void run(boost::asio::io_context& ioc, boost::asio::awaitable<void> task,
                std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    run(
        ioc,
        [](boost::asio::awaitable<void> t) -> boost::asio::awaitable<bool> {
            co_await std::move(t);
            co_return true;
        }(std::move(task)),
        limit);
}

/// Runs the context until `done()` holds; fails at the deadline. For effects, never a sleep.
template <class Predicate>
void run_until(boost::asio::io_context& ioc, Predicate done,
               std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    ioc.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(std::chrono::milliseconds(20));
    if (!done()) FAIL("condition not reached before the test deadline");
}

}  // namespace mexc::testing
