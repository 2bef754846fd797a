#include "ws/frame_queue.hpp"

namespace mexc::ws {

namespace {

// Reuses the buffer's capacity. A topic's frames grow slowly (longer numbers, one more level):
// growing to twice the size at once makes that one allocation, not one every few bytes.
void copy(std::string& buffer, std::string_view bytes) {
    if (buffer.capacity() < bytes.size()) buffer.reserve(2 * bytes.size());
    buffer.assign(bytes);
}

}  // namespace

FrameRing FrameRing::conflating(std::size_t topics) {
    FrameRing ring(topics);
    ring.queued_at_.assign(ring.slots_.size(), not_queued);
    return ring;
}

bool FrameRing::push(std::uint32_t topic, std::string_view bytes, Time received) {
    if (!queued_at_.empty() && queued_at_[topic] != not_queued) {
        Slot& waiting = slots_[queued_at_[topic]];
        copy(waiting.bytes, bytes);  // latest wins; the older state is of no use to anyone
        waiting.received = received;
        ++conflated_;
        return true;
    }
    if (size_ == slots_.size()) {
        ++pending_lost_;
        ++dropped_;
        return false;
    }
    // An empty ring starts again at its first slot: a reader that keeps up circulates one warm
    // buffer with its own instead of warming every slot in turn.
    if (size_ == 0) head_ = 0;
    const std::size_t at = (head_ + size_) % slots_.size();
    Slot& slot = slots_[at];
    copy(slot.bytes, bytes);
    if (!queued_at_.empty()) queued_at_[topic] = static_cast<std::uint32_t>(at);
    slot.received = received;
    slot.topic = topic;
    slot.lost_before = pending_lost_;
    pending_lost_ = 0;
    ++size_;
    return true;
}

FrameRing::Taken FrameRing::take(std::string& out) {
    if (size_ == 0) {
        if (pending_lost_ == 0) return {};
        Taken loss{Taken::loss, 0, {}, pending_lost_};
        pending_lost_ = 0;
        return loss;
    }
    Slot& slot = slots_[head_];
    if (slot.lost_before > 0) {
        Taken loss{Taken::loss, 0, {}, slot.lost_before};
        slot.lost_before = 0;
        return loss;
    }
    out.swap(slot.bytes);  // the buffers circulate: neither side allocates once warm
    if (!queued_at_.empty()) queued_at_[slot.topic] = not_queued;
    head_ = (head_ + 1) % slots_.size();
    --size_;
    return {Taken::frame, slot.topic, slot.received, 0};
}

}  // namespace mexc::ws
