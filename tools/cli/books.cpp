#include "books.hpp"

#include "json_out.hpp"

#include "mexc/book/book_view.hpp"
#include "mexc/rest/public_rest.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace mexc::cli {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

std::uint64_t rss_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

// What the concurrent subscriptions report back.
struct Tally {
    std::size_t pending = 0;
    std::size_t live = 0;
    std::uint64_t rate_limited = 0;
    std::optional<Error> first_error;
    Clock::time_point last_live{};
    asio::steady_timer* all_done = nullptr;
};

asio::awaitable<void> subscribe_one(MexcExchange& ex, std::string symbol,
                                    std::shared_ptr<Tally> tally) {
    auto view = co_await ex.subscribe_book(std::move(symbol));
    if (view) {
        ++tally->live;
        tally->last_live = Clock::now();
    } else {
        if (view.error().condition() == Condition::rate_limited) ++tally->rate_limited;
        if (!tally->first_error) tally->first_error = view.error();
    }
    if (--tally->pending == 0 && tally->all_done) tally->all_done->cancel();
}

}  // namespace

asio::awaitable<int> books(MexcExchange& ex, BooksRequest request) {
    const auto start = Clock::now();
    auto info = co_await ex.public_rest().exchange_info({});
    if (!info) {
        fmt::print("{{\"error\":\"exchange-info\",\"condition\":\"{}\"}}\n",
                   to_string(info.error().condition()));
        co_return 1;
    }
    std::vector<std::string> symbols;
    for (const auto& s : info->symbols)
        if (s.status == "1" && symbols.size() < request.symbols) symbols.push_back(s.symbol);

    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer all_done(executor, request.limit);
    auto tally = std::make_shared<Tally>();
    tally->pending = symbols.size();
    tally->all_done = &all_done;
    // Every book at once: the exchange spreads the topics over connections and queues the
    // snapshots behind the weight budget.
    for (auto& s : symbols)
        asio::co_spawn(executor, subscribe_one(ex, std::move(s), tally),
                       [tally](std::exception_ptr e) {
                           if (e && !tally->first_error)
                               tally->first_error = Error(Condition::closed, Errc::closed);
                       });
    if (tally->pending != 0) {
        boost::system::error_code ec;
        co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    tally->all_done = nullptr;

    const auto m = ex.metrics();
    const std::uint64_t connections = m.connects - m.disconnects;
    std::uint64_t max_topics =
        connections == 0 ? 0 : (symbols.size() + connections - 1) / connections;
    if (request.venue_max_topics) max_topics = request.venue_max_topics();
    const std::uint64_t http_429 = request.venue_429 ? request.venue_429() : tally->rate_limited;
    const double seconds =
        tally->live == 0 ? 0.0 : std::chrono::duration<double>(tally->last_live - start).count();
    if (tally->first_error)
        fmt::print("{{\"error\":\"subscribe\",\"condition\":\"{}\",\"detail\":\"{}\"}}\n",
                   to_string(tally->first_error->condition()),
                   json_escaped(tally->first_error->describe()));
    fmt::print(
        R"({{"symbols":{},"live":{},"connections":{},"max_topics_per_connection":{},"seconds_to_all_live":{:.2f},"snapshots":{},"http_429":{},"rss_bytes":{}}})"
        "\n",
        symbols.size(), tally->live, connections, max_topics, seconds, m.snapshots, http_429,
        rss_bytes());
    std::fflush(stdout);
    // What lies behind the figures, for the one investigating them (stdout keeps one line).
    fmt::print(stderr,
               R"({{"snapshot_failures":{},"gaps":{},"connects":{},"disconnects":{},"frames":{}}})"
               "\n",
               m.snapshot_failures, m.gaps, m.connects, m.disconnects, m.frames);
    co_return tally->live == symbols.size() && symbols.size() == request.symbols ? 0 : 1;
}

}  // namespace mexc::cli
