#pragma once
// Public (unsigned) REST market-data client: endpoints of SPEC §3.1, named after them. Reads are
// retried within the market-data family's budget (Config::rest.market_data).

#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/market.hpp"
#include "mexc/rest/rate_limiter.hpp"
#include "mexc/types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mexc::rest {

/// The HTTP connection pool, rate limiter and server clock of one host (internal).
class Transport;

/// Every call is a read of the market-data family, unsigned, metered on the IP's budget.
/// Errors, common to every call: the setup error (see the constructor); network (connection
/// failure, Errc::timeout, a 5xx or a firewall 403 once the read retries are spent);
/// rate_limited (429/418: retry_after(); the scope pauses, E04); rejected (a MEXC refusal, its
/// code in venue_category(), e.g. an unknown symbol; or a redirect, never followed); bad_data
/// (an answer that does not parse, or a decimal finer than its scale); closed (after close()).
/// Cancellation (terminal, e.g. `||` with a timer): the request in flight is abandoned and its
/// connection closed, never reused; the coroutine throws boost::system::system_error
/// (operation_aborted) at its next suspension, or the call completes with a network error.
/// Lifetime: the client outlives every call (a call does not keep it alive); arguments are taken
/// by value. Not thread-safe: one executor.
class PublicRest {
public:
    /// Never throws. A configuration that cannot make a client (validate() fails, a malformed
    /// URL, an unreadable CA file) is returned by every call with its own condition (rejected /
    /// config_invalid for a bad config); MexcExchange throws the same error at construction.
    /// `limiter`: shared with other clients of the same IP; a private one when null.
    PublicRest(boost::asio::any_io_executor ex, const Config& config,
               std::shared_ptr<RateLimiter> limiter = nullptr);
    /// Over a transport shared with other clients of the same host (one connection pool).
    explicit PublicRest(std::shared_ptr<Transport> transport);
    ~PublicRest();
    PublicRest(const PublicRest&) = delete;
    PublicRest& operator=(const PublicRest&) = delete;

    /// GET /api/v3/ping: reachability.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> ping();
    /// GET /api/v3/time → serverTime (ms); the round trip is also a sample of the server clock
    /// that signed calls of the same transport are stamped with (SPEC §1.6).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> time();
    /// GET /api/v3/exchangeInfo (all symbols when `symbols` is empty): symbols and rules.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<ExchangeInfo>> exchange_info(
        std::vector<std::string> symbols = {});
    /// GET /api/v3/depth; prices and quantities parsed exactly at `scales` (SymbolInfo::scales).
    /// Errors: bad_data/precision_exceeded for a level finer than the scales.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<DepthSnapshot>> depth(std::string symbol, int limit,
                                                                      SymbolScales scales);

    /// GET /api/v3/trades (recent trades, oldest first; `limit` 0 = MEXC's default).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<PublicTrade>>> trades(
        std::string symbol, int limit = 0);
    /// GET /api/v3/historicalTrades (same items as trades; hidden from MEXC's docs, SPEC §3.1).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<PublicTrade>>> historical_trades(
        std::string symbol, int limit = 0);
    /// GET /api/v3/aggTrades; times in ms (inclusive), 0 = none. MEXC needs both times or neither:
    /// only one (or a negative one) is `rejected` / Errc::invalid_argument before sending.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AggTrade>>> agg_trades(
        std::string symbol, std::int64_t start_ms = 0, std::int64_t end_ms = 0, int limit = 0);
    /// GET /api/v3/klines; `interval` as SPEC §4.5 ("1m", "60m", "1d", ...; MEXC refuses
    /// others); times in ms, 0 = none.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<KlineBar>>> klines(
        std::string symbol, std::string interval, std::int64_t start_ms = 0,
        std::int64_t end_ms = 0, int limit = 0);
    /// GET /api/v3/avgPrice: the symbol's average price over MEXC's window.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<AveragePrice>> avg_price(std::string symbol);
    /// GET /api/v3/ticker/24hr (every symbol when `symbol` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<Ticker24h>>> ticker_24hr(
        std::string symbol = {});
    /// GET /api/v3/ticker/price (every symbol when `symbol` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TickerPrice>>> ticker_price(
        std::string symbol = {});
    /// GET /api/v3/ticker/bookTicker (every symbol when `symbol` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<BookTickerInfo>>> book_ticker(
        std::string symbol = {});
    /// GET /api/v3/defaultSymbols: the symbols tradable through the API.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> default_symbols();
    /// GET /api/v3/symbol/offline: suspended and delisted symbols.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OfflineSymbol>>> offline_symbols();
    /// GET /api/v3/etf/info: leveraged tokens (every one when `symbol` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<EtfInfo>>> etf_info(
        std::string symbol = {});

    /// Closes kept-alive connections (of every client sharing the transport); later calls fail
    /// with `closed`, requests in flight run to their end.
    void close();

private:
    std::shared_ptr<Transport> transport_;
};

}  // namespace mexc::rest
