#pragma once
// The JSON-lines output every mexc-cli command shares: text escaped for a JSON string, and errors
// as one line naming what failed, the condition and the detail (never a secret: Error carries
// none).

#include "mexc/error.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mexc::cli {

/// `text` fit for a JSON string: quotes and backslashes escaped, control characters blanked.
inline std::string json_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return out;
}

/// `{"error":what,"condition":..,"detail":..}`; returns the exit code 1.
inline int print_error(std::string_view what, const Error& e) {
    fmt::print("{{\"error\":\"{}\",\"condition\":\"{}\",\"detail\":\"{}\"}}\n", what,
               to_string(e.condition()), json_escaped(e.describe()));
    return 1;
}

}  // namespace mexc::cli
