#pragma once
// The account's balances. Seeded from GET /api/v3/account; while the private stream is live, kept
// from its account pushes (free and locked per asset, SPEC §8.15) and served without REST;
// otherwise served from the last answer while younger than Config::balance_ttl, which an order or
// cancel cuts short (funds moved).

#include "mexc/account.hpp"
#include "mexc/account_events.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/private_rest.hpp"
#include "string_hash.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mexc {

struct BalanceCacheStats {
    std::uint64_t hits = 0;    ///< answered from the cache: each a REST call saved
    std::uint64_t misses = 0;  ///< answered by GET /api/v3/account
};

class BalanceCache {
public:
    using Clock = std::chrono::steady_clock;

    /// Lifetime: `trading` outlives this cache, and the caller keeps it alive while awaiting.
    BalanceCache(std::chrono::milliseconds ttl, rest::PrivateRest& trading)
        : trading_(trading), ttl_(ttl) {}

    /// Balances with a non-zero total. Errors: those of PrivateRest::account.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> get(bool fresh);
    /// How many pushes have been applied: taken before a REST read of the account, for seed().
    std::uint64_t mark() const noexcept { return pushes_; }
    /// Replaces every balance with a REST answer (a seed, or a reconciliation), except those of
    /// the assets pushed after `mark`: such a push may be newer than the answer (sent after the
    /// venue read its balances, read by us before the answer), and if it is older the push of
    /// what came between follows it on the stream. Without a mark every balance is replaced.
    void seed(const AccountInfo& account, std::uint64_t mark = UINT64_MAX);
    /// One asset's change from the stream: absolute values, O(1).
    void apply(const BalanceUpdate& update);
    /// The stream is live (its pushes keep the cache exact) or not (REST and the TTL decide).
    void set_live(bool live) noexcept { live_ = live; }
    /// Funds moved (an order or cancel): not live, the next get() asks REST; live, the pushes tell.
    void invalidate() noexcept {
        if (!live_) fetched_ = {};
    }

    /// One asset, O(1); null when the account has never held it.
    const AssetBalance* find(std::string_view asset) const;
    const BalanceCacheStats& stats() const noexcept { return stats_; }

private:
    bool fresh_enough() const noexcept;

    rest::PrivateRest& trading_;
    std::chrono::milliseconds ttl_;
    std::vector<AssetBalance> balances_;  // every asset seen, zeros included
    std::vector<std::uint64_t> pushed_;   // per asset: the number of its last push, 0 for none
    std::uint64_t pushes_ = 0;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> index_;
    Clock::time_point fetched_{};
    bool live_ = false;
    BalanceCacheStats stats_;
};

}  // namespace mexc
