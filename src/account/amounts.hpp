#pragma once
// Exact arithmetic on amounts MEXC writes at different scales ("2000" in one answer, "2000.00" in
// another): compared and summed through a common scale, never through a double.

#include "mexc/decimal.hpp"
#include "mexc/error.hpp"

#include <algorithm>
#include <cstdint>

namespace mexc::account {

// Wide enough for any int64 at any scale difference up to max_decimal_scale.
__extension__ using Wide = __int128;

inline Wide units_at(std::int64_t units, std::uint8_t from, std::uint8_t to) noexcept {
    Wide v = units;
    for (std::uint8_t s = from; s < to; ++s) v *= 10;
    return v;
}

/// -1, 0 or 1 as a is less than, equal to or greater than b, whatever their scales.
template <class T>
int compare(T a, T b) noexcept {
    const std::uint8_t scale = std::max(a.scale(), b.scale());
    const Wide x = units_at(a.units(), a.scale(), scale);
    const Wide y = units_at(b.units(), b.scale(), scale);
    return x < y ? -1 : (x > y ? 1 : 0);
}

/// a + b at the larger of their scales. Errors: bad_data/overflow beyond int64 units.
template <class T>
Result<T> add(T a, T b) noexcept {
    const std::uint8_t scale = std::max(a.scale(), b.scale());
    const Wide sum = units_at(a.units(), a.scale(), scale) + units_at(b.units(), b.scale(), scale);
    if (sum > INT64_MAX || sum < INT64_MIN) return Error(Condition::bad_data, Errc::overflow);
    return T::from_units(static_cast<std::int64_t>(sum), scale);
}

/// A decimal text at the scale it is written with ("0.50" → 50 at scale 2). Errors: bad_data.
template <class T>
Result<T> exact(std::string_view text) noexcept {
    return T::parse(text, std::min(fractional_digits(text), max_decimal_scale));
}

}  // namespace mexc::account
