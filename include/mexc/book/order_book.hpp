#pragma once
// A local order book kept exact from a REST snapshot plus depth increments (SPEC §10), with the
// states of FAULTS §1.4. Sans-io: the I/O shell feeds it frames and snapshots and asks it what to
// do next. Not thread-safe; one executor owns it.
//
// Storage: one contiguous array per side, sorted so that the best level is at the back. Changes
// cluster near the touch, so inserts and deletes move few elements, best bid/ask is O(1), and no
// heap allocation happens once the arrays have grown to the book's working depth.

#include "mexc/book/book_options.hpp"
#include "mexc/decimal.hpp"
#include "mexc/market.hpp"
#include "mexc/types.hpp"
#include "mexc/wire/push.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mexc {

/// Where a book is in FAULTS §1.4's cycle; only `live` is exact.
enum class BookState : std::uint8_t {
    syncing,    ///< subscribed, buffering increments, waiting for a snapshot
    live,       ///< continuous since a bridged snapshot: top of book is exact
    resyncing,  ///< a gap, bad frame, crossed book or reconnect: not served until a new snapshot
    stale,      ///< continuous but silent longer than the configured bound
};

/// "syncing", "live", "resyncing", "stale".
std::string_view to_string(BookState s) noexcept;

/// What one input did to the book.
enum class BookUpdate : std::uint8_t {
    applied,   ///< levels changed; version advanced (also: snapshot bridged → live)
    buffered,  ///< held until a snapshot arrives
    ignored,   ///< older than the book (toVersion ≤ version), or a snapshot while live
    gap,       ///< versions are missing: the book is resyncing and needs a fresh snapshot
    rejected,  ///< malformed frame: nothing applied, the book is resyncing
    crossed,   ///< best bid ≥ best ask after applying: the book is resyncing
};

/// Best bid and ask as exact decimals at the book's scales; a side is absent when has_* is false.
struct TopOfBook {
    Price bid_price;
    Quantity bid_quantity;
    Price ask_price;
    Quantity ask_quantity;
    bool has_bid = false;
    bool has_ask = false;
};

/// One symbol's book; starts `syncing`, empty.
class OrderBook {
public:
    explicit OrderBook(SymbolScales scales, BookOptions options = {});

    /// Feeds one aggregated increment (SPEC §10.1 steps 2 and 7). Live or stale: applied (a stale
    /// book is live again), ignored, or gap / rejected / crossed (now resyncing). Otherwise
    /// buffered, or rejected. Never fails otherwise; allocates only while buffers grow.
    BookUpdate apply(const wire::AggreDepth& update) noexcept;

    /// Installs a REST snapshot and bridges buffered increments (steps 3–7). Returns applied
    /// (now live), gap (snapshot older than the buffered stream: fetch another), crossed (best
    /// bid ≥ best ask: fetch another), ignored (live or stale: no snapshot needed).
    BookUpdate apply_snapshot(const DepthSnapshot& snapshot) noexcept;

    /// The connection was lost or replaced: every frame until a new snapshot is suspect.
    void mark_resyncing() noexcept;
    /// No update for longer than the bound while the connection looks alive: live becomes
    /// stale; other states are kept.
    void mark_stale() noexcept;

    /// The state; whether it is live; whether apply_snapshot() would be taken (syncing,
    /// resyncing).
    BookState state() const noexcept { return state_; }
    bool is_live() const noexcept { return state_ == BookState::live; }
    bool needs_snapshot() const noexcept {
        return state_ == BookState::syncing || state_ == BookState::resyncing;
    }
    /// Last version included (REST lastUpdateId or increment toVersion); 0 before a snapshot.
    std::int64_t version() const noexcept { return version_; }
    /// The scales that LevelUnits count in.
    SymbolScales scales() const noexcept { return scales_; }

    /// O(1). Empty when the side is empty.
    std::optional<LevelUnits> best_bid() const noexcept {
        if (bids_.empty()) return std::nullopt;
        return LevelUnits{bids_.back().key, bids_.back().quantity};
    }
    std::optional<LevelUnits> best_ask() const noexcept {
        if (asks_.empty()) return std::nullopt;
        return LevelUnits{-asks_.back().key, asks_.back().quantity};
    }
    /// Both best levels as decimals, O(1).
    TopOfBook top() const noexcept;

    /// Copies up to out.size() levels, best first; returns how many were written.
    std::size_t bids(std::span<LevelUnits> out) const noexcept;
    std::size_t asks(std::span<LevelUnits> out) const noexcept;
    /// Levels held per side (at most BookOptions::max_levels_per_side).
    std::size_t bid_depth() const noexcept { return bids_.size(); }
    std::size_t ask_depth() const noexcept { return asks_.size(); }

    /// Counters for metrics and tests.
    struct Stats {
        std::uint64_t applied = 0, ignored = 0, gaps = 0, rejected = 0, crossed = 0, snapshots = 0;
    };
    const Stats& stats() const noexcept { return stats_; }

private:
    // Both sides sorted ascending by key with the best level at the back: bids key on the price,
    // asks on the negated price.
    struct Level {
        std::int64_t key;
        std::int64_t quantity;
    };
    struct Change {
        std::int64_t key;  // as stored: negated for asks
        std::int64_t quantity;
        bool ask;
    };
    struct Pending {
        std::int64_t from, to;
        std::uint32_t first, count;  // range in pending_changes_
    };

    bool decode(const wire::AggreDepth& update) noexcept;  // into scratch_, all or nothing
    void apply_changes(const Change* first, std::size_t count) noexcept;
    static void upsert(std::vector<Level>& side, std::int64_t key, std::int64_t quantity) noexcept;
    void prune(std::vector<Level>& side) noexcept;
    bool crossed() const noexcept;
    void enter_resync() noexcept;
    void buffer_scratch(std::int64_t from, std::int64_t to) noexcept;
    BookUpdate bridge_buffer() noexcept;
    BookUpdate become_live() noexcept;
    static std::size_t copy_side(const std::vector<Level>& side, bool ask,
                                 std::span<LevelUnits> out) noexcept;

    SymbolScales scales_;
    BookOptions options_;
    BookState state_ = BookState::syncing;
    std::int64_t version_ = 0;
    std::vector<Level> bids_, asks_;
    std::vector<Change> scratch_;
    std::vector<Pending> pending_;
    std::vector<Change> pending_changes_;
    Stats stats_;
};

}  // namespace mexc
