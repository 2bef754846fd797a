#pragma once
// Typed public market events (mexc/market_events.hpp) delivered to the program: a MarketStream
// owns a frame subscription's bounded queue and decodes each push into one reused event when the
// program asks for the next one, so after warm-up a push allocates nothing.
//
// Delivery policy, by what the channel carries (the exchange's subscribe_* choose it):
// - Flows are never dropped silently: trades (TradeStream) and klines (KlineStream, whose last push
//   of a bar is its close). A reader that falls `capacity` pushes behind loses the pushes that
//   find the queue full; next() then reports, at the place of the loss, bad_data/frames_dropped
//   with Error::lost() = how many, and delivery resumes with the pushes queued after it. Memory
//   stays bounded by `capacity` frames.
// - State conflates (latest wins): limit depth, book tickers (single and batch) and mini tickers
//   (single and all symbols), whose every push supersedes the last, as the books do. A push that
//   finds the previous one still unread replaces it in place; nothing is reported as lost
//   (conflated() counts the replaced pushes) and at most one push per topic waits.

#include "mexc/error.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/market_events.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace mexc {

/// A subscription to the typed events of one channel, made by MexcExchange::subscribe_trades,
/// subscribe_klines, ... Move-only. One reader at a time, on the exchange's executor.
/// Lifetime: destroying it (or close()) unsubscribes topics no one else uses and frees its queue;
/// it may outlive the exchange, which then ends it (next() reports `closed`).
template <class Event>
class MarketStream {
public:
    MarketStream() = default;
    /// Types the pushes of `frames`, whose topics must all be of Event's channel (others fail
    /// with bad_data/unknown_body), with the symbols and scales of `symbols` (shared: the stream
    /// keeps it alive). The exchange's subscribe_* calls build it this way. Errors: none here;
    /// the frame subscription's and the decoder's arrive through next(). Lifetime: takes over
    /// `frames` (its handle is moved from).
    MarketStream(FrameSubscription frames, std::shared_ptr<const SymbolTable> symbols);
    MarketStream(MarketStream&&) noexcept;
    MarketStream& operator=(MarketStream&&) noexcept;
    MarketStream(const MarketStream&) = delete;
    MarketStream& operator=(const MarketStream&) = delete;
    ~MarketStream();

    /// The next event, in the order received; never null on success.
    /// Errors: bad_data/frames_dropped at the place of a loss (lossless kinds; Error::lost() says
    /// how many; the next call goes on); bad_data with the decoder's cause for a push that does
    /// not decode exactly (P01, P06: that push only; see mexc/wire/events.hpp); rejected/
    /// subscription_rejected once when the venue refused the topic; closed after close(), on a
    /// moved-from or default handle, or when the exchange closes.
    /// Cancellation: cancelling the wait loses no push.
    /// Lifetime: the event is valid until the next call of next(), close(), or the handle's
    /// destruction.
    [[nodiscard]] boost::asio::awaitable<Result<const Event*>> next();

    /// The subscribed topics (sorted, without duplicates).
    std::span<const Topic> topics() const noexcept;
    /// The symbols the events' SymbolIds index (EventMeta::symbol, MiniTicker::symbol); an empty
    /// table on a default, moved-from or closed handle. Lifetime: the handle's state.
    const SymbolTable& symbols() const noexcept;
    /// Pushes lost so far to a full queue (lossless kinds).
    std::uint64_t dropped() const noexcept;
    /// Pushes replaced unread by a later one of their topic (conflating kinds).
    std::uint64_t conflated() const noexcept;
    /// Pushes waiting to be read.
    std::size_t queued() const noexcept;

    /// Unsubscribes and frees the queue now; a pending next() completes with `closed`.
    void close() noexcept;

private:
    struct State;
    std::shared_ptr<State> state_;
};

/// `spot@public.aggre.deals.v3.api.pb`: lossless.
using TradeStream = MarketStream<TradesEvent>;
/// `spot@public.kline.v3.api.pb`: lossless.
using KlineStream = MarketStream<KlineEvent>;
/// `spot@public.limit.depth.v3.api.pb`: conflating.
using LimitDepthStream = MarketStream<LimitDepthEvent>;
/// `spot@public.aggre.bookTicker.v3.api.pb`: conflating.
using BookTickerStream = MarketStream<BookTickerEvent>;
/// `spot@public.bookTicker.batch.v3.api.pb`: conflating.
using BookTickerBatchStream = MarketStream<BookTickerBatchEvent>;
/// `spot@public.miniTicker.v3.api.pb`: conflating.
using MiniTickerStream = MarketStream<MiniTickerEvent>;
/// `spot@public.miniTickers.v3.api.pb`: conflating.
using MiniTickersStream = MarketStream<MiniTickersEvent>;

// Compiled once, in the library.
extern template class MarketStream<TradesEvent>;
extern template class MarketStream<KlineEvent>;
extern template class MarketStream<LimitDepthEvent>;
extern template class MarketStream<BookTickerEvent>;
extern template class MarketStream<BookTickerBatchEvent>;
extern template class MarketStream<MiniTickerEvent>;
extern template class MarketStream<MiniTickersEvent>;

}  // namespace mexc
