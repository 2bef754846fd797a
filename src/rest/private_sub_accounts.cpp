// PrivateRest: self-trade prevention groups (SPEC §3.4) and sub-accounts (§3.5), master account.
// Creations, deletions and transfers are commands (never resent; a lost answer is
// outcome_unknown); queries are reads.

#include "rest/private_calls.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

asio::awaitable<Result<StpGroup>> PrivateRest::create_stp_group(std::string name) {
    std::string q;
    append_param(q, "tradeGroupName", name);
    auto all = co_await transport_->parsed<std::vector<StpGroup>>(
        ep::create_stp_group, q, with(&wire::JsonReader::stp_groups));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<StpGroup>>> PrivateRest::stp_groups(std::string name) {
    std::string q;
    append_if(q, "tradeGroupName", name);
    co_return co_await transport_->parsed<std::vector<StpGroup>>(
        ep::stp_groups, q, with(&wire::JsonReader::stp_groups));
}

asio::awaitable<Result<void>> PrivateRest::delete_stp_group(std::int64_t group_id) {
    std::string q;
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto res = co_await transport_->parsed<bool>(ep::delete_stp_group, q, accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<StpGroup>> PrivateRest::add_stp_group_uids(std::int64_t group_id,
                                                                  std::vector<std::string> uids) {
    std::string q;
    append_param(q, "uid", joined(uids));
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto all = co_await transport_->parsed<std::vector<StpGroup>>(
        ep::add_stp_group_uids, q, with(&wire::JsonReader::stp_groups));
    co_return only(std::move(all));
}

asio::awaitable<Result<void>> PrivateRest::remove_stp_group_uids(std::int64_t group_id,
                                                                 std::vector<std::string> uids) {
    std::string q;
    append_param(q, "uid", joined(uids));
    append_param(q, "tradeGroupId", std::to_string(group_id));
    auto res = co_await transport_->parsed<bool>(ep::remove_stp_group_uids, q, accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<SubAccount>> PrivateRest::create_sub_account(std::string name,
                                                                    std::string note) {
    std::string q;
    append_param(q, "subAccount", name);
    append_param(q, "note", note);
    auto all = co_await transport_->parsed<std::vector<SubAccount>>(
        ep::create_sub_account, q, with(&wire::JsonReader::sub_accounts));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<SubAccount>>> PrivateRest::sub_accounts(SubAccountQuery query) {
    std::string q;
    append_if(q, "subAccount", query.name);
    if (query.frozen) append_param(q, "isFreeze", *query.frozen ? "true" : "false");
    append_if(q, "page", query.page);
    append_if(q, "limit", query.limit);
    co_return co_await transport_->parsed<std::vector<SubAccount>>(
        ep::sub_accounts, q, with(&wire::JsonReader::sub_accounts));
}

asio::awaitable<Result<SubAccountApiKey>> PrivateRest::create_sub_account_api_key(
    SubAccountApiKeyRequest request) {
    std::string q;
    append_param(q, "subAccount", request.sub_account);
    append_param(q, "note", request.note);
    append_param(q, "permissions", joined(request.permissions));
    if (!request.ips.empty()) append_param(q, "ip", joined(request.ips));
    auto all = co_await transport_->parsed<std::vector<SubAccountApiKey>>(
        ep::create_sub_account_api_key, q, with(&wire::JsonReader::sub_account_api_keys));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<SubAccountApiKey>>> PrivateRest::sub_account_api_keys(
    std::string sub_account) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    auto keys = co_await transport_->parsed<std::vector<SubAccountApiKey>>(
        ep::sub_account_api_keys, q, with(&wire::JsonReader::sub_account_api_keys));
    if (keys)
        for (auto& k : *keys) k.sub_account = sub_account;
    co_return keys;
}

asio::awaitable<Result<void>> PrivateRest::delete_sub_account_api_key(std::string sub_account,
                                                                      std::string api_key) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    append_param(q, "apiKey", api_key);
    auto res = co_await transport_->parsed<bool>(ep::delete_sub_account_api_key, q, accepted);
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
    co_return co_await transport_->parsed<std::string>(ep::universal_transfer, q,
                                                       text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::universal_transfers(
    TransferQuery query) {
    co_return co_await transport_->parsed<std::vector<TransferRecord>>(
        ep::universal_transfers, transfer_query_params(query, "limit"),
        with(&wire::JsonReader::transfers));
}

asio::awaitable<Result<std::vector<AssetBalance>>> PrivateRest::sub_account_assets(
    std::string sub_account) {
    std::string q;
    append_param(q, "subAccount", sub_account);
    append_param(q, "accountType", "SPOT");
    auto account = co_await transport_->parsed<AccountInfo>(ep::sub_account_assets, q,
                                                            with(&wire::JsonReader::account));
    if (!account) co_return account.error();
    co_return std::move(account->balances);
}

}  // namespace mexc::rest
