#pragma once
// Recorded WebSocket frames on disk (docs/record-format.md). Two formats are read:
//   the project's record format: "MEXCREC1", then per frame u64 LE receive time (ns since the Unix
//   epoch), u8 kind (1 text, 2 binary), u32 LE length, payload;
//   the raw format: per frame u32 LE length, then one binary WebSocket message.

#include "mexc/error.hpp"

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::cli {

inline constexpr std::string_view record_magic = "MEXCREC1";

struct RecordedFrame {
    std::int64_t received_ns = 0;  // 0 in the raw format
    bool binary = true;
    std::string payload;
};

class FrameWriter {
public:
    explicit FrameWriter(const std::string& path);
    bool ok() const noexcept { return static_cast<bool>(out_); }
    void write(std::int64_t received_ns, bool binary, std::string_view payload);

private:
    std::ofstream out_;
};

/// Reads a whole file in either format. Errors: bad_data (truncated record).
Result<std::vector<RecordedFrame>> read_frames(const std::string& path);

}  // namespace mexc::cli
