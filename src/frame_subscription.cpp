#include "mexc/frame_subscription.hpp"

#include "ws/frame_queue.hpp"
#include "ws/market_streams.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/this_coro.hpp>

namespace mexc {
namespace asio = boost::asio;

FrameSubscription::FrameSubscription(std::shared_ptr<State> state) noexcept
    : state_(std::move(state)) {}

FrameSubscription& FrameSubscription::operator=(FrameSubscription&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::move(other.state_);
    }
    return *this;
}

FrameSubscription::~FrameSubscription() {
    close();
}

void FrameSubscription::close() noexcept {
    if (!state_) return;
    auto state = std::move(state_);
    // The streams live inside the owner: reachable only while it is.
    if (auto owner = state->owner.lock(); owner && state->streams)
        state->streams->remove_frames(*state);
    state->end();
}

asio::awaitable<Result<void>> FrameSubscription::unsubscribe() {
    if (!state_) co_return Error(Condition::closed, Errc::closed);
    auto state = std::move(state_);
    auto owner = state->owner.lock();  // held until the answer: the streams live inside it
    if (!owner || !state->streams) {
        state->end();
        co_return Error(Condition::closed, Errc::closed);
    }
    co_return co_await state->streams->unsubscribe_frames(state);
}

std::span<const Topic> FrameSubscription::topics() const noexcept {
    if (!state_) return {};
    return state_->topics;
}

std::uint64_t FrameSubscription::dropped() const noexcept {
    return state_ ? state_->ring.dropped() : 0;
}

std::uint64_t FrameSubscription::conflated() const noexcept {
    return state_ ? state_->ring.conflated() : 0;
}

std::size_t FrameSubscription::queued() const noexcept {
    return state_ ? state_->ring.size() : 0;
}

asio::awaitable<Result<RawFrame>> FrameSubscription::next() {
    auto state = state_;  // a close() during the wait leaves the frame alive
    for (;;) {
        if (!state || state->ended) co_return Error(Condition::closed, Errc::closed);
        const auto taken = state->ring.take(state->current);
        if (taken.kind == ws::FrameRing::Taken::frame)
            co_return RawFrame{&state->topics[taken.topic], state->current, taken.received};
        if (taken.kind == ws::FrameRing::Taken::loss)
            co_return Error(Condition::bad_data, Errc::frames_dropped).with_lost(taken.lost);
        if (!state->reports.empty()) {
            const Error why = state->reports.front();
            state->reports.erase(state->reports.begin());
            co_return why;
        }
        state->wake.expires_at(asio::steady_timer::time_point::max());
        co_await state->wake.async_wait(asio::as_tuple(asio::deferred));
        // Our own wake-ups cancel the timer too; only the caller's cancellation ends the wait.
        auto cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            co_return Error(Condition::closed, Errc::closed);
    }
}

}  // namespace mexc
