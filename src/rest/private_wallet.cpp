// PrivateRest: wallet (SPEC §3.6). Everything that moves funds is a command: never resent, and a
// lost answer is outcome_unknown (look the transfer or withdrawal up in its history).

#include "rest/private_calls.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

namespace {

std::string history_params(const WalletHistoryQuery& q) {
    std::string p;
    append_if(p, "coin", q.coin);
    if (q.status) append_param(p, "status", std::to_string(*q.status));
    append_if(p, "startTime", q.start_ms);
    append_if(p, "endTime", q.end_ms);
    append_if(p, "limit", q.limit);
    return p;
}

}  // namespace

asio::awaitable<Result<std::vector<CoinInfo>>> PrivateRest::coins() {
    co_return co_await transport_->parsed<std::vector<CoinInfo>>(ep::coins, {},
                                                                 with(&wire::JsonReader::coins));
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
    co_return co_await transport_->parsed<std::string>(ep::withdraw, q, text_field("id"));
}

asio::awaitable<Result<void>> PrivateRest::cancel_withdraw(std::string id) {
    std::string q;
    append_param(q, "id", id);
    auto res = co_await transport_->parsed<bool>(ep::cancel_withdraw, q, accepted);
    if (!res) co_return res.error();
    co_return Result<void>{};
}

asio::awaitable<Result<std::vector<DepositRecord>>> PrivateRest::deposit_history(
    WalletHistoryQuery query) {
    co_return co_await transport_->parsed<std::vector<DepositRecord>>(
        ep::deposit_history, history_params(query), with(&wire::JsonReader::deposits));
}

asio::awaitable<Result<std::vector<WithdrawRecord>>> PrivateRest::withdraw_history(
    WalletHistoryQuery query) {
    co_return co_await transport_->parsed<std::vector<WithdrawRecord>>(
        ep::withdraw_history, history_params(query), with(&wire::JsonReader::withdrawals));
}

asio::awaitable<Result<WalletAddress>> PrivateRest::create_deposit_address(std::string coin,
                                                                           std::string network) {
    std::string q;
    append_param(q, "coin", coin);
    append_param(q, "network", network);
    auto all = co_await transport_->parsed<std::vector<WalletAddress>>(
        ep::create_deposit_address, q, with(&wire::JsonReader::addresses));
    co_return only(std::move(all));
}

asio::awaitable<Result<std::vector<WalletAddress>>> PrivateRest::deposit_addresses(
    std::string coin, std::string network) {
    std::string q;
    append_param(q, "coin", coin);
    append_if(q, "network", network);
    co_return co_await transport_->parsed<std::vector<WalletAddress>>(
        ep::deposit_addresses, q, with(&wire::JsonReader::addresses));
}

asio::awaitable<Result<std::vector<WalletAddress>>> PrivateRest::withdraw_addresses(
    std::string coin, int page, int limit) {
    std::string q;
    append_if(q, "coin", coin);
    append_if(q, "page", page);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<WalletAddress>>(
        ep::withdraw_addresses, q, with(&wire::JsonReader::addresses));
}

asio::awaitable<Result<std::string>> PrivateRest::transfer(TransferRequest request) {
    std::string q;
    append_param(q, "fromAccountType", to_string(request.from_type));
    append_param(q, "toAccountType", to_string(request.to_type));
    append_param(q, "asset", request.asset);
    append_decimal(q, "amount", request.amount);
    co_return co_await transport_->parsed<std::string>(ep::transfer, q, text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::transfers(TransferQuery query) {
    query.from_account.clear();  // own wallets only
    query.to_account.clear();
    co_return co_await transport_->parsed<std::vector<TransferRecord>>(
        ep::transfers, transfer_query_params(query, "size"), with(&wire::JsonReader::transfers));
}

asio::awaitable<Result<TransferRecord>> PrivateRest::transfer_by_id(std::string transfer_id) {
    std::string q;
    append_param(q, "tranId", transfer_id);
    auto all = co_await transport_->parsed<std::vector<TransferRecord>>(
        ep::transfer_by_id, q, with(&wire::JsonReader::transfers));
    co_return only(std::move(all), /*is_command=*/false);
}

asio::awaitable<Result<std::vector<ConvertibleAsset>>> PrivateRest::convertible_assets() {
    co_return co_await transport_->parsed<std::vector<ConvertibleAsset>>(
        ep::convertible_assets, {}, with(&wire::JsonReader::convertible_assets));
}

asio::awaitable<Result<ConvertResult>> PrivateRest::convert(std::vector<std::string> assets) {
    if (assets.empty() || assets.size() > 15)
        co_return Error(Condition::rejected, Errc::invalid_argument);
    std::string q;
    append_param(q, "asset", joined(assets));
    co_return co_await transport_->parsed<ConvertResult>(ep::convert, q,
                                                         with(&wire::JsonReader::convert_result));
}

asio::awaitable<Result<std::vector<ConvertRecord>>> PrivateRest::convert_history(
    std::int64_t start_ms, std::int64_t end_ms, int page, int limit) {
    std::string q;
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "page", page);
    append_if(q, "limit", limit);
    co_return co_await transport_->parsed<std::vector<ConvertRecord>>(
        ep::convert_history, q, with(&wire::JsonReader::conversions));
}

asio::awaitable<Result<std::string>> PrivateRest::internal_transfer(
    InternalTransferRequest request) {
    std::string q;
    append_param(q, "toAccountType", request.to_account_type);
    append_param(q, "toAccount", request.to_account);
    append_if(q, "areaCode", request.area_code);
    append_param(q, "asset", request.asset);
    append_decimal(q, "amount", request.amount);
    co_return co_await transport_->parsed<std::string>(ep::internal_transfer, q,
                                                       text_field("tranId"));
}

asio::awaitable<Result<std::vector<TransferRecord>>> PrivateRest::internal_transfers(
    std::string transfer_id, std::int64_t start_ms, std::int64_t end_ms) {
    std::string q;
    append_if(q, "startTime", start_ms);
    append_if(q, "endTime", end_ms);
    append_if(q, "tranId", transfer_id);
    co_return co_await transport_->parsed<std::vector<TransferRecord>>(
        ep::internal_transfers, q, with(&wire::JsonReader::transfers));
}

}  // namespace mexc::rest
