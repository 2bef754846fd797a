#pragma once
// Every REST endpoint the clients call, in one table (SPEC §3, §6.1): what the transport needs to
// meter, sign, time out and retry a call, so no decision depends on a path string. Weights are
// the defaults; RateLimits::weights overrides them by "METHOD /path" because MEXC changes them.
// Public endpoints are metered per IP; signed ones per UID, as the venue counts them per account.

#include "mexc/rest/rate_limiter.hpp"
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
namespace detail {
using M = net::HttpMethod;
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
constexpr auto orders = Family::orders;
constexpr auto account = Family::account;
constexpr auto stream = Family::user_data_stream;
}  // namespace detail
using namespace detail;

// ---- market data (SPEC §3.1) ----
inline constexpr Endpoint ping = market("/api/v3/ping");
inline constexpr Endpoint time = market("/api/v3/time");
inline constexpr Endpoint exchange_info = market("/api/v3/exchangeInfo", 10);
inline constexpr Endpoint depth = market("/api/v3/depth");
inline constexpr Endpoint trades = market("/api/v3/trades", 5);
inline constexpr Endpoint historical_trades = market("/api/v3/historicalTrades", 5);
inline constexpr Endpoint agg_trades = market("/api/v3/aggTrades");
inline constexpr Endpoint klines = market("/api/v3/klines");
inline constexpr Endpoint avg_price = market("/api/v3/avgPrice");
inline constexpr Endpoint ticker_24hr = market("/api/v3/ticker/24hr");
inline constexpr Endpoint ticker_price = market("/api/v3/ticker/price");
inline constexpr Endpoint book_ticker = market("/api/v3/ticker/bookTicker");
inline constexpr Endpoint default_symbols = market("/api/v3/defaultSymbols");
inline constexpr Endpoint offline_symbols = market("/api/v3/symbol/offline", 10);
inline constexpr Endpoint etf_info = market("/api/v3/etf/info");

// ---- trading (SPEC §3.2) ----
inline constexpr Endpoint new_order = command(M::post, "/api/v3/order", orders, 1, true);
inline constexpr Endpoint batch_orders = command(M::post, "/api/v3/batchOrders", orders, 1, true);
/// Validated, never executed: nothing to lose by sending it twice.
inline constexpr Endpoint test_order = read(M::post, "/api/v3/order/test", orders);
inline constexpr Endpoint cancel_order = command(M::del, "/api/v3/order", orders, 1, true);
inline constexpr Endpoint cancel_open_orders =
    command(M::del, "/api/v3/openOrders", orders, 1, true);
inline constexpr Endpoint query_order = read(M::get, "/api/v3/order", orders, 2);
inline constexpr Endpoint open_orders = read(M::get, "/api/v3/openOrders", orders, 3);
inline constexpr Endpoint all_orders = read(M::get, "/api/v3/allOrders", orders, 10);
inline constexpr Endpoint my_trades = read(M::get, "/api/v3/myTrades", orders, 10);

// ---- account (SPEC §3.2) ----
inline constexpr Endpoint account_info = read(M::get, "/api/v3/account", account, 10);
inline constexpr Endpoint kyc_status = read(M::get, "/api/v3/kyc/status", account);
inline constexpr Endpoint uid = read(M::get, "/api/v3/uid", account);
inline constexpr Endpoint self_symbols = read(M::get, "/api/v3/selfSymbols", account);
inline constexpr Endpoint trade_fee = read(M::get, "/api/v3/tradeFee", account, 20);
inline constexpr Endpoint mx_deduct = read(M::get, "/api/v3/mxDeduct/enable", account);
/// Sets the flag to a value: idempotent.
inline constexpr Endpoint set_mx_deduct = read(M::post, "/api/v3/mxDeduct/enable", account);

