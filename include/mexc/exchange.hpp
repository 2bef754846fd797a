#pragma once
// MexcExchange: one facade over the REST clients and WebSocket streams of one account, on one
// executor. Not thread-safe: use it from its executor only (STYLE §7).
//
// Its awaitable calls share these rules. Errors: a REST call fails as PublicRest and PrivateRest
// say (their class comments list the conditions). Cancellation: terminal cancellation of the
// awaiting coroutine (a cancellation slot, `||` with a timer) abandons the call; the coroutine
// then throws boost::system::system_error (operation_aborted) at its next suspension, or the
// call completes with the error of what it abandoned. A request in flight loses its connection
// (never reused); an order command whose bytes were written completes as outcome_unknown (it may
// exist: reconcile by client order id). Lifetime: the exchange outlives every call; arguments
// are taken by value.

#include "mexc/account_events.hpp"
#include "mexc/book/book_view.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/market_stream.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/symbol_rules.hpp"
#include "mexc/topic.hpp"
#include "mexc/types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mexc {

namespace rest {
class PublicRest;
}

/// Counters since construction and gauges of now, of the market-data and the account side.
struct ExchangeMetrics {
    // ---- market data
    std::uint64_t frames = 0;             ///< binary pushes received
    std::uint64_t decode_errors = 0;      ///< frames rejected by the decoder (P01)
    std::uint64_t unrouted_frames = 0;    ///< pushes for topics with no book (P04)
    std::uint64_t book_updates = 0;       ///< increments applied to the books
    std::uint64_t gaps = 0;               ///< version gaps, rejected and crossed frames
    std::uint64_t snapshots = 0;          ///< REST snapshots received on a live connection
    std::uint64_t snapshot_failures = 0;  ///< snapshot requests that failed
    std::uint64_t snapshots_waiting = 0;  ///< books waiting for a REST snapshot (a gauge)
    std::uint64_t active_symbols = 0;     ///< books subscribed now (a gauge)
    std::uint64_t book_levels = 0;        ///< price levels held by all books now (a gauge)
    std::uint64_t connects = 0;           ///< WebSocket connections established
    std::uint64_t disconnects = 0;        ///< WebSocket connections lost or closed
    std::uint64_t rotations = 0;          ///< connections replaced before the venue's 24 h cut
    std::uint64_t seams_forced = 0;       ///< topics moved to a new connection without joining up
    std::uint64_t frozen_sides = 0;       ///< books resynced for a side the trades showed frozen
    std::uint64_t book_checks = 0;        ///< Live books compared with a REST snapshot
    std::uint64_t book_check_disagreements = 0;  ///< of which disagreed (and resynced)
    // ---- account
    std::uint64_t private_events = 0;        ///< pushes decoded on the private topics
    std::uint64_t fills = 0;                 ///< fills reported, each once
    std::uint64_t reconciliations = 0;       ///< REST reconciliations after (re)connecting
    std::uint64_t listen_key_renewals = 0;   ///< keys replaced after they ended
    std::uint64_t account_events_lost = 0;   ///< events beyond the queue's bound (reported)
    std::uint64_t active_orders = 0;         ///< orders tracked and not final (a gauge)
    std::uint64_t cached_orders = 0;         ///< final orders kept for order() (a gauge)
    std::uint64_t balance_cache_hits = 0;    ///< balances() answered without REST: calls saved
    std::uint64_t balance_cache_misses = 0;  ///< balances() answered by GET /api/v3/account
    std::uint64_t order_cache_hits = 0;      ///< order() answered from the completed orders
    /// balance_cache_hits over all balances() calls; 0 before the first.
    double balance_cache_hit_rate() const noexcept {
        const auto all = balance_cache_hits + balance_cache_misses;
        return all == 0 ? 0.0 : static_cast<double>(balance_cache_hits) / static_cast<double>(all);
    }
};

