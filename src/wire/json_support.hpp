#pragma once
// Shared pieces of the simdjson-backed JsonReader (private to src/wire).

#include "mexc/decimal.hpp"
#include "wire/json.hpp"

#include <simdjson.h>
#include <charconv>

#include <algorithm>
#include <array>
#include <bitset>
#include <string_view>

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
    std::string buffer;         // input copy with simdjson's padding after it
    simdjson::dom::parser dom;  // for the irregular account-management bodies (not hot paths)

    simdjson::simdjson_result<simdjson::dom::element> dom_root(std::string_view text) {
        if (too_deep(text)) return simdjson::DEPTH_ERROR;
        return dom.parse(text.data(), text.size());
    }

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

// MEXC sends some integers as strings (SPEC §5.2, §12.8): accept both.
inline bool int_or_string(od::value v, std::int64_t& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::number) return !v.get_int64().get(out);
    if (t == od::json_type::string) {
        std::string_view s;
        if (v.get_string().get(s)) return false;
        bool negative = !s.empty() && s.front() == '-';
        auto r = parse_version(negative ? s.substr(1) : s);
        if (!r) return false;
        out = negative ? -*r : *r;
        return true;
    }
    return false;
}

inline bool string_or_null(od::value v, std::string_view& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::null) {
        out = {};
        return true;
    }
    if (t == od::json_type::string) return !v.get_string().get(out);
    return false;
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

// Decimals are kept at the scale MEXC wrote them with, so nothing is rounded.
template <class T>
bool decimal_of(od::value v, T& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::null) {  // e.g. ticker quoteVolume (SPEC §3.1)
        out = T{};
        return true;
    }
    std::string_view text;
    if (v.get_string().get(text)) return false;
    if (text.empty()) {
        out = T{};
        return true;
    }
    auto parsed =
        T::parse(text, std::min<std::uint8_t>(fractional_digits(text), max_decimal_scale));
    if (!parsed) return false;
    out = *parsed;
    return true;
}

// An id that may arrive as a string, a number or null; into a std::string or, when it fits, an
// inline FixedString (an id longer than that is a parse error naming the field, never cut).
template <class Out>
bool id_of(od::value v, Out& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::null) return out.clear(), true;
    std::string_view s;
    char digits[24];
    if (t == od::json_type::number) {
        std::int64_t n = 0;
        if (v.get_int64().get(n)) return false;
        s = std::string_view(
            digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr -
                                             digits));
    } else if (v.get_string().get(s)) {
        return false;
    }
    if constexpr (requires { Out::fits(s); }) {
        if (!Out::fits(s)) return false;
    }
    out.assign(s);
    return true;
}

inline bool bool_of(od::value v, bool& out) noexcept {
    return !v.get_bool().get(out);
}

template <class Enum, class Parse>
bool enum_of(od::value v, Enum& out, Parse parse) noexcept {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    auto e = parse(s);
    if (!e) return false;
    out = *e;
    return true;
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

}  // namespace mexc::wire
