#pragma once
// A deterministic, self-consistent stream of aggregated depth frames (SPEC §8.5, §10) for the
// book benchmarks: a REST-style snapshot plus a ring of encoded `PushDataV3ApiWrapper` frames
// whose changes were generated against a simulated book, so every deletion hits an existing
// level, versions are contiguous and the book never crosses.

#include <mexc/market.hpp>
#include <mexc/types.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::bench {

struct BookStreamOptions {
    std::size_t levels_per_side = 5000;
    std::size_t frames = 65536;
    std::uint64_t seed = 0x6d657863'62656e63ULL;  // "mexcbenc"
    std::int64_t mid_units = 8427000;             // 84270.00 at price scale 2
    std::int64_t first_version = 82164155643;
    double level_density = 0.5;  // share of ticks holding a level in the snapshot
};

struct BookStreamStats {
    std::uint64_t changes = 0, updates = 0, inserts = 0, deletions = 0, sweeps = 0,
                  swept_levels = 0;
    std::size_t bytes = 0;
    std::int64_t min_mid_units = 0, max_mid_units = 0;  // range of the mid (×2) over the stream
};

struct BookStream {
    SymbolScales scales{2, 8};  // BTCUSDT: quotePrecision 2, baseAssetPrecision 8
    DepthSnapshot snapshot;     // best first, as REST sends it
    std::string storage;        // every frame back to back
    std::vector<std::string_view> frames;
    std::vector<LevelUnits> final_bids, final_asks;  // the simulated book after the last frame
    std::int64_t final_version = 0;
    BookStreamStats stats;
};

/// Generates the stream (deterministic for given options). Takes a fraction of a second.
BookStream make_book_stream(const BookStreamOptions& options);

/// The same stream, generated once per distinct levels_per_side and cached for the process.
const BookStream& cached_book_stream(std::size_t levels_per_side);

/// `GET /api/v3/depth` body for a snapshot:
/// {"lastUpdateId":..,"bids":[[p,q],..],"asks":..,"timestamp":..}
std::string depth_snapshot_json(const DepthSnapshot& snapshot, SymbolScales scales);

/// One aggregated-depth wrapper frame with the given levels (price, quantity in units; quantity 0
/// is written "0" = delete), encoded in field order as MEXC does.
std::string encode_aggre_depth_frame(std::string_view symbol, std::int64_t send_time,
                                     const std::vector<LevelUnits>& asks,
                                     const std::vector<LevelUnits>& bids, std::int64_t from_version,
                                     std::int64_t to_version, SymbolScales scales);

}  // namespace mexc::bench
