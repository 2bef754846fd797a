#include "balance_cache.hpp"

namespace mexc {

bool BalanceCache::fresh_enough() const noexcept {
    if (fetched_ == Clock::time_point{}) return false;
    return live_ || Clock::now() - fetched_ < ttl_;
}

boost::asio::awaitable<Result<std::vector<AssetBalance>>> BalanceCache::get(bool fresh) {
    if (fresh || !fresh_enough()) {
        ++stats_.misses;
        const auto before = mark();
        auto account = co_await trading_.account();
        if (!account) co_return account.error();
        seed(*account, before);
    } else {
        ++stats_.hits;
    }
    std::vector<AssetBalance> out;
    for (const auto& b : balances_)
        if (b.free.units() != 0 || b.locked.units() != 0) out.push_back(b);
    co_return out;
}

void BalanceCache::seed(const AccountInfo& account, std::uint64_t mark) {
    // Pushed while the answer was on its way: the push stands (a REST answer carries no time to
    // order it by; an answer older than a push applied before it would undo that push).
    std::vector<AssetBalance> kept;
    std::vector<std::uint64_t> kept_pushed;
    for (std::size_t i = 0; i < balances_.size(); ++i)
        if (pushed_[i] > mark) {
            kept.push_back(std::move(balances_[i]));
            kept_pushed.push_back(pushed_[i]);
        }
    balances_ = std::move(kept);
    pushed_ = std::move(kept_pushed);
    index_.clear();
    for (std::size_t i = 0; i < balances_.size(); ++i) index_.emplace(balances_[i].asset, i);
    for (const auto& b : account.balances) {
        if (index_.contains(b.asset)) continue;
        index_.emplace(b.asset, balances_.size());
        balances_.push_back(b);
        pushed_.push_back(0);
    }
    fetched_ = Clock::now();
}

void BalanceCache::apply(const BalanceUpdate& update) {
    const auto asset = update.asset.view();
    auto it = index_.find(asset);
    if (it == index_.end()) {
        it = index_.emplace(std::string(asset), balances_.size()).first;
        balances_.push_back(AssetBalance{std::string(asset), {}, {}});
        pushed_.push_back(0);
    }
    auto& b = balances_[it->second];
    b.free = update.free;
    b.locked = update.locked;
    pushed_[it->second] = ++pushes_;
}

const AssetBalance* BalanceCache::find(std::string_view asset) const {
    auto it = index_.find(asset);
    return it == index_.end() ? nullptr : &balances_[it->second];
}

}  // namespace mexc
