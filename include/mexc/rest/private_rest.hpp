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

/// Errors, common to every call: the setup error (see the constructor); auth/config_invalid
/// without credentials; network (connection failure, Errc::timeout, a 5xx or a firewall 403 once
/// the read retries are spent); rate_limited (429/418: retry_after(); the scope pauses, E04);
/// auth (MEXC's key, signature, permission and IP codes, SPEC §5.4); clock_skew (700003 again
/// after one resync); rejected (any other MEXC refusal, its code in venue_category(), or a
/// redirect, never followed); bad_data (an answer that does not parse); closed (after close()).
/// Calls marked "Command" are written once: a failure after their bytes left, a 5xx, MEXC's
/// system codes or an unreadable answer are outcome_unknown (FAULTS §1.2).
/// Cancellation (terminal, e.g. `||` with a timer): the request in flight is abandoned and its
/// connection closed, never reused; the coroutine throws boost::system::system_error
/// (operation_aborted) at its next suspension, or the call completes with the aborted exchange's
/// error: outcome_unknown for a command whose bytes were written, network for a read.
/// Lifetime: the client outlives every call (a call does not keep it alive); arguments are taken
/// by value. Not thread-safe: one executor.
class PrivateRest {
public:
    /// Never throws. A configuration that cannot make a client (validate() fails, a malformed
    /// URL, an unreadable CA file) is returned by every call with its own condition (rejected /
    /// config_invalid for a bad config); MexcExchange throws the same error at construction.
    /// Without credentials every signed call answers `auth` / config_invalid.
    /// `limiter`: shared with other clients of the same account and IP; a private one when null.
    PrivateRest(boost::asio::any_io_executor ex, const Config& config,
                std::shared_ptr<RateLimiter> limiter = nullptr);
    /// Over a transport shared with other clients of the same host: one connection pool and one
    /// server clock offset for all.
    explicit PrivateRest(std::shared_ptr<Transport> transport);
    ~PrivateRest();
    PrivateRest(const PrivateRest&) = delete;
    PrivateRest& operator=(const PrivateRest&) = delete;

    /// Estimates the server clock offset from `samples` GET /api/v3/time round trips (median of
    /// midpoint samples, SPEC §1.6). Done automatically (3 samples) before the first signed
    /// request and after a 700003. Errors: as a read; the first failed sample ends it.
    /// Cancellation: abandons the sample in flight. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> sync_clock(int samples = 5);
    /// Current offset estimate: server time minus local time (0 before any sample).
    std::chrono::milliseconds clock_offset() const noexcept;

