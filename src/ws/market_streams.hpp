#pragma once
// Market data of one exchange, with one owner: topic names and subscriptions, the public
// connections (at most 30 topics each, SPEC §6.2), decoding and routing of pushes, the local books
// and their snapshot cycles (BookSync), the stale watchdog, the change notifications readers wait
// on, and the tasks doing all that (joined at close).
//
// Routing: each subscribed topic maps to a Route naming the connection carrying it and its
// consumers: the book it feeds, if any, and the frame subscriptions (raw pushes, bounded queues)
// that asked for it. A topic is subscribed once however many consume it, and unsubscribed when the
// last one goes. The Route also holds the venue's answer (pending, accepted, refused: SPEC §7.3)
// and whether data came: subscribing completes on the answer, a refused topic is reported to its
// consumers and never replayed, and an accepted topic silent past Config::first_data_timeout is
// reported as no_data.
//
// Rotation (make-before-break, FAULTS T08): a connection older than Config::ws_rotate_after gets a
// successor subscribing the same topics. Each topic moves over on its own, once the successor's
// frames join up with what the old connection delivered: for a book, a frame that chains to its
// version; for other channels, the frame whose body equals the last one delivered (the venue
// batches a topic's pushes alike for every connection). Until then the successor's frames wait in
// the route, and after it the old connection's are dropped; so no book leaves Live and no trade is
// lost or repeated at the seam. When every topic has moved, the old connection closes and its slot
// idles for later topics. A topic that does not join up in time is moved over as it is (counted).
//
// Books live in stable slots (std::deque) for BookView: removing a symbol resets its slot to an
// empty Resyncing book and frees its levels and buffers; the slot is reused for the next symbol
// added. Each reuse bumps the slot's epoch, which ends the old symbol's snapshot cycle. Typed
// channels (trades, klines, tickers of SPEC §7.4) would add a consumer kind of their own to Route,
// sharing the connections and the notification scheme.

#include "change_signal.hpp"
#include "mexc/book/order_book.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/topic.hpp"
#include "net/url.hpp"
#include "string_hash.hpp"
#include "ws/book_sync.hpp"
#include "ws/public_stream.hpp"
#include "ws/snapshot_gate.hpp"
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
#include <vector>

namespace mexc::rest {
class PublicRest;
}

namespace mexc::ws {

struct MarketMetrics {
    std::uint64_t frames = 0;           ///< binary pushes received
    std::uint64_t decode_errors = 0;    ///< frames rejected by the decoder (P01)
    std::uint64_t unrouted_frames = 0;  ///< pushes for topics nobody subscribed (P04)
    std::uint64_t book_updates = 0;     ///< increments applied, all books
    std::uint64_t active_books = 0;     ///< books subscribed now (a gauge)
    std::uint64_t book_levels = 0;      ///< levels held by all books now (a gauge)
    std::uint64_t gaps = 0;             ///< version gaps, rejected and crossed frames, all books
    std::uint64_t snapshots = 0;        ///< snapshots received on a live connection
    std::uint64_t snapshot_failures = 0;
    std::uint64_t snapshots_waiting = 0;    ///< books waiting for a snapshot slot (a gauge)
    std::uint64_t snapshots_in_flight = 0;  ///< snapshot requests under way (a gauge)
    std::uint64_t connects = 0;
    std::uint64_t disconnects = 0;
    std::uint64_t rotations = 0;     ///< connections replaced before the venue's cut
    std::uint64_t seams_forced = 0;  ///< topics moved over without their data joining up
    std::uint64_t frozen_sides = 0;  ///< books resynced for a side the trades showed frozen
    std::uint64_t book_checks = 0;   ///< Live books compared with a REST snapshot
    std::uint64_t book_check_disagreements = 0;  ///< of which disagreed (and resynced)
};

class MarketStreams final : private StreamHandler {
public:
    using Clock = std::chrono::steady_clock;

    /// One subscribed book. Its address is stable until the MarketStreams is destroyed; after
    /// remove_book() it holds an empty Resyncing book until the slot is reused.
    struct Book {
        Book(std::string symbol, std::string topic, std::size_t stream, SymbolScales scales,
             const BookSyncOptions& options, boost::asio::any_io_executor ex);

        const OrderBook& book() const noexcept { return sync.book(); }

        std::string symbol;
        std::string topic;
        std::size_t stream;  // index of the connection carrying the topic
        BookSync sync;
        boost::asio::steady_timer retry;  // the pause between snapshot attempts
        std::uint64_t epoch = 0;          // bumped when the slot is freed or reused
        bool removed = false;             // a free slot
        bool dirty = false;               // changed since next_update last reported it
    };

