#pragma once
// Market-data results of the public REST endpoints (SPEC §3.1), exact decimals at the scale MEXC
// wrote them with.

#include "mexc/decimal.hpp"
#include "mexc/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mexc {

/// A fraction such as priceChangePercent ("-0.0055" is −0.55 %, SPEC §12.7).
using Ratio = Fixed<struct RatioTag>;

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

    /// Price decimals quotePrecision, quantity decimals baseAssetPrecision (SPEC §3.1).
    SymbolScales scales() const noexcept { return {quote_precision, base_asset_precision}; }
};

/// `GET /api/v3/exchangeInfo`: the server time and the symbols asked for.
struct ExchangeInfo {
    std::int64_t server_time = 0;
    std::vector<SymbolInfo> symbols;
};

/// A REST depth snapshot (`GET /api/v3/depth`), levels best first, in units.
struct DepthSnapshot {
    std::int64_t last_update_id = 0;
    std::int64_t timestamp = 0;  // ms; 0 when absent
    std::vector<LevelUnits> bids;
    std::vector<LevelUnits> asks;
};

/// One item of GET /api/v3/trades and /api/v3/historicalTrades (time in ms).
struct PublicTrade {
    Price price;
    Quantity qty;
    Quantity quote_qty;
    std::int64_t time = 0;
    bool is_buyer_maker = false;
};

/// One item of GET /api/v3/aggTrades. MEXC sends the aggregate/first/last trade ids as null
/// (SPEC §12.9): they are empty then, and kept as text when a number or string arrives.
struct AggTrade {
    Price price;
    Quantity qty;
    std::int64_t time = 0;  ///< ms
    bool is_buyer_maker = false;
    bool is_best_match = false;
    std::string aggregate_id, first_id, last_id;
};

/// One item of GET /api/v3/etf/info (leveraged tokens). Numbers or strings are read exactly.
struct EtfInfo {
    std::string symbol;
    Price net_value;
    Ratio fee_rate;
    std::int64_t timestamp = 0;  ///< ms
    Ratio leverage, real_leverage;
    std::int64_t merged_times = 0;
    std::int64_t last_merged_time = 0;  ///< ms
    std::string basket;  ///< as MEXC writes it (text; raw JSON when an object or array)
};

/// `state` of GET /api/v3/symbol/offline (SPEC §4.8); other values are kept as sent.
enum class OfflineState : std::uint8_t { suspended = 2, delisted = 3 };

/// One item of GET /api/v3/symbol/offline: a suspended or delisted symbol.
struct OfflineSymbol {
    std::string symbol;
    OfflineState state = OfflineState::suspended;
    std::int64_t offline_time = 0;  ///< ms; 0 when MEXC omits it (optional)
};

/// One bar of GET /api/v3/klines (times in ms; volume in base, quote_volume in quote).
struct KlineBar {
    std::int64_t open_time = 0;
    Price open, high, low, close;
    Quantity volume;
    std::int64_t close_time = 0;
    Quantity quote_volume;
};

/// GET /api/v3/avgPrice: the average over the last `minutes`.
struct AveragePrice {
    int minutes = 0;
    Price price;
};

/// One item of GET /api/v3/ticker/24hr (times in ms).
struct Ticker24h {
    std::string symbol;
    Price price_change;
    Ratio price_change_percent;
    Price prev_close_price, last_price, bid_price, ask_price, open_price, high_price, low_price;
    Quantity bid_qty, ask_qty, volume, quote_volume;
    std::int64_t open_time = 0, close_time = 0;
};

/// One item of GET /api/v3/ticker/price: the last price.
struct TickerPrice {
    std::string symbol;
    Price price;
};

/// One item of GET /api/v3/ticker/bookTicker: best bid and ask.
struct BookTickerInfo {
    std::string symbol;
    Price bid_price, ask_price;
    Quantity bid_qty, ask_qty;
};

}  // namespace mexc
