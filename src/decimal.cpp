#include "mexc/decimal.hpp"

#include <algorithm>
#include <cstring>

namespace mexc {
namespace {

constexpr std::int64_t pow10_table[] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000,
                                        100000000000,
                                        1000000000000,
                                        10000000000000,
                                        100000000000000,
                                        1000000000000000,
                                        10000000000000000,
                                        100000000000000000,
                                        1000000000000000000};

inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// acc *= 10^exponent with overflow detection; 10^19 itself exceeds int64, so only 0 scales to 19.
inline bool scale_up(std::int64_t& acc, int exponent) noexcept {
    if (exponent <= 18) return !__builtin_mul_overflow(acc, pow10_table[exponent], &acc);
    return acc == 0;
}

}  // namespace

boost::system::result<std::int64_t, Errc> parse_decimal_units(std::string_view text,
                                                              std::uint8_t scale) noexcept {
    if (scale > max_decimal_scale) return Errc::invalid_argument;
    const char* p = text.data();
    const char* const end = p + text.size();
    bool negative = false;
    if (p != end && *p == '-') {
        negative = true;
        ++p;
    }
    if (p == end || !is_digit(*p)) return Errc::malformed_number;

    // Accumulate as a negative number so that INT64_MIN is representable.
    std::int64_t acc = 0;
    for (; p != end && is_digit(*p); ++p) {
        if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, *p - '0', &acc))
            return Errc::overflow;
    }
    std::uint8_t digits = 0;
    if (p != end) {
        if (*p != '.') return Errc::malformed_number;
        ++p;
        if (p == end) return Errc::malformed_number;  // "5." is not a number MEXC sends
        for (; p != end; ++p) {
            if (!is_digit(*p)) return Errc::malformed_number;
            if (digits == scale) {
                if (*p != '0') return Errc::precision_exceeded;
                continue;  // trailing zeros beyond the scale carry no value
            }
            if (__builtin_mul_overflow(acc, 10, &acc) ||
                __builtin_sub_overflow(acc, *p - '0', &acc))
                return Errc::overflow;
            ++digits;
        }
    }
    if (!scale_up(acc, scale - digits)) return Errc::overflow;
    if (negative) return acc;
    if (acc == INT64_MIN) return Errc::overflow;
    return -acc;
}

boost::system::result<std::int64_t, Errc> parse_version(std::string_view text) noexcept {
    if (text.empty() || text.size() > 19) return Errc::bad_version;
    std::int64_t v = 0;
    for (char c : text) {
        if (!is_digit(c)) return Errc::bad_version;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
            return Errc::bad_version;
    }
    return v;
}

std::size_t format_decimal_units(std::int64_t units, std::uint8_t scale,
                                 std::span<char, 32> out) noexcept {
    scale = std::min(scale, max_decimal_scale);
    // Digits of |units| right to left; the unsigned negation is well defined for INT64_MIN.
    std::uint64_t mag =
        units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    char tmp[32];
    std::size_t n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    while (n < static_cast<std::size_t>(scale) + 1) tmp[n++] = '0';  // at least "0.xxx"

    std::size_t len = 0;
    if (units < 0) out[len++] = '-';
    const std::size_t int_digits = n - scale;
    for (std::size_t i = 0; i < int_digits; ++i) out[len++] = tmp[n - 1 - i];
    if (scale != 0) {
        out[len++] = '.';
        for (std::size_t i = int_digits; i < n; ++i) out[len++] = tmp[n - 1 - i];
    }
    return len;
}

std::size_t format_decimal_units_compact(std::int64_t units, std::uint8_t scale,
                                         std::span<char, 32> out) noexcept {
    std::size_t len = format_decimal_units(units, scale, out);
    if (scale == 0) return len;
    while (out[len - 1] == '0') --len;
    if (out[len - 1] == '.') --len;
    return len;
}

std::uint8_t fractional_digits(std::string_view text) noexcept {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) return 0;
    return static_cast<std::uint8_t>(std::min<std::size_t>(text.size() - dot - 1, 255));
}

double units_to_double(std::int64_t units, std::uint8_t scale) noexcept {
    const int s = std::min(scale, max_decimal_scale);
    return s <= 18 ? static_cast<double>(units) / static_cast<double>(pow10_table[s])
                   : static_cast<double>(units) / 1e19;
}

}  // namespace mexc
