#pragma once
// Shared pieces of the simdjson-backed JsonReader (private to src/wire).

#include "mexc/decimal.hpp"
#include "wire/json.hpp"

#include <simdjson.h>
#include <charconv>

#include <algorithm>
#include <array>
#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

namespace mexc::wire {
namespace od = simdjson::ondemand;

struct JsonReader::Impl {
    static constexpr std::size_t max_depth = simdjson::DEFAULT_MAX_DEPTH;

    /// True when arrays/objects nest deeper than max_depth (brackets inside strings ignored).
    static bool too_deep(std::string_view text) noexcept {
        std::size_t depth = 0;
        bool in_string = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (in_string) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    in_string = false;
            } else if (c == '"') {
                in_string = true;
            } else if (c == '[' || c == '{') {
                if (++depth > max_depth) return true;
            } else if ((c == ']' || c == '}') && depth > 0) {
                --depth;
            }
        }
        return false;
    }

    od::parser parser;
    std::string buffer;  // input copy with simdjson's padding after it

    simdjson::simdjson_result<od::document> iterate(std::string_view text) {
        // On-demand parsing skips unread values without checking their depth, so a skipped field
        // nested 10 000 deep would be accepted (P17): refuse it before parsing.
        if (too_deep(text)) return simdjson::DEPTH_ERROR;
        const std::size_t need = text.size() + simdjson::SIMDJSON_PADDING;
        if (buffer.size() < need) buffer.resize(std::max(need, buffer.size() * 2));
        std::copy(text.begin(), text.end(), buffer.begin());
        std::fill_n(buffer.begin() + static_cast<std::ptrdiff_t>(text.size()),
                    simdjson::SIMDJSON_PADDING, '\0');
        return parser.iterate(buffer.data(), text.size(), buffer.size());
    }
};

inline Error bad(Errc e) noexcept {
    return make_error(Condition::bad_data, e);
}
inline Error shape() noexcept {
    return bad(Errc::unexpected_json_shape);
}

// Trailing content after the top-level value is an error (P17).
inline bool at_end(od::document& doc) noexcept {
    const char* location = nullptr;
    return doc.current_location().get(location) != simdjson::SUCCESS;
}

// Names the field a body lacks or mistypes (P16).
inline Error field_error(Errc e, std::string_view field) {
    return make_error(Condition::bad_data, e).with_venue_message(field);
}

// ---- Field readers: the one policy every JSON decoder reads its fields with ------------------
// MEXC writes the same field differently across endpoints and periods (SPEC §3, §12.8): integers
// as numbers or strings of digits, decimals as strings or numbers, absent fields as null. Each
// reader says what it found; a decoder never reads a field another way.

/// What a reader found: a value it cannot accept, null (the same as an absent field), or a value.
enum class Got : std::uint8_t { bad, null, value };

/// A required field: its bit in `seen` is set only for a value, so null is reported missing.
template <std::size_t N>
bool req(std::bitset<N>& seen, std::size_t i, Got got) noexcept {
    if (got == Got::value) seen.set(i);
    return got != Got::bad;
}
/// An optional field: absent and null leave the default.
inline bool opt(Got got) noexcept {
    return got != Got::bad;
}

