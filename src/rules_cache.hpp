#pragma once
// What the facade checks before an order leaves: the symbol's rules (exchangeInfo) and whether
// MEXC lets this key trade the symbol through the API (defaultSymbols ∩ selfSymbols, SPEC §3.1,
// §3.2). Both are fetched on demand and refreshed after Config::rules_ttl.
//
// The rules of every symbol come from one exchangeInfo answer (weight 10 once, not once per
// symbol): the first lookup fetches the whole table, lookups that arrive while a fetch is in
// flight wait for it and share its result, and a symbol missing from the table is asked for alone
// (listed since, or unknown: the venue's refusal is returned as it came).

#include "change_signal.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/market_events.hpp"
#include "mexc/rest/private_rest.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/symbol_rules.hpp"
#include "string_hash.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mexc {

class RulesCache {
public:
    using Clock = std::chrono::steady_clock;

    /// Lifetime: the clients outlive this cache, and the caller keeps it alive while awaiting.
    RulesCache(boost::asio::any_io_executor ex, const Config& config, rest::PublicRest& rest,
               rest::PrivateRest& trading);

    /// The symbol's rules, from the table fetched when empty or older than rules_ttl. The pointer
    /// stays valid until the next suspension of the caller (a refresh replaces the table).
    /// Errors: the venue's refusal of an unknown symbol (-1121); the symbol's own rules error (a
    /// listing the library cannot act on fails that symbol only); those of exchange_info, shared by
    /// every waiting caller.
    [[nodiscard]] boost::asio::awaitable<Result<const SymbolRules*>> get(std::string symbol);

    /// Adds every listed symbol whose rules are usable to `table` (or updates its scales), from
    /// the table as get() has it. Errors: those of exchange_info when there is no table at all.
    [[nodiscard]] boost::asio::awaitable<Result<void>> fill(SymbolTable& table);

    /// exchangeInfo requests made so far (a gauge for tests and metrics).
    std::uint64_t fetches() const noexcept { return fetches_; }

    /// Errors: rejected/symbol_not_tradable when the refreshed lists exclude the symbol. A failed
    /// refresh keeps the last lists; with none at all the venue alone decides.
    [[nodiscard]] boost::asio::awaitable<Result<void>> check_tradable(std::string symbol);

private:
    struct Fetching;
    [[nodiscard]] boost::asio::awaitable<Result<void>> fetch_table();
    [[nodiscard]] boost::asio::awaitable<Result<const SymbolRules*>> fetch_symbol(
        std::string symbol);
    [[nodiscard]] boost::asio::awaitable<void> wait_fetch();

    rest::PublicRest& rest_;
    rest::PrivateRest& trading_;
    std::chrono::milliseconds ttl_;
    bool signed_ = false;  // selfSymbols needs credentials
    RulesPolicy policy_;
    boost::asio::any_io_executor ex_;
    std::unordered_map<std::string, Result<SymbolRules>, StringHash, std::equal_to<>> rules_;
    Clock::time_point table_fetched_{};  // epoch: no table yet
    bool fetching_ = false;
    std::uint64_t fetches_ = 0;
    std::optional<Error> fetch_error_;  // of the last fetch, for the callers that waited on it
    detail::ChangeSignal fetched_;      // the request in flight ended
    std::unordered_set<std::string, StringHash, std::equal_to<>> api_symbols_;
    Clock::time_point api_symbols_fetched_{};
};

}  // namespace mexc
