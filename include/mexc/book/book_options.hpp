#pragma once
// How much an order book keeps: a plain option struct, so that Config need not see the book.

#include <cstddef>

namespace mexc {

/// Bounds of one OrderBook (Config::book).
struct BookOptions {
    /// Levels kept per side; the worst levels beyond it are pruned (R04). Top-N stays exact.
    std::size_t max_levels_per_side = 10000;
    /// Increments held while waiting for a snapshot; beyond it the oldest are discarded.
    std::size_t max_buffered_frames = 4096;
};

}  // namespace mexc
