#pragma once
// Every REST endpoint the clients call, in one table (SPEC §3, §6.1): what the transport needs to
// meter, sign, time out and retry a call, so no decision depends on a path string. Weights are
// the defaults; RateLimits::weights overrides them by "METHOD /path" because MEXC changes them.
// Public endpoints are metered per IP; signed ones per UID, as the venue counts them per account.

#include "mexc/rest/rate_limits.hpp"
#include "net/http_client.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace mexc::rest {

/// Endpoint families: each has its own timeout and read-retry budget (Config::rest).
enum class Family : std::uint8_t { market_data, account, orders, user_data_stream };

struct Endpoint {
    net::HttpMethod method;
    std::string_view path;
    int weight;
    RateScope scope;
    /// Counts against the per-second order rate shared by order and cancel calls (SPEC §6.1).
    bool order_bucket;
    /// Changes state: never resent, and a lost or unreadable answer is outcome_unknown (P15).
    bool command;
    bool is_signed;
    Family family;
};

namespace endpoints {
using M = net::HttpMethod;
namespace detail {
constexpr Endpoint market(std::string_view path, int weight = 1) {
    return {M::get, path, weight, RateScope::ip, false, false, false, Family::market_data};
}
/// A signed call that reads, or sets something to a value (safe to send twice).
constexpr Endpoint read(M method, std::string_view path, Family family, int weight = 1) {
    return {method, path, weight, RateScope::uid, false, false, true, family};
}
constexpr Endpoint command(M method, std::string_view path, Family family, int weight = 1,
                           bool order_bucket = false) {
    return {method, path, weight, RateScope::uid, order_bucket, true, true, family};
}
}  // namespace detail

// ---- market data (SPEC §3.1) ----
inline constexpr Endpoint ping = detail::market("/api/v3/ping");
inline constexpr Endpoint time = detail::market("/api/v3/time");
inline constexpr Endpoint exchange_info = detail::market("/api/v3/exchangeInfo", 10);
inline constexpr Endpoint depth = detail::market("/api/v3/depth", 3);  // DOC-2026 (DOC-2025: 1)
inline constexpr Endpoint trades = detail::market("/api/v3/trades", 5);
inline constexpr Endpoint historical_trades = detail::market("/api/v3/historicalTrades", 5);
inline constexpr Endpoint agg_trades = detail::market("/api/v3/aggTrades");
inline constexpr Endpoint klines = detail::market("/api/v3/klines");
inline constexpr Endpoint avg_price = detail::market("/api/v3/avgPrice");
inline constexpr Endpoint ticker_24hr = detail::market("/api/v3/ticker/24hr");
inline constexpr Endpoint ticker_price = detail::market("/api/v3/ticker/price");
inline constexpr Endpoint book_ticker = detail::market("/api/v3/ticker/bookTicker");
inline constexpr Endpoint default_symbols = detail::market("/api/v3/defaultSymbols");
inline constexpr Endpoint offline_symbols = detail::market("/api/v3/symbol/offline", 10);
inline constexpr Endpoint etf_info = detail::market("/api/v3/etf/info");

// ---- trading (SPEC §3.2) ----
inline constexpr Endpoint new_order =
    detail::command(M::post, "/api/v3/order", Family::orders, 1, true);
inline constexpr Endpoint batch_orders =
    detail::command(M::post, "/api/v3/batchOrders", Family::orders, 1, true);
/// Validated, never executed: nothing to lose by sending it twice.
inline constexpr Endpoint test_order = detail::read(M::post, "/api/v3/order/test", Family::orders);
inline constexpr Endpoint cancel_order =
    detail::command(M::del, "/api/v3/order", Family::orders, 1, true);
inline constexpr Endpoint cancel_open_orders =
    detail::command(M::del, "/api/v3/openOrders", Family::orders, 1, true);
inline constexpr Endpoint query_order = detail::read(M::get, "/api/v3/order", Family::orders, 2);
inline constexpr Endpoint open_orders =
    detail::read(M::get, "/api/v3/openOrders", Family::orders, 3);
inline constexpr Endpoint all_orders =
    detail::read(M::get, "/api/v3/allOrders", Family::orders, 10);
inline constexpr Endpoint my_trades = detail::read(M::get, "/api/v3/myTrades", Family::orders, 10);

// ---- account (SPEC §3.2) ----
inline constexpr Endpoint account_info =
    detail::read(M::get, "/api/v3/account", Family::account, 10);
inline constexpr Endpoint kyc_status = detail::read(M::get, "/api/v3/kyc/status", Family::account);
inline constexpr Endpoint uid = detail::read(M::get, "/api/v3/uid", Family::account);
inline constexpr Endpoint self_symbols =
    detail::read(M::get, "/api/v3/selfSymbols", Family::account);
inline constexpr Endpoint trade_fee = detail::read(M::get, "/api/v3/tradeFee", Family::account, 20);
inline constexpr Endpoint mx_deduct =
    detail::read(M::get, "/api/v3/mxDeduct/enable", Family::account);
/// Sets the flag to a value: idempotent.
inline constexpr Endpoint set_mx_deduct =
    detail::read(M::post, "/api/v3/mxDeduct/enable", Family::account);

// ---- user data stream (SPEC §3.3) ----
// Creating a key is a command: sent twice it makes two keys toward the 60-key cap (E15); a create
// whose outcome is unknown is resolved by listing the keys. The others are safe to repeat.
inline constexpr Endpoint create_listen_key =
    detail::command(M::post, "/api/v3/userDataStream", Family::user_data_stream);
inline constexpr Endpoint listen_keys =
    detail::read(M::get, "/api/v3/userDataStream", Family::user_data_stream);
inline constexpr Endpoint keep_alive_listen_key =
    detail::read(M::put, "/api/v3/userDataStream", Family::user_data_stream);
inline constexpr Endpoint delete_listen_key =
    detail::read(M::del, "/api/v3/userDataStream", Family::user_data_stream);

// ---- self-trade prevention groups (SPEC §3.4) ----
inline constexpr Endpoint create_stp_group =
    detail::command(M::post, "/api/v3/strategy/group", Family::account, 20);
inline constexpr Endpoint stp_groups =
    detail::read(M::get, "/api/v3/strategy/group", Family::account, 20);
inline constexpr Endpoint delete_stp_group =
    detail::command(M::del, "/api/v3/strategy/group", Family::account, 20);
inline constexpr Endpoint add_stp_group_uids =
    detail::command(M::post, "/api/v3/strategy/group/uid", Family::account, 20);
inline constexpr Endpoint remove_stp_group_uids =
    detail::command(M::del, "/api/v3/strategy/group/uid", Family::account, 20);

// ---- sub-accounts (SPEC §3.5) ----
inline constexpr Endpoint create_sub_account =
    detail::command(M::post, "/api/v3/sub-account/virtualSubAccount", Family::account);
inline constexpr Endpoint sub_accounts =
    detail::read(M::get, "/api/v3/sub-account/list", Family::account);
inline constexpr Endpoint create_sub_account_api_key =
    detail::command(M::post, "/api/v3/sub-account/apiKey", Family::account);
inline constexpr Endpoint sub_account_api_keys =
    detail::read(M::get, "/api/v3/sub-account/apiKey", Family::account);
inline constexpr Endpoint delete_sub_account_api_key =
    detail::command(M::del, "/api/v3/sub-account/apiKey", Family::account);
inline constexpr Endpoint universal_transfer =
    detail::command(M::post, "/api/v3/capital/sub-account/universalTransfer", Family::account);
inline constexpr Endpoint universal_transfers =
    detail::read(M::get, "/api/v3/capital/sub-account/universalTransfer", Family::account);
inline constexpr Endpoint sub_account_assets =
    detail::read(M::get, "/api/v3/sub-account/asset", Family::account);

// ---- wallet (SPEC §3.6) ----
inline constexpr Endpoint coins =
    detail::read(M::get, "/api/v3/capital/config/getall", Family::account, 10);
inline constexpr Endpoint withdraw =
    detail::command(M::post, "/api/v3/capital/withdraw", Family::account);
inline constexpr Endpoint cancel_withdraw =
    detail::command(M::del, "/api/v3/capital/withdraw", Family::account);
inline constexpr Endpoint deposit_history =
    detail::read(M::get, "/api/v3/capital/deposit/hisrec", Family::account);
inline constexpr Endpoint withdraw_history =
    detail::read(M::get, "/api/v3/capital/withdraw/history", Family::account);
inline constexpr Endpoint create_deposit_address =
    detail::command(M::post, "/api/v3/capital/deposit/address", Family::account);
inline constexpr Endpoint deposit_addresses =
    detail::read(M::get, "/api/v3/capital/deposit/address", Family::account, 10);
inline constexpr Endpoint withdraw_addresses =
    detail::read(M::get, "/api/v3/capital/withdraw/address", Family::account, 10);
inline constexpr Endpoint transfer =
    detail::command(M::post, "/api/v3/capital/transfer", Family::account);
inline constexpr Endpoint transfers =
    detail::read(M::get, "/api/v3/capital/transfer", Family::account);
inline constexpr Endpoint transfer_by_id =
    detail::read(M::get, "/api/v3/capital/transfer/tranId", Family::account);
inline constexpr Endpoint convertible_assets =
    detail::read(M::get, "/api/v3/capital/convert/list", Family::account);
inline constexpr Endpoint convert =
    detail::command(M::post, "/api/v3/capital/convert", Family::account, 10);
inline constexpr Endpoint convert_history =
    detail::read(M::get, "/api/v3/capital/convert", Family::account);
inline constexpr Endpoint internal_transfer =
    detail::command(M::post, "/api/v3/capital/transfer/internal", Family::account);
inline constexpr Endpoint internal_transfers =
    detail::read(M::get, "/api/v3/capital/transfer/internal", Family::account);

/// The whole table, for lookups by path (RateLimiter::weight_of) and for checking it.
inline constexpr std::array all{
    &ping,
    &time,
    &exchange_info,
    &depth,
    &trades,
    &historical_trades,
    &agg_trades,
    &klines,
    &avg_price,
    &ticker_24hr,
    &ticker_price,
    &book_ticker,
    &default_symbols,
    &offline_symbols,
    &etf_info,
    &new_order,
    &batch_orders,
    &test_order,
    &cancel_order,
    &cancel_open_orders,
    &query_order,
    &open_orders,
    &all_orders,
    &my_trades,
    &account_info,
    &kyc_status,
    &uid,
    &self_symbols,
    &trade_fee,
    &mx_deduct,
    &set_mx_deduct,
    &create_listen_key,
    &listen_keys,
    &keep_alive_listen_key,
    &delete_listen_key,
    &create_stp_group,
    &stp_groups,
    &delete_stp_group,
    &add_stp_group_uids,
    &remove_stp_group_uids,
    &create_sub_account,
    &sub_accounts,
    &create_sub_account_api_key,
    &sub_account_api_keys,
    &delete_sub_account_api_key,
    &universal_transfer,
    &universal_transfers,
    &sub_account_assets,
    &coins,
    &withdraw,
    &cancel_withdraw,
    &deposit_history,
    &withdraw_history,
    &create_deposit_address,
    &deposit_addresses,
    &withdraw_addresses,
    &transfer,
    &transfers,
    &transfer_by_id,
    &convertible_assets,
    &convert,
    &convert_history,
    &internal_transfer,
    &internal_transfers,
};

}  // namespace endpoints

/// "GET", "POST", ...
constexpr std::string_view method_name(net::HttpMethod m) {
    switch (m) {
        case net::HttpMethod::get:
            return "GET";
        case net::HttpMethod::post:
            return "POST";
        case net::HttpMethod::put:
            return "PUT";
        case net::HttpMethod::del:
            return "DELETE";
    }
    return "GET";
}

}  // namespace mexc::rest
