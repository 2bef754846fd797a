// Sandbox capacity: one sandbox serving N symbols x (aggre.depth + aggre.deals + aggre.bookTicker)
// @10ms to one client, at a 10 ms tick. The sandbox runs on its own thread and io_context; the
// client (mexc::net::WsConnection, three connections of 30 topics, MEXC's per-connection cap) runs
// on another. After the subscriptions are acknowledged and a warm-up second, both threads' CPU
// time (CLOCK_THREAD_CPUTIME_ID of each thread) and the frames/bytes received are measured over a
// fixed wall-clock window.
//
//   mexc_sandbox_capacity [seconds=10] [symbols=30] [tick_ms=10]

#include "sandbox_thread.hpp"

#include "net/url.hpp"
#include "net/ws_connection.hpp"

#include <mexc/wire/push.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <sys/resource.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

enum Channel { depth, deals, book_ticker, other, channel_count };
constexpr std::array<const char*, channel_count> channel_names{"aggre.depth", "aggre.deals",
                                                               "aggre.bookTicker", "other"};

struct Counters {
    std::atomic<std::uint64_t> frames[channel_count]{};
    std::atomic<std::uint64_t> bytes{0};
    std::atomic<std::uint64_t> text_frames{0};
    std::atomic<std::uint64_t> decode_errors{0};
    std::atomic<int> subscribed{0};  // connections whose subscription was acknowledged
    std::atomic<int> failed{0};
};

std::vector<mexc::sandbox::SymbolSpec> capacity_symbols(int n) {
    const auto defaults = mexc::sandbox::default_symbols();
    std::vector<mexc::sandbox::SymbolSpec> out;
    for (int i = 0; i < n; ++i) {
        auto spec = defaults[static_cast<std::size_t>(i) % defaults.size()];
        char name[16];
        std::snprintf(name, sizeof name, "S%02d", i);
        spec.base_asset = name;
        spec.symbol = spec.base_asset + "USDT";
        spec.quote_asset = "USDT";
        out.push_back(std::move(spec));
    }
    return out;
}

asio::awaitable<void> client_connection(
    asio::any_io_executor ex, mexc::net::Url url, std::vector<std::string> topics,
    Counters& counters, std::vector<std::shared_ptr<mexc::net::WsConnection>>& conns,
    std::atomic<bool>& stopping) {
    auto connected = co_await mexc::net::WsConnection::connect(ex, url, nullptr, {});
    if (!connected) {
        ++counters.failed;
        co_return;
    }
    std::shared_ptr<mexc::net::WsConnection> conn = std::move(*connected);
    conns.push_back(conn);
    std::string sub = R"({"method":"SUBSCRIPTION","params":[)";
    for (std::size_t i = 0; i < topics.size(); ++i) sub += (i ? ",\"" : "\"") + topics[i] + "\"";
    sub += R"(],"id":1})";
    conn->send_text(std::move(sub));
    bool acked = false;
    for (;;) {
        auto m = co_await conn->read();
        if (!m) {
            if (!stopping) ++counters.failed;
            co_return;
        }
        if (!m->binary) {
            ++counters.text_frames;
            if (!acked && m->data.find("\"msg\":\"spot@") != std::string_view::npos) {
                if (m->data.find("Blocked") != std::string_view::npos) ++counters.failed;
                acked = true;
                ++counters.subscribed;
            }
            continue;
        }
        counters.bytes.fetch_add(m->data.size(), std::memory_order_relaxed);
        auto frame = mexc::wire::decode_push(m->data);
        if (!frame) {
            ++counters.decode_errors;
            continue;
        }
        const std::string_view ch = frame->channel;
        const Channel c = ch.find("aggre.depth") != std::string_view::npos   ? depth
                          : ch.find("aggre.deals") != std::string_view::npos ? deals
                          : ch.find("bookTicker") != std::string_view::npos  ? book_ticker
                                                                             : other;
        counters.frames[c].fetch_add(1, std::memory_order_relaxed);
    }
}

