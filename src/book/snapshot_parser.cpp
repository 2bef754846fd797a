#include "mexc/book/snapshot_parser.hpp"

#include "wire/json.hpp"

namespace mexc {

SnapshotParser::SnapshotParser() : json_(std::make_unique<wire::JsonReader>()) {}
SnapshotParser::~SnapshotParser() = default;
SnapshotParser::SnapshotParser(SnapshotParser&&) noexcept = default;
SnapshotParser& SnapshotParser::operator=(SnapshotParser&&) noexcept = default;

Result<void> SnapshotParser::parse(std::string_view json, SymbolScales scales,
                                   DepthSnapshot& out) noexcept {
    return json_->depth_snapshot(json, scales, out);
}

Result<SymbolScales> SnapshotParser::infer_scales(std::string_view json) noexcept {
    return json_->infer_scales(json);
}

}  // namespace mexc
