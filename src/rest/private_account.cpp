// PrivateRest: account (SPEC §3.2): balances, KYC, UID, API symbols, fees, MX deduction.

#include "rest/private_calls.hpp"

namespace mexc::rest {
namespace asio = boost::asio;

asio::awaitable<Result<AccountInfo>> PrivateRest::account() {
    co_return co_await transport_->parsed<AccountInfo>(
        ep::account_info, {}, [](wire::JsonReader& j, std::string_view b) { return j.account(b); });
}

asio::awaitable<Result<int>> PrivateRest::kyc_status() {
    auto status =
        co_await transport_->parsed<std::string>(ep::kyc_status, {}, text_field("status"));
    if (!status) co_return status.error();
    if (status->size() != 1 || (*status)[0] < '1' || (*status)[0] > '4')
        co_return make_error(Condition::bad_data, Errc::unexpected_json_shape)
            .with_venue_message("status");
    co_return (*status)[0] - '0';
}

asio::awaitable<Result<std::string>> PrivateRest::uid() {
    co_return co_await transport_->parsed<std::string>(ep::uid, {}, text_field("uid"));
}

asio::awaitable<Result<std::vector<std::string>>> PrivateRest::self_symbols() {
    co_return co_await transport_->parsed<std::vector<std::string>>(
        ep::self_symbols, {}, with(&wire::JsonReader::symbol_list));
}

asio::awaitable<Result<TradeFee>> PrivateRest::trade_fee(std::string symbol) {
    std::string q;
    append_param(q, "symbol", symbol);
    co_return co_await transport_->parsed<TradeFee>(ep::trade_fee, q,
                                                    with(&wire::JsonReader::trade_fee));
}

asio::awaitable<Result<bool>> PrivateRest::mx_deduct() {
    co_return co_await transport_->parsed<bool>(ep::mx_deduct, {},
                                                with(&wire::JsonReader::mx_deduct));
}

asio::awaitable<Result<bool>> PrivateRest::set_mx_deduct(bool enabled) {
    std::string q;
    append_param(q, "mxDeductEnable", enabled ? "true" : "false");
    // Setting a flag to a value is idempotent: a read-like call, safe to retry.
    co_return co_await transport_->parsed<bool>(ep::set_mx_deduct, q,
                                                with(&wire::JsonReader::mx_deduct));
}

}  // namespace mexc::rest
