#pragma once
// Requests and results of the account endpoints: balances (SPEC §3.2), self-trade prevention groups
// (SPEC §3.4), sub-accounts (§3.5) and the wallet (§3.6). Amounts are exact decimals; ids are
// opaque strings (MEXC sends some as numbers).

#include "mexc/credentials.hpp"
#include "mexc/decimal.hpp"
#include "mexc/market.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mexc {

/// An amount of an asset (transfers, withdrawals, fees, balances).
using Amount = Quantity;

// ---- account (SPEC §3.2) ----

/// One asset's balance: available and locked in open orders.
struct AssetBalance {
    std::string asset;
    Quantity free;
    Quantity locked;
};

/// GET /api/v3/account: the key's permissions and every balance.
struct AccountInfo {
    bool can_trade = false;
    bool can_withdraw = false;
    bool can_deposit = false;
    std::string account_type;
    std::vector<AssetBalance> balances;
};

/// GET /api/v3/tradeFee: rates as fractions (0.0005 = 0.05 %).
struct TradeFee {
    Ratio maker;
    Ratio taker;
};

// ---- self-trade prevention (SPEC §3.4) ----

/// A self-trade prevention group of the master account.
struct StpGroup {
    std::string name;
    std::int64_t id = 0;
    std::vector<std::string> uids;  ///< members; after adding: the UIDs just added
    std::int64_t create_time = 0;
    std::int64_t update_time = 0;
};

// ---- sub-accounts (SPEC §3.5) ----

/// A virtual sub-account of the master account.
struct SubAccount {
    std::string name;
    std::string note;  ///< only in the creation answer
    std::string uid;
    bool frozen = false;
    std::int64_t create_time = 0;
};

/// GET /api/v3/sub-account/list filters.
struct SubAccountQuery {
    std::string name;            ///< empty: all
    std::optional<bool> frozen;  ///< isFreeze
    int page = 0;                ///< 0: MEXC's default (1)
    int limit = 0;               ///< 0: MEXC's default (10); at most 200
};

/// POST /api/v3/sub-account/apiKey: a new key for a sub-account.
struct SubAccountApiKeyRequest {
    std::string sub_account;
    std::string note;
    std::vector<std::string> permissions;  ///< e.g. SPOT_DEAL_READ, SPOT_DEAL_WRITE
    std::vector<std::string> ips;          ///< bound IPs; at most 10
};

/// A sub-account's API key (listed or just created).
struct SubAccountApiKey {
    std::string sub_account;
    std::string note;
    std::string api_key;
    SecretString secret_key;  ///< only in the creation answer; never printed
    std::vector<std::string> permissions;
    std::vector<std::string> ips;
    std::int64_t create_time = 0;
};

/// Wallets funds move between (SPEC §3.5, §3.6).
enum class WalletType : std::uint8_t { spot, futures };
/// "SPOT" or "FUTURES", as MEXC's account-type parameters take them.
inline std::string_view to_string(WalletType t) noexcept {
    return t == WalletType::futures ? "FUTURES" : "SPOT";
}

/// POST /api/v3/capital/sub-account/universalTransfer: between the master and its sub-accounts.
struct UniversalTransferRequest {
    std::string from_account;  ///< sub-account name; empty: the master
    std::string to_account;    ///< sub-account name; empty: the master
    WalletType from_type = WalletType::spot;
    WalletType to_type = WalletType::spot;
    std::string asset;
    Amount amount;
};

/// Filters of the transfer histories; times in ms, 0 = MEXC's default window.
struct TransferQuery {
    WalletType from_type = WalletType::spot;
    WalletType to_type = WalletType::spot;
    std::string from_account;  ///< universal transfers only: a sub-account name
    std::string to_account;
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    int page = 0;
    int limit = 0;
};

