#pragma once
// `mexc-cli books --symbols N --until-live`: a whole market's books at once, ending with one JSON
// line of figures (docs/benchmarks.md, "A whole market at once").

#include "mexc/exchange.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace mexc::cli {

struct BooksRequest {
    std::size_t symbols = 0;          ///< the first N online symbols of exchangeInfo
    std::chrono::seconds limit{600};  ///< give up after this long
    /// The venue's own count of 429/418 answers, when it is known (the embedded sandbox);
    /// otherwise the rate_limited errors the subscriptions saw are counted.
    std::function<std::uint64_t()> venue_429;
    /// The most topics any one connection held, when the venue can tell (the embedded sandbox);
    /// otherwise ceil(topics / connections), its lower bound.
    std::function<std::uint64_t()> venue_max_topics;
};

/// Subscribes the books concurrently, waits until every one is Live (or failed, or the limit),
/// prints the summary line and returns the exit code (0 when all are Live). The exchange's
/// Timeouts::subscribe should be at least `limit`: the snapshots queue behind the weight budget.
boost::asio::awaitable<int> books(MexcExchange& ex, BooksRequest request);

}  // namespace mexc::cli