    /// POST /api/v3/order. The client order id, when set, is echoed in the ack.
    /// Errors: rejected/invalid_argument before sending when the side or type is `unknown` or
    /// the client order id exceeds OrderId's capacity. No local rules check (MexcExchange does).
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<OrderAck>> new_order(OrderRequest order);
    /// POST /api/v3/batchOrders: at most 20 orders of one symbol; results in request order, each
    /// accepted or with its own error (an element MEXC did not answer is outcome_unknown, P18).
    /// The call fails as a whole only when nothing was answered per order. Errors:
    /// rejected/invalid_argument before sending for 0 or more than 20 orders, or one that
    /// new_order would refuse; outcome_unknown when the answer cannot be read.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<BatchOrderResult>>> batch_orders(
        std::vector<OrderRequest> orders);
    /// POST /api/v3/order/test: validated by MEXC, never executed (so a read, retried).
    /// Errors: rejected/invalid_argument as new_order; MEXC's refusal as rejected.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> test_order(OrderRequest order);
    /// DELETE /api/v3/order: cancels one order; the answer is the order as cancelled.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> cancel_order(std::string symbol,
                                                                         OrderRef ref);
    /// DELETE /api/v3/openOrders: cancels every open order of the symbol.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> cancel_open_orders(
        std::string symbol);
    /// GET /api/v3/order: one order by id or client id (how an outcome_unknown is reconciled).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<OrderInfo>> query_order(std::string symbol,
                                                                        OrderRef ref);
    /// GET /api/v3/openOrders (all symbols when `symbol` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> open_orders(
        std::string symbol);
    /// GET /api/v3/allOrders; times in ms, 0 = MEXC's default window; `limit` 0 = its default.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<OrderInfo>>> all_orders(
        std::string symbol, std::int64_t start_ms = 0, std::int64_t end_ms = 0, int limit = 0);
    /// GET /api/v3/account: permissions and every balance.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<AccountInfo>> account();
    /// GET /api/v3/myTrades (of one order when `order_id` is not empty; `limit` 0 = default,
    /// at most 100; trades with time in [start_ms, end_ms], each bound sent when not 0; the venue
    /// keeps one month). Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TradeInfo>>> my_trades(
        std::string symbol, OrderId order_id = {}, int limit = 0, std::int64_t start_ms = 0,
        std::int64_t end_ms = 0);
    /// POST / PUT / DELETE /api/v3/userDataStream: creates a listen key (valid 60 minutes,
    /// SPEC §3.3), extends one to 60 minutes from now, deletes one. Creating is a command (never
    /// sent twice: outcome_unknown when its answer is lost; list the keys to find it); the others
    /// are retried as reads.
    /// Errors: bad_data when the creation answer has no listenKey.
    /// Cancellation: a create whose bytes were written completes as outcome_unknown; the others
    /// abandon the request. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> create_listen_key();
    [[nodiscard]] boost::asio::awaitable<Result<void>> keep_alive_listen_key(
        std::string listen_key);
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_listen_key(std::string listen_key);

    /// GET /api/v3/userDataStream: every valid listen key of the account.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> listen_keys();

    // ---- account (SPEC §3.2) ----
    /// GET /api/v3/kyc/status: 1 unverified, 2 primary, 3 advanced, 4 institutional.
    /// Errors: bad_data for any other status.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<int>> kyc_status();
    /// GET /api/v3/uid: the account's UID.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> uid();
    /// GET /api/v3/selfSymbols: the symbols this API key may trade.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> self_symbols();
    /// GET /api/v3/tradeFee: the symbol's maker and taker rates.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<TradeFee>> trade_fee(std::string symbol);
    /// GET / POST /api/v3/mxDeduct/enable: whether fees are paid in MX; setting it answers the
    /// new state (idempotent, so a read).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<bool>> mx_deduct();
    [[nodiscard]] boost::asio::awaitable<Result<bool>> set_mx_deduct(bool enabled);

    // ---- self-trade prevention groups (SPEC §3.4; master account) ----
    /// POST /api/v3/strategy/group: creates a group. Errors: outcome_unknown when the answer
    /// holds no group.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<StpGroup>> create_stp_group(std::string name);
    /// GET /api/v3/strategy/group (all when `name` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<StpGroup>>> stp_groups(
        std::string name = {});
    /// DELETE /api/v3/strategy/group.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_stp_group(std::int64_t group_id);
    /// POST /api/v3/strategy/group/uid: the answer lists the UIDs just added.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<StpGroup>> add_stp_group_uids(
        std::int64_t group_id, std::vector<std::string> uids);
    /// DELETE /api/v3/strategy/group/uid.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> remove_stp_group_uids(
        std::int64_t group_id, std::vector<std::string> uids);

    // ---- sub-accounts (SPEC §3.5; master account) ----
    /// POST /api/v3/sub-account/virtualSubAccount (`name`: 8–32 letters and digits; MEXC
    /// checks). Errors: outcome_unknown when the answer holds no sub-account.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<SubAccount>> create_sub_account(std::string name,
                                                                                std::string note);
    /// GET /api/v3/sub-account/list, filtered by `query`.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<SubAccount>>> sub_accounts(
        SubAccountQuery query = {});
    /// POST /api/v3/sub-account/apiKey: the only answer that carries the new key's secret.
    /// Errors: outcome_unknown when the answer holds no key (it may exist without its secret).
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<SubAccountApiKey>> create_sub_account_api_key(
        SubAccountApiKeyRequest request);
    /// GET /api/v3/sub-account/apiKey (secrets are never returned).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<SubAccountApiKey>>>
    sub_account_api_keys(std::string sub_account);
    /// DELETE /api/v3/sub-account/apiKey.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> delete_sub_account_api_key(
        std::string sub_account, std::string api_key);
    /// POST /api/v3/capital/sub-account/universalTransfer → tranId. Moves funds.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> universal_transfer(
        UniversalTransferRequest request);
    /// GET /api/v3/capital/sub-account/universalTransfer: the history, filtered by `query`.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> universal_transfers(
        TransferQuery query);
    /// GET /api/v3/sub-account/asset: a sub-account's SPOT balances.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<AssetBalance>>> sub_account_assets(
        std::string sub_account);

    // ---- wallet (SPEC §3.6). Calls that move funds are commands: never resent, and a lost
    // answer is `outcome_unknown` (look the transfer or withdrawal up in its history). ----
    /// GET /api/v3/capital/config/getall: every coin and its networks.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<CoinInfo>>> coins();
    /// POST /api/v3/capital/withdraw → withdrawal id. Errors: rejected/invalid_argument before
    /// sending without `withdraw_order_id` (it is what finds a lost withdrawal in the history).
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> withdraw(WithdrawRequest request);
    /// DELETE /api/v3/capital/withdraw: cancels a pending withdrawal.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<void>> cancel_withdraw(std::string id);
    /// GET /api/v3/capital/deposit/hisrec, filtered by `query`.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<DepositRecord>>> deposit_history(
        WalletHistoryQuery query = {});
    /// GET /api/v3/capital/withdraw/history, filtered by `query`.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WithdrawRecord>>> withdraw_history(
        WalletHistoryQuery query = {});
    /// POST /api/v3/capital/deposit/address: a new deposit address. Errors: outcome_unknown
    /// when the answer holds no address.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<WalletAddress>> create_deposit_address(
        std::string coin, std::string network);
    /// GET /api/v3/capital/deposit/address (every network when `network` is empty).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WalletAddress>>> deposit_addresses(
        std::string coin, std::string network = {});
    /// GET /api/v3/capital/withdraw/address: the withdrawal address book (0 = MEXC's default).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<WalletAddress>>> withdraw_addresses(
        std::string coin = {}, int page = 0, int limit = 0);
    /// POST /api/v3/capital/transfer (own SPOT ↔ FUTURES) → tranId. Moves funds.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> transfer(TransferRequest request);
    /// GET /api/v3/capital/transfer (`limit` is MEXC's `size`).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> transfers(
        TransferQuery query);
    /// GET /api/v3/capital/transfer/tranId: one transfer. Errors: bad_data when the answer
    /// holds none.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<TransferRecord>> transfer_by_id(
        std::string transfer_id);
    /// GET /api/v3/capital/convert/list: small balances convertible to MX.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<ConvertibleAsset>>>
    convertible_assets();
    /// POST /api/v3/capital/convert: converts small balances to MX. Errors:
    /// rejected/invalid_argument before sending for 0 or more than 15 assets.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<ConvertResult>> convert(
        std::vector<std::string> assets);
    /// GET /api/v3/capital/convert; times in ms, 0 = MEXC's default.
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<ConvertRecord>>> convert_history(
        std::int64_t start_ms = 0, std::int64_t end_ms = 0, int page = 0, int limit = 0);
    /// POST /api/v3/capital/transfer/internal → tranId: to another MEXC user. Moves funds.
    /// Command. Cancellation: outcome_unknown once written. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::string>> internal_transfer(
        InternalTransferRequest request);
    /// GET /api/v3/capital/transfer/internal (one transfer when `transfer_id` is set).
    /// Cancellation: abandons the read. Lifetime: the client.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<TransferRecord>>> internal_transfers(
        std::string transfer_id = {}, std::int64_t start_ms = 0, std::int64_t end_ms = 0);

    /// Replaces the clock that stamps requests (no server-time sync then): for known-answer tests
    /// of the exact signed bytes (S09) and for replaying recorded sessions.
    void set_fixed_clock(std::function<std::int64_t()> now_ms);

    /// Closes kept-alive connections (of every client sharing the transport); later calls fail
    /// with `closed`, requests in flight run to their end.
    void close();

private:
    std::shared_ptr<Transport> transport_;
};

}  // namespace mexc::rest