inline std::string_view trim_right(std::string_view s) noexcept {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The literal text of a JSON number or boolean, so no number is read through a double.
inline std::string_view literal_text(od::value v) noexcept {
    return trim_right(v.raw_json_token());
}

/// An integer written as digits with an optional '-' (no '+', spaces, fraction or exponent; "" is
/// not a number), within the range of Int.
template <class Int>
bool parse_integer(std::string_view s, Int& out) noexcept {
    Int n{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return false;
    out = n;
    return true;
}

/// An integer as a JSON number or a string of digits.
template <class Int>
Got int_of(od::value v, Int& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    std::string_view s;
    if (t == od::json_type::null) return Got::null;
    if (t == od::json_type::number)
        s = literal_text(v);
    else if (t != od::json_type::string || v.get_string().get(s))
        return Got::bad;
    return parse_integer(s, out) ? Got::value : Got::bad;
}

/// A decimal as a string or a JSON number, parsed exactly from its text at the scale MEXC wrote
/// it with, so nothing is rounded ("" is zero, as in ticker quantities; exponents are refused).
template <class T>
Got decimal_of(od::value v, T& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    std::string_view text;
    if (t == od::json_type::null) return Got::null;
    if (t == od::json_type::number)
        text = literal_text(v);
    else if (t != od::json_type::string || v.get_string().get(text))
        return Got::bad;
    if (text.empty()) return out = T{}, Got::value;
    auto parsed =
        T::parse(text, std::min<std::uint8_t>(fractional_digits(text), max_decimal_scale));
    if (!parsed) return Got::bad;
    out = *parsed;
    return Got::value;
}

/// true / false, also as the strings "true" / "false".
inline Got bool_of(od::value v, bool& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    if (t == od::json_type::null) return Got::null;
    if (t == od::json_type::boolean) return v.get_bool().get(out) ? Got::bad : Got::value;
    std::string_view s;
    if (t != od::json_type::string || v.get_string().get(s)) return Got::bad;
    if (s != "true" && s != "false") return Got::bad;
    out = s == "true";
    return Got::value;
}

/// A string, borrowed from the reader's buffer (valid until its next parse); null is empty.
inline Got view_of(od::value v, std::string_view& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    if (t == od::json_type::null) return out = {}, Got::null;
    if (t != od::json_type::string) return Got::bad;
    return v.get_string().get(out) ? Got::bad : Got::value;
}

/// Text as MEXC wrote it: a string's contents, or the literal of a number or boolean (ids arrive
/// as either). Into a std::string or, when it fits, an inline FixedString (a longer text is an
/// error naming the field, never cut).
template <class Out>
Got text_of(od::value v, Out& out) noexcept(noexcept(out.assign(std::string_view{}))) {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    std::string_view s;
    switch (t) {
        case od::json_type::null:
            return Got::null;
        case od::json_type::string:
            if (v.get_string().get(s)) return Got::bad;
            break;
        case od::json_type::number:
        case od::json_type::boolean:
            s = literal_text(v);
            break;
        default:
            return Got::bad;
    }
    if constexpr (requires { Out::fits(s); }) {
        if (!Out::fits(s)) return Got::bad;
    }
    out.assign(s);
    return Got::value;
}

/// Free-form JSON kept as text: a string's contents, anything else as written (the etf
/// `basket` has no documented shape).
inline Got json_text_of(od::value v, std::string& out) {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    std::string_view text;
    if (t == od::json_type::object) {
        od::object o;
        if (v.get_object().get(o) || o.raw_json().get(text)) return Got::bad;
    } else if (t == od::json_type::array) {
        od::array a;
        if (v.get_array().get(a) || a.raw_json().get(text)) return Got::bad;
    } else {
        return text_of(v, out);
    }
    out.assign(text);
    return Got::value;
}

/// An enumeration's text. A value this library does not know (MEXC adds some, SPEC §4.2, §4.3)
/// is Enum::unknown, not an error, so the rest of the answer is kept.
template <class Enum, class Parse>
Got enum_of(od::value v, Enum& out, Parse parse) noexcept {
    std::string_view s;
    const Got got = view_of(v, s);
    if (got == Got::value) out = parse(s).value_or(Enum::unknown);
    return got;
}

/// A list of strings: a JSON array of strings, or one comma-separated string (STP uids, key
/// permissions).
inline Got list_of(od::value v, std::vector<std::string>& out) {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    out.clear();
    if (t == od::json_type::null) return Got::null;
    std::string_view s;
    if (t == od::json_type::array) {
        od::array items;
        if (v.get_array().get(items)) return Got::bad;
        for (auto item : items) {
            od::value e;
            if (item.get(e) || view_of(e, s) != Got::value) return Got::bad;
            out.emplace_back(s);
        }
        return Got::value;
    }
    if (view_of(v, s) != Got::value) return Got::bad;
    while (!s.empty()) {
        const auto comma = s.find(',');
        if (comma != 0) out.emplace_back(s.substr(0, comma));
        s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    }
    return Got::value;
}

// Walks an object; `on_field(key, value)` returns false for a field of the wrong type.
template <class OnField>
Result<void> walk_object(od::object obj, OnField&& on_field) {
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return bad(Errc::malformed_json);
        od::value v;
        if (field.value().get(v)) return bad(Errc::malformed_json);
        if (!on_field(key, v)) return field_error(Errc::unexpected_json_shape, key);
    }
    return {};
}

// Each parser lists its required fields; a bit per field records that it was seen.
template <std::size_t N>
Result<void> require(const std::bitset<N>& seen, const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i)
        if (!seen[i]) return field_error(Errc::missing_field, names[i]);
    return {};
}

/// Each object of a top-level array, read by `read`.
template <class T, class Read>
Result<std::vector<T>> read_array(od::document& doc, Read read) {
    od::array arr;
    if (doc.get_array().get(arr)) return shape();
    std::vector<T> out;
    for (auto item : arr) {
        od::object obj;
        if (item.get_object().get(obj)) return shape();
        auto one = read(obj);
        if (!one) return one.error();
        out.push_back(std::move(*one));
    }
    if (!at_end(doc)) return bad(Errc::malformed_json);
    return out;
}

/// Each object of an array field, read by `read` (null: none). A failing item's own error, which
/// names its field, is kept in `failure`.
template <class T, class Read>
Got objects_of(od::value v, std::vector<T>& out, Read read, std::optional<Error>& failure) {
    od::json_type t;
    if (v.type().get(t)) return Got::bad;
    if (t == od::json_type::null) return Got::null;
    od::array arr;
    if (v.get_array().get(arr)) return Got::bad;
    for (auto item : arr) {
        od::object obj;
        if (item.get_object().get(obj)) return Got::bad;
        auto one = read(obj);
        if (!one) {
            failure = one.error();
            return Got::bad;
        }
        out.push_back(std::move(*one));
    }
    return Got::value;
}

}  // namespace mexc::wire
