#pragma once
// The account side of one exchange, with one owner: the listen key (ListenKeyKeeper), the private
// connection on `?listenKey=` with the orders, deals and account topics (SPEC §9), decoding of
// their pushes, the order tracker, the live balances, reconciliation after every (re)connect and
// targeted fetches when a hole shows, and the bounded queue of events the program awaits.

#include "account/listen_key_keeper.hpp"
#include "account/order_tracker.hpp"
#include "balance_cache.hpp"
#include "change_signal.hpp"
#include "mexc/account_events.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/private_rest.hpp"
#include "net/url.hpp"
#include "string_hash.hpp"
#include "ws/public_stream.hpp"
#include "ws/task_group.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mexc::account {

struct AccountMetrics {
    std::uint64_t private_events = 0;  ///< pushes decoded on the private topics
    std::uint64_t decode_errors = 0;
    std::uint64_t fills = 0;
    std::uint64_t reconciliations = 0;
    std::uint64_t targeted_fetches = 0;
    std::uint64_t listen_key_renewals = 0;
    std::uint64_t events_lost = 0;  ///< events beyond the queue's bound (reported, FAULTS C13)
    std::uint64_t rotations = 0;    ///< connections replaced before the venue's cut (T08)
};

class AccountStreams final : private ws::StreamHandler {
public:
    using Clock = std::chrono::steady_clock;

    /// Lifetime: `rest` and `balances` outlive this object; `tls` is the exchange's one TLS
    /// context. Errors: throws Exception when the WebSocket URL cannot be used (the facade's setup
    /// rule).
    AccountStreams(boost::asio::any_io_executor ex, const Config& config, rest::PrivateRest& rest,
                   BalanceCache& balances, std::shared_ptr<boost::asio::ssl::context> tls);
    AccountStreams(const AccountStreams&) = delete;
    AccountStreams& operator=(const AccountStreams&) = delete;
    ~AccountStreams();

    /// Starts the key lifecycle and the connection (idempotent); its tasks hold `owner`.
    void start(std::weak_ptr<void> owner);
    bool started() const noexcept { return started_; }
    bool live() const noexcept { return live_; }
    /// Completes when the stream is live (true), at `deadline` (false) or when closing (false).
    [[nodiscard]] boost::asio::awaitable<bool> wait_live(Clock::time_point deadline);

    /// The next event, oldest first. Errors: closed; bad_data/frames_dropped once when events
    /// were lost beyond the queue's bound (their orders' states stay exact in the tracker).
    [[nodiscard]] boost::asio::awaitable<Result<AccountEvent>> next_event();

    // Placements through the facade, so their pushes match them before the ack (C02).
    void placing(const OrderRequest& order);
    void placed(const OrderAck& ack);
    void place_failed(std::string_view client_order_id, const Error& error);
    /// An order a journal recovery found (MexcExchange::recover()), tracked like a queried one.
    void recovered(const OrderInfo& order);

    const OrderTracker& tracker() const noexcept { return tracker_; }
    /// A final order the tracker holds among its completed ones, as GET /api/v3/order would
    /// answer it (without the creation time); nullopt when it holds none.
    std::optional<OrderInfo> completed_order(std::string_view symbol,
                                             const rest::OrderRef& ref) const;
    AccountMetrics metrics() const noexcept;

    /// Stops the stream with a close frame, deletes the listen key, wakes every waiter and joins
    /// the tasks, bounded by Timeouts::close. Idempotent.
    [[nodiscard]] boost::asio::awaitable<void> close();
    /// The same shut-down, but start() may begin again afterwards: orders, fills and events
    /// already known are kept, and waiters of next_event() go on waiting. False (and closed, as
    /// after close()) when a task outlived the bound.
    [[nodiscard]] boost::asio::awaitable<bool> stop();
    void abort() noexcept;

private:
    void on_push(std::size_t, std::uint64_t, std::string_view frame) override;
    void on_subscription(std::size_t, std::string_view topic, bool accepted,
                         std::string_view msg) override;
    void on_unsubscribed(std::size_t) override {}
    void on_listen_key_invalid(std::size_t stream) override;
    void on_connected(std::size_t, std::uint64_t generation) override;
    void on_disconnected(std::size_t, std::uint64_t, const Error& why) override;

    boost::asio::awaitable<void> run_key();
    boost::asio::awaitable<void> run_checks();
    boost::asio::awaitable<void> reconcile(std::uint64_t generation);
    boost::asio::awaitable<void> fetch(FetchRequest request);
    // The symbol's trades since `since_ms` (myTrades by time windows), and the orders of those
    // never seen. False when a read failed.
    boost::asio::awaitable<bool> catch_up_trades(std::string symbol, std::int64_t since_ms);
    boost::asio::awaitable<void> connect_stream();
    std::unique_ptr<ws::PublicStream> open_stream();
    void check_rotation(Clock::time_point now);
    boost::asio::awaitable<void> retire(std::unique_ptr<ws::PublicStream> stream);
    void emit(OrderTracker::Events& events);
    // Not live any more: the balances come from REST again, and the program hears of the gap.
    void enter_gap();
    // Ends the stream and the key's life, joining the tasks (close and stop).
    boost::asio::awaitable<void> shut_down();
    bool stopping() const noexcept { return closing_ || halting_; }
    void push_event(AccountEvent event);
    void wake_waiters() noexcept;

    boost::asio::any_io_executor ex_;
    rest::PrivateRest& rest_;
    BalanceCache& balances_;
    net::Url base_url_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    ws::StreamOptions stream_options_;
    std::chrono::milliseconds close_bound_;
    std::size_t queue_bound_;

    ListenKeyKeeper keeper_;
    OrderTracker tracker_;
    OrderTracker::Events scratch_;
    std::unique_ptr<ws::PublicStream> stream_;
    // Rotation (make-before-break): the connection taking over, on the same key, and how many of
    // the private topics it has had accepted. Both deliver meanwhile; the tracker reports each
    // fill once and never moves an order backwards, and unchanged balances are not reported.
    std::unique_ptr<ws::PublicStream> successor_;
    std::size_t successor_accepted_ = 0;
    Clock::time_point successor_since_{};
    std::chrono::milliseconds rotate_after_;
    std::size_t next_stream_id_ = 0;
    std::vector<std::unique_ptr<ws::PublicStream>> retired_;  // stopped, joined by the task group
    std::deque<AccountEvent> queue_;
    std::uint64_t lost_ = 0;
    bool report_loss_ = false;
    detail::ChangeSignal changed_;         // events queued, live or closing
    boost::asio::steady_timer key_timer_;  // the keeper's waits; cancelled by an invalid key
    boost::asio::steady_timer closed_;
    bool key_invalidated_ = false;
    std::uint64_t generation_ = 0;  // of the connection being reconciled
    // Symbols of the orders seen, with the exchange time of the last fill seen (0: none yet), and
    // the wall time the stream started: a reconciliation reads each symbol's trades since then.
    std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>> last_fill_;
    std::int64_t started_ms_ = 0;
    bool started_ = false;
    bool live_ = false;
    bool closing_ = false;  // for good: waiters end with `closed`
    bool halting_ = false;  // stop() under way: the tasks end, waiters stay
    AccountMetrics stats_;
    std::weak_ptr<void> owner_;
    ws::TaskGroup tasks_;
};

}  // namespace mexc::account
