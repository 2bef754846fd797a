#include "sandbox_decimal.hpp"

#include <algorithm>

namespace mexc::sandbox {
namespace {

__extension__ typedef unsigned __int128 u128;  // room for one more digit past any int64
__extension__ typedef __int128 i128;

bool all_digits(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ParsedDecimal parse_decimal(std::string_view text, std::uint8_t scale) noexcept {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    if (whole.empty() || (dot != std::string_view::npos && fraction.empty()) ||
        !all_digits(whole) || !all_digits(fraction))
        return {0, DecimalFault::malformed};
    if (fraction.size() > scale) {
        if (fraction.find_first_not_of('0', scale) != std::string_view::npos)
            return {0, DecimalFault::too_many_decimals};
        fraction = fraction.substr(0, scale);
    }
    // The magnitude may reach 2^63 only when negative (INT64_MIN).
    const u128 limit = (u128{1} << 63) - (negative ? 0 : 1);
    u128 magnitude = 0;
    auto push = [&](int digit) {
        magnitude = magnitude * 10 + static_cast<unsigned>(digit);
        return magnitude <= limit;
    };
    for (char c : whole)
        if (!push(c - '0')) return {0, DecimalFault::out_of_range};
    for (char c : fraction)
        if (!push(c - '0')) return {0, DecimalFault::out_of_range};
    for (std::size_t i = fraction.size(); i < scale; ++i)
        if (!push(0)) return {0, DecimalFault::out_of_range};
    const auto m = static_cast<std::uint64_t>(magnitude);
    // Two's complement negation of the magnitude (defined for 2^63 too).
    return {static_cast<std::int64_t>(negative ? ~m + 1 : m), DecimalFault::none};
}

DecimalText::DecimalText(std::int64_t units, std::uint8_t scale) noexcept {
    // Digits of |units|, least significant first.
    std::uint64_t m = static_cast<std::uint64_t>(units);
    if (units < 0) m = ~m + 1;
    char digits[20];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + m % 10);
        m /= 10;
    } while (m != 0);
    if (units < 0) chars_[size_++] = '-';
    // Position p counts digits from the right (p < scale: fractional); missing ones are zeros.
    for (std::size_t p = std::max<std::size_t>(n, std::size_t{scale} + 1); p-- > 0;) {
        if (p + 1 == scale) chars_[size_++] = '.';
        chars_[size_++] = p < n ? digits[p] : '0';
    }
}

std::string decimal(std::int64_t units, std::uint8_t scale) {
    return std::string(DecimalText(units, scale).view());
}

std::string change_rate(std::int64_t last, std::int64_t reference) {
    if (reference == 0) return decimal(0, 4);
    // C++ division truncates toward zero; the product cannot overflow in 128 bits.
    const i128 units = (static_cast<i128>(last) - reference) * 10000 / reference;
    return decimal(static_cast<std::int64_t>(units), 4);
}

}  // namespace mexc::sandbox