/// One account's trading and market data on one executor (see the file comment for the rules
/// every awaitable call shares).
class MexcExchange {
public:
    /// Builds the clients and starts the book watchdog; connects nothing until a call needs it.
    /// Errors: throws mexc::Exception (API misuse) when the Config cannot make a client: it fails
    /// validate() (rejected with config_invalid or insecure_tls_refused), or the REST or
    /// WebSocket URL or the TLS options (e.g. an unreadable CA file) cannot be set up. Failures
    /// of the network and the venue are returned by each call, never thrown.
    MexcExchange(boost::asio::any_io_executor ex, Config config);
    /// Without close(): ends the owned tasks and drops the connections without close frames;
    /// pending book awaiters complete with `closed`.
    ~MexcExchange();
    MexcExchange(const MexcExchange&) = delete;
    MexcExchange& operator=(const MexcExchange&) = delete;

    /// Subscribes the aggregated depth stream, fetches a snapshot and bridges it (SPEC §10);
    /// completes when the book is Live. Subscribing an already subscribed symbol waits for it.
    /// The symbol's scales come from exchangeInfo (cached, as rules()).
    /// It completes once the venue accepted the topic (SPEC §7.3) and the book is Live. A
    /// refused topic is never resubscribed, after reconnects either.
    /// Errors: rejected/unknown_symbol, or a failed exchangeInfo read; rejected/
    /// subscription_rejected (topic refused, named in the error's venue message; the book keeps
    /// its place until unsubscribe_book()); network/no_data (accepted but no push within
    /// Config::first_data_timeout); network/timeout (no Live book within Timeouts::subscribe; the
    /// message names the topic when the venue never answered); rejected/not_subscribed
    /// (unsubscribe_book() meanwhile); closed. Cancellation: the wait ends (system_error at the
    /// next suspension); the subscription stays and its book keeps syncing. Lifetime: the
    /// exchange; the view is valid until the exchange is destroyed (see unsubscribe_book()).
    [[nodiscard]] boost::asio::awaitable<Result<BookView>> subscribe_book(std::string symbol);

    /// Removes the symbol's book: its levels and buffers are freed, and its depth topic is
    /// unsubscribed (UNSUBSCRIPTION, waiting for the venue's answer at most Timeouts::subscribe)
    /// unless a frame subscription still uses it (a connection left with no topic is closed
    /// instead, which ends the subscription at once). book(symbol) then fails with not_subscribed
    /// and a subscribe_book() waiting for it completes with not_subscribed; subscribe_book() adds
    /// it again. The book's topic is never resubscribed after this, however its answers arrive
    /// (FAULTS C09).
    /// Errors: rejected/not_subscribed (not subscribed); network/timeout (no answer in time; the
    /// book and topic are removed all the same); closed.
    /// Cancellation: the wait for the answer ends (system_error at the next suspension); the book
    /// is removed. Lifetime: the exchange. Old BookViews of the symbol stay safe to read: they
    /// see an empty book in state Resyncing, until the storage is reused by a later
    /// subscribe_book(), when they see that book (BookView::symbol() says which).
    [[nodiscard]] boost::asio::awaitable<Result<void>> unsubscribe_book(std::string symbol);

    /// The book of a subscribed symbol, Live or not (check BookView::state()).
    /// Errors: rejected/not_subscribed.
    Result<BookView> book(std::string_view symbol) const;

    /// Completes when some subscribed book changed (levels or state) since it was last reported.
    /// Conflating: a burst of updates to one book is reported once (FAULTS C13); books that
    /// changed are reported round robin. Errors: closed. Cancellation: the wait ends
    /// (system_error at the next suspension); no change is lost, the next call reports it.
    /// Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<BookView>> next_book_update();

    // ---- trading (needs Config::credentials) ----------------------------------------------

