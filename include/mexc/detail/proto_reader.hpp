#pragma once
// Not API: the inline reader that the push views of mexc/wire/push.hpp are built on.
//
// A minimal protobuf wire-format reader over a byte range: no allocation, bounds checked.
// It yields one field at a time; callers pick the fields they know and skip the rest (SPEC §8.1:
// schema changes are additive, unknown fields must be skipped).

#include "mexc/error.hpp"

#include <cstdint>
#include <string_view>

namespace mexc::wire {

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

struct ProtoField {
    std::uint32_t number = 0;
    WireType type = WireType::varint;
    std::uint64_t varint = 0;  // varint, fixed32 and fixed64 values
    std::string_view bytes;    // length-delimited payload
};

class ProtoReader {
public:
    explicit ProtoReader(std::string_view bytes) noexcept
        : p_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(p_ + bytes.size()) {}

    bool at_end() const noexcept { return p_ == end_; }

    /// Reads the next field. Returns false with `error` set on malformed input; callers check
    /// at_end() first.
    bool next(ProtoField& f, Errc& error) noexcept {
        std::uint64_t key = 0;
        if (!read_varint(key, error)) return false;
        const auto wire = static_cast<std::uint8_t>(key & 7u);
        const std::uint64_t number = key >> 3;
        if (number == 0 || number > 0x1fffffff) {
            error = Errc::bad_wire_type;
            return false;
        }
        f.number = static_cast<std::uint32_t>(number);
        f.type = static_cast<WireType>(wire);
        switch (wire) {
            case 0:
                return read_varint(f.varint, error);
            case 1:
                return read_fixed(8, f.varint, error);
            case 5:
                return read_fixed(4, f.varint, error);
            case 2: {
                std::uint64_t len = 0;
                if (!read_varint(len, error)) return false;
                if (len > static_cast<std::uint64_t>(end_ - p_)) {
                    error = Errc::truncated;
                    return false;
                }
                f.bytes = {reinterpret_cast<const char*>(p_), static_cast<std::size_t>(len)};
                p_ += len;
                return true;
            }
            default:  // groups (3, 4) are not used by MEXC and 6, 7 do not exist
                error = Errc::bad_wire_type;
                return false;
        }
    }

private:
    bool read_varint(std::uint64_t& out, Errc& error) noexcept {
        std::uint64_t v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (p_ == end_) {
                error = Errc::truncated;
                return false;
            }
            const unsigned char b = *p_++;
            v |= static_cast<std::uint64_t>(b & 0x7fu) << shift;
            if ((b & 0x80u) == 0) {
                if (shift == 63 && b > 1) break;  // an eleventh bit-pattern overflowing 64 bits
                out = v;
                return true;
            }
        }
        error = Errc::malformed_varint;
        return false;
    }

    bool read_fixed(unsigned n, std::uint64_t& out, Errc& error) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < n) {
            error = Errc::truncated;
            return false;
        }
        std::uint64_t v = 0;
        for (unsigned i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
        p_ += n;
        out = v;
        return true;
    }

    const unsigned char* p_;
    const unsigned char* end_;
};

}  // namespace mexc::wire
