#pragma once
// The venue's records outside trading (SPEC §3.4–§3.6): sub-accounts, self-trade prevention
// groups, transfers, deposits, withdrawals and dust conversions. Balances live in the Engine;
// this keeps who owns which account and the history MEXC's wallet endpoints answer from.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace mexc::sandbox {

/// The UID MEXC shows for an account (GET /api/v3/uid, STP groups, sub-account lists).
constexpr std::uint64_t uid_of(std::uint64_t account) noexcept {
    return 10000000 + account;
}

struct SubAccountRecord {
    std::string name;
    std::string note;
    std::uint64_t master = 0;
    std::uint64_t account = 0;  // its Engine account
    bool frozen = false;
    std::int64_t create_time = 0;
};

struct StpGroupRecord {
    std::int64_t id = 0;
    std::uint64_t master = 0;
    std::string name;
    std::vector<std::uint64_t> uids;
    std::int64_t create_time = 0;
    std::int64_t update_time = 0;
};

/// A universal (master/sub), SPOT↔FUTURES or internal transfer; amounts at asset_scale.
struct TransferRecord {
    enum class Kind { universal, own, internal } kind = Kind::own;
    std::string id;
    std::uint64_t from_account = 0;
    std::uint64_t to_account = 0;
    std::string from_type;  // SPOT / FUTURES; internal: the recipient kind (UID)
    std::string to_type;
    std::string asset;
    std::int64_t amount = 0;
    std::int64_t time = 0;
};

struct WithdrawRecord {
    std::string id;
    std::uint64_t account = 0;
    std::string coin, network, address, memo, remark, withdraw_order_id, tx_id;
    std::int64_t amount = 0;
    std::int64_t fee = 0;
    int status = 1;  // SPEC §4.7: 1 APPLY ... 7 SUCCESS, 9 CANCEL
    std::int64_t apply_time = 0;
    std::int64_t update_time = 0;
};

struct DepositRecord {
    std::uint64_t account = 0;
    std::string coin, network, address, tx_id;
    std::int64_t amount = 0;
    int status = 5;  // SPEC §4.7: 5 SUCCESS
    std::int64_t insert_time = 0;
};

struct ConvertRecord {
    std::string id;
    std::uint64_t account = 0;
    std::string asset;
    std::int64_t amount = 0;     // of `asset`
    std::int64_t mx_amount = 0;  // MX credited
    std::int64_t fee = 0;        // MX
    std::int64_t time = 0;
};

struct Custody {
    std::vector<SubAccountRecord> sub_accounts;
    std::vector<StpGroupRecord> stp_groups;
    std::vector<TransferRecord> transfers;
    std::vector<WithdrawRecord> withdrawals;
    std::vector<DepositRecord> deposits;
    std::vector<ConvertRecord> conversions;
    /// Deposit addresses handed out: (account, coin, network) → address.
    std::map<std::tuple<std::uint64_t, std::string, std::string>, std::string> deposit_addresses;
    /// FUTURES wallet balances (the sandbox trades no futures; transfers land here).
    std::map<std::uint64_t, std::map<std::string, std::int64_t>> futures;
    /// A withdrawal stays APPLY (cancellable) this long, then turns SUCCESS.
    std::int64_t withdraw_settle_ms = 60000;
    std::uint64_t next_id = 1;
    std::int64_t next_group_id = 1;

    const SubAccountRecord* sub_account(std::uint64_t master, std::string_view name) const {
        for (const auto& s : sub_accounts)
            if (s.master == master && s.name == name) return &s;
        return nullptr;
    }
    bool is_sub_account(std::uint64_t account) const { return master_of(account) != account; }
    /// The master of a sub-account; a master is its own.
    std::uint64_t master_of(std::uint64_t account) const {
        for (const auto& s : sub_accounts)
            if (s.account == account) return s.master;
        return account;
    }
    /// Whether a self-trade prevention group of the same master holds both accounts.
    bool same_stp_group(std::uint64_t a, std::uint64_t b) const {
        for (const auto& g : stp_groups) {
            bool has_a = false, has_b = false;
            for (auto uid : g.uids) {
                has_a = has_a || uid == uid_of(a);
                has_b = has_b || uid == uid_of(b);
            }
            if (has_a && has_b) return true;
        }
        return false;
    }
};

}  // namespace mexc::sandbox