    /// `rest` serves the depth snapshots; `tls` is the exchange's one TLS context. Errors: throws
    /// Exception when the WebSocket URL is unusable (a Config that passed validate() is not).
    MarketStreams(boost::asio::any_io_executor ex, const Config& config, rest::PublicRest& rest,
                  std::shared_ptr<boost::asio::ssl::context> tls);
    MarketStreams(const MarketStreams&) = delete;
    MarketStreams& operator=(const MarketStreams&) = delete;

    /// Starts the watchdog. Lifetime: this object and `rest` live inside `owner`; every task
    /// started here holds `owner` until it finishes.
    void start(std::weak_ptr<void> owner);

    bool is_subscribed(std::string_view symbol) const noexcept;
    /// Subscribes the symbol's depth topic unless it is already, then waits until the venue
    /// accepted it and its book is Live. Errors: rejected/subscription_rejected (the topic in the
    /// message), network/no_data (accepted, silent past first_data_timeout), network/timeout at
    /// `deadline` (the message names the topic when it was never answered),
    /// rejected/not_subscribed (removed meanwhile), closed. The book stays subscribed on every
    /// error but rejection. Lifetime: the caller keeps the owner alive while awaiting.
    [[nodiscard]] boost::asio::awaitable<Result<const Book*>> subscribe_book(
        std::string symbol, SymbolScales scales, Clock::time_point deadline);
    /// Removes the symbol's book: frees its levels and buffers, and unsubscribes its topic unless
    /// a frame subscription uses it, waiting for the venue's answer until `deadline`.
    /// Errors: rejected/not_subscribed, network/timeout (no answer; the topic is removed all the
    /// same and never replayed), closed.
    [[nodiscard]] boost::asio::awaitable<Result<void>> remove_book(std::string symbol,
                                                                   Clock::time_point deadline);
    /// The book of a subscribed symbol, or null.
    const Book* find_book(std::string_view symbol) const noexcept;
    /// Completes when some book changed since it was last reported; round robin, conflating
    /// (FAULTS C13). Errors: closed.
    [[nodiscard]] boost::asio::awaitable<Result<const Book*>> next_update();

    /// Registers a raw frame subscription of `topics` (deduplicated), subscribes those not yet
    /// subscribed, on connections with room, and waits until the venue answered each. Some topics
    /// refused: the subscription goes on with the others (its next() reports the refusal).
    /// Errors: rejected/invalid_argument (no topic, zero capacity), rejected/
    /// subscription_rejected (every topic refused, named in the message), network/timeout at
    /// `deadline` (the unanswered topics named), closed; on each, and when the wait is
    /// abandoned, the subscription is removed.
    /// Lifetime: the state is shared with the handle; remove_frames ends it.
    [[nodiscard]] boost::asio::awaitable<Result<std::shared_ptr<FrameSubscription::State>>>
    subscribe_frames(std::vector<Topic> topics, FrameQueueOptions options,
                     Clock::time_point deadline);
    /// Detaches the subscription; its topics that nothing else consumes are unsubscribed.
    void remove_frames(FrameSubscription::State& state) noexcept;
    /// remove_frames, then waits until the venue answered the UNSUBSCRIPTION requests, at most
    /// Timeouts::subscribe. Errors: network/timeout (the topics are removed all the same), closed.
    [[nodiscard]] boost::asio::awaitable<Result<void>> unsubscribe_frames(
        std::shared_ptr<FrameSubscription::State> state);

    MarketMetrics metrics() const noexcept;
    bool closing() const noexcept { return closing_; }
    /// Owned tasks not yet finished.
    std::size_t live_tasks() const noexcept { return tasks_.live(); }

