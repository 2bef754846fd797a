#pragma once
// Signed REST client for trading and account endpoints (SPEC §3.2, §3.3), named after them.
// Every request is signed with a fresh timestamp (S09); 700003 resyncs the clock and retries once,
// re-signed (E02); reads are retried on transport failures; commands never are: a command that
// fails after it was written is `outcome_unknown` (FAULTS §1.2).

#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/rate_limiter.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mexc::rest {

/// An order by exchange id or by client id (one of them non-empty).
struct OrderRef {
    std::string order_id;
    std::string client_order_id;
    static OrderRef by_id(std::string id) { return {std::move(id), {}}; }
    static OrderRef by_client_id(std::string id) { return {{}, std::move(id)}; }
};

class PrivateRest {
public:
    /// Errors: without credentials every call answers `auth`; a bad URL or CA file `rejected`.
    /// `limiter`: shared with other clients of the same account and IP; a private one when null.
    PrivateRest(boost::asio::any_io_executor ex, const Config& config, std::shared_ptr<RateLimiter> limiter = nullptr);
    ~PrivateRest();
    PrivateRest(const PrivateRest&) = delete;
    PrivateRest& operator=(const PrivateRest&) = delete;

    /// Estimates the server clock offset from several GET /api/v3/time round trips (median of
    /// midpoint samples, SPEC §1.6). Called automatically before the first signed request.
    [[nodiscard]] boost::asio::awaitable<Result<void>> sync_clock(int samples = 5);
    /// Current offset estimate: server time minus local time.
    std::chrono::milliseconds clock_offset() const noexcept;

    /// POST /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderAck>> new_order(OrderRequest order);
    /// POST /api/v3/batchOrders: at most 20 orders of one symbol; results in request order. The
    /// call fails as a whole only when nothing was answered per order.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<BatchOrderResult>>> batch_orders(std::vector<OrderRequest> orders);
    /// POST /api/v3/order/test: validated by MEXC, never executed.
    [[nodiscard]] boost::asio::awaitable<Result<void>> test_order(OrderRequest order);
    /// DELETE /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> cancel_order(std::string symbol, OrderRef ref);
    /// DELETE /api/v3/openOrders
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> cancel_open_orders(std::string symbol);
    /// GET /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> query_order(std::string symbol, OrderRef ref);
    /// GET /api/v3/openOrders (all symbols when `symbol` is empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> open_orders(std::string symbol);
    /// GET /api/v3/allOrders; times in ms, 0 = MEXC's default window
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> all_orders(std::string symbol, std::int64_t start_ms = 0,
                                                                                    std::int64_t end_ms = 0, int limit = 0);
    /// GET /api/v3/account
    [[nodiscard]] boost::asio::awaitable<Result<AccountInfo>> account();
    /// GET /api/v3/myTrades (of one order when `order_id` is not empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TradeInfo>>> my_trades(std::string symbol, std::string order_id = {},
                                                                                   int limit = 0);
    /// POST / PUT / DELETE /api/v3/userDataStream
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> create_listen_key();
    [[nodiscard]] boost::asio::awaitable<Result<void>> keep_alive_listen_key(std::string listen_key);
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_listen_key(std::string listen_key);

    /// Replaces the clock that stamps requests (no server-time sync then): for known-answer tests
    /// of the exact signed bytes (S09) and for replaying recorded sessions.
    void set_fixed_clock(std::function<std::int64_t()> now_ms);

    void close();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace mexc::rest
