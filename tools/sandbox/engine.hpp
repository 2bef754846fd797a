#pragma once
// The sandbox's matching engine and accounts (sans-io): per symbol a price-time priority book of
// individual orders, shared with the synthetic market (its liquidity rests in the same queues,
// so public depth always equals synthetic + user quantity per level); balances with free and
// locked; fees; client order ids; order and trade history. Every state change is reported as an
// event, in the order MEXC pushes them, for the private WebSocket streams (SPEC §8.15–§8.17).
// Errors carry MEXC's code, message and HTTP status verbatim (SPEC §5.3).

#include "market.hpp"
#include "vocabulary.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mexc::sandbox {

/// All account balances are kept in units of 10^-8 of the asset.
inline constexpr std::uint8_t asset_scale = 8;

struct EngineError {
    int http_status = 400;
    int code = 0;  // MEXC code, e.g. 30004
    std::string msg;
};

struct OrderRequest {
    std::string symbol;
    Side side = Side::buy;
    OrderType type = OrderType::limit;
    std::int64_t price = 0;            // units at the symbol's price scale; 0 when absent
    std::int64_t quantity = 0;         // units at the symbol's quantity scale; 0 when absent
    std::int64_t quote_order_qty = 0;  // units at asset_scale; MARKET buy by quote amount
    std::string client_order_id;       // "" → the engine makes none (MEXC returns null)
    StpMode stp_mode = StpMode::none;  // SPEC §3.2; none: no self-trade check
};

struct Order {
    std::string order_id;  // "C02__<digits>"
    std::string client_order_id;
    std::uint64_t account = 0;
    std::string symbol;
    Side side = Side::buy;
    OrderType type = OrderType::limit;
    std::int64_t price = 0;                  // price scale
    std::int64_t orig_qty = 0;               // quantity scale
    std::int64_t orig_quote_order_qty = 0;   // asset_scale
    std::int64_t executed_qty = 0;           // quantity scale
    std::int64_t cummulative_quote_qty = 0;  // asset_scale (MEXC's spelling)
    OrderStatus status = OrderStatus::new_order;
    std::int64_t time = 0;  // ms
    std::int64_t update_time = 0;
    StpMode stp_mode = StpMode::none;
    std::string cancel_reason;  // "stp_cancel" when self-trade prevention ended it
};

struct Fill {
    std::string trade_id;  // "<n>X1"
    std::string order_id;
    std::string client_order_id;
    std::uint64_t account = 0;
    std::string symbol;
    Side side = Side::buy;
    std::int64_t price = 0;       // price scale
    std::int64_t quantity = 0;    // quantity scale
    std::int64_t quote_qty = 0;   // asset_scale
    std::int64_t commission = 0;  // asset_scale
    std::string commission_asset;
    bool is_maker = false;
    bool is_self_trade = false;
    std::int64_t time = 0;
};

struct Balance {
    std::int64_t free = 0;  // asset_scale
    std::int64_t locked = 0;
};

struct BalanceChange {
    std::uint64_t account = 0;
    std::string asset;
    Balance after;
    std::int64_t free_change = 0;
    std::int64_t locked_change = 0;
    std::string type;  // SPEC §4.6: ENTRUST_PLACE, ENTRUST, TRADE_FEE, ENTRUST_CANCEL, ...
    std::int64_t time = 0;
};

/// What happened, in MEXC's push order; the private streams encode these.
using EngineEvent = std::variant<Order /*order update*/, Fill /*own trade*/, BalanceChange>;

struct AccountSpec {
    std::uint64_t id = 0;
    std::map<std::string, std::int64_t> deposits;  // asset → free units at asset_scale
    std::int64_t maker_commission = 0;             // fee rate in units of 10^-8 (0.0005 = 50000)
    std::int64_t taker_commission = 50000;
};

