#include "balance_cache.hpp"

namespace mexc {

bool BalanceCache::fresh_enough() const noexcept {
    if (fetched_ == Clock::time_point{}) return false;
    return live_ || Clock::now() - fetched_ < ttl_;
}

boost::asio::awaitable<Result<std::vector<AssetBalance>>> BalanceCache::get(bool fresh) {
    if (fresh || !fresh_enough()) {
        ++stats_.misses;
        auto account = co_await trading_.account();
        if (!account) co_return account.error();
        seed(*account);
    } else {
        ++stats_.hits;
    }
    std::vector<AssetBalance> out;
    for (const auto& b : balances_)
        if (b.free.units() != 0 || b.locked.units() != 0) out.push_back(b);
    co_return out;
}

void BalanceCache::seed(const AccountInfo& account) {
    balances_.clear();
    index_.clear();
    for (const auto& b : account.balances) {
        index_.insert_or_assign(b.asset, balances_.size());
        balances_.push_back(b);
    }
    fetched_ = Clock::now();
}

void BalanceCache::apply(const BalanceUpdate& update) {
    const auto asset = update.asset.view();
    auto it = index_.find(asset);
    if (it == index_.end()) {
        it = index_.emplace(std::string(asset), balances_.size()).first;
        balances_.push_back(AssetBalance{std::string(asset), {}, {}});
    }
    auto& b = balances_[it->second];
    b.free = update.free;
    b.locked = update.locked;
}

const AssetBalance* BalanceCache::find(std::string_view asset) const {
    auto it = index_.find(asset);
    return it == index_.end() ? nullptr : &balances_[it->second];
}

}  // namespace mexc
