#pragma once
// The bounded queue behind a FrameSubscription, and its shared state with MarketStreams.
//
// FrameRing is sans-io: `capacity` slots whose buffers keep their capacity, so once each has held
// a frame as large as the traffic's largest, pushing and taking allocate nothing. Two policies:
// - lossless: a push into a full ring is dropped and counted; the count is attached to the next
//   frame queued (or reported when the ring runs empty), so the reader learns of a loss exactly
//   where it happened;
// - conflating: a push for a topic already queued replaces that frame in place (latest wins, at
//   the place of the topic's first waiting frame), so the ring holds one frame per topic at most,
//   never drops, and its memory is bounded by the number of topics.

#include "mexc/error.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mexc::ws {

class MarketStreams;

class FrameRing {
public:
    using Time = std::chrono::system_clock::time_point;

    /// What take() found.
    struct Taken {
        enum Kind : std::uint8_t { empty, frame, loss } kind = empty;
        std::uint32_t topic = 0;  // frame: the index given to push()
        Time received{};          // frame
        std::uint64_t lost = 0;   // loss: frames dropped at this place
    };

    /// Lossless, `capacity` slots (at least 1).
    explicit FrameRing(std::size_t capacity) : slots_(capacity < 1 ? 1 : capacity) {}
    /// Conflating over the topic indexes [0, topics).
    static FrameRing conflating(std::size_t topics);

    /// Copies the frame in, replaces the topic's waiting frame (conflating), or drops and counts
    /// it when full (lossless). Returns false when dropped. `topic` < topics when conflating.
    bool push(std::uint32_t topic, std::string_view bytes, Time received);
    /// The oldest entry; a frame's bytes are swapped into `out` (valid until the next take).
    Taken take(std::string& out);

    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return slots_.size(); }
    std::uint64_t dropped() const noexcept { return dropped_; }
    /// Frames replaced by a later one of their topic before they were taken (conflating).
    std::uint64_t conflated() const noexcept { return conflated_; }

private:
    static constexpr std::uint32_t not_queued = ~std::uint32_t{0};

    struct Slot {
        std::string bytes;
        Time received{};
        std::uint64_t lost_before = 0;  // frames dropped just before this one, not yet reported
        std::uint32_t topic = 0;
    };
    std::vector<Slot> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::uint64_t pending_lost_ = 0;  // dropped after the last queued frame
    std::uint64_t dropped_ = 0;
    std::uint64_t conflated_ = 0;
    std::vector<std::uint32_t> queued_at_;  // conflating: the slot of each topic's waiting frame
};

}  // namespace mexc::ws

namespace mexc {

/// Shared by the handle (the reader) and MarketStreams (the writer), on one executor.
struct FrameSubscription::State {
    State(boost::asio::any_io_executor ex, std::vector<Topic> t, FrameQueueOptions options)
        : topics(std::move(t)),
          ring(options.conflate ? ws::FrameRing::conflating(topics.size())
                                : ws::FrameRing(options.capacity)),
          wake(ex) {}

    /// Called by MarketStreams for each push of topics[topic].
    void deliver(std::uint32_t topic, std::string_view bytes, ws::FrameRing::Time received) {
        ring.push(topic, bytes, received);
        wake.cancel();
    }
    /// Some topics failed (refused, or silent past the first-data deadline): reported by next(),
    /// one error per kind, naming the topics (as many as the error's message holds).
    void refused(const Error& why) {
        auto same = std::find_if(reports.begin(), reports.end(),
                                 [&](const Error& e) { return e.code() == why.code(); });
        if (same == reports.end()) {
            reports.push_back(why);
        } else {
            std::string names(same->venue_message());
            names.append(",").append(why.venue_message());
            same->with_venue_message(names);
        }
        wake.cancel();
    }
    /// Terminal: the subscription or the exchange ended.
    void end() noexcept {
        ended = true;
        wake.cancel();
    }

    std::vector<Topic> topics;
    ws::FrameRing ring;
    std::string current;         // the bytes next() handed out last
    std::vector<Error> reports;  // failures not yet reported by next(), oldest first
    // UNSUBSCRIPTION requests sent when it was removed: (connection, request id).
    std::vector<std::pair<std::size_t, std::uint64_t>> unsubscribed;
    boost::asio::steady_timer wake;  // cancelled when something arrives
    // Who to tell when the handle goes: valid while `owner` can be locked (MarketStreams lives
    // inside the owner).
    ws::MarketStreams* streams = nullptr;
    std::weak_ptr<void> owner;
    bool ended = false;
};

}  // namespace mexc
