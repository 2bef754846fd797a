#include "ws/book_sync.hpp"

#include <algorithm>
#include <array>
#include <span>

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
    check_failed();  // what the shadow took is as suspect as the book's
    if (book_.state() == BookState::resyncing) return {};
    book_.mark_resyncing();
    return {.notify = true};
}

SyncAction BookSync::frame(const wire::AggreDepth& update, Clock::time_point now,
                           std::int64_t sent_ms) noexcept {
    const BookState before = book_.state();
    if (shadow_) (void)shadow_->apply(update);
    const BookUpdate result = book_.apply(update);
    const bool notify = result != BookUpdate::ignored || book_.state() != before;
    if (notify) changed(now);
    if (result == BookUpdate::applied && sent_ms != 0) {
        if (update.bids.begin() != update.bids.end())
            sides_[0].changed_ms = std::max(sides_[0].changed_ms, sent_ms);
        if (update.asks.begin() != update.asks.end())
            sides_[1].changed_ms = std::max(sides_[1].changed_ms, sent_ms);
    }
    return fetch_if_wanted(notify);
}

void BookSync::trade(Side maker, std::int64_t trade_ms, Clock::time_point now) noexcept {
    if (options_.frozen_after.count() == 0 || !book_.is_live() || maker == Side::unknown) return;
    auto& side = sides_[maker == Side::sell ? 1 : 0];
    if (side.changed_ms >= trade_ms) return;  // shown already
    if (side.trade_ms == 0 || trade_ms < side.trade_ms) {
        side.trade_ms = trade_ms;
        side.trade_seen = now;
    }
}

// A side is frozen when a trade against it stays unshown past the bound while the other side's
// changes go on past that trade; a quiet stream is the stale check's matter, not this one.
bool BookSync::side_frozen(Clock::time_point now) noexcept {
    for (int s = 0; s < 2; ++s) {
        auto& side = sides_[s];
        if (side.trade_ms == 0) continue;
        if (side.changed_ms >= side.trade_ms) {
            side.trade_ms = 0;  // shown
            continue;
        }
        if (now - side.trade_seen >= options_.frozen_after &&
            sides_[1 - s].changed_ms > side.trade_ms)
            return true;
    }
    return false;
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
    if (book_.is_live() && side_frozen(now)) {
        ++stats_.frozen_sides;
        book_.mark_resyncing();
        sides_[0] = sides_[1] = SideWatch{};
        changed(now);
        return fetch_if_wanted(true);
    }
    bool notify = false;
    if (book_.is_live() && now - last_change_ > options_.stale_after) {
        book_.mark_stale();
        notify = true;
    }
    // A quiet symbol sends no increment to trigger its snapshot: fetch anyway.
    if (now - last_change_ > options_.quiet_after) return fetch_if_wanted(notify);
    return {.notify = notify};
}

bool BookSync::begin_check() {
    if (!book_.is_live() || shadow_) return false;
    shadow_.emplace(book_.scales(), options_.book);
    return true;
}

SyncAction BookSync::check_received(const DepthSnapshot& snapshot, Clock::time_point now) noexcept {
    if (!shadow_) return {};
    const bool bridged = shadow_->apply_snapshot(snapshot) == BookUpdate::applied;
    // Comparable only at one version: both Live there, the book continuous since the check began.
    if (!bridged || !book_.is_live() || shadow_->version() != book_.version()) {
        ++stats_.checks_inconclusive;
        shadow_.reset();
        return {};
    }
    // The top levels, count and all. The shadow knows the snapshot's depth only, which the shell
    // asks for well beyond the compared levels, so deletions at the top during the check do not
    // bring up levels it never saw.
    const auto same_top = [](auto&& read_book, auto&& read_shadow, std::size_t levels) {
        std::array<LevelUnits, max_check_levels> a{}, b{};
        const auto n = read_book(std::span(a.data(), levels));
        return n == read_shadow(std::span(b.data(), levels)) &&
               std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
    };
    const auto levels = std::min(options_.check_levels, max_check_levels);
    const bool agree = same_top([&](auto out) { return book_.bids(out); },
                                [&](auto out) { return shadow_->bids(out); }, levels) &&
                       same_top([&](auto out) { return book_.asks(out); },
                                [&](auto out) { return shadow_->asks(out); }, levels);
    shadow_.reset();
    ++stats_.checks;
    if (agree) return {};
    ++stats_.check_disagreements;
    book_.mark_resyncing();
    changed(now);
    return fetch_if_wanted(true);
}

void BookSync::check_failed() noexcept {
    if (!shadow_) return;
    ++stats_.checks_inconclusive;
    shadow_.reset();
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
