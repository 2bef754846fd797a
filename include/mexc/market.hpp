#pragma once
// Market-data results of the public REST endpoints (SPEC §3.1), exact decimals at the scale MEXC
// wrote them with.

#include "mexc/decimal.hpp"

#include <cstdint>
#include <string>

namespace mexc {

/// A fraction such as priceChangePercent ("-0.0055" is −0.55 %, SPEC §12.7).
using Ratio = Fixed<struct RatioTag>;

struct PublicTrade {
    Price price;
    Quantity qty;
    Quantity quote_qty;
    std::int64_t time = 0;
    bool is_buyer_maker = false;
};

/// One bar of GET /api/v3/klines (times in ms; volume in base, quote_volume in quote).
struct KlineBar {
    std::int64_t open_time = 0;
    Price open, high, low, close;
    Quantity volume;
    std::int64_t close_time = 0;
    Quantity quote_volume;
};

struct AveragePrice {
    int minutes = 0;
    Price price;
};

struct Ticker24h {
    std::string symbol;
    Price price_change;
    Ratio price_change_percent;
    Price prev_close_price, last_price, bid_price, ask_price, open_price, high_price, low_price;
    Quantity bid_qty, ask_qty, volume, quote_volume;
    std::int64_t open_time = 0, close_time = 0;
};

struct TickerPrice {
    std::string symbol;
    Price price;
};

struct BookTickerInfo {
    std::string symbol;
    Price bid_price, ask_price;
    Quantity bid_qty, ask_qty;
};

}  // namespace mexc
