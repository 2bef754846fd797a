#pragma once
// Small vocabulary types shared by the wire, book and client layers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mexc {

/// `unknown`: a side MEXC sent that this library does not know (answers only, never sent).
enum class Side : std::uint8_t { buy, sell, unknown };

/// One book level in units of the symbol's scales (price and quantity).
struct LevelUnits {
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    friend bool operator==(const LevelUnits&, const LevelUnits&) = default;
};

/// Scales of a symbol's prices and quantities, from exchangeInfo (SPEC §3.1): price decimals are
/// `quotePrecision`, quantity decimals `baseAssetPrecision`.
struct SymbolScales {
    std::uint8_t price = 0;
    std::uint8_t quantity = 0;
    friend bool operator==(const SymbolScales&, const SymbolScales&) = default;
};

/// One symbol of `GET /api/v3/exchangeInfo` with the fields the library acts on.
struct SymbolInfo {
    std::string symbol;
    std::string status;  // "1" online, "2" paused, "3" offline
    std::string base_asset;
    std::string quote_asset;
    std::uint8_t base_asset_precision = 0;
    std::uint8_t quote_precision = 0;
    std::uint8_t quote_asset_precision = 0;
    std::string base_size_precision;     // minimum quantity (decimal text)
    std::string quote_amount_precision;  // minimum notional (decimal text)
    std::string max_quote_amount;        // maximum notional of limit-priced orders (decimal text)
    std::string quote_amount_precision_market;  // minimum notional of market orders
    std::string max_quote_amount_market;        // maximum notional of market orders
    std::string maker_commission;
    std::string taker_commission;
    bool is_spot_trading_allowed = false;
    int trade_side_type = 1;  // 1 all, 2 buy only, 3 sell only, 4 closed
    std::vector<std::string> order_types;
    std::vector<std::string> permissions;

    SymbolScales scales() const noexcept { return {quote_precision, base_asset_precision}; }
};

struct ExchangeInfo {
    std::int64_t server_time = 0;
    std::vector<SymbolInfo> symbols;
};

}  // namespace mexc