/// One transfer of any kind: universal, SPOT↔FUTURES or internal (fields a kind lacks are empty).
struct TransferRecord {
    std::string id;  ///< tranId
    std::string client_id;
    std::string from_account;
    std::string to_account;
    std::string from_type;  ///< SPOT / FUTURES
    std::string to_type;    ///< SPOT / FUTURES; internal transfers: EMAIL / UID / MOBILE
    std::string asset;
    Amount amount;
    std::string status;  ///< SUCCESS, FAILED, WAIT
    std::int64_t time = 0;
};

// ---- wallet (SPEC §3.6) ----

/// One network a coin moves on, with its withdrawal limits and fee.
struct CoinNetwork {
    std::string network;  ///< `netWork` (the name withdrawals take)
    bool deposit_enabled = false;
    bool withdraw_enabled = false;
    Amount withdraw_fee, withdraw_min, withdraw_max;
    int min_confirm = 0;
    std::string contract;
};

/// One coin of GET /api/v3/capital/config/getall.
struct CoinInfo {
    std::string coin;
    std::string name;
    std::vector<CoinNetwork> networks;
};

/// POST /api/v3/capital/withdraw. Moving money: never resent by the library; a lost answer is
/// `outcome_unknown` and `withdraw_order_id` (required here, unique per withdrawal) finds it in the
/// history.
struct WithdrawRequest {
    std::string coin;
    std::string address;
    Amount amount;
    std::string network;  ///< `netWork`; empty: the coin's default
    std::string memo;
    std::string withdraw_order_id;
    std::string remark;
};

/// Deposit and withdrawal history filters; times in ms, 0 = the last 7 days (at most 90 back).
struct WalletHistoryQuery {
    std::string coin;
    std::optional<int> status;  ///< SPEC §4.7
    std::int64_t start_ms = 0;
    std::int64_t end_ms = 0;
    int limit = 0;
};

/// One deposit of the history.
struct DepositRecord {
    std::string coin, network, address, memo, tx_id;
    Amount amount;
    int status = 0;  ///< SPEC §4.7: 5 SUCCESS
    std::int64_t insert_time = 0;
};

/// One withdrawal of the history; `withdraw_order_id` as given to withdraw().
struct WithdrawRecord {
    std::string id, coin, network, address, memo, tx_id, remark, withdraw_order_id;
    Amount amount;
    Amount fee;
    int status = 0;         ///< SPEC §4.7: 1 APPLY ... 7 SUCCESS, 8 FAILED, 9 CANCEL
    int transfer_type = 0;  ///< 0 external, 1 internal
    std::int64_t apply_time = 0;
    std::int64_t update_time = 0;
};

/// A deposit address, or an address-book entry for withdrawals (with its tag).
struct WalletAddress {
    std::string coin, network, address, memo, tag;
};

/// POST /api/v3/capital/transfer: between the account's own SPOT and FUTURES wallets.
struct TransferRequest {
    WalletType from_type = WalletType::spot;
    WalletType to_type = WalletType::futures;
    std::string asset;
    Amount amount;
};

/// POST /api/v3/capital/transfer/internal: to another MEXC user.
struct InternalTransferRequest {
    std::string to_account_type;  ///< EMAIL, UID or MOBILE
    std::string to_account;
    std::string area_code;  ///< for MOBILE
    std::string asset;
    Amount amount;
};

/// A small balance convertible to MX (GET /api/v3/capital/convert/list).
struct ConvertibleAsset {
    std::string asset;
    Amount balance;
    Amount mx_value;    ///< convertMx, after the fee
    Amount usdt_value;  ///< convertUsdt
    std::string code;   ///< why not convertible, when it is not
};

/// The answer of POST /api/v3/capital/convert: assets converted and refused, MX received.
struct ConvertResult {
    std::vector<std::string> converted;
    std::vector<std::string> failed;
    Amount total_mx;  ///< after the fee
    Amount fee_mx;
};

/// One conversion of GET /api/v3/capital/convert.
struct ConvertRecord {
    std::string id, asset;
    Amount amount;  ///< of `asset`
    Amount mx;      ///< received
    Amount fee_mx;
    std::int64_t time = 0;
};

}  // namespace mexc