/// Choices where MEXC's behaviour is not documented (SPEC §3.2, §4.2, §5.3):
/// - LIMIT_MAKER that would take is rejected (30010 "No valid trade price"), nothing is placed.
/// - A duplicate newClientOrderId among the account's open orders is 33333 "Duplicate
/// clientOrderId".
/// - Missing price/quantity is 44444; negative values 33333; MARKET with both quantity and
///   quoteOrderQty, SELL by quoteOrderQty, or quoteOrderQty on a limit-priced type is -1128.
/// - Notional limits from exchangeInfo: at least 1 quote unit (30002); at most 2 000 000
///   (maxQuoteAmount) for limit-priced types and 100 000 (maxQuoteAmountMarket) for MARKET (30003).
///   A MARKET order by quantity is valued against the book as it stands.
/// - At most 500 open orders per account over all symbols (30029).
/// - MARKET with an empty opposite side is 30025; otherwise it fills what exists and the rest is
///   cancelled (PARTIALLY_CANCELED). A MARKET buy by quantity locks exactly what sweeping the book
///   costs at placement; by quoteOrderQty it locks that amount; the unspent rest is returned
///   (ENTRUST_UNFROZEN when FILLED, ENTRUST_CANCEL otherwise).
/// - IOC/FOK are limit-priced; a FOK that cannot fill completely is accepted and CANCELED.
/// - Fees are charged in the asset received (buyer in base, seller in quote), rounded down to
///   asset_scale. Fill quote amounts round down, lock amounts up; a limit buy's price improvement
///   is released with each fill.
/// - Events: a placement emits BalanceChange ENTRUST_PLACE → Order NEW, then per fill (taker first,
///   then the user maker) Fill → Order → BalanceChange ENTRUST (locked asset) → ENTRUST (received
///   asset) → TRADE_FEE (if non-zero); an order ending without resting (cancel, IOC/FOK/MARKET
///   rest) emits Order (final) → BalanceChange ENTRUST_CANCEL / ENTRUST_UNFROZEN.
class Engine {
public:
    /// The engine takes over the market's books: synthetic participants become orders of account 0,
    /// and Market::step settles user orders filled by synthetic takers through this engine.
    /// Lifetime: `market` must outlive every use of the engine (destroying either first is safe).
    /// Errors: throws std::invalid_argument if a symbol's quantity scale exceeds asset_scale.
    explicit Engine(Market& market);

    /// Adds (or re-specifies) an account and credits its deposits. Account 0 is the market's.
    void add_account(const AccountSpec& spec);
    bool has_account(std::uint64_t account) const noexcept;
    /// Moves free funds in or out of an account outside trading (deposits, withdrawals,
    /// transfers; `type` as SPEC §4.6), with a BalanceChange event. A debit beyond the free
    /// balance is 10101 "Insufficient balance" and changes nothing; an unknown account 10001.
    std::optional<EngineError> adjust_free(std::uint64_t account, const std::string& asset,
                                           std::int64_t amount, const char* type,
                                           std::int64_t now_ms);
    void on_event(std::function<void(const EngineEvent&)> sink);
    /// Self-trade prevention (SPEC §3.2 stpMode, §3.4): whether two accounts share an STP group.
    /// An order with a non-empty stpMode meeting such a maker cancels the maker (cancel_maker), the
    /// rest of itself (cancel_taker) or both, with cancelReason "stp_cancel"; they never trade.
    void set_stp_peers(std::function<bool(std::uint64_t taker, std::uint64_t maker)> peers);

    /// Every check `place` makes, without placing anything (for POST /api/v3/order/test).
    std::optional<EngineError> check(std::uint64_t account, const OrderRequest& request) const;
    /// Validates, locks funds, matches, rests the remainder (by type). Errors are MEXC's.
    std::variant<Order, EngineError> place(std::uint64_t account, const OrderRequest& request,
                                           std::int64_t now_ms);
    /// By exchange id or client id (one of them non-empty). Final or unknown → -2011.
    std::variant<Order, EngineError> cancel(std::uint64_t account, const std::string& symbol,
                                            const std::string& order_id,
                                            const std::string& client_order_id,
                                            std::int64_t now_ms);
    std::vector<Order> cancel_all(std::uint64_t account, const std::string& symbol,
                                  std::int64_t now_ms);
    /// Not found → -2013.
    std::variant<Order, EngineError> query(std::uint64_t account, const std::string& symbol,
                                           const std::string& order_id,
                                           const std::string& client_order_id) const;
    std::vector<Order> open_orders(std::uint64_t account,
                                   const std::string& symbol /* "" = all */) const;
    /// Orders with time in [start, end], newest last, at most `limit`.
    std::vector<Order> all_orders(std::uint64_t account, const std::string& symbol,
                                  std::int64_t start_ms, std::int64_t end_ms,
                                  std::size_t limit) const;
    std::vector<Fill> my_trades(std::uint64_t account, const std::string& symbol,
                                const std::string& order_id, std::int64_t start_ms,
                                std::int64_t end_ms, std::size_t limit) const;
    std::map<std::string, Balance> balances(std::uint64_t account) const;

    /// One synthetic-market step (replaces Market::step when an engine is attached): synthetic
    /// requotes, cancels and takers act on the order queues, so resting user orders get filled.
    void step(std::int64_t now_ms);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::sandbox
