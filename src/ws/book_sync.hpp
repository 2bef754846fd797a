#pragma once
// The snapshot-and-bridge procedure of one symbol (SPEC §10.1), sans-io: the I/O shell reports
// what happened (a depth frame, a connection up or down, a snapshot or its failure, the retry
// timer, a watchdog tick) and executes the action each event asks for. It owns the symbol's
// OrderBook and decides when a snapshot is needed, so that:
// - at most one snapshot cycle (fetching, or waiting to fetch again) runs at a time;
// - a snapshot older than the stream, or a failed request, is retried after a delay that doubles
//   up to the cap;
// - a snapshot requested on a connection that has since gone is discarded (FAULTS §1.3.1): the
//   books of the new connection are bridged from a snapshot of their own;
// - a quiet symbol, which sends no increment to trigger its snapshot, is fetched by the watchdog;
// - a Live book silent for longer than the bound is reported Stale (FAULTS §1.4);
// - a Live book with one side frozen is resynced: every trade takes quantity from the maker's
//   side, so a trade the stream printed must show as a change of that side; when it has not
//   within `frozen_after` while the other side's changes went on past the trade, the side is
//   frozen (a gap no version reveals) and the book is fetched afresh;
// - on request, a Live book is checked against a REST snapshot: a shadow book bridged from the
//   snapshot takes the same increments, and once it holds the book's version their top levels must
//   agree; a disagreement is counted and resyncs the book.
// Times come in as arguments; nothing here reads a clock. Not thread-safe; one executor owns it.

#include "mexc/book/order_book.hpp"
#include "mexc/types.hpp"
#include "mexc/wire/push.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace mexc::ws {

struct BookSyncOptions {
    /// First pause before fetching again; it doubles after each further miss.
    std::chrono::milliseconds retry_first{50};
    /// The cap of that pause (Config::reconnect_max).
    std::chrono::milliseconds retry_max{10000};
    /// A Live book with no change for this long is Stale (Config::stale_after).
    std::chrono::milliseconds stale_after{10000};
    /// A book waiting for a snapshot with no change for this long is fetched by the watchdog.
    std::chrono::milliseconds quiet_after{1000};
    /// A trade not reflected on its maker's side after this long, while the other side moved
    /// on, resyncs the book (Config::frozen_side_after); 0 turns the check off.
    std::chrono::milliseconds frozen_after{3000};
    /// Levels per side compared by a check (at most max_check_levels).
    std::size_t check_levels = 20;
    BookOptions book;
};

inline constexpr std::size_t max_check_levels = 50;

/// What the shell does for the snapshot after an event.
enum class SyncStep : std::uint8_t {
    none,            ///< nothing (no cycle starts, or the running one ends)
    fetch_snapshot,  ///< request a snapshot now; report snapshot_received or snapshot_failed
    wait,            ///< pause for `delay`; then report retry_due
};

struct SyncAction {
    SyncStep step = SyncStep::none;
    std::chrono::milliseconds delay{0};  ///< for SyncStep::wait
    /// The book's levels or state changed: wake its readers (independent of `step`).
    bool notify = false;

    friend bool operator==(const SyncAction&, const SyncAction&) = default;
};

class BookSync {
public:
    using Clock = std::chrono::steady_clock;

    /// Where the snapshot cycle is.
    enum class Phase : std::uint8_t {
        idle,      ///< no snapshot requested
        fetching,  ///< one snapshot request in flight
        waiting,   ///< pausing before the next request
        closed,    ///< terminal: no further request is asked for
    };

    struct Stats {
        std::uint64_t snapshots = 0;  ///< received on the live connection, given to the book
        std::uint64_t snapshot_failures = 0;    ///< requests that failed
        std::uint64_t snapshots_discarded = 0;  ///< received for a connection that had gone
        std::uint64_t frozen_sides = 0;         ///< resyncs for a side the trades showed frozen
        std::uint64_t checks = 0;               ///< checks that compared the top levels
        std::uint64_t check_disagreements = 0;  ///< of which disagreed (the book resynced)
        std::uint64_t checks_inconclusive = 0;  ///< ended without a comparison
    };

