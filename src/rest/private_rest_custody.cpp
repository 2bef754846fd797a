// PrivateRest: account extras (SPEC §3.2), STP groups (§3.4), sub-accounts (§3.5), wallet (§3.6).
// Creations, deletions and everything that moves funds are commands (never resent; a lost
// answer is outcome_unknown); queries are reads (retried on transport failures).

#include "rest/private_rest_impl.hpp"

namespace mexc::rest {
namespace {

using net::HttpMethod;

/// Adapts a JsonReader member to the parse callback of Impl::parsed.
template <class R>
auto with(R (wire::JsonReader::*read)(std::string_view)) {
    return [read](wire::JsonReader& j, std::string_view body) { return (j.*read)(body); };
}

auto text_field(std::string_view name) {
    return [name](wire::JsonReader& j, std::string_view body) { return j.field_text(body, name); };
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
    return out;
}

void append_if(std::string& q, std::string_view name, const std::string& value) {
    if (!value.empty()) append_param(q, name, value);
}

void append_if(std::string& q, std::string_view name, std::int64_t value) {
    if (value != 0) append_param(q, name, std::to_string(value));
}

/// The one record a creation answers. An empty answer to a command that was accepted leaves its
/// result unknown (FAULTS §1.2): it may exist without our knowing it.
template <class T>
Result<T> only(Result<std::vector<T>> all, bool is_command = true) {
    if (!all) return all.error();
    if (all->empty())
        return Error(is_command ? Condition::outcome_unknown : Condition::bad_data,
                     Errc::unexpected_json_shape);
    return std::move(all->front());
}

/// Any answer that is not a refusal, for calls whose answer carries nothing else we need.
Result<bool> accepted(wire::JsonReader& j, std::string_view body) {
    if (auto refused = refusal_of(j, body)) return *refused;
    return true;
}

std::string history_params(const WalletHistoryQuery& q) {
    std::string p;
    append_if(p, "coin", q.coin);
    if (q.status) append_param(p, "status", std::to_string(*q.status));
    append_if(p, "startTime", q.start_ms);
    append_if(p, "endTime", q.end_ms);
    append_if(p, "limit", q.limit);
    return p;
}

std::string transfer_query_params(const TransferQuery& q, std::string_view limit_name) {
    std::string p;
    append_if(p, "fromAccount", q.from_account);
    append_if(p, "toAccount", q.to_account);
    append_param(p, "fromAccountType", to_string(q.from_type));
    append_param(p, "toAccountType", to_string(q.to_type));
    append_if(p, "startTime", q.start_ms);
    append_if(p, "endTime", q.end_ms);
    append_if(p, "page", q.page);
    append_if(p, limit_name, q.limit);
    return p;
}

}  // namespace

asio::awaitable<Result<std::vector<std::string>>> PrivateRest::listen_keys() {
    co_return co_await impl_->parsed<std::vector<std::string>>(
        HttpMethod::get, "/api/v3/userDataStream", {}, false, with(&wire::JsonReader::listen_keys));
}

// ---- account (SPEC §3.2) ----

asio::awaitable<Result<int>> PrivateRest::kyc_status() {
    auto status = co_await impl_->parsed<std::string>(HttpMethod::get, "/api/v3/kyc/status", {},
                                                      false, text_field("status"));
    if (!status) co_return status.error();
    if (status->size() != 1 || (*status)[0] < '1' || (*status)[0] > '4')
        co_return make_error(Condition::bad_data, Errc::unexpected_json_shape)
            .with_venue_message("status");
    co_return (*status)[0] - '0';
}

asio::awaitable<Result<std::string>> PrivateRest::uid() {
    co_return co_await impl_->parsed<std::string>(HttpMethod::get, "/api/v3/uid", {}, false,
                                                  text_field("uid"));
}

asio::awaitable<Result<std::vector<std::string>>> PrivateRest::self_symbols() {
    co_return co_await impl_->parsed<std::vector<std::string>>(
        HttpMethod::get, "/api/v3/selfSymbols", {}, false, with(&wire::JsonReader::symbol_list));
}

asio::awaitable<Result<TradeFee>> PrivateRest::trade_fee(std::string symbol) {
    std::string q;
    append_param(q, "symbol", symbol);
    co_return co_await impl_->parsed<TradeFee>(HttpMethod::get, "/api/v3/tradeFee", q, false,
                                               with(&wire::JsonReader::trade_fee));
}

asio::awaitable<Result<bool>> PrivateRest::mx_deduct() {
    co_return co_await impl_->parsed<bool>(HttpMethod::get, "/api/v3/mxDeduct/enable", {}, false,
                                           with(&wire::JsonReader::mx_deduct));
}

asio::awaitable<Result<bool>> PrivateRest::set_mx_deduct(bool enabled) {
    std::string q;
    append_param(q, "mxDeductEnable", enabled ? "true" : "false");
    // Setting a flag to a value is idempotent: a read-like call, safe to retry.
    co_return co_await impl_->parsed<bool>(HttpMethod::post, "/api/v3/mxDeduct/enable", q, false,
                                           with(&wire::JsonReader::mx_deduct));
}

// ---- self-trade prevention groups (SPEC §3.4) ----

asio::awaitable<Result<StpGroup>> PrivateRest::create_stp_group(std::string name) {
    std::string q;
    append_param(q, "tradeGroupName", name);
    auto all = co_await impl_->parsed<std::vector<StpGroup>>(
        HttpMethod::post, "/api/v3/strategy/group", q, true, with(&wire::JsonReader::stp_groups));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<StpGroup>>> PrivateRest::stp_groups(std::string name) {
    std::string q;
    append_if(q, "tradeGroupName", name);
    co_return co_await impl_->parsed<std::vector<StpGroup>>(
        HttpMethod::get, "/api/v3/strategy/group", q, false, with(&wire::JsonReader::stp_groups));
}

asio::awaitable<Result<void>> PrivateRest::delete_stp_group(std::int64_t group_id) {
    std::string q;
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto res =
        co_await impl_->parsed<bool>(HttpMethod::del, "/api/v3/strategy/group", q, true, accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<StpGroup>> PrivateRest::add_stp_group_uids(std::int64_t group_id,
                                                                  std::vector<std::string> uids) {
    std::string q;
    append_param(q, "uid", joined(uids));
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto all = co_await impl_->parsed<std::vector<StpGroup>>(HttpMethod::post,
                                                             "/api/v3/strategy/group/uid", q, true,
                                                             with(&wire::JsonReader::stp_groups));
    co_return only(std::move(all));
}

asio::awaitable<Result<void>> PrivateRest::remove_stp_group_uids(std::int64_t group_id,
                                                                 std::vector<std::string> uids) {
    std::string q;
    append_param(q, "uid", joined(uids));
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto res = co_await impl_->parsed<bool>(HttpMethod::del, "/api/v3/strategy/group/uid", q, true,
                                            accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

// ---- sub-accounts (SPEC §3.5) ----

asio::awaitable<Result<SubAccount>> PrivateRest::create_sub_account(std::string name,
                                                                    std::string note) {
    std::string q;
    append_param(q, "subAccount", name);
    append_param(q, "note", note);
    auto all = co_await impl_->parsed<std::vector<SubAccount>>(
        HttpMethod::post, "/api/v3/sub-account/virtualSubAccount", q, true,
        with(&wire::JsonReader::sub_accounts));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<SubAccount>>> PrivateRest::sub_accounts(SubAccountQuery query) {
    std::string q;
    append_if(q, "subAccount", query.name);
    if (query.frozen) append_param(q, "isFreeze", *query.frozen ? "true" : "false");
    append_if(q, "page", query.page);
    append_if(q, "limit", query.limit);
    co_return co_await impl_->parsed<std::vector<SubAccount>>(
        HttpMethod::get, "/api/v3/sub-account/list", q, false,
        with(&wire::JsonReader::sub_accounts));
}

asio::awaitable<Result<SubAccountApiKey>> PrivateRest::create_sub_account_api_key(
    SubAccountApiKeyRequest request) {
    std::string q;
    append_param(q, "subAccount", request.sub_account);
    append_param(q, "note", request.note);
    append_param(q, "permissions", joined(request.permissions));
    if (!request.ips.empty()) append_param(q, "ip", joined(request.ips));
    auto all = co_await impl_->parsed<std::vector<SubAccountApiKey>>(
        HttpMethod::post, "/api/v3/sub-account/apiKey", q, true,
        with(&wire::JsonReader::sub_account_api_keys));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<SubAccountApiKey>>> PrivateRest::sub_account_api_keys(
    std::string sub_account) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    auto keys = co_await impl_->parsed<std::vector<SubAccountApiKey>>(
        HttpMethod::get, "/api/v3/sub-account/apiKey", q, false,
        with(&wire::JsonReader::sub_account_api_keys));
    if (keys)
        for (auto& k : *keys) k.sub_account = sub_account;
    co_return keys;
}

asio::awaitable<Result<void>> PrivateRest::delete_sub_account_api_key(std::string sub_account,
                                                                      std::string api_key) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    append_param(q, "apiKey", api_key);
    auto res = co_await impl_->parsed<bool>(HttpMethod::del, "/api/v3/sub-account/apiKey", q, true,
                                            accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<std::string>> PrivateRest::universal_transfer(
    UniversalTransferRequest request) {
    std::string q;
    append_if(q, "fromAccount", request.from_account);
    append_if(q, "toAccount", request.to_account);
    append_param(q, "fromAccountType", to_string(request.from_type));
    append_param(q, "toAccountType", to_string(request.to_type));
    append_param(q, "asset", request.asset);
    append_decimal(q, "amount", request.amount);
    co_return co_await impl_->parsed<std::string>(HttpMethod::post,
                                                  "/api/v3/capital/sub-account/universalTransfer",
                                                  q, true, text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::universal_transfers(
    TransferQuery query) {
    co_return co_await impl_->parsed<std::vector<TransferRecord>>(
        HttpMethod::get, "/api/v3/capital/sub-account/universalTransfer",
        transfer_query_params(query, "limit"), false, with(&wire::JsonReader::transfers));
}

asio::awaitable<Result<std::vector<AssetBalance>>> PrivateRest::sub_account_assets(
    std::string sub_account) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    append_param(q, "accountType", "SPOT");
    auto account = co_await impl_->parsed<AccountInfo>(HttpMethod::get, "/api/v3/sub-account/asset",
                                                       q, false, with(&wire::JsonReader::account));
    if (!account) co_return account.error();
    co_return std::move(account->balances);
}

// ---- wallet (SPEC §3.6) ----

asio::awaitable<Result<std::vector<CoinInfo>>> PrivateRest::coins() {
    co_return co_await impl_->parsed<std::vector<CoinInfo>>(HttpMethod::get,
                                                            "/api/v3/capital/config/getall", {},
                                                            false, with(&wire::JsonReader::coins));
}

asio::awaitable<Result<std::string>> PrivateRest::withdraw(WithdrawRequest request) {
    // Without its own id a withdrawal whose answer is lost could not be told apart in the history.
    if (request.withdraw_order_id.empty())
        co_return Error(Condition::rejected, Errc::invalid_argument)
            .with_venue_message("withdraw_order_id is required");
    std::string q;
    append_param(q, "coin", request.coin);
    append_if(q, "withdrawOrderId", request.withdraw_order_id);
    append_if(q, "netWork", request.network);
    append_param(q, "address", request.address);
    append_if(q, "memo", request.memo);
    append_decimal(q, "amount", request.amount);
    append_if(q, "remark", request.remark);
    co_return co_await impl_->parsed<std::string>(HttpMethod::post, "/api/v3/capital/withdraw", q,
                                                  true, text_field("id"));
}

asio::awaitable<Result<void>> PrivateRest::cancel_withdraw(std::string id) {
    std::string q;
    append_param(q, "id", id);
    auto res = co_await impl_->parsed<bool>(HttpMethod::del, "/api/v3/capital/withdraw", q, true,
                                            accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<std::vector<DepositRecord>>> PrivateRest::deposit_history(
    WalletHistoryQuery query) {
    co_return co_await impl_->parsed<std::vector<DepositRecord>>(
        HttpMethod::get, "/api/v3/capital/deposit/hisrec", history_params(query), false,
        with(&wire::JsonReader::deposits));
}

asio::awaitable<Result<std::vector<WithdrawRecord>>> PrivateRest::withdraw_history(
    WalletHistoryQuery query) {
    co_return co_await impl_->parsed<std::vector<WithdrawRecord>>(
        HttpMethod::get, "/api/v3/capital/withdraw/history", history_params(query), false,
        with(&wire::JsonReader::withdrawals));
}

asio::awaitable<Result<WalletAddress>> PrivateRest::create_deposit_address(std::string coin,
                                                                           std::string network) {
    std::string q;
    append_param(q, "coin", coin);
    append_param(q, "network", network);
    auto all = co_await impl_->parsed<std::vector<WalletAddress>>(
        HttpMethod::post, "/api/v3/capital/deposit/address", q, true,
        with(&wire::JsonReader::addresses));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<WalletAddress>>> PrivateRest::deposit_addresses(
    std::string coin, std::string network) {
    std::string q;
    append_param(q, "coin", coin);
    append_if(q, "network", network);
    co_return co_await impl_->parsed<std::vector<WalletAddress>>(
        HttpMethod::get, "/api/v3/capital/deposit/address", q, false,
        with(&wire::JsonReader::addresses));
}

asio::awaitable<Result<std::vector<WalletAddress>>> PrivateRest::withdraw_addresses(
    std::string coin, int page, int limit) {
    std::string q;
    append_if(q, "coin", coin);
    append_if(q, "page", page);
    append_if(q, "limit", limit);
    co_return co_await impl_->parsed<std::vector<WalletAddress>>(
        HttpMethod::get, "/api/v3/capital/withdraw/address", q, false,
        with(&wire::JsonReader::addresses));
}

asio::awaitable<Result<std::string>> PrivateRest::transfer(TransferRequest request) {
    std::string q;
    append_param(q, "fromAccountType", to_string(request.from_type));
    append_param(q, "toAccountType", to_string(request.to_type));
    append_param(q, "asset", request.asset);
    append_decimal(q, "amount", request.amount);
    co_return co_await impl_->parsed<std::string>(HttpMethod::post, "/api/v3/capital/transfer", q,
                                                  true, text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::transfers(TransferQuery query) {
    query.from_account.clear();  // own wallets only
    query.to_account.clear();
    co_return co_await impl_->parsed<std::vector<TransferRecord>>(
        HttpMethod::get, "/api/v3/capital/transfer", transfer_query_params(query, "size"), false,
        with(&wire::JsonReader::transfers));
}

asio::awaitable<Result<TransferRecord>> PrivateRest::transfer_by_id(std::string transfer_id) {
    std::string q;
    append_param(q, "tranId", transfer_id);
    auto all = co_await impl_->parsed<std::vector<TransferRecord>>(
        HttpMethod::get, "/api/v3/capital/transfer/tranId", q, false,
        with(&wire::JsonReader::transfers));
    co_return only(std::move(all), /*is_command=*/false);
}

asio::awaitable<Result<std::vector<ConvertibleAsset>>> PrivateRest::convertible_assets() {
    co_return co_await impl_->parsed<std::vector<ConvertibleAsset>>(
        HttpMethod::get, "/api/v3/capital/convert/list", {}, false,
        with(&wire::JsonReader::convertible_assets));
}

asio::awaitable<Result<ConvertResult>> PrivateRest::convert(std::vector<std::string> assets) {
    if (assets.empty() || assets.size() > 15)
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string q;
    append_param(q, "asset", joined(assets));
    co_return co_await impl_->parsed<ConvertResult>(HttpMethod::post, "/api/v3/capital/convert", q,
                                                    true, with(&wire::JsonReader::convert_result));
}

asio::awaitable<Result<std::vector<ConvertRecord>>> PrivateRest::convert_history(
    std::int64_t start_ms, std::int64_t end_ms, int page, int limit) {
    std::string q;
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "page", page);
    append_if(q, "limit", limit);
    co_return co_await impl_->parsed<std::vector<ConvertRecord>>(
        HttpMethod::get, "/api/v3/capital/convert", q, false, with(&wire::JsonReader::conversions));
}

asio::awaitable<Result<std::string>> PrivateRest::internal_transfer(
    InternalTransferRequest request) {
    std::string q;
    append_param(q, "toAccountType", request.to_account_type);
    append_param(q, "toAccount", request.to_account);
    append_if(q, "areaCode", request.area_code);
    append_param(q, "asset", request.asset);
    append_decimal(q, "amount", request.amount);
    co_return co_await impl_->parsed<std::string>(
        HttpMethod::post, "/api/v3/capital/transfer/internal", q, true, text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::internal_transfers(
    std::string transfer_id, std::int64_t start_ms, std::int64_t end_ms) {
    std::string q;
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "tranId", transfer_id);
    co_return co_await impl_->parsed<std::vector<TransferRecord>>(
        HttpMethod::get, "/api/v3/capital/transfer/internal", q, false,
        with(&wire::JsonReader::transfers));
}

}  // namespace mexc::rest
