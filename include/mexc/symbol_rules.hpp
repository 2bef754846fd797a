#pragma once
// A symbol's trading rules from exchangeInfo, with MEXC's field meanings (SPEC §3.1): price
// decimals = quotePrecision, quantity decimals = baseAssetPrecision, minimum notional =
// quoteAmountPrecision, maximum = maxQuoteAmount; tradable when status is online ("1", formerly
// "ENABLED") and tradeSideType permits the side. Orders are checked here before anything is sent,
// so a violation is `rejected` locally (FAULTS §1.2 NotSent). Sans-io.

#include "mexc/decimal.hpp"
#include "mexc/error.hpp"
#include "mexc/market.hpp"
#include "mexc/order.hpp"
#include "mexc/types.hpp"

#include <optional>
#include <string>

namespace mexc {

/// How round_price() and round_quantity() reach the symbol's scale.
enum class Rounding : std::uint8_t { down, up, nearest };

/// What the local check refuses beyond the hard rules. A wrong local refusal blocks a user
/// completely, a wrong acceptance costs one rejected request (10007), so doubtful signals are
/// reported, not enforced, by default: MEXC has answered `isSpotTradingAllowed: false` for
/// BTCUSDT, its main pair (SPEC §11.6), while the key's selfSymbols/defaultSymbols allow it.
struct RulesPolicy {
    bool refuse_when_spot_trading_not_allowed = false;
};

/// One symbol's rules, checked locally before an order is sent. Sans-io, copyable.
class SymbolRules {
public:
    /// The rules of an exchangeInfo entry. Notional bounds that do not parse count as no bound.
    /// Errors: bad_data/unexpected_json_shape for an empty symbol or a precision above
    /// max_decimal_scale.
    static Result<SymbolRules> from(const SymbolInfo& info, RulesPolicy policy = {});

    /// The entry's symbol, scales and status ("1" online).
    const std::string& symbol() const noexcept { return symbol_; }
    SymbolScales scales() const noexcept { return scales_; }
    const std::string& status() const noexcept { return status_; }
    /// exchangeInfo's isSpotTradingAllowed, as reported; refused on only when the policy says so.
    bool spot_trading_allowed() const noexcept { return spot_allowed_; }

    /// Why the symbol (or this side) cannot be traded now, if it cannot: rejected with
    /// symbol_not_tradable (status not online, tradeSideType, isSpotTradingAllowed under the
    /// policy); nullopt when it can.
    std::optional<Error> tradability(Side side) const;
    /// Validates a request: tradability, type, precision, notional bounds (market by quote too).
    /// Errors: rejected with symbol_not_tradable or filter_violation, or invalid_argument for an
    /// order of another symbol; the message says which rule.
    Result<void> check(const OrderRequest& order) const;

    /// A price or quantity at the symbol's scale, rounded as asked (e.g. from a signal); down and
    /// up forgive 1e-9 of a unit of binary error. Never fails; `value` must fit an int64 at
    /// that scale.
    Price round_price(double value, Rounding mode) const;
    Quantity round_quantity(double value, Rounding mode) const;
    /// Re-scales an exact value to the symbol's scale. Errors: rejected with precision_exceeded
    /// if it would round, overflow if it does not fit.
    Result<Price> exact_price(Price value) const;
    Result<Quantity> exact_quantity(Quantity value) const;

private:
    std::string symbol_;
    SymbolScales scales_;
    std::string status_;
    bool spot_allowed_ = false;
    RulesPolicy policy_;
    int trade_side_type_ = 1;
    std::vector<std::string> order_types_;
    // Notional bounds in quote units of 10^-(price + quantity scale) (0 = no bound).
    std::int64_t min_notional_ = 0, max_notional_ = 0, min_notional_market_ = 0,
                 max_notional_market_ = 0;
};

}  // namespace mexc
