#pragma once
// The account's non-zero balances, served from a cache younger than Config::balance_ttl; an order
// or cancel invalidates it (funds moved).

#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <vector>

namespace mexc {

class BalanceCache {
public:
    using Clock = std::chrono::steady_clock;

    /// Lifetime: `trading` outlives this cache, and the caller keeps it alive while awaiting.
    BalanceCache(std::chrono::milliseconds ttl, rest::PrivateRest& trading)
        : trading_(trading), ttl_(ttl) {}

    /// Errors: those of PrivateRest::account.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> get(bool fresh);
    void invalidate() noexcept { fetched_ = {}; }

private:
    rest::PrivateRest& trading_;
    std::chrono::milliseconds ttl_;
    std::vector<AssetBalance> balances_;
    Clock::time_point fetched_{};
};

}  // namespace mexc
