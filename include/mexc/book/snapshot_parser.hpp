#pragma once
// A reusable parser for the JSON text of REST depth snapshots (SPEC §3.1 `GET /api/v3/depth`), for
// programs that replay recorded books (SPEC §10.1 step 3).

#include "mexc/error.hpp"
#include "mexc/market.hpp"
#include "mexc/types.hpp"

#include <memory>
#include <string_view>

namespace mexc {

namespace wire {
class JsonReader;
}

/// Parses depth answers into a reused DepthSnapshot: after the first snapshot of a size, parsing
/// another allocates nothing. Not thread-safe; one parser per thread.
class SnapshotParser {
public:
    /// Makes its JSON reader once (allocates); movable, not copyable.
    SnapshotParser();
    ~SnapshotParser();
    SnapshotParser(SnapshotParser&&) noexcept;
    SnapshotParser& operator=(SnapshotParser&&) noexcept;

    /// Prices and quantities parsed exactly at `scales` into `out` (its storage reused).
    /// Errors: bad_data naming the field that is missing or malformed; a decimal finer than the
    /// scale is precision_exceeded.
    Result<void> parse(std::string_view json, SymbolScales scales, DepthSnapshot& out) noexcept;

    /// The scales a snapshot's text implies: the widest price and quantity decimals written.
    /// Errors: bad_data when the text is not a depth answer.
    Result<SymbolScales> infer_scales(std::string_view json) noexcept;

private:
    std::unique_ptr<wire::JsonReader> json_;
};

}  // namespace mexc
