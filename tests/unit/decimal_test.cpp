// Exact decimals (include/mexc/decimal.hpp): parse, format, typed errors, versions (P05).

#include "mexc/decimal.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <cstdint>
#include <limits>
#include <random>
#include <string>

using mexc::Errc;

namespace {

std::string format(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, mexc::format_decimal_units(units, scale, std::span<char, 32>(buf)));
}

std::string format_compact(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf,
                       mexc::format_decimal_units_compact(units, scale, std::span<char, 32>(buf)));
}

Errc parse_error(std::string_view text, std::uint8_t scale) {
    auto r = mexc::parse_decimal_units(text, scale);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

}  // namespace

TEST_CASE("decimal: plain decimals parse exactly into units of the scale", "[unit][decimal]") {
    CHECK(mexc::parse_decimal_units("84270.01", 2).value() == 8427001);
    CHECK(mexc::parse_decimal_units("84270", 2).value() == 8427000);
    CHECK(mexc::parse_decimal_units("84270.1", 2).value() == 8427010);
    CHECK(mexc::parse_decimal_units("0.00638700", 8).value() == 638700);
    CHECK(mexc::parse_decimal_units("5.42169969", 8).value() == 542169969);
    CHECK(mexc::parse_decimal_units("0", 8).value() == 0);
    CHECK(mexc::parse_decimal_units("0.00000000", 8).value() == 0);
    CHECK(mexc::parse_decimal_units("007", 0).value() == 7);
    CHECK(mexc::parse_decimal_units("1", 18).value() == 1'000'000'000'000'000'000);
}

TEST_CASE("decimal: negative values parse and print with their sign", "[unit][decimal]") {
    CHECK(mexc::parse_decimal_units("-0.5", 2).value() == -50);
    CHECK(mexc::parse_decimal_units("-491.05", 2).value() == -49105);
    CHECK(mexc::parse_decimal_units("-0", 2).value() == 0);
    CHECK(format(-5, 2) == "-0.05");
    CHECK(format(-49105, 2) == "-491.05");
    CHECK(format_compact(-50, 2) == "-0.5");
}

TEST_CASE(
    "decimal: trailing zeros beyond the scale are accepted, non-zero digits are precision_exceeded",
    "[unit][decimal]") {
    CHECK(mexc::parse_decimal_units("84270.00", 0).value() == 84270);
    CHECK(mexc::parse_decimal_units("1.000000000000000000000000", 2).value() == 100);
    CHECK(parse_error("0.001", 2) == Errc::precision_exceeded);
    CHECK(parse_error("0.00100", 2) == Errc::precision_exceeded);
    CHECK(parse_error("84270.001", 2) == Errc::precision_exceeded);
    CHECK(parse_error("1.5", 0) == Errc::precision_exceeded);
    CHECK(parse_error("-0.0003998377369698171", 18) == Errc::precision_exceeded);
    CHECK(mexc::parse_decimal_units("0.000399837736969817", 18).value() == 399837736969817);
}

TEST_CASE("decimal: values outside int64 are overflow, the int64 limits themselves are exact",
          "[unit][decimal]") {
    constexpr auto max = std::numeric_limits<std::int64_t>::max();
    constexpr auto min = std::numeric_limits<std::int64_t>::min();
    CHECK(mexc::parse_decimal_units("9223372036854775807", 0).value() == max);
    CHECK(mexc::parse_decimal_units("-9223372036854775808", 0).value() == min);
    CHECK(mexc::parse_decimal_units("92233720368547758.07", 2).value() == max);
    CHECK(mexc::parse_decimal_units("9.223372036854775807", 18).value() == max);
    CHECK(parse_error("9223372036854775808", 0) == Errc::overflow);
    CHECK(parse_error("-9223372036854775809", 0) == Errc::overflow);
    CHECK(parse_error("12345678901234567890", 0) == Errc::overflow);  // 20 digits
    CHECK(parse_error("92233720368547758.08", 2) == Errc::overflow);
    CHECK(parse_error("10", 18) == Errc::overflow);
    CHECK(parse_error("9.3", 18) == Errc::overflow);
    CHECK(parse_error("92233720368547758", 3) ==
          Errc::overflow);  // fits as an integer, not at 10^-3
    CHECK(parse_error(std::string(200, '9'), 2) == Errc::overflow);
}

TEST_CASE("decimal: malformed texts are malformed_number", "[unit][decimal]") {
    for (const char* text : {"",
                             "1e5",
                             "1E5",
                             "NaN",
                             "nan",
                             "inf",
                             "+1",
                             " 1",
                             "1 ",
                             "0.1.2",
                             ".5",
                             "5.",
                             "-",
                             "-.5",
                             "--1",
                             "0x10",
                             "1,5",
                             "1_000",
                             "\xef\xbc\x91" /* fullwidth 1 */,
                             "1\t",
                             "- 1"}) {
        INFO("text: \"" << text << "\"");
        CHECK(parse_error(text, 8) == Errc::malformed_number);
    }
    // An embedded NUL is not the end of the number.
    CHECK(parse_error(std::string_view("1\0"
                                       "2",
                                       3),
                      2) == Errc::malformed_number);
}