    /// Resolves the commands a previous run left unresolved in the journal (Config::journal_path):
    /// each unresolved placement is queried by its client order id: found, it is `placed`; not
    /// found, it is `not_placed` only once the venue can no longer take it (the journaled bound of
    /// its signed timestamp plus recvWindow, and 2 s, have passed on the server clock; until then
    /// it waits and asks again). An unresolved cancel is answered, after that same bound, with the
    /// order's state (cancel_all: the symbol's open orders). Nothing is ever resent. Runs once:
    /// place_order, cancel_order and cancel_all call it first and send nothing before it
    /// succeeded; later calls return the same list. Without a journal: an empty list.
    /// Errors: those of the queries (network, rate_limited, auth, closed...): what stays
    /// unresolved is kept, and the next call (or command) tries again; rejected/journal_failed
    /// when the journal cannot be written. Cancellation: the wait ends; what was resolved stays
    /// resolved. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<RecoveredCommand>>> recover();

    /// Checks the order against the symbol's rules (exchangeInfo, cached) and the symbols the API
    /// may trade (defaultSymbols, selfSymbols), gives it a client order id when it has none, and
    /// sends it once (POST /api/v3/order). With a journal (Config::journal_path) it first awaits
    /// recover(), then appends the order to the journal and flushes it to disk before sending
    /// (its signed timestamp is bounded, so that the venue cannot take it later than the bound
    /// the journal records). Errors: rejected (local check: unknown_symbol,
    /// symbol_not_tradable, filter_violation, invalid_argument; or venue refusal; nothing
    /// happened), rate_limited, auth, clock_skew, network (nothing was sent), outcome_unknown (it
    /// may exist: reconcile with order(symbol, by_client_id(id)) — never place it again
    /// blindly), closed. Cancellation: outcome_unknown once its bytes were written; before,
    /// nothing was sent (operation_aborted thrown, or network). With a journal also: the errors
    /// of recover(); rejected/journal_failed when the journal cannot be written (nothing sent);
    /// network/timeout when the command could not be signed within its journaled bound (nothing
    /// sent). Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<OrderAck>> place_order(OrderRequest order);
    /// Cancels one order (DELETE /api/v3/order), as PrivateRest::cancel_order. A command:
    /// outcome_unknown when it may have been cancelled. Journaled as place_order is (same extra
    /// errors). Cancellation: outcome_unknown once written. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> cancel_order(std::string symbol,
                                                                         rest::OrderRef ref);
    /// Cancels every open order of the symbol (DELETE /api/v3/openOrders), as
    /// PrivateRest::cancel_open_orders. A command, journaled as place_order is (same extra
    /// errors). Cancellation: outcome_unknown once written. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> cancel_all(
        std::string symbol);
    /// One order by id or client id (GET /api/v3/order), as PrivateRest::query_order: the way to
    /// reconcile an outcome_unknown. While the private stream runs, a final order it tracked is
    /// answered from the completed-order cache (Config::completed_orders; no request, counted in
    /// ExchangeMetrics::order_cache_hits); its `time` (creation) is then 0, as pushes do not
    /// carry it, and `update_time` is the exchange time of the last news of it (a push's time may
    /// differ from the venue's updateTime by milliseconds). Errors: those of
    /// PrivateRest::query_order. Cancellation: the read is abandoned. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> order(std::string symbol,
                                                                  rest::OrderRef ref);
    /// Open orders of the symbol, of every symbol when empty (GET /api/v3/openOrders).
    /// Errors: those of PrivateRest::open_orders. Cancellation: the read is abandoned.
    /// Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> open_orders(
        std::string symbol = {});
    /// Own trades of the symbol, of one order when `order_id` is set (GET /api/v3/myTrades).
    /// Errors: those of PrivateRest::my_trades. Cancellation: the read is abandoned.
    /// Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TradeInfo>>> my_trades(
        std::string symbol, OrderId order_id = {});
    /// Balances with a non-zero total (GET /api/v3/account); served from a cache younger than
    /// Config::balance_ttl unless `fresh`. Placing and cancelling orders empties the cache.
    /// Errors: those of PrivateRest::account. Cancellation: the read is abandoned, the cache
    /// kept. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> balances(
        bool fresh = false);
    /// The symbol's rules (exchangeInfo), fetched once and refreshed after Config::rules_ttl.
    /// Errors: rejected/unknown_symbol when exchangeInfo does not list it; bad_data when its
    /// entry is unusable; those of PublicRest::exchange_info. Cancellation: the read is
    /// abandoned. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<SymbolRules>> rules(std::string symbol);

    // ---- typed public channels (SPEC §7.4) ----------------------------------------------------
    //
    // Each call subscribes one topic over the public connections shared with the books and the
    // frame subscriptions, and hands out a MarketStream that decodes its pushes into one reused
    // event, prices and quantities at the symbol's scales (exchangeInfo, cached, as rules()).
    // Trade and kline streams are lossless with a reported loss, the others conflate: see
    // mexc/market_stream.hpp for the delivery policy. The venue's refusal of the topic arrives
    // through next().

    /// Aggregated trades of `symbol`, pushed every `speed`; at most `capacity` pushes wait.
    /// Errors: rejected/invalid_argument (malformed symbol, capacity 0); rejected/unknown_symbol
    /// or the exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<TradeStream>> subscribe_trades(
        std::string symbol, topic::Speed speed,
        std::size_t capacity = FrameQueueOptions{}.capacity);
    /// The current `interval` bar of `symbol`, about every second; at most `capacity` pushes wait.
    /// Errors: rejected/invalid_argument (malformed symbol, capacity 0); rejected/unknown_symbol
    /// or the exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<KlineStream>> subscribe_klines(
        std::string symbol, topic::KlineInterval interval,
        std::size_t capacity = FrameQueueOptions{}.capacity);
    /// The top `levels` of `symbol`'s book, each push a full replacement; conflating.
    /// Errors: rejected/invalid_argument (malformed symbol); rejected/unknown_symbol or the
    /// exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<LimitDepthStream>> subscribe_limit_depth(
        std::string symbol, topic::DepthLevels levels);
    /// Best bid and ask of `symbol`, pushed every `speed` when they changed; conflating.
    /// Errors: rejected/invalid_argument (malformed symbol); rejected/unknown_symbol or the
    /// exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<BookTickerStream>> subscribe_book_ticker(
        std::string symbol, topic::Speed speed);
    /// Book tickers of `symbol` in batches; conflating.
    /// Errors: rejected/invalid_argument (malformed symbol); rejected/unknown_symbol or the
    /// exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<BookTickerBatchStream>> subscribe_book_ticker_batch(
        std::string symbol);
    /// Rolling statistics of `symbol` in time zone `zone`, every 3 s; conflating.
    /// Errors: rejected/invalid_argument (malformed symbol); rejected/unknown_symbol or the
    /// exchangeInfo read's error when the symbol is not listed; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<MiniTickerStream>> subscribe_mini_ticker(
        std::string symbol, topic::TimeZone zone);
    /// Rolling statistics of every symbol in time zone `zone`, every 3 s; conflating. Every
    /// symbol exchangeInfo lists is known to the decoder (items of others are counted in
    /// MiniTickersEvent::unknown_symbols).
    /// Errors: the exchangeInfo read's error when no rules table could be had; closed.
    /// Cancellation: abandons the exchangeInfo read; nothing is subscribed.
    /// Lifetime: the stream may outlive the exchange (see MarketStream).
    [[nodiscard]] boost::asio::awaitable<Result<MiniTickersStream>> subscribe_mini_tickers(
        topic::TimeZone zone);

    // ---- raw public pushes ------------------------------------------------------------------

    /// Subscribes `topics` (duplicates ignored) for their raw pushes, over the public connections
    /// shared with the books (at most 30 topics each, SPEC §6.2; resubscribed after reconnects).
    /// A topic a book also uses feeds both. Completes once the venue answered every topic (SPEC
    /// §7.3); when it refused some, the others go on and next() reports the refused ones.
    /// Errors: rejected/invalid_argument (no topic, capacity 0); rejected/subscription_rejected
    /// (every topic refused, named in the error's venue message); network/timeout (some topic
    /// unanswered within Timeouts::subscribe, named); closed. On each, nothing stays subscribed.
    /// Cancellation: the wait ends (system_error at the next suspension); nothing stays
    /// subscribed.
    /// Lifetime: the handle may outlive the exchange; see FrameSubscription.
    [[nodiscard]] boost::asio::awaitable<Result<FrameSubscription>> subscribe_frames(
        std::vector<Topic> topics, FrameQueueOptions options = {});

    // ---- the account in real time (needs Config::credentials) ------------------------------

    /// Starts the private stream: a listen key (adopted, not duplicated, when a create's outcome
    /// is unknown), the connection with the orders, deals and account topics, and a
    /// reconciliation by REST; completes when the stream is live. From then on orders placed
    /// through this exchange and orders of the account placed elsewhere are tracked, and
    /// balances() is answered from the pushes. Idempotent.
    /// Errors: auth/config_invalid without credentials; network/timeout when not live within
    /// Timeouts::subscribe (the stream keeps trying); closed.
    /// Cancellation: stops the wait only; the stream goes on. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<void>> start_account();
    /// The next account event (order update, fill, balance, stream status), oldest first; each
    /// order change and each fill (by trade id) is reported once.
    /// Errors: closed; bad_data/frames_dropped once when more than Config::account_event_queue
    /// events were waiting (the order states stay exact: query them).
    /// Cancellation: stops the wait; no event is lost. Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<AccountEvent>> next_account_event();
    /// Whether the private stream is live (connected and reconciled).
    bool account_live() const noexcept;

    // ---- the session scope -----------------------------------------------------------------

    /// Opens a session: subscribes the books of `symbols` (together, as subscribe_book()) and,
    /// when the Config has credentials, starts the private stream (start_account()); completes
    /// when every book is Live and the stream is live. A failure half-way stops what this call
    /// started: the books it added are unsubscribed and freed, and the private stream it started
    /// is stopped and its listen key deleted. Books and a stream that were running before stay
    /// as they are. Calling it again with the same symbols is harmless.
    /// Errors: the first failure of a book (as subscribe_book(): rejected/unknown_symbol,
    /// subscription_rejected, network/no_data, network/timeout ...); network/timeout when the
    /// private stream is not live within Timeouts::subscribe; closed.
    /// Cancellation: the wait ends (system_error at the next suspension); what was started so far
    /// goes on (close() or unsubscribe_book() ends it). Lifetime: the exchange.
    [[nodiscard]] boost::asio::awaitable<Result<void>> open(std::vector<std::string> symbols);

    /// Ends the session: with Config::cancel_orders_on_close, first cancels every open order of
    /// the account (DELETE /api/v3/openOrders per symbol, bounded by Timeouts::close; what is not
    /// confirmed cancelled stays on the venue: check open_orders() at the next start). Then
    /// cancels owned tasks, closes WebSockets with a close frame, deletes the listen key, waits
    /// (each step bounded by Timeouts::close) and closes the kept-alive REST connections. Book
    /// and event awaiters complete with `closed`; REST calls in flight run to their end; later
    /// calls fail with `closed`. A second call returns at once. Cancellation: the remaining steps
    /// are skipped; the destructor ends what is left, without close frames. Lifetime: the
    /// exchange.
    boost::asio::awaitable<void> close();

    /// The clients the facade uses, for the endpoints it does not wrap. They share its
    /// connection pool, server clock and rate budget. Valid as long as the exchange.
    rest::PublicRest& public_rest() noexcept;
    rest::PrivateRest& private_rest() noexcept;
    /// The REST budget shared by both clients; `remaining()` is the gauge (SPEC §6.1).
    RateLimiter& rate_limiter() noexcept;
    /// A snapshot of the counters.
    ExchangeMetrics metrics() const noexcept;
    /// The executor it was made with, which every call must run on.
    boost::asio::any_io_executor get_executor() const noexcept;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc
