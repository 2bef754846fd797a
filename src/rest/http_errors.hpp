#pragma once
// Turns a non-2xx HTTP answer into an Error classified by what the caller must do (STYLE §5).

#include "mexc/error.hpp"
#include "net/http_client.hpp"
#include "wire/json.hpp"

#include <optional>
#include <string_view>

namespace mexc::rest {

/// `is_command`: a write whose effect a 5xx leaves unknown (FAULTS §1.2).
Error classify_http_error(const net::HttpResponse& response, wire::JsonReader& json,
                          bool is_command);

/// A refusal under HTTP 200: a body {"code": c, "msg": ..} with c ∉ {0, 200} (SPEC §5.2, P16),
/// as `rejected` with the venue code and message (callers classify the code).
std::optional<Error> refusal_of(wire::JsonReader& json, std::string_view body);

/// Condition for a MEXC business code (SPEC §5.4).
Condition condition_of_venue_code(std::int64_t code) noexcept;

}  // namespace mexc::rest
