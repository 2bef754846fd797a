#include "mexc/market_stream.hpp"

#include "mexc/wire/events.hpp"
#include "mexc/wire/push.hpp"

namespace mexc {

// Shared with a pending next(), so a close() during the wait leaves the event alive.
template <class Event>
struct MarketStream<Event>::State {
    FrameSubscription frames;
    std::shared_ptr<const SymbolTable> symbols;
    Event event;  // reused: its vectors keep their capacity
};

template <class Event>
MarketStream<Event>::MarketStream(FrameSubscription frames,
                                  std::shared_ptr<const SymbolTable> symbols)
    : state_(std::make_shared<State>(State{std::move(frames), std::move(symbols), Event{}})) {}

template <class Event>
MarketStream<Event>::MarketStream(MarketStream&&) noexcept = default;

template <class Event>
MarketStream<Event>& MarketStream<Event>::operator=(MarketStream&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::move(other.state_);
    }
    return *this;
}

template <class Event>
MarketStream<Event>::~MarketStream() {
    close();
}

template <class Event>
void MarketStream<Event>::close() noexcept {
    if (auto state = std::move(state_)) state->frames.close();
}

template <class Event>
boost::asio::awaitable<Result<const Event*>> MarketStream<Event>::next() {
    auto state = state_;
    if (!state) co_return Error(Condition::closed, Errc::closed);
    auto frame = co_await state->frames.next();
    if (!frame) co_return frame.error();
    auto push = wire::decode_push(frame->bytes);
    if (!push) co_return push.error();
    if (auto decoded = wire::decode_event(*push, frame->received, *state->symbols, state->event);
        !decoded)
        co_return decoded.error();
    co_return &state->event;
}

template <class Event>
std::span<const Topic> MarketStream<Event>::topics() const noexcept {
    return state_ ? state_->frames.topics() : std::span<const Topic>{};
}

template <class Event>
const SymbolTable& MarketStream<Event>::symbols() const noexcept {
    static const SymbolTable none;
    return state_ && state_->symbols ? *state_->symbols : none;
}

template <class Event>
std::uint64_t MarketStream<Event>::dropped() const noexcept {
    return state_ ? state_->frames.dropped() : 0;
}

template <class Event>
std::uint64_t MarketStream<Event>::conflated() const noexcept {
    return state_ ? state_->frames.conflated() : 0;
}

template <class Event>
std::size_t MarketStream<Event>::queued() const noexcept {
    return state_ ? state_->frames.queued() : 0;
}

template class MarketStream<TradesEvent>;
template class MarketStream<KlineEvent>;
template class MarketStream<LimitDepthEvent>;
template class MarketStream<BookTickerEvent>;
template class MarketStream<BookTickerBatchEvent>;
template class MarketStream<MiniTickerEvent>;
template class MarketStream<MiniTickersEvent>;

}  // namespace mexc
