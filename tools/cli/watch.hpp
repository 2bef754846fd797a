#pragma once
// `mexc-cli watch orders fills balances`: the account in real time as JSON lines, one per event,
// built on MexcExchange::start_account and next_account_event. Orders of the account placed by
// other programs are seen too: the private streams report every order of the account.

#include "mexc/account_events.hpp"
#include "mexc/exchange.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mexc::cli {

struct WatchRequest {
    bool orders = false, fills = false, balances = false;  ///< stream status lines always
    std::optional<std::uint64_t> count;                    ///< stop after this many lines
    std::optional<std::chrono::seconds> seconds;           ///< stop after this long
    /// Receives each line (without its newline); standard output when empty.
    std::function<void(std::string_view)> out;
};

/// The JSON line of one event, decimals as exact strings.
std::string watch_line(const AccountEvent& event);

/// Starts the account side, then prints events until the count or the time is reached and
/// returns the exit code; errors are printed as JSON lines. Does not close the exchange.
boost::asio::awaitable<int> watch(MexcExchange& ex, WatchRequest request);

}  // namespace mexc::cli
