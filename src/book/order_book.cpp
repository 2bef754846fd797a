#include "mexc/book/order_book.hpp"

#include <algorithm>

namespace mexc {

std::string_view to_string(BookState s) noexcept {
    switch (s) {
        case BookState::syncing:
            return "syncing";
        case BookState::live:
            return "live";
        case BookState::resyncing:
            return "resyncing";
        case BookState::stale:
            return "stale";
    }
    return "unknown";
}

OrderBook::OrderBook(SymbolScales scales, BookOptions options)
    : scales_(scales), options_(options) {
    scratch_.reserve(256);
    pending_.reserve(64);
    pending_changes_.reserve(1024);
}

bool OrderBook::decode(const wire::AggreDepth& update) noexcept {
    scratch_.clear();
    auto add = [&](const wire::DepthLevels& levels, bool ask) {
        for (const wire::DepthLevel level : levels) {
            auto price = parse_decimal_units(level.price, scales_.price);
            auto qty = parse_decimal_units(level.quantity, scales_.quantity);
            if (!price || !qty || *price <= 0 || *qty < 0) return false;
            scratch_.push_back({ask ? -*price : *price, *qty, ask});
        }
        return true;
    };
    return add(update.asks, true) && add(update.bids, false);
}

BookUpdate OrderBook::apply(const wire::AggreDepth& update) noexcept {
    // SPEC §10: drop toVersion ≤ local; apply if fromVersion ≤ local + 1 ≤ toVersion; else a gap.
    if (state_ == BookState::live || state_ == BookState::stale) {
        if (update.to_version <= version_) {
            ++stats_.ignored;
            return BookUpdate::ignored;
        }
        if (!decode(update)) {
            ++stats_.rejected;
            enter_resync();
            return BookUpdate::rejected;
        }
        if (update.from_version > version_ + 1) {
            ++stats_.gaps;
            enter_resync();
            buffer_scratch(update.from_version,
                           update.to_version);  // a later snapshot may bridge it
            return BookUpdate::gap;
        }
        apply_changes(scratch_.data(), scratch_.size());
        version_ = update.to_version;
        return become_live();
    }
    if (!decode(update)) {
        // The versions this frame covered are lost: buffered frames can no longer be bridged.
        ++stats_.rejected;
        enter_resync();
        return BookUpdate::rejected;
    }
    if (!pending_.empty() && update.from_version != pending_.back().to + 1) {
        // The buffered stream itself has a hole; only frames after it can still be bridged.
        ++stats_.gaps;
        pending_.clear();
        pending_changes_.clear();
    }
    buffer_scratch(update.from_version, update.to_version);
    return BookUpdate::buffered;
}

void OrderBook::buffer_scratch(std::int64_t from, std::int64_t to) noexcept {
    if (pending_.size() >= options_.max_buffered_frames) {
        pending_.clear();  // bounded (I7); a snapshot newer than what is dropped still bridges
        pending_changes_.clear();
    }
    pending_.push_back({from, to, static_cast<std::uint32_t>(pending_changes_.size()),
                        static_cast<std::uint32_t>(scratch_.size())});
    pending_changes_.insert(pending_changes_.end(), scratch_.begin(), scratch_.end());
}

BookUpdate OrderBook::apply_snapshot(const DepthSnapshot& snapshot) noexcept {
    if (!needs_snapshot()) {
        ++stats_.ignored;
        return BookUpdate::ignored;
    }
    ++stats_.snapshots;
    // REST lists best first; we keep best at the back.
    bids_.clear();
    asks_.clear();
    bids_.reserve(snapshot.bids.size() + 256);
    asks_.reserve(snapshot.asks.size() + 256);
    for (auto it = snapshot.bids.rbegin(); it != snapshot.bids.rend(); ++it)
        if (it->quantity > 0) bids_.push_back({it->price, it->quantity});
    for (auto it = snapshot.asks.rbegin(); it != snapshot.asks.rend(); ++it)
        if (it->quantity > 0) asks_.push_back({-it->price, it->quantity});
    auto by_key = [](const Level& a, const Level& b) { return a.key < b.key; };
    if (!std::is_sorted(bids_.begin(), bids_.end(), by_key))
        std::sort(bids_.begin(), bids_.end(), by_key);
    if (!std::is_sorted(asks_.begin(), asks_.end(), by_key))
        std::sort(asks_.begin(), asks_.end(), by_key);
    version_ = snapshot.last_update_id;
    prune(bids_);
    prune(asks_);
    return bridge_buffer();
}

BookUpdate OrderBook::bridge_buffer() noexcept {
    std::size_t i = 0;
    while (i < pending_.size() && pending_[i].to <= version_) ++i;  // already in the snapshot
    for (; i < pending_.size(); ++i) {
        const Pending& p = pending_[i];
        if (p.from > version_ + 1) {
            // SPEC §10.1 steps 4/6: the snapshot is older than the stream; keep buffering.
            ++stats_.gaps;
            state_ = BookState::resyncing;
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(i));
            return BookUpdate::gap;
        }
        apply_changes(pending_changes_.data() + p.first, p.count);
        version_ = p.to;
    }
    pending_.clear();
    pending_changes_.clear();
    return become_live();
}

