#pragma once
// Replays recorded depth frames through the same decoder and book as the live client.

#include "frame_file.hpp"

#include "mexc/book/order_book.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mexc::cli {

struct ReplayResult {
    std::optional<OrderBook> book;
    std::size_t frames = 0;        // binary frames read
    std::size_t depth_frames = 0;  // aggre depth frames for the symbol fed to the book
    std::size_t decode_errors = 0;
    std::size_t applied = 0, ignored = 0, gaps = 0, rejected = 0;
    double ns_per_frame = 0;  // decode + apply, per depth frame
};

/// `snapshot_json` is a GET /api/v3/depth body; scales are inferred from it unless given.
/// Frames for other symbols or channels are counted and skipped.
Result<ReplayResult> replay(std::string_view snapshot_json,
                            const std::vector<RecordedFrame>& frames,
                            std::optional<SymbolScales> scales = std::nullopt,
                            std::string symbol = {});

/// The book as one JSON object; `levels` per side (all when 0), exact decimal strings.
std::string book_json(const ReplayResult& result, std::size_t levels);

}  // namespace mexc::cli
