#pragma once
// Exact fixed-point numbers for prices and quantities (STYLE §6): an int64 count of units at a
// scale of 10^-scale. Parsed once from MEXC's decimal strings, compared and summed as integers,
// printed back exactly. No allocation.

#include "mexc/error.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mexc {

/// Largest supported scale. MEXC writes fees with up to 19 decimals (SPEC §11.4 S3); at scale 19
/// an int64 holds magnitudes below 0.92, which such amounts are; larger ones are Errc::overflow.
inline constexpr std::uint8_t max_decimal_scale = 19;

/// Parses a plain decimal ("123", "-0.5", "84270.00") into units of 10^-scale. Never rounds:
/// non-zero digits beyond the scale are Errc::precision_exceeded; trailing zeros are accepted.
/// Rejected as Errc::malformed_number: empty text, '+', exponents, spaces, "NaN", ".5", "5.",
/// several dots. Out of int64 range is Errc::overflow.
boost::system::result<std::int64_t, Errc> parse_decimal_units(std::string_view text,
                                                              std::uint8_t scale) noexcept;

/// Parses a non-negative decimal integer that fits an int64 (book versions, SPEC §12.4).
/// Anything else (empty, a sign, a non-digit, > INT64_MAX) is Errc::bad_version.
boost::system::result<std::int64_t, Errc> parse_version(std::string_view text) noexcept;

/// Writes units at scale as text with exactly `scale` fractional digits ("-0.50"); returns the
/// length. Never fails: 32 characters hold every int64 at any scale (scales above
/// max_decimal_scale are written at it).
std::size_t format_decimal_units(std::int64_t units, std::uint8_t scale,
                                 std::span<char, 32> out) noexcept;

/// As format_decimal_units, without trailing fractional zeros (and without a bare '.').
std::size_t format_decimal_units_compact(std::int64_t units, std::uint8_t scale,
                                         std::span<char, 32> out) noexcept;

/// Number of fractional digits written in a decimal string ("84270.00" → 2), 0 when none.
std::uint8_t fractional_digits(std::string_view text) noexcept;

/// An exact decimal: `units` × 10^-`scale`. `Tag` keeps prices, quantities and ratios apart.
/// Default: zero at scale 0.
template <class Tag>
class Fixed {
public:
    constexpr Fixed() = default;
    /// The value units × 10^-scale, as given (not checked against max_decimal_scale).
    static constexpr Fixed from_units(std::int64_t units, std::uint8_t scale) noexcept {
        Fixed f;
        f.units_ = units;
        f.scale_ = scale;
        return f;
    }

    /// Exact parse at the given scale; never rounds (see parse_decimal_units).
    /// Errors: rejected/invalid_argument for a scale above max_decimal_scale; bad_data with the
    /// cause of parse_decimal_units (malformed_number, precision_exceeded, overflow).
    static Result<Fixed> parse(std::string_view text, std::uint8_t scale) noexcept {
        if (scale > max_decimal_scale)
            return make_error(Condition::rejected, Errc::invalid_argument);
        auto units = parse_decimal_units(text, scale);
        if (!units) return make_error(Condition::bad_data, units.error());
        return from_units(*units, scale);
    }

    /// The integer count of 10^-scale steps, and the scale.
    constexpr std::int64_t units() const noexcept { return units_; }
    constexpr std::uint8_t scale() const noexcept { return scale_; }
    /// For signals and display, never for the wire.
    double to_double() const noexcept;

    /// Exactly `scale` fractional digits ("84270.00").
    std::size_t format(std::span<char, 32> out) const noexcept {
        return format_decimal_units(units_, scale_, out);
    }
    /// Trailing fractional zeros removed ("84270").
    std::size_t format_compact(std::span<char, 32> out) const noexcept {
        return format_decimal_units_compact(units_, scale_, out);
    }
    /// As format(), in a string (allocates: not for hot paths).
    std::string to_string() const {
        char buf[32];
        return std::string(buf, format(std::span<char, 32>(buf)));
    }

    /// Values of the same scale compare as integers (a book shares one scale per side). Equality
    /// also requires the same scale; ordering compares units only, so it is meaningful only
    /// between values of one scale.
    friend constexpr bool operator==(Fixed a, Fixed b) noexcept {
        return a.units_ == b.units_ && a.scale_ == b.scale_;
    }
    friend constexpr auto operator<=>(Fixed a, Fixed b) noexcept { return a.units_ <=> b.units_; }

private:
    std::int64_t units_ = 0;
    std::uint8_t scale_ = 0;
};

/// units × 10^-scale as a double (nearest; for signals and display, never for the wire).
double units_to_double(std::int64_t units, std::uint8_t scale) noexcept;

template <class Tag>
double Fixed<Tag>::to_double() const noexcept {
    return units_to_double(units_, scale_);
}

/// Prices and quantities at the symbol's scales (SymbolScales).
using Price = Fixed<struct PriceTag>;
using Quantity = Fixed<struct QuantityTag>;

}  // namespace mexc
