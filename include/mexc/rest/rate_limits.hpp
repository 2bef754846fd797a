#pragma once
// The client-side request budget as configured (SPEC §6.1): plain options, no behaviour.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace mexc {

/// Budgets of RateLimiter. MEXC changes its tables, so every number is configurable.
struct RateLimits {
    int ip_weight = 300;  ///< per window, unsigned endpoints (SPEC §6.1 recommends ≤ 300 / 10 s)
    int uid_weight = 500;  ///< per window, signed endpoints
    std::chrono::milliseconds window{10000};
    int orders_per_second = 10;  ///< MEXC: 12 / s shared by order and cancel endpoints
    /// "METHOD /path" → weight: overrides the weights of the client's endpoint table (SPEC §3 as
    /// of DOC-2025) for endpoints whose cost MEXC changed; e.g. {"GET /api/v3/exchangeInfo", 25}.
    std::map<std::string, int, std::less<>> weights;
};

/// Which budget a request draws on: the IP's (unsigned endpoints) or the account's (signed).
enum class RateScope : std::uint8_t { ip, uid };

}  // namespace mexc
