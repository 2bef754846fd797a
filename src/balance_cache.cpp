#include "balance_cache.hpp"

namespace mexc {

boost::asio::awaitable<Result<std::vector<AssetBalance>>> BalanceCache::get(bool fresh) {
    if (!fresh && fetched_ != Clock::time_point{} && Clock::now() - fetched_ < ttl_)
        co_return balances_;
    auto account = co_await trading_.account();
    if (!account) co_return account.error();
    balances_.clear();
    for (auto& b : account->balances)
        if (b.free.units() != 0 || b.locked.units() != 0) balances_.push_back(std::move(b));
    fetched_ = Clock::now();
    co_return balances_;
}

}  // namespace mexc
