#include "frame_file.hpp"

#include <iterator>

namespace mexc::cli {
namespace {

void put_le(std::ofstream& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_le(std::string_view s, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
    return v;
}

}  // namespace

FrameWriter::FrameWriter(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc) {
    out_.write(record_magic.data(), static_cast<std::streamsize>(record_magic.size()));
}

void FrameWriter::write(std::int64_t received_ns, bool binary, std::string_view payload) {
    put_le(out_, static_cast<std::uint64_t>(received_ns), 8);
    out_.put(binary ? 2 : 1);
    put_le(out_, payload.size(), 4);
    out_.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out_.flush();
}

Result<std::vector<RecordedFrame>> read_frames(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error(Condition::rejected, Errc::invalid_argument)
            .with_venue_message("cannot open frames file");
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string_view s(data);
    std::vector<RecordedFrame> frames;
    const auto truncated = make_error(Condition::bad_data, Errc::truncated);
    if (s.substr(0, record_magic.size()) == record_magic) {
        for (std::size_t at = record_magic.size(); at < s.size();) {
            if (s.size() - at < 13) return truncated;
            RecordedFrame f;
            f.received_ns = static_cast<std::int64_t>(get_le(s, at, 8));
            f.binary = s[at + 8] == 2;
            const auto len = get_le(s, at + 9, 4);
            at += 13;
            if (s.size() - at < len) return truncated;
            f.payload = std::string(s.substr(at, len));
            at += len;
            frames.push_back(std::move(f));
        }
    } else {
        for (std::size_t at = 0; at < s.size();) {
            if (s.size() - at < 4) return truncated;
            const auto len = get_le(s, at, 4);
            at += 4;
            if (s.size() - at < len) return truncated;
            frames.push_back({0, true, std::string(s.substr(at, len))});
            at += len;
        }
    }
    return frames;
}

}  // namespace mexc::cli