BookUpdate OrderBook::become_live() noexcept {
    // A crossed book cannot be true: it is not served, and a fresh snapshot replaces it.
    if (crossed()) {
        ++stats_.crossed;
        enter_resync();
        return BookUpdate::crossed;
    }
    state_ = BookState::live;
    ++stats_.applied;
    return BookUpdate::applied;
}

void OrderBook::apply_changes(const Change* first, std::size_t count) noexcept {
    for (std::size_t i = 0; i < count; ++i) {
        const Change& c = first[i];
        upsert(c.ask ? asks_ : bids_, c.key, c.quantity);
    }
    if (bids_.size() > options_.max_levels_per_side) prune(bids_);
    if (asks_.size() > options_.max_levels_per_side) prune(asks_);
}

void OrderBook::upsert(std::vector<Level>& side, std::int64_t key, std::int64_t quantity) noexcept {
    // Most changes are near the touch (the back): scan a few levels there before bisecting.
    auto it = side.end();
    const auto scan_floor = side.size() > 8 ? side.end() - 8 : side.begin();
    while (it != scan_floor && (it - 1)->key > key) --it;
    if (it == scan_floor && it != side.begin() && (it - 1)->key > key)
        it = std::lower_bound(side.begin(), it, key,
                              [](const Level& l, std::int64_t k) { return l.key < k; });
    else if (it != side.begin() && (it - 1)->key == key)
        --it;
    // `it` is now the first level with key ≥ `key`.
    const bool found = it != side.end() && it->key == key;
    if (quantity == 0) {
        if (found) side.erase(it);  // deleting an absent level is a no-op (P07)
    } else if (found) {
        it->quantity = quantity;
    } else {
        side.insert(it, Level{key, quantity});
    }
}

void OrderBook::prune(std::vector<Level>& side) noexcept {
    if (side.size() <= options_.max_levels_per_side) return;
    const auto excess = side.size() - options_.max_levels_per_side;
    side.erase(side.begin(),
               side.begin() + static_cast<std::ptrdiff_t>(excess));  // the worst levels
}

bool OrderBook::crossed() const noexcept {
    return !bids_.empty() && !asks_.empty() && bids_.back().key >= -asks_.back().key;
}

void OrderBook::enter_resync() noexcept {
    state_ = BookState::resyncing;
    pending_.clear();
    pending_changes_.clear();
}

void OrderBook::mark_resyncing() noexcept {
    enter_resync();
}

void OrderBook::mark_stale() noexcept {
    if (state_ == BookState::live) state_ = BookState::stale;
}

TopOfBook OrderBook::top() const noexcept {
    TopOfBook t;
    if (auto b = best_bid()) {
        t.has_bid = true;
        t.bid_price = Price::from_units(b->price, scales_.price);
        t.bid_quantity = Quantity::from_units(b->quantity, scales_.quantity);
    }
    if (auto a = best_ask()) {
        t.has_ask = true;
        t.ask_price = Price::from_units(a->price, scales_.price);
        t.ask_quantity = Quantity::from_units(a->quantity, scales_.quantity);
    }
    return t;
}

std::size_t OrderBook::copy_side(const std::vector<Level>& side, bool ask,
                                 std::span<LevelUnits> out) noexcept {
    const std::size_t n = std::min(out.size(), side.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Level& l = side[side.size() - 1 - i];
        out[i] = {ask ? -l.key : l.key, l.quantity};
    }
    return n;
}

std::size_t OrderBook::bids(std::span<LevelUnits> out) const noexcept {
    return copy_side(bids_, false, out);
}
std::size_t OrderBook::asks(std::span<LevelUnits> out) const noexcept {
    return copy_side(asks_, true, out);
}

}  // namespace mexc