TEST_CASE(
    "decimal: a scale above 19 is invalid_argument, and Fixed::parse maps errors to typed "
    "conditions",
    "[unit][decimal]") {
    CHECK(parse_error("1", 20) == Errc::invalid_argument);
    // Scale 19 carries MEXC's 19-decimal fees (SPEC §11.4 S3) and overflows beyond 0.92.
    auto fee = mexc::Quantity::parse("0.0003998377369698171", 19);
    REQUIRE(fee);
    CHECK(fee->units() == 3998377369698171);
    CHECK(fee->to_string() == "0.0003998377369698171");
    CHECK(parse_error("1", 19) == Errc::overflow);
    auto too_fine = mexc::Price::parse("1", 20);
    REQUIRE_FALSE(too_fine);
    CHECK(too_fine.error().condition() == mexc::Condition::rejected);
    CHECK(too_fine.error().code() == Errc::invalid_argument);

    auto precise = mexc::Price::parse("0.001", 2);
    REQUIRE_FALSE(precise);
    CHECK(precise.error().condition() == mexc::Condition::bad_data);
    CHECK(precise.error().code() == Errc::precision_exceeded);

    auto huge = mexc::Quantity::parse("99999999999999999999", 0);
    REQUIRE_FALSE(huge);
    CHECK(huge.error().code() == Errc::overflow);

    auto nan = mexc::Quantity::parse("NaN", 8);
    REQUIRE_FALSE(nan);
    CHECK(nan.error().code() == Errc::malformed_number);

    auto ok = mexc::Price::parse("84270.01", 2);
    REQUIRE(ok);
    CHECK(ok->units() == 8427001);
    CHECK(ok->scale() == 2);
    CHECK(ok->to_string() == "84270.01");
    CHECK(ok->to_double() == Approx(84270.01));
}

TEST_CASE("decimal: format writes exactly `scale` fractional digits, compact drops trailing zeros",
          "[unit][decimal]") {
    CHECK(format(8427000, 2) == "84270.00");
    CHECK(format(638700, 8) == "0.00638700");
    CHECK(format(0, 0) == "0");
    CHECK(format(0, 3) == "0.000");
    CHECK(format(7, 0) == "7");
    CHECK(format(std::numeric_limits<std::int64_t>::max(), 18) == "9.223372036854775807");
    CHECK(format(std::numeric_limits<std::int64_t>::min(), 0) == "-9223372036854775808");
    CHECK(format(std::numeric_limits<std::int64_t>::min(), 18) == "-9.223372036854775808");
    CHECK(format_compact(8427000, 2) == "84270");
    CHECK(format_compact(8427010, 2) == "84270.1");
    CHECK(format_compact(0, 8) == "0");
    CHECK(format_compact(100, 0) == "100");
    CHECK(format_compact(638700, 8) == "0.006387");
}

TEST_CASE("decimal: format then parse returns the same units for every scale (seeded)",
          "[unit][decimal]") {
    std::mt19937_64 rng(20260925);
    for (int i = 0; i < 20000; ++i) {
        const auto units = static_cast<std::int64_t>(rng());
        const auto scale = static_cast<std::uint8_t>(rng() % 19);
        const std::string text = format(units, scale);
        auto back = mexc::parse_decimal_units(text, scale);
        INFO(text << " at scale " << int(scale));
        REQUIRE(back);
        CHECK(*back == units);
        auto compact = mexc::parse_decimal_units(format_compact(units, scale), scale);
        REQUIRE(compact);
        CHECK(*compact == units);
    }
}

TEST_CASE("decimal: parse then format reproduces the wire text when it has the scale's digits",
          "[unit][decimal]") {
    for (const char* text :
         {"84270.01", "84270.00", "0.00638700", "-1.50", "2.07853100", "0.00000001"}) {
        const auto scale = mexc::fractional_digits(text);
        auto units = mexc::parse_decimal_units(text, scale);
        REQUIRE(units);
        CHECK(format(*units, scale) == text);
    }
}

TEST_CASE("decimal: fractional_digits counts digits after the dot", "[unit][decimal]") {
    CHECK(mexc::fractional_digits("84270.00") == 2);
    CHECK(mexc::fractional_digits("84270") == 0);
    CHECK(mexc::fractional_digits("0.00638700") == 8);
    CHECK(mexc::fractional_digits("") == 0);
}

TEST_CASE("decimal: Fixed values of one scale compare as integers", "[unit][decimal]") {
    const auto a = mexc::Price::parse("84270.01", 2).value();
    const auto b = mexc::Price::parse("84270.1", 2).value();
    const auto c = mexc::Price::from_units(8427001, 2);
    CHECK(a < b);
    CHECK(a == c);
    CHECK_FALSE(a == mexc::Price::from_units(8427001, 3));
}

TEST_CASE("P05 parse_version accepts int64 decimal integers only", "[unit][decimal][wire][P05]") {
    CHECK(mexc::parse_version("0").value() == 0);
    CHECK(mexc::parse_version("82164155643").value() == 82164155643);
    CHECK(mexc::parse_version("9223372036854775807").value() ==
          std::numeric_limits<std::int64_t>::max());
    for (const char* text : {"", "abc", "+1", "-1", "12345678901234567890", "9223372036854775808",
                             " 1", "1 ", "1.0", "1e3", "0x1", "99999999999999999999999"}) {
        INFO("version: \"" << text << "\"");
        auto r = mexc::parse_version(text);
        REQUIRE_FALSE(r);
        CHECK(r.error() == Errc::bad_version);
    }
}
