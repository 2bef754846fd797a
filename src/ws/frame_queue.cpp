#include "ws/frame_queue.hpp"

namespace mexc::ws {

bool FrameRing::push(std::uint32_t topic, std::string_view bytes, Time received) {
    if (size_ == slots_.size()) {
        ++pending_lost_;
        ++dropped_;
        return false;
    }
    Slot& slot = slots_[(head_ + size_) % slots_.size()];
    slot.bytes.assign(bytes);  // reuses the slot's capacity
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
    head_ = (head_ + 1) % slots_.size();
    --size_;
    return {Taken::frame, slot.topic, slot.received, 0};
}

}  // namespace mexc::ws
