#pragma once
// Signed REST client for trading and account endpoints (SPEC §3.2–§3.6), named after them.
// Every request is signed with a fresh timestamp (S09); 700003 resyncs the clock and retries once,
// re-signed (E02); reads are retried on transport failures and 5xx within their family's budget
// (Config::rest); commands never are: a command that fails after it was written, or whose answer
// cannot be read, is `outcome_unknown` (FAULTS §1.2).

#include "mexc/account.hpp"
#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/rate_limiter.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mexc::rest {

/// An order by exchange id or by client id (one of them non-empty).
struct OrderRef {
    OrderId order_id;
    OrderId client_order_id;
    static OrderRef by_id(OrderId id) { return {id, {}}; }
    static OrderRef by_client_id(OrderId id) { return {{}, id}; }
};

/// The HTTP connection pool, rate limiter and server clock of one host (internal).
class Transport;

class PrivateRest {
public:
    /// Never throws. A configuration that cannot make a client (validate() fails, a malformed
    /// URL, an unreadable CA file) is returned by every call with its own condition (rejected /
    /// config_invalid for a bad config); MexcExchange throws the same error at construction.
    /// Without credentials every call answers `auth` / config_invalid.
    /// `limiter`: shared with other clients of the same account and IP; a private one when null.
    PrivateRest(boost::asio::any_io_executor ex, const Config& config,
                std::shared_ptr<RateLimiter> limiter = nullptr);
    /// Over a transport shared with other clients of the same host: one connection pool and one
    /// server clock offset for all.
    explicit PrivateRest(std::shared_ptr<Transport> transport);
    ~PrivateRest();
    PrivateRest(const PrivateRest&) = delete;
    PrivateRest& operator=(const PrivateRest&) = delete;

    /// Estimates the server clock offset from several GET /api/v3/time round trips (median of
    /// midpoint samples, SPEC §1.6). Called automatically before the first signed request.
    [[nodiscard]] boost::asio::awaitable<Result<void>> sync_clock(int samples = 5);
    /// Current offset estimate: server time minus local time.
    std::chrono::milliseconds clock_offset() const noexcept;

