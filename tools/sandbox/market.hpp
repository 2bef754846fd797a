#pragma once
// The sandbox's synthetic market: per symbol a true order book whose every level change takes
// one version, a trade tape, and an undo log so the book at any recent version can be rebuilt
// (the oracle of FAULTS.md). Seeded and deterministic: the same seed and number of steps give
// the same books, versions and trades. Sans-io.
//
// Each price level is a FIFO queue of resting entries: synthetic liquidity (account 0) and the
// orders of user accounts placed through the Engine (engine.hpp). The published quantity of a
// level is always the sum of its queue; every change of that sum is exactly one version. The
// synthetic participants act on account-0 entries only; a synthetic taker consumes the touch in
// price-time priority, so resting user orders get filled (reported as BookMatch).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace mexc::sandbox {

/// Decimals of a symbol's prices and quantities (exchangeInfo quotePrecision, baseAssetPrecision).
struct SymbolScales {
    std::uint8_t price = 0;
    std::uint8_t quantity = 0;
};

/// One aggregated book level in units of the symbol's scales.
struct BookLevel {
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    friend bool operator==(const BookLevel&, const BookLevel&) = default;
};

/// The book as REST depth shows it, levels best first.
struct DepthSnapshot {
    std::int64_t last_update_id = 0;  // the book's version
    std::vector<BookLevel> bids;
    std::vector<BookLevel> asks;
};

struct SymbolSpec {
    std::string symbol;
    std::string base_asset;
    std::string quote_asset;
    std::uint8_t price_scale = 2;     // quotePrecision
    std::uint8_t quantity_scale = 6;  // baseAssetPrecision
    std::int64_t mid_price = 0;       // units at price_scale
    int levels_per_side = 400;        // initial depth
};

/// The default symbols: a few liquid pairs, BTCUSDT among them.
std::vector<SymbolSpec> default_symbols();

/// `count` generated symbols S0001USDT, S0002USDT, ... (base S0001, quote USDT) with mid prices
/// from 0.0001 to 99999 and scales that suit them, drawn from `seed`: the same seed, the same
/// symbols. Their books are shallower than the default ones (a market of thousands stays small).
std::vector<SymbolSpec> generated_symbols(std::size_t count, std::uint64_t seed);

struct LevelChange {
    std::int64_t version = 0;
    bool ask = false;
    std::int64_t price = 0;
    std::int64_t quantity = 0;      // new absolute quantity; 0 removes
    std::int64_t old_quantity = 0;  // for the undo log
};

/// One resting entry of a level's queue. `order` is the engine's order key (0 for synthetic).
struct RestingEntry {
    std::uint64_t order = 0;
    std::uint64_t account = 0;  // 0: synthetic liquidity
    std::int64_t quantity = 0;  // remaining, at the quantity scale
};

/// A price level: its published quantity (the sum of the queue) and the queue, oldest first.
struct Level {
    std::int64_t quantity = 0;
    std::deque<RestingEntry> queue;
};

/// A resting entry (partly) consumed by a taker.
struct BookMatch {
    std::uint64_t order = 0;    // the maker's order key (0 for synthetic)
    std::uint64_t account = 0;  // the maker's account
    bool maker_ask = false;     // the maker rested on the ask side (the taker bought)
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    bool maker_done = false;  // the entry left the queue
};

struct Trade {
    std::uint64_t id = 0;
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    int taker_side = 1;  // 1 buy, 2 sell
    std::int64_t time_ms = 0;
};

class SymbolBook {
public:
    explicit SymbolBook(SymbolSpec spec);

    /// How many versions (for snapshot_at and late subscribers) and tape trades are kept.
    void set_history(std::size_t versions, std::size_t trades) noexcept {
        max_log_ = versions;
        max_trades_ = trades;
    }

    const SymbolSpec& spec() const noexcept { return spec_; }
    SymbolScales scales() const noexcept { return {spec_.price_scale, spec_.quantity_scale}; }
    std::int64_t version() const noexcept { return version_; }

