#pragma once
// Answer and parameter helpers shared by the sandbox's REST handlers (SPEC §1.7, §5.2).

#include "rest_api.hpp"
#include "text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mexc::sandbox {

/// MEXC's error body {"code":..,"msg":".."} with an HTTP status.
inline RestReply error_reply(int status, std::int64_t code, std::string_view msg) {
    return {status, fmt::format(R"({{"code":{},"msg":"{}"}})", code, msg), {}};
}

/// The generic missing-mandatory-parameter answer (SPEC §5.3, 700004).
inline RestReply mandatory(std::string_view name) {
    return error_reply(
        400, 700004,
        fmt::format("Mandatory parameter '{}' was not sent, was empty/null, or malformed.", name));
}

/// The wrapped envelope of defaultSymbols, selfSymbols, tradeFee, ... (SPEC §1.7). The STP group
/// endpoints answer `code` 200 instead of 0 (SPEC §3.4).
inline RestReply wrapped(std::string_view data, std::int64_t now, int code = 0) {
    return {
        200,
        fmt::format(R"({{"code":{},"data":{},"msg":"success","timestamp":{}}})", code, data, now),
        {}};
}

inline RestReply answer(std::string body) {
    return {200, std::move(body), {}};
}

inline std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

/// A non-empty parameter, or null.
inline const std::string* param(const Params& p, std::string_view name) {
    auto it = p.find(name);
    return it == p.end() || it->second.empty() ? nullptr : &it->second;
}

/// `s` as a JSON string literal, quotes included (echoed user text must not break the body).
inline std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
            out += c;
        }
    }
    return out + '"';
}

inline std::string json_string_or_null(const std::string& s) {
    return s.empty() ? "null" : fmt::format("\"{}\"", s);
}

}  // namespace mexc::sandbox