    /// POST /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderAck>> new_order(OrderRequest order);
    /// POST /api/v3/batchOrders: at most 20 orders of one symbol; results in request order. The
    /// call fails as a whole only when nothing was answered per order.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<BatchOrderResult>>> batch_orders(
        std::vector<OrderRequest> orders);
    /// POST /api/v3/order/test: validated by MEXC, never executed.
    [[nodiscard]] boost::asio::awaitable<Result<void>> test_order(OrderRequest order);
    /// DELETE /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> cancel_order(std::string symbol,
                                                                         OrderRef ref);
    /// DELETE /api/v3/openOrders
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> cancel_open_orders(
        std::string symbol);
    /// GET /api/v3/order
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> query_order(std::string symbol,
                                                                        OrderRef ref);
    /// GET /api/v3/openOrders (all symbols when `symbol` is empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> open_orders(
        std::string symbol);
    /// GET /api/v3/allOrders; times in ms, 0 = MEXC's default window
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> all_orders(
        std::string symbol, std::int64_t start_ms = 0, std::int64_t end_ms = 0, int limit = 0);
    /// GET /api/v3/account
    [[nodiscard]] boost::asio::awaitable<Result<AccountInfo>> account();
    /// GET /api/v3/myTrades (of one order when `order_id` is not empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TradeInfo>>> my_trades(
        std::string symbol, OrderId order_id = {}, int limit = 0);
    /// POST / PUT / DELETE /api/v3/userDataStream
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> create_listen_key();
    [[nodiscard]] boost::asio::awaitable<Result<void>> keep_alive_listen_key(
        std::string listen_key);
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_listen_key(std::string listen_key);

    /// GET /api/v3/userDataStream: every valid listen key of the account
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> listen_keys();

    // ---- account (SPEC §3.2) ----
    /// GET /api/v3/kyc/status: 1 unverified, 2 primary, 3 advanced, 4 institutional
    [[nodiscard]] boost::asio::awaitable<Result<int>> kyc_status();
    /// GET /api/v3/uid
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> uid();
    /// GET /api/v3/selfSymbols: the symbols this API key may trade
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> self_symbols();
    /// GET /api/v3/tradeFee
    [[nodiscard]] boost::asio::awaitable<Result<TradeFee>> trade_fee(std::string symbol);
    /// GET / POST /api/v3/mxDeduct/enable: paying fees in MX
    [[nodiscard]] boost::asio::awaitable<Result<bool>> mx_deduct();
    [[nodiscard]] boost::asio::awaitable<Result<bool>> set_mx_deduct(bool enabled);

    // ---- self-trade prevention groups (SPEC §3.4; master account) ----
    /// POST /api/v3/strategy/group
    [[nodiscard]] boost::asio::awaitable<Result<StpGroup>> create_stp_group(std::string name);
    /// GET /api/v3/strategy/group (all when `name` is empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<StpGroup>>> stp_groups(
        std::string name = {});
    /// DELETE /api/v3/strategy/group
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_stp_group(std::int64_t group_id);
    /// POST /api/v3/strategy/group/uid: the answer lists the UIDs just added
    [[nodiscard]] boost::asio::awaitable<Result<StpGroup>> add_stp_group_uids(
        std::int64_t group_id, std::vector<std::string> uids);
    /// DELETE /api/v3/strategy/group/uid
    [[nodiscard]] boost::asio::awaitable<Result<void>> remove_stp_group_uids(
        std::int64_t group_id, std::vector<std::string> uids);

    // ---- sub-accounts (SPEC §3.5; master account) ----
    /// POST /api/v3/sub-account/virtualSubAccount (`name`: 8–32 letters and digits)
    [[nodiscard]] boost::asio::awaitable<Result<SubAccount>> create_sub_account(std::string name,
                                                                                std::string note);
    /// GET /api/v3/sub-account/list
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<SubAccount>>> sub_accounts(
        SubAccountQuery query = {});
    /// POST /api/v3/sub-account/apiKey: the only answer that carries the new key's secret
    [[nodiscard]] boost::asio::awaitable<Result<SubAccountApiKey>> create_sub_account_api_key(
        SubAccountApiKeyRequest request);
    /// GET /api/v3/sub-account/apiKey (secrets are never returned)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<SubAccountApiKey>>>
    sub_account_api_keys(std::string sub_account);
    /// DELETE /api/v3/sub-account/apiKey
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_sub_account_api_key(
        std::string sub_account, std::string api_key);
    /// POST /api/v3/capital/sub-account/universalTransfer → tranId
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> universal_transfer(
        UniversalTransferRequest request);
    /// GET /api/v3/capital/sub-account/universalTransfer
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> universal_transfers(
        TransferQuery query);
    /// GET /api/v3/sub-account/asset (SPOT)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> sub_account_assets(
        std::string sub_account);

    // ---- wallet (SPEC §3.6). Calls that move funds are commands: never resent, and a lost
    // answer is `outcome_unknown` (look the transfer or withdrawal up in its history). ----
    /// GET /api/v3/capital/config/getall
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<CoinInfo>>> coins();
    /// POST /api/v3/capital/withdraw → withdrawal id
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> withdraw(WithdrawRequest request);
    /// DELETE /api/v3/capital/withdraw
    [[nodiscard]] boost::asio::awaitable<Result<void>> cancel_withdraw(std::string id);
    /// GET /api/v3/capital/deposit/hisrec
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<DepositRecord>>> deposit_history(
        WalletHistoryQuery query = {});
    /// GET /api/v3/capital/withdraw/history
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WithdrawRecord>>> withdraw_history(
        WalletHistoryQuery query = {});
    /// POST /api/v3/capital/deposit/address
    [[nodiscard]] boost::asio::awaitable<Result<WalletAddress>> create_deposit_address(
        std::string coin, std::string network);
    /// GET /api/v3/capital/deposit/address (every network when `network` is empty)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WalletAddress>>> deposit_addresses(
        std::string coin, std::string network = {});
    /// GET /api/v3/capital/withdraw/address: the withdrawal address book
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WalletAddress>>> withdraw_addresses(
        std::string coin = {}, int page = 0, int limit = 0);
    /// POST /api/v3/capital/transfer (own SPOT ↔ FUTURES) → tranId
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> transfer(TransferRequest request);
    /// GET /api/v3/capital/transfer (`limit` is MEXC's `size`)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> transfers(
        TransferQuery query);
    /// GET /api/v3/capital/transfer/tranId
    [[nodiscard]] boost::asio::awaitable<Result<TransferRecord>> transfer_by_id(
        std::string transfer_id);
    /// GET /api/v3/capital/convert/list
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<ConvertibleAsset>>>
    convertible_assets();
    /// POST /api/v3/capital/convert (at most 15 assets)
    [[nodiscard]] boost::asio::awaitable<Result<ConvertResult>> convert(
        std::vector<std::string> assets);
    /// GET /api/v3/capital/convert; times in ms, 0 = MEXC's default
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<ConvertRecord>>> convert_history(
        std::int64_t start_ms = 0, std::int64_t end_ms = 0, int page = 0, int limit = 0);
    /// POST /api/v3/capital/transfer/internal → tranId
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> internal_transfer(
        InternalTransferRequest request);
    /// GET /api/v3/capital/transfer/internal (one transfer when `transfer_id` is set)
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> internal_transfers(
        std::string transfer_id = {}, std::int64_t start_ms = 0, std::int64_t end_ms = 0);

    /// Replaces the clock that stamps requests (no server-time sync then): for known-answer tests
    /// of the exact signed bytes (S09) and for replaying recorded sessions.
    void set_fixed_clock(std::function<std::int64_t()> now_ms);

    /// Closes kept-alive connections (of every client sharing the transport).
    void close();

private:
    std::shared_ptr<Transport> transport_;
};

}  // namespace mexc::rest
