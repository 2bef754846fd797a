#include "rules_cache.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>

#include <algorithm>

namespace mexc {
namespace asio = boost::asio;

// One exchangeInfo request in flight; however it ends (cancellation included), its waiters wake.
struct RulesCache::Fetching {
    explicit Fetching(RulesCache& c) : cache(c) {
        cache.fetching_ = true;
        ++cache.fetches_;
    }
    ~Fetching() {
        cache.fetching_ = false;
        cache.fetched_.notify_all();
    }
    RulesCache& cache;
};

RulesCache::RulesCache(asio::any_io_executor ex, const Config& config, rest::PublicRest& rest,
                       rest::PrivateRest& trading)
    : rest_(rest),
      trading_(trading),
      ttl_(config.rules_ttl),
      signed_(config.credentials.has_value()),
      policy_{config.refuse_when_spot_trading_not_allowed},
      ex_(std::move(ex)),
      fetched_(ex_) {}

asio::awaitable<Result<const SymbolRules*>> RulesCache::get(std::string symbol) {
    for (bool fetched = false;; fetched = true) {
        const bool fresh =
            table_fetched_ != Clock::time_point{} && Clock::now() - table_fetched_ < ttl_;
        auto it = rules_.find(symbol);
        if (fresh && it != rules_.end()) {
            if (!it->second) co_return it->second.error();
            co_return &*it->second;
        }
        if (!fresh && fetched && fetch_error_) {
            // The refresh failed: the last table serves, the venue judges the order in the end.
            if (it != rules_.end() && it->second) co_return &*it->second;
            co_return *fetch_error_;
        }
        if (fetching_) {
            co_await wait_fetch();  // one request serves every caller waiting on it
        } else if (!fresh) {
            (void)co_await fetch_table();
        } else {
            // Listed since the table was fetched, or unknown: the venue says which.
            co_return co_await fetch_symbol(std::move(symbol));
        }
    }
}

asio::awaitable<Result<void>> RulesCache::fill(SymbolTable& table) {
    for (bool fetched = false;; fetched = true) {
        const bool have = table_fetched_ != Clock::time_point{};
        // Fresh, or a refresh just failed and the last table serves.
        if ((have && Clock::now() - table_fetched_ < ttl_) || (fetched && !fetching_ && have)) {
            for (const auto& [name, rules] : rules_)
                if (rules) table.add(name, rules->scales());
            co_return Result<void>{};
        }
        if (fetched && !fetching_ && fetch_error_) co_return *fetch_error_;
        if (fetching_)
            co_await wait_fetch();
        else
            (void)co_await fetch_table();
    }
}

asio::awaitable<Result<void>> RulesCache::fetch_table() {
    Fetching fetching(*this);
    std::vector<std::string> all;  // no symbols: the whole table
    auto info = co_await rest_.exchange_info(std::move(all));
    if (!info) {
        fetch_error_ = info.error();
        co_return info.error();
    }
    fetch_error_.reset();
    rules_.clear();
    for (const auto& s : info->symbols)
        rules_.insert_or_assign(s.symbol, SymbolRules::from(s, policy_));
    table_fetched_ = Clock::now();
    co_return Result<void>{};
}

asio::awaitable<Result<const SymbolRules*>> RulesCache::fetch_symbol(std::string symbol) {
    Fetching fetching(*this);
    std::vector<std::string> wanted(1, symbol);  // (a braced list here trips g++ 12 coroutines)
    auto info = co_await rest_.exchange_info(std::move(wanted));
    if (!info) co_return info.error();  // an unknown symbol: the venue's refusal, verbatim
    for (const auto& s : info->symbols) {
        if (s.symbol != symbol) continue;
        auto [it, inserted] = rules_.insert_or_assign(symbol, SymbolRules::from(s, policy_));
        if (!it->second) co_return it->second.error();
        co_return &*it->second;
    }
    co_return Error(Condition::rejected, Errc::unknown_symbol);
}

asio::awaitable<void> RulesCache::wait_fetch() {
    co_await fetched_.wait();
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
