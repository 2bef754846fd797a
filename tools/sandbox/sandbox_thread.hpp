#pragma once
// An embedded mexc-sandbox on its own io_context and thread, for benchmarks and tests that need a
// venue on loopback while their own thread blocks (raw sockets), drives its own io_context, or
// counts its own allocations apart from the venue's.

#include "sandbox.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <pthread.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>
#include <utility>

namespace mexc::sandbox {

class SandboxThread {
public:
    explicit SandboxThread(SandboxOptions options)
        : guard_(boost::asio::make_work_guard(ioc_)),
          sandbox_(ioc_.get_executor(), std::move(options)) {
        if (auto started = sandbox_.start(); !started) {
            std::fprintf(stderr, "sandbox failed to start\n");
            std::abort();
        }
        thread_ = std::thread([this] { ioc_.run(); });
    }

    ~SandboxThread() {
        boost::asio::post(ioc_, [this] {
            sandbox_.stop();
            ioc_.stop();  // handlers still queued are destroyed with the io_context
        });
        thread_.join();
    }

    SandboxThread(const SandboxThread&) = delete;
    SandboxThread& operator=(const SandboxThread&) = delete;

    std::uint16_t port() const noexcept { return sandbox_.port(); }
    std::string rest_url() const { return sandbox_.rest_url(); }
    std::string ws_url() const { return sandbox_.ws_url(); }
    /// Runs `f(sandbox)` on the sandbox thread and returns its result (reads its state race-free).
    template <class F>
    auto run_on(F f) {
        std::packaged_task<decltype(f(sandbox_))()> task([&] { return f(sandbox_); });
        auto result = task.get_future();
        boost::asio::post(ioc_, [&task] { task(); });
        return result.get();
    }

    /// CPU time consumed so far by the sandbox thread (CLOCK_THREAD_CPUTIME_ID of that thread).
    std::chrono::nanoseconds cpu_time() { return thread_cpu_time(thread_); }

    static std::chrono::nanoseconds thread_cpu_time(std::thread& t) {
        clockid_t id{};
        timespec ts{};
        if (pthread_getcpuclockid(t.native_handle(), &id) != 0 || clock_gettime(id, &ts) != 0)
            return {};
        return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
    }

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    Sandbox sandbox_;
    std::thread thread_;
};

}  // namespace mexc::sandbox
