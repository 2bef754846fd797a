#pragma once
// MexcExchange: one facade over the REST clients and WebSocket streams of one account, on one
// executor. Not thread-safe: use it from its executor only (STYLE §7).

#include "mexc/book/order_book.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/symbol_rules.hpp"
#include "mexc/types.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace mexc {

namespace rest {
class PublicRest;
}

/// A read-only handle on a live book owned by the exchange. Valid until the exchange is destroyed.
/// Readers check state(): only a Live book is exact (FAULTS I3).
class BookView {
public:
    BookView() = default;
    std::string_view symbol() const noexcept { return *symbol_; }
    BookState state() const noexcept { return book_->state(); }
    bool is_live() const noexcept { return book_->is_live(); }
    std::int64_t version() const noexcept { return book_->version(); }
    TopOfBook top() const noexcept { return book_->top(); }
    std::optional<LevelUnits> best_bid() const noexcept { return book_->best_bid(); }
    std::optional<LevelUnits> best_ask() const noexcept { return book_->best_ask(); }
    std::size_t bids(std::span<LevelUnits> out) const noexcept { return book_->bids(out); }
    std::size_t asks(std::span<LevelUnits> out) const noexcept { return book_->asks(out); }
    SymbolScales scales() const noexcept { return book_->scales(); }
    const OrderBook& book() const noexcept { return *book_; }

private:
    friend class MexcExchange;
    BookView(const std::string* symbol, const OrderBook* book) : symbol_(symbol), book_(book) {}
    const std::string* symbol_ = nullptr;
    const OrderBook* book_ = nullptr;
};

struct ExchangeMetrics {
    std::uint64_t frames = 0;           ///< binary pushes received
    std::uint64_t decode_errors = 0;    ///< frames rejected by the decoder (P01)
    std::uint64_t unrouted_frames = 0;  ///< pushes for topics with no book (P04)
    std::uint64_t gaps = 0;             ///< version gaps and rejected frames
    std::uint64_t snapshots = 0;        ///< REST snapshots fetched
    std::uint64_t snapshot_failures = 0;
    std::uint64_t connects = 0;  ///< WebSocket connections established
    std::uint64_t disconnects = 0;
};

class MexcExchange {
public:
    /// Errors: a Config that fails validate() throws mexc::Exception (API misuse).
    MexcExchange(boost::asio::any_io_executor ex, Config config);
    ~MexcExchange();
    MexcExchange(const MexcExchange&) = delete;
    MexcExchange& operator=(const MexcExchange&) = delete;

    /// Subscribes the aggregated depth stream, fetches a snapshot and bridges it (SPEC §10);
    /// completes when the book is Live. Subscribing an already subscribed symbol waits for it.
    /// Errors: rejected (unknown symbol, topic refused), network (no Live book within
    /// Timeouts::subscribe), closed.
    [[nodiscard]] boost::asio::awaitable<Result<BookView>> subscribe_book(std::string symbol);

    /// The book of a subscribed symbol. Errors: rejected/not_subscribed.
    Result<BookView> book(std::string_view symbol) const;

    /// Completes when some subscribed book changed (levels or state) since it was last reported.
    /// Conflating: a burst of updates to one book is reported once (FAULTS C13). Errors: closed.
    [[nodiscard]] boost::asio::awaitable<Result<BookView>> next_book_update();

    // ---- trading (needs Config::credentials) ----------------------------------------------

    /// Checks the order against the symbol's rules (exchangeInfo, cached), gives it a client order
    /// id when it has none, and sends it once. Errors: rejected (local check or venue refusal;
    /// nothing happened), rate_limited, auth, outcome_unknown (it may exist: reconcile with
    /// order(symbol, by_client_id(ack id)) — never place it again blindly), closed.
    [[nodiscard]] boost::asio::awaitable<Result<OrderAck>> place_order(OrderRequest order);
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> cancel_order(std::string symbol,
                                                                         rest::OrderRef ref);
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> cancel_all(
        std::string symbol);
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> order(std::string symbol,
                                                                  rest::OrderRef ref);
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> open_orders(
        std::string symbol = {});
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TradeInfo>>> my_trades(
        std::string symbol, OrderId order_id = {});
    /// Balances with a non-zero total; served from a cache younger than Config::balance_ttl
    /// unless `fresh`.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> balances(
        bool fresh = false);
    /// The symbol's rules (exchangeInfo), fetched once and refreshed after Config::rules_ttl.
    [[nodiscard]] boost::asio::awaitable<Result<SymbolRules>> rules(std::string symbol);

    // ---- raw public pushes ------------------------------------------------------------------

    /// Subscribes `topics` (duplicates ignored) for their raw pushes, over the public connections
    /// shared with the books (at most 30 topics each, SPEC §6.2; resubscribed after reconnects).
    /// A topic a book also uses feeds both. Completes once the subscription requests are queued;
    /// the venue's refusal of a topic arrives through next().
    /// Errors: rejected/invalid_argument (no topic, capacity 0), closed.
    /// Cancellation: none needed; it does not wait on the network.
    /// Lifetime: the handle may outlive the exchange; see FrameSubscription.
    [[nodiscard]] boost::asio::awaitable<Result<FrameSubscription>> subscribe_frames(
        std::vector<Topic> topics, FrameQueueOptions options = {});

    /// Cancels owned tasks, closes WebSockets with a close frame, waits (bounded by
    /// Timeouts::close). Pending awaiters complete with `closed`.
    boost::asio::awaitable<void> close();

    rest::PublicRest& public_rest() noexcept;
    rest::PrivateRest& private_rest() noexcept;
    /// The REST budget shared by both clients; `remaining()` is the gauge (SPEC §6.1).
    RateLimiter& rate_limiter() noexcept;
    ExchangeMetrics metrics() const noexcept;
    boost::asio::any_io_executor get_executor() const noexcept;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc
