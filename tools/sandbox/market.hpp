#pragma once
// The sandbox's synthetic market: per symbol a true order book whose every level change takes
// one version, a trade tape, and an undo log so the book at any recent version can be rebuilt
// (the oracle of FAULTS.md). Seeded and deterministic: the same seed and number of steps give
// the same books, versions and trades. Sans-io.

#include "mexc/types.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace mexc::sandbox {

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

struct LevelChange {
    std::int64_t version = 0;
    bool ask = false;
    std::int64_t price = 0;
    std::int64_t quantity = 0;      // new absolute quantity; 0 removes
    std::int64_t old_quantity = 0;  // for the undo log
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

    /// One market step: a few quantity changes, inserts, deletes and sometimes a trade.
    void step(std::mt19937_64& rng, std::int64_t now_ms);

private:
    void set_level(bool ask, std::int64_t price, std::int64_t quantity);
    std::int64_t random_quantity(std::mt19937_64& rng) const;
    void trim_logs();

    SymbolSpec spec_;
    std::map<std::int64_t, std::int64_t, std::greater<>> bids_;
    std::map<std::int64_t, std::int64_t> asks_;
    std::int64_t version_ = 0;
    std::deque<LevelChange> log_;
    std::deque<Trade> trades_;
    std::uint64_t trade_id_ = 0;
};

class Market {
public:
    Market(std::uint64_t seed, std::vector<SymbolSpec> symbols);

    void step(std::int64_t now_ms);
    SymbolBook* find(std::string_view symbol) noexcept;
    const SymbolBook* find(std::string_view symbol) const noexcept;
    std::vector<SymbolBook>& symbols() noexcept { return books_; }
    const std::vector<SymbolBook>& symbols() const noexcept { return books_; }
    std::uint64_t steps() const noexcept { return steps_; }

private:
    std::mt19937_64 rng_;
    std::vector<SymbolBook> books_;
    std::uint64_t steps_ = 0;
};

}  // namespace mexc::sandbox
