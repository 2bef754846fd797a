#include "ws/book_sync.hpp"

#include <algorithm>

namespace mexc::ws {

BookSync::BookSync(SymbolScales scales, const BookSyncOptions& options, Clock::time_point now)
    : book_(scales, options.book),
      options_(options),
      delay_(options.retry_first),
      last_change_(now) {}

SyncAction BookSync::connected(std::uint64_t generation) noexcept {
    connected_ = true;
    generation_ = generation;
    return {};
}

SyncAction BookSync::disconnected() noexcept {
    connected_ = false;
    if (book_.state() == BookState::resyncing) return {};
    book_.mark_resyncing();
    return {.notify = true};
}

SyncAction BookSync::frame(const wire::AggreDepth& update, Clock::time_point now) noexcept {
    const BookState before = book_.state();
    const bool notify = book_.apply(update) != BookUpdate::ignored || book_.state() != before;
    if (notify) changed(now);
    return fetch_if_wanted(notify);
}

SyncAction BookSync::bad_frame(Clock::time_point now) noexcept {
    book_.mark_resyncing();
    changed(now);
    return fetch_if_wanted(true);
}

SyncAction BookSync::snapshot_received(const DepthSnapshot& snapshot,
                                       Clock::time_point now) noexcept {
    if (phase_ != Phase::fetching) return {};
    if (!connected_ || fetch_generation_ != generation_) {
        // Taken for a connection that has gone: the new one's buffer needs its own snapshot.
        ++stats_.snapshots_discarded;
        end_cycle(false);
        return fetch_if_wanted(false);
    }
    ++stats_.snapshots;
    const BookUpdate r = book_.apply_snapshot(snapshot);
    changed(now);
    if (r == BookUpdate::applied || r == BookUpdate::ignored) return end_cycle(true);
    return retry_later(true);  // older than the buffered stream (step 4 or 6)
}

SyncAction BookSync::snapshot_failed() noexcept {
    if (phase_ != Phase::fetching) return {};
    ++stats_.snapshot_failures;
    if (!connected_ || fetch_generation_ != generation_) {
        end_cycle(false);
        return fetch_if_wanted(false);
    }
    return retry_later(false);
}

SyncAction BookSync::retry_due() noexcept {
    if (phase_ != Phase::waiting) return {};
    if (!wants_snapshot()) return end_cycle(false);
    phase_ = Phase::fetching;
    fetch_generation_ = generation_;
    return {.step = SyncStep::fetch_snapshot};
}

SyncAction BookSync::tick(Clock::time_point now) noexcept {
    bool notify = false;
    if (book_.is_live() && now - last_change_ > options_.stale_after) {
        book_.mark_stale();
        notify = true;
    }
    // A quiet symbol sends no increment to trigger its snapshot: fetch anyway.
    if (now - last_change_ > options_.quiet_after) return fetch_if_wanted(notify);
    return {.notify = notify};
}

void BookSync::close() noexcept {
    phase_ = Phase::closed;
}

SyncAction BookSync::fetch_if_wanted(bool notify) noexcept {
    if (phase_ != Phase::idle || !wants_snapshot()) return {.notify = notify};
    phase_ = Phase::fetching;
    fetch_generation_ = generation_;
    return {.step = SyncStep::fetch_snapshot, .notify = notify};
}

SyncAction BookSync::retry_later(bool notify) noexcept {
    phase_ = Phase::waiting;
    const auto pause = delay_;
    delay_ = std::min(delay_ * 2, options_.retry_max);
    return {.step = SyncStep::wait, .delay = pause, .notify = notify};
}

SyncAction BookSync::end_cycle(bool notify) noexcept {
    phase_ = Phase::idle;
    delay_ = options_.retry_first;
    return {.notify = notify};
}

}  // namespace mexc::ws
