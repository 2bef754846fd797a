#include "rules_cache.hpp"

#include <algorithm>

namespace mexc {
namespace asio = boost::asio;

RulesCache::RulesCache(const Config& config, rest::PublicRest& rest, rest::PrivateRest& trading)
    : rest_(rest),
      trading_(trading),
      ttl_(config.rules_ttl),
      signed_(config.credentials.has_value()),
      policy_{config.refuse_when_spot_trading_not_allowed} {}

asio::awaitable<Result<const SymbolRules*>> RulesCache::get(std::string symbol) {
    if (auto it = rules_.find(symbol);
        it != rules_.end() && Clock::now() - it->second.fetched < ttl_)
        co_return &it->second.rules;
    std::vector<std::string> wanted(1, symbol);  // (a braced list here trips g++ 12 coroutines)
    auto info = co_await rest_.exchange_info(std::move(wanted));
    if (!info) co_return info.error();
    for (const auto& s : info->symbols) {
        if (s.symbol != symbol) continue;
        auto r = SymbolRules::from(s, policy_);
        if (!r) co_return r.error();
        auto [it, inserted] = rules_.insert_or_assign(symbol, Cached{std::move(*r), Clock::now()});
        co_return &it->second.rules;
    }
    co_return Error(Condition::rejected, Errc::unknown_symbol);
}

asio::awaitable<Result<void>> RulesCache::check_tradable(std::string symbol) {
    if (api_symbols_fetched_ == Clock::time_point{} ||
        Clock::now() - api_symbols_fetched_ >= ttl_) {
        // A failed refresh keeps the last lists; with none at all the venue alone decides (it
        // answers 10007). selfSymbols needs SPOT_ACCOUNT_READ: a trade-only key goes without it.
        auto listed = co_await rest_.default_symbols();
        if (listed && !listed->empty()) {
            std::unordered_set<std::string, StringHash, std::equal_to<>> allowed(listed->begin(),
                                                                                 listed->end());
            if (signed_) {
                auto mine = co_await trading_.self_symbols();
                if (mine && !mine->empty())
                    std::erase_if(allowed, [&](const std::string& s) {
                        return std::find(mine->begin(), mine->end(), s) == mine->end();
                    });
            }
            api_symbols_ = std::move(allowed);
            api_symbols_fetched_ = Clock::now();
        }
    }
    if (api_symbols_fetched_ != Clock::time_point{} && !api_symbols_.contains(symbol))
        co_return Error(Condition::rejected, Errc::symbol_not_tradable)
            .with_venue_message("not tradable through the API (defaultSymbols/selfSymbols)");
    co_return Result<void>{};
}

}  // namespace mexc
