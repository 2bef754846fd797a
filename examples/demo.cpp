// The example session: live order books for a few symbols, printed for a few seconds.
//
//   mexc_demo                      against the embedded sandbox exchange (default)
//   mexc_demo --config mexc.yaml   against the endpoints of a config file (e.g. real MEXC)
//   mexc_demo --seconds 5 --symbols BTCUSDT,ETHUSDT

#include "example_venue.hpp"

#include "mexc/mexc.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;

namespace {

std::string price_text(const mexc::Price& p) {
    char buf[32];
    return std::string(buf, p.format(std::span<char, 32>(buf)));
}

std::string quantity_text(const mexc::Quantity& q) {
    char buf[32];
    return std::string(buf, q.format(std::span<char, 32>(buf)));
}

asio::awaitable<int> session(mexc::MexcExchange& exchange, std::vector<std::string> symbols,
                             int seconds) {
    for (const auto& symbol : symbols) {
        auto book = co_await exchange.subscribe_book(symbol);
        if (!book) {
            fmt::print(stderr, "subscribe {}: {}\n", symbol, book.error().describe());
            co_await exchange.close();
            co_return 1;
        }
        fmt::print("{} is {} at version {}\n", symbol, mexc::to_string(book->state()),
                   book->version());
    }
    // Print each book's top at most every 250 ms; updates in between are conflated.
    using Clock = std::chrono::steady_clock;
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    std::vector<Clock::time_point> last_print(symbols.size());
    while (Clock::now() < end) {
        auto view = co_await exchange.next_book_update();
        if (!view) break;
        const auto index = static_cast<std::size_t>(
            std::find(symbols.begin(), symbols.end(), view->symbol()) - symbols.begin());
        if (Clock::now() - last_print[index] < std::chrono::milliseconds(250)) continue;
        last_print[index] = Clock::now();
        const auto top = view->top();
        if (!top.has_bid || !top.has_ask) continue;
        fmt::print("{:<8} {:<9} v{:<12} bid {:>12} x {:<12} ask {:>12} x {}\n", view->symbol(),
                   mexc::to_string(view->state()), view->version(), price_text(top.bid_price),
                   quantity_text(top.bid_quantity), price_text(top.ask_price),
                   quantity_text(top.ask_quantity));
    }
    const auto m = exchange.metrics();
    fmt::print("frames {} | snapshots {} | gaps {} | decode errors {} | connects {}\n", m.frames,
               m.snapshots, m.gaps, m.decode_errors, m.connects);
    co_await exchange.close();
    co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::string> config_path;
    std::vector<std::string> symbols{"BTCUSDT", "ETHUSDT"};
    int seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view arg = argv[i];
        if (arg == "--config")
            config_path = argv[i + 1];
        else if (arg == "--seconds")
            seconds = std::stoi(argv[i + 1]);
        else if (arg == "--symbols") {
            symbols.clear();
            std::string list = argv[i + 1];
            for (std::size_t start = 0; start <= list.size();) {
                const auto comma = std::min(list.find(',', start), list.size());
                if (comma > start) symbols.push_back(list.substr(start, comma - start));
                start = comma + 1;
            }
        }
    }

    asio::io_context ioc{1};
    examples::Venue venue;
    if (!examples::open_venue(ioc, config_path, /*demo_account=*/false, venue)) return 1;
    if (venue.sandbox)
        fmt::print("embedded sandbox exchange at {} and {}\n", venue.config.rest_url,
                   venue.config.ws_url);
    return examples::run_session(
        ioc, venue, [&](mexc::MexcExchange& ex) { return session(ex, symbols, seconds); });
}
