#pragma once
// What the facade checks before an order leaves: the symbol's rules (exchangeInfo) and whether
// MEXC lets this key trade the symbol through the API (defaultSymbols ∩ selfSymbols, SPEC §3.1,
// §3.2). Both are fetched on demand and refreshed after Config::rules_ttl.

#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/symbol_rules.hpp"
#include "string_hash.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mexc {

class RulesCache {
public:
    using Clock = std::chrono::steady_clock;

    /// Lifetime: the clients outlive this cache, and the caller keeps it alive while awaiting.
    RulesCache(const Config& config, rest::PublicRest& rest, rest::PrivateRest& trading);

    /// The symbol's rules, fetched when missing or older than rules_ttl. The pointer stays valid
    /// until the next suspension of the caller (a refresh may replace the entry).
    /// Errors: rejected/unknown_symbol, and those of exchange_info.
    [[nodiscard]] boost::asio::awaitable<Result<const SymbolRules*>> get(std::string symbol);

    /// Errors: rejected/symbol_not_tradable when the refreshed lists exclude the symbol. A failed
    /// refresh keeps the last lists; with none at all the venue alone decides.
    [[nodiscard]] boost::asio::awaitable<Result<void>> check_tradable(std::string symbol);

private:
    struct Cached {
        SymbolRules rules;
        Clock::time_point fetched;
    };

    rest::PublicRest& rest_;
    rest::PrivateRest& trading_;
    std::chrono::milliseconds ttl_;
    bool signed_ = false;  // selfSymbols needs credentials
    RulesPolicy policy_;
    std::unordered_map<std::string, Cached, StringHash, std::equal_to<>> rules_;
    std::unordered_set<std::string, StringHash, std::equal_to<>> api_symbols_;
    Clock::time_point api_symbols_fetched_{};
};

}  // namespace mexc