double seconds(std::chrono::nanoseconds d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int duration_s = argc > 1 ? std::atoi(argv[1]) : 10;
    const int symbol_count = argc > 2 ? std::atoi(argv[2]) : 30;
    const int tick_ms = argc > 3 ? std::atoi(argv[3]) : 10;

    mexc::sandbox::SandboxOptions options;
    options.symbols = capacity_symbols(symbol_count);
    options.tick = std::chrono::milliseconds(tick_ms);
    mexc::sandbox::SandboxThread venue(std::move(options));

    // Topics: connection k carries symbols k, k+3, k+6, ... (30 topics each for 30 symbols).
    constexpr int connection_count = 3;
    std::vector<std::vector<std::string>> topics(connection_count);
    for (int i = 0; i < symbol_count; ++i) {
        char sym[16];
        std::snprintf(sym, sizeof sym, "S%02dUSDT", i);
        auto& t = topics[static_cast<std::size_t>(i % connection_count)];
        t.push_back(std::string("spot@public.aggre.depth.v3.api.pb@10ms@") + sym);
        t.push_back(std::string("spot@public.aggre.deals.v3.api.pb@10ms@") + sym);
        t.push_back(std::string("spot@public.aggre.bookTicker.v3.api.pb@10ms@") + sym);
    }

    Counters counters;
    std::atomic<bool> stopping{false};
    asio::io_context client_io;
    auto guard = asio::make_work_guard(client_io);
    std::vector<std::shared_ptr<mexc::net::WsConnection>> conns;
    const auto url = mexc::net::parse_url(venue.ws_url()).value();
    for (auto& t : topics)
        asio::co_spawn(
            client_io,
            client_connection(client_io.get_executor(), url, t, counters, conns, stopping),
            asio::detached);
    std::thread client([&] { client_io.run(); });

    const auto wait_deadline = Clock::now() + std::chrono::seconds(10);
    while (counters.subscribed < connection_count && counters.failed == 0 &&
           Clock::now() < wait_deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (counters.subscribed < connection_count || counters.failed != 0) {
        std::fprintf(stderr, "subscription failed: %d acknowledged, %d failures\n",
                     counters.subscribed.load(), counters.failed.load());
        std::_Exit(1);
    }
    std::this_thread::sleep_for(std::chrono::seconds(1));  // warm-up: first snapshots, steady state

    auto snapshot = [&] {
        struct S {
            Clock::time_point wall;
            std::chrono::nanoseconds sandbox_cpu, client_cpu;
            std::array<std::uint64_t, channel_count> frames;
            std::uint64_t bytes;
            rusage process;
            std::uint64_t steps, pushed;
        } s{};
        s.wall = Clock::now();
        s.sandbox_cpu = venue.cpu_time();
        s.client_cpu = mexc::sandbox::SandboxThread::thread_cpu_time(client);
        for (int c = 0; c < channel_count; ++c)
            s.frames[static_cast<std::size_t>(c)] = counters.frames[c].load();
        s.bytes = counters.bytes.load();
        getrusage(RUSAGE_SELF, &s.process);
        std::tie(s.steps, s.pushed) = venue.run_on([](mexc::sandbox::Sandbox& sb) {
            return std::pair{sb.market().steps(), sb.stats().frames_pushed};
        });
        return s;
    };
    const auto a = snapshot();
    std::this_thread::sleep_for(std::chrono::seconds(duration_s));
    const auto b = snapshot();

    const double wall = seconds(b.wall - a.wall);
    const double sandbox_cpu = seconds(b.sandbox_cpu - a.sandbox_cpu);
    const double client_cpu = seconds(b.client_cpu - a.client_cpu);
    auto tv = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    const double process_cpu = tv(b.process.ru_utime) + tv(b.process.ru_stime) -
                               tv(a.process.ru_utime) - tv(a.process.ru_stime);
    std::uint64_t frames = 0;
    for (int c = 0; c < channel_count; ++c)
        frames += b.frames[static_cast<std::size_t>(c)] - a.frames[static_cast<std::size_t>(c)];
    const double bytes = static_cast<double>(b.bytes - a.bytes);

    std::printf(
        "sandbox capacity: %d symbols x 3 channels @10ms, tick %d ms, %d connections, window %.2f "
        "s\n",
        symbol_count, tick_ms, connection_count, wall);
    std::printf("  sandbox thread CPU   %.3f s  = %.1f %% of one core\n", sandbox_cpu,
                100.0 * sandbox_cpu / wall);
    std::printf("  client thread CPU    %.3f s  = %.1f %% of one core\n", client_cpu,
                100.0 * client_cpu / wall);
    std::printf("  process CPU (all)    %.3f s  = %.1f %% of one core\n", process_cpu,
                100.0 * process_cpu / wall);
    std::printf("  frames received      %.0f /s (", static_cast<double>(frames) / wall);
    for (int c = 0; c < channel_count; ++c)
        std::printf("%s%s %.0f", c ? ", " : "", channel_names[static_cast<std::size_t>(c)],
                    static_cast<double>(b.frames[static_cast<std::size_t>(c)] -
                                        a.frames[static_cast<std::size_t>(c)]) /
                        wall);
    std::printf(")\n");
    std::printf("  bytes received       %.0f /s (%.2f MB/s, %.0f B/frame)\n", bytes / wall,
                bytes / wall / 1e6, frames ? bytes / static_cast<double>(frames) : 0.0);
    std::printf("  market steps         %.1f /s; frames pushed by the sandbox %.0f /s\n",
                static_cast<double>(b.steps - a.steps) / wall,
                static_cast<double>(b.pushed - a.pushed) / wall);
    std::printf("  sandbox CPU per frame %.2f us; decode errors %llu; connection failures %d\n",
                frames ? 1e6 * sandbox_cpu / static_cast<double>(frames) : 0.0,
                static_cast<unsigned long long>(counters.decode_errors.load()),
                counters.failed.load());

    stopping = true;
    asio::post(client_io, [&] {
        for (auto& c : conns) c->abort();
        guard.reset();
        client_io.stop();
    });
    client.join();
    return counters.failed.load() == 0 ? 0 : 1;
}