    /// Ends every cycle, wakes every waiter with `closed`, closes the connections with a close
    /// frame, and joins the owned tasks, bounded by Timeouts::close.
    boost::asio::awaitable<void> close();
    /// The same without close frames or waiting (destructor path).
    void abort() noexcept;

private:
    struct FrameTap {
        FrameSubscription::State* state;
        std::uint32_t topic;  // index into state->topics
    };
    enum class Answer : std::uint8_t { pending, accepted, refused };
    struct Route {
        std::size_t stream = 0;             // the connection carrying the topic
        std::optional<std::uint32_t> book;  // index into books_
        std::vector<FrameTap> taps;
        Answer answer = Answer::pending;
        std::optional<Error> failure;  // refused (E16), or no data in time
        Clock::time_point accepted_at{};
        bool data = false;  // a push came since it was subscribed
        // Rotation: the connection taking the topic over and its frames so far, and the hash of
        // the last body the current connection delivered (0: none since the rotation began).
        std::optional<std::size_t> successor;
        std::vector<std::string> held;
        std::size_t last_body = 0;
    };
    struct Rotation {
        std::size_t from = 0, to = 0;
        Clock::time_point deadline;  // then the topics still waiting move over as they are
    };
    using RouteMap = std::unordered_map<std::string, Route, StringHash, std::equal_to<>>;
    // An UNSUBSCRIPTION sent: its connection and request id (0: nothing to wait for).
    struct Sent {
        std::size_t stream;
        std::uint64_t request;
    };

    // StreamHandler: the connections report here.
    void on_push(std::size_t stream, std::uint64_t generation, std::string_view bytes) override;
    void on_subscription(std::size_t stream, std::string_view topic, bool accepted,
                         std::string_view msg) override;
    void on_unsubscribed(std::size_t stream) override;
    void on_connected(std::size_t stream, std::uint64_t generation) override;
    void on_disconnected(std::size_t stream, std::uint64_t generation, const Error& why) override;

    Book& add_book(std::string symbol, std::string topic, SymbolScales scales);
    void free_book(Book& book) noexcept;
    Route& route_for(const std::string& topic);
    // Drops the route when nothing consumes it any more; returns the UNSUBSCRIPTION sent.
    std::optional<Sent> release(RouteMap::iterator it) noexcept;
    boost::asio::awaitable<Result<void>> await_answers(std::vector<Sent> sent,
                                                       Clock::time_point deadline);
    void report_failure(Route& route, const Error& why);
    void check_first_data(Clock::time_point now);
    std::size_t stream_with_room();
    std::size_t new_stream();
    void deliver(Route& route, std::string_view bytes, const wire::PushFrame& frame);
    void check_rotations(Clock::time_point now);
    void begin_rotation(std::size_t from, Clock::time_point now);
    // Moves the topic over if the successor's frames join up (or `force`).
    void join_up(Route& route, bool force);
    void hand_over(Route& route, std::size_t first_new);
    void end_rotation_if_done(std::size_t from);
    void end_rotations() noexcept;
    void on_depth(Book& book, const wire::PushFrame& frame);
    void check_trades(const wire::PushFrame& frame);
    void execute(Book& book, SyncAction action);
    boost::asio::awaitable<void> snapshot_cycle(Book* book, SyncAction action);
    boost::asio::awaitable<void> watch();
    void begin_check();
    boost::asio::awaitable<void> check_cycle(Book* book);
    void begin_close() noexcept;
    void notify(Book* book) noexcept;
    boost::asio::awaitable<bool> wait_change(Clock::time_point deadline);

    boost::asio::any_io_executor ex_;
    rest::PublicRest& rest_;
    net::Url url_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    StreamOptions stream_options_;
    BookSyncOptions sync_options_;
    topic::Speed depth_speed_;
    int snapshot_limit_;
    std::chrono::milliseconds close_bound_;
    std::chrono::milliseconds first_data_timeout_;
    std::chrono::milliseconds answer_timeout_;  // Timeouts::subscribe
    std::chrono::milliseconds watch_period_;
    std::chrono::milliseconds rotate_after_;
    std::chrono::milliseconds check_interval_;  // 0: no REST checks of the books
    Clock::time_point next_check_{};
    std::size_t check_cursor_ = 0;

    std::size_t topics_per_stream_;
    ConnectPacer connects_;
    std::vector<std::unique_ptr<PublicStream>> streams_;
    std::deque<Book> books_;                 // stable addresses for BookView
    std::vector<std::uint32_t> free_books_;  // removed slots, reused first
    RouteMap routes_;                        // by topic
    std::vector<Rotation> rotations_;        // under way
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> book_by_symbol_;
    std::vector<std::shared_ptr<FrameSubscription::State>> frame_subs_;
    std::weak_ptr<void> owner_;

    detail::ChangeSignal changed_;  // books, answers and failures changed
    std::size_t dirty_count_ = 0;
    std::size_t dirty_cursor_ = 0;
    boost::asio::steady_timer watchdog_;
    boost::asio::steady_timer closed_;  // expires at close: ends requests in flight
    SnapshotGate snapshots_;
    MarketMetrics stats_;
    bool closing_ = false;
    TaskGroup tasks_;
};

}  // namespace mexc::ws