    BookSync(SymbolScales scales, const BookSyncOptions& options, Clock::time_point now);

    // ---- events ----------------------------------------------------------------------------

    /// The connection carrying the topic is up; `generation` numbers it (FAULTS §1.3.1). The
    /// snapshot waits for the first increment (or the watchdog): it must not predate the stream.
    SyncAction connected(std::uint64_t generation) noexcept;
    /// The connection is gone: what it buffered is suspect, the book resyncs after the reconnect
    /// (FAULTS §1.3.2). A request in flight will be discarded.
    SyncAction disconnected() noexcept;
    /// One decoded increment (SPEC §10.1 steps 2 and 7); `sent_ms`: its push's exchange time
    /// (the wrapper's sendTime, 0 when absent), which dates the sides it changes.
    SyncAction frame(const wire::AggreDepth& update, Clock::time_point now,
                     std::int64_t sent_ms = 0) noexcept;
    /// A trade of the symbol at exchange time `trade_ms`, taken from resting orders on `maker`'s
    /// side (a taker buy takes from the asks). Checked against that side at later ticks.
    void trade(Side maker, std::int64_t trade_ms, Clock::time_point now) noexcept;
    /// An increment that could not be decoded: the versions it covered are lost (P05).
    SyncAction bad_frame(Clock::time_point now) noexcept;
    /// The answer to fetch_snapshot (steps 3–7).
    SyncAction snapshot_received(const DepthSnapshot& snapshot, Clock::time_point now) noexcept;
    SyncAction snapshot_failed() noexcept;
    /// The pause asked for by SyncStep::wait is over.
    SyncAction retry_due() noexcept;
    /// The watchdog's periodic look.
    SyncAction tick(Clock::time_point now) noexcept;
    /// Starts a check of the Live book: from now on a shadow book takes the same increments.
    /// True: fetch a snapshot (any depth of at least the checked levels) and report
    /// check_received or check_failed; false: not Live, or a check is running. Allocates the
    /// shadow's storage (a cold path).
    bool begin_check();
    /// The check's snapshot: the shadow is bridged from it and, holding the book's version,
    /// compared level by level. A disagreement resyncs the book (the action says so).
    SyncAction check_received(const DepthSnapshot& snapshot, Clock::time_point now) noexcept;
    void check_failed() noexcept;
    bool checking() const noexcept { return shadow_.has_value(); }
    /// Terminal: a running cycle ends at its next event; the book still takes what arrives.
    void close() noexcept;

    // ---- observers -------------------------------------------------------------------------

    const OrderBook& book() const noexcept { return book_; }
    Phase phase() const noexcept { return phase_; }
    bool is_connected() const noexcept { return connected_; }
    std::uint64_t generation() const noexcept { return generation_; }
    /// The pause the next miss would ask for.
    std::chrono::milliseconds next_delay() const noexcept { return delay_; }
    Clock::time_point last_change() const noexcept { return last_change_; }
    const Stats& stats() const noexcept { return stats_; }

private:
    bool wants_snapshot() const noexcept { return connected_ && book_.needs_snapshot(); }
    SyncAction fetch_if_wanted(bool notify) noexcept;
    SyncAction retry_later(bool notify) noexcept;
    SyncAction end_cycle(bool notify) noexcept;
    void changed(Clock::time_point now) noexcept { last_change_ = now; }
    bool side_frozen(Clock::time_point now) noexcept;

    // Per side (0 bids, 1 asks): the exchange time of the last frame that changed it, and the
    // oldest trade against it that no change has shown yet (0: none).
    struct SideWatch {
        std::int64_t changed_ms = 0;
        std::int64_t trade_ms = 0;
        Clock::time_point trade_seen{};
    };

    OrderBook book_;
    BookSyncOptions options_;
    Phase phase_ = Phase::idle;
    bool connected_ = false;
    std::uint64_t generation_ = 0;
    std::uint64_t fetch_generation_ = 0;  // the connection the request in flight belongs to
    std::chrono::milliseconds delay_;
    Clock::time_point last_change_;
    SideWatch sides_[2];
    std::optional<OrderBook> shadow_;  // a check under way
    Stats stats_;
};

}  // namespace mexc::ws
