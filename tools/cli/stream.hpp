#pragma once
// `mexc-cli stream KIND SYMBOL...`: typed public pushes as JSON lines, one per event, built on
// the public raw frame subscription and the public event decoders.

#include "mexc/exchange.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mexc::cli {

struct StreamRequest {
    std::string kind;  ///< trades, kline, book-ticker, book-ticker-batch, limit-depth, ...
    std::vector<std::string> symbols;
    std::string speed = "100ms";                  ///< <SPD> of trades and book-ticker
    std::string interval = "Min1";                ///< kline
    std::string levels = "5";                     ///< limit-depth
    std::string time_zone = "UTC+8";              ///< mini-ticker, mini-tickers
    std::optional<std::uint64_t> count;           ///< stop after this many events
    std::optional<std::chrono::seconds> seconds;  ///< stop after this long
};

/// The kinds `stream` accepts, for the usage text.
inline constexpr std::string_view stream_kinds =
    "trades|kline|book-ticker|book-ticker-batch|limit-depth|mini-ticker|mini-tickers";

/// Runs the stream until the count or the time is reached (or the subscription ends) and
/// returns the exit code; errors are printed as JSON lines. Does not close the exchange.
boost::asio::awaitable<int> stream(MexcExchange& ex, StreamRequest request);

}  // namespace mexc::cli