    /// Best first, at most `limit` levels per side, at the current version.
    DepthSnapshot snapshot(std::size_t limit) const;
    /// The book as it was at `version` (must be within the undo log); nullopt if too old.
    std::optional<DepthSnapshot> snapshot_at(std::int64_t version, std::size_t limit) const;
    /// Changes with version in [from, to], oldest first; empty if `from` left the log.
    std::vector<LevelChange> changes(std::int64_t from, std::int64_t to) const;
    std::int64_t oldest_version_kept() const noexcept;

    const std::deque<Trade>& trades() const noexcept { return trades_; }
    std::uint64_t last_trade_id() const noexcept { return trade_id_; }

    /// One market step: a few quantity changes, inserts, deletes and sometimes a trade. Synthetic
    /// actions change account-0 quantity only; returns the user entries a synthetic taker consumed.
    std::vector<BookMatch> step(std::mt19937_64& rng, std::int64_t now_ms);

    // ---- order-level access, for the engine and for checks ----
    using BidLevels = std::map<std::int64_t, Level, std::greater<>>;
    using AskLevels = std::map<std::int64_t, Level>;
    const BidLevels& bid_levels() const noexcept { return bids_; }
    const AskLevels& ask_levels() const noexcept { return asks_; }
    std::optional<std::int64_t> best_price(bool ask) const noexcept;
    /// Appends an entry at the back of the level's queue (one version).
    void add_entry(bool ask, std::int64_t price, std::uint64_t order, std::uint64_t account,
                   std::int64_t quantity);
    /// Removes the entry of `order` from the level; returns its remaining quantity (0 if absent).
    std::int64_t remove_entry(bool ask, std::int64_t price, std::uint64_t order);
    /// A taker consumes up to `quantity` of the best level of side `ask`, oldest entries first:
    /// one version and one tape trade (taker_side 1 buy, 2 sell). Returns every consumed entry.
    std::vector<BookMatch> take(bool ask, std::int64_t quantity, std::int64_t now_ms);

private:
    /// Sets the account-0 quantity of a level (user entries stay); one version if the total moved.
    void set_synthetic(bool ask, std::int64_t price, std::int64_t quantity);
    /// Logs one version if the level's total differs from `old_total`; drops an empty level.
    void commit_level(bool ask, std::int64_t price, std::int64_t old_total);
    std::int64_t random_quantity(std::mt19937_64& rng) const;
    void trim_logs();

    SymbolSpec spec_;
    BidLevels bids_;
    AskLevels asks_;
    std::int64_t version_ = 0;
    std::deque<LevelChange> log_;
    std::deque<Trade> trades_;
    std::uint64_t trade_id_ = 0;
    std::size_t max_log_ = 400000;
    std::size_t max_trades_ = 10000;
};

class Market {
public:
    /// Receives the user entries synthetic takers consumed during a step (the Engine settles them).
    using FillSink = std::function<void(SymbolBook& book, const std::vector<BookMatch>& matches,
                                        std::int64_t now_ms)>;

    Market(std::uint64_t seed, std::vector<SymbolSpec> symbols);

    /// One step of every book, or of the next max_books_per_step books in turn when there are
    /// more (a market of thousands costs the same per tick); user fills go to the fill sink (an
    /// attached Engine), if any.
    void step(std::int64_t now_ms);
    static constexpr std::size_t max_books_per_step = 64;
    void set_fill_sink(FillSink sink) { fill_sink_ = std::move(sink); }
    /// Expires when this market is destroyed (lets an attached engine outlive it safely).
    std::weak_ptr<const void> lifetime() const noexcept { return alive_; }
    SymbolBook* find(std::string_view symbol) noexcept;
    const SymbolBook* find(std::string_view symbol) const noexcept;
    std::vector<SymbolBook>& symbols() noexcept { return books_; }
    const std::vector<SymbolBook>& symbols() const noexcept { return books_; }
    std::uint64_t steps() const noexcept { return steps_; }

private:
    std::mt19937_64 rng_;
    std::vector<SymbolBook> books_;
    std::map<std::string, std::size_t, std::less<>> index_;  // symbol → books_ index
    std::size_t next_book_ = 0;                              // where the next step starts
    std::uint64_t steps_ = 0;
    FillSink fill_sink_;
    std::shared_ptr<const void> alive_ = std::make_shared<char>();
};

}  // namespace mexc::sandbox