// ---- user data stream (SPEC §3.3): a lost listen key is harmless, it expires ----
inline constexpr Endpoint create_listen_key = read(M::post, "/api/v3/userDataStream", stream);
inline constexpr Endpoint listen_keys = read(M::get, "/api/v3/userDataStream", stream);
inline constexpr Endpoint keep_alive_listen_key = read(M::put, "/api/v3/userDataStream", stream);
inline constexpr Endpoint delete_listen_key = read(M::del, "/api/v3/userDataStream", stream);

// ---- self-trade prevention groups (SPEC §3.4) ----
inline constexpr Endpoint create_stp_group =
    command(M::post, "/api/v3/strategy/group", account, 20);
inline constexpr Endpoint stp_groups = read(M::get, "/api/v3/strategy/group", account, 20);
inline constexpr Endpoint delete_stp_group = command(M::del, "/api/v3/strategy/group", account, 20);
inline constexpr Endpoint add_stp_group_uids =
    command(M::post, "/api/v3/strategy/group/uid", account, 20);
inline constexpr Endpoint remove_stp_group_uids =
    command(M::del, "/api/v3/strategy/group/uid", account, 20);

// ---- sub-accounts (SPEC §3.5) ----
inline constexpr Endpoint create_sub_account =
    command(M::post, "/api/v3/sub-account/virtualSubAccount", account);
inline constexpr Endpoint sub_accounts = read(M::get, "/api/v3/sub-account/list", account);
inline constexpr Endpoint create_sub_account_api_key =
    command(M::post, "/api/v3/sub-account/apiKey", account);
inline constexpr Endpoint sub_account_api_keys =
    read(M::get, "/api/v3/sub-account/apiKey", account);
inline constexpr Endpoint delete_sub_account_api_key =
    command(M::del, "/api/v3/sub-account/apiKey", account);
inline constexpr Endpoint universal_transfer =
    command(M::post, "/api/v3/capital/sub-account/universalTransfer", account);
inline constexpr Endpoint universal_transfers =
    read(M::get, "/api/v3/capital/sub-account/universalTransfer", account);
inline constexpr Endpoint sub_account_assets = read(M::get, "/api/v3/sub-account/asset", account);

// ---- wallet (SPEC §3.6) ----
inline constexpr Endpoint coins = read(M::get, "/api/v3/capital/config/getall", account, 10);
inline constexpr Endpoint withdraw = command(M::post, "/api/v3/capital/withdraw", account);
inline constexpr Endpoint cancel_withdraw = command(M::del, "/api/v3/capital/withdraw", account);
inline constexpr Endpoint deposit_history = read(M::get, "/api/v3/capital/deposit/hisrec", account);
inline constexpr Endpoint withdraw_history =
    read(M::get, "/api/v3/capital/withdraw/history", account);
inline constexpr Endpoint create_deposit_address =
    command(M::post, "/api/v3/capital/deposit/address", account);
inline constexpr Endpoint deposit_addresses =
    read(M::get, "/api/v3/capital/deposit/address", account, 10);
inline constexpr Endpoint withdraw_addresses =
    read(M::get, "/api/v3/capital/withdraw/address", account, 10);
inline constexpr Endpoint transfer = command(M::post, "/api/v3/capital/transfer", account);
inline constexpr Endpoint transfers = read(M::get, "/api/v3/capital/transfer", account);
inline constexpr Endpoint transfer_by_id = read(M::get, "/api/v3/capital/transfer/tranId", account);
inline constexpr Endpoint convertible_assets =
    read(M::get, "/api/v3/capital/convert/list", account);
inline constexpr Endpoint convert = command(M::post, "/api/v3/capital/convert", account, 10);
inline constexpr Endpoint convert_history = read(M::get, "/api/v3/capital/convert", account);
inline constexpr Endpoint internal_transfer =
    command(M::post, "/api/v3/capital/transfer/internal", account);
inline constexpr Endpoint internal_transfers =
    read(M::get, "/api/v3/capital/transfer/internal", account);

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
