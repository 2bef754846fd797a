#pragma once
// Raw public pushes of chosen topics, as received: the bytes of each PushDataV3ApiWrapper frame
// (decode them with mexc/wire/push.hpp), for recording, or for channels the library does not yet
// type. The frames come over the exchange's public connections, shared with its books.

#include "mexc/error.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace mexc {

struct FrameQueueOptions {
    /// Frames held for a reader that is behind. When all are taken, further pushes are dropped and
    /// counted, and next() reports the loss where it happened. At least 1.
    std::size_t capacity = 1024;
    /// Latest wins: a push for a topic that already has a frame waiting replaces that frame in
    /// place (counted by conflated(), never a loss), so at most one frame per topic waits and
    /// `capacity` is not used. For channels that carry state (tickers, top-N depth), not trades.
    bool conflate = false;
};

/// One received push.
struct RawFrame {
    /// The topic it was pushed for; valid while the subscription lives.
    const Topic* topic = nullptr;
    /// The whole binary WebSocket message; valid until the next call of next() or close().
    std::string_view bytes;
    /// Local time of receipt, read when the message was taken off the socket.
    std::chrono::system_clock::time_point received;
};

/// A subscription to raw pushes, made by MexcExchange::subscribe_frames. Move-only.
/// Lifetime: destroying it (or close()) unsubscribes topics no one else uses and frees its queue;
/// it may outlive the exchange, which then ends it (next() reports `closed`).
class FrameSubscription {
public:
    struct State;

    FrameSubscription() = default;
    explicit FrameSubscription(std::shared_ptr<State> state) noexcept;
    FrameSubscription(FrameSubscription&&) noexcept = default;
    FrameSubscription& operator=(FrameSubscription&& other) noexcept;
    FrameSubscription(const FrameSubscription&) = delete;
    FrameSubscription& operator=(const FrameSubscription&) = delete;
    ~FrameSubscription();

    /// The next frame, in the order received (per connection; topics on different connections
    /// interleave as they arrive). One caller at a time.
    /// Errors: bad_data/frames_dropped once per run of frames lost to a full queue, at the place of
    /// the loss, Error::lost() saying how many (dropped() is the total; delivery resumes with the
    /// next call); rejected/
    /// subscription_rejected once when the venue refused topics (the message lists them; the
    /// others go on; refused topics are never resubscribed); network/no_data once when accepted
    /// topics delivered nothing within Config::first_data_timeout (listed; they stay subscribed);
    /// closed after close(), a moved-from handle, or the exchange closing.
    /// Cancellation: cancelling the wait (e.g. by a parallel group) loses no frame.
    /// Lifetime: the handle; the frame (RawFrame) is valid until the next next() or close().
    [[nodiscard]] boost::asio::awaitable<Result<RawFrame>> next();

    /// The subscribed topics (sorted, without duplicates).
    std::span<const Topic> topics() const noexcept;
    /// Frames dropped so far because the queue was full.
    std::uint64_t dropped() const noexcept;
    /// Frames replaced by a later push of their topic before they were read (conflate).
    std::uint64_t conflated() const noexcept;
    /// Frames waiting in the queue.
    std::size_t queued() const noexcept;

    /// Unsubscribes and frees the queue now, without waiting for the venue; a pending next()
    /// completes with `closed`.
    void close() noexcept;

    /// Unsubscribes (UNSUBSCRIPTION of the topics nothing else uses) and frees the queue, then
    /// waits until the venue answered, at most Timeouts::subscribe. A topic whose connection
    /// carries nothing else is unsubscribed by closing that connection instead (no answer to
    /// wait for). The handle is empty afterwards, whatever the result.
    /// Errors: network/timeout (no answer in time; the topics are gone all the same and never
    /// replayed), closed (an empty handle, or the exchange closing or gone).
    /// Cancellation: the wait ends (system_error at the next suspension); the topics are gone.
    /// Lifetime: the exchange is kept alive until it completes.
    [[nodiscard]] boost::asio::awaitable<Result<void>> unsubscribe();

private:
    std::shared_ptr<State> state_;
};

}  // namespace mexc
