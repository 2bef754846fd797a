#pragma once
// The venue's own exact decimals: MEXC's decimal strings (SPEC §0.3) as int64 units of 10^-scale
// and back. Written apart from the client library's parser and printer, so that a test against
// this sandbox checks the client's numbers instead of repeating them. Never through double.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mexc::sandbox {

/// Why a decimal string was refused. Text with several defects reports the first in this order.
enum class DecimalFault : std::uint8_t {
    none,
    malformed,          // not `[-]digits[.digits]`: empty, '+', exponent, spaces, ".5", "5."
    too_many_decimals,  // a non-zero digit beyond the scale (trailing zeros are accepted)
    out_of_range,       // more than an int64 of units
};

struct ParsedDecimal {
    std::int64_t units = 0;
    DecimalFault fault = DecimalFault::none;
    explicit operator bool() const noexcept { return fault == DecimalFault::none; }
};

/// "84270.01" at scale 2 → 8427001; "0.5" at scale 8 → 50000000. Never rounds.
ParsedDecimal parse_decimal(std::string_view text, std::uint8_t scale) noexcept;

/// Units at a scale as MEXC prints them: exactly `scale` fractional digits, at least one integer
/// digit ("84270.00", "-0.0055", "5"). Any scale of the type is exact.
class DecimalText {
public:
    DecimalText(std::int64_t units, std::uint8_t scale) noexcept;
    std::string_view view() const noexcept { return {chars_, size_}; }

private:
    char chars_[1 + 19 + 1 + 255];  // sign, int64 digits, '.', scale digits
    std::size_t size_ = 0;
};

/// DecimalText as a string (what the JSON and protobuf writers take).
std::string decimal(std::int64_t units, std::uint8_t scale);

/// (last − reference) / reference with 4 decimals, truncated toward zero, as MEXC prints
/// priceChangePercent and the miniTicker's rate: SPEC §11.6 records 88395.05 → 87904 as "-0.0055"
/// (the nearest would be -0.0056). "0.0000" when reference is 0.
std::string change_rate(std::int64_t last, std::int64_t reference);

}  // namespace mexc::sandbox
