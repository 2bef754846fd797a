#pragma once
// Typed events of the public market channels (SPEC §7.4) other than the depth increments the
// books consume: trades, klines, limit depth, book tickers and mini tickers.
//
// Numbers are exact fixed-point. Prices and base quantities are at the symbol's scales
// (SymbolTable, from exchangeInfo), like the books, so they compare with book levels and order
// prices as integers; text with more non-zero digits than the scale is rejected, never rounded.
// Turnovers and rates have no natural scale: they keep the scale MEXC wrote them with.
//
// An event's vectors are storage the decoder reuses: after warm-up a push allocates nothing.

#include "mexc/decimal.hpp"
#include "mexc/fixed_string.hpp"
#include "mexc/market.hpp"
#include "mexc/topic.hpp"
#include "mexc/types.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mexc {

/// A symbol's index in a SymbolTable.
using SymbolId = std::uint32_t;
/// Events that concern no single symbol (mini tickers of all symbols) carry this id.
inline constexpr SymbolId no_symbol = ~SymbolId{0};

/// Symbols known to the event decoders: name → small id, with scales. Names and ids stay valid for
/// the table's lifetime; lookups do not allocate.
class SymbolTable {
public:
    /// Registers a symbol (or updates its scales) and returns its id. Allocates: setup only.
    SymbolId add(std::string_view name, SymbolScales scales);
    std::optional<SymbolId> find(std::string_view name) const noexcept;
    /// `id` must come from this table.
    std::string_view name(SymbolId id) const noexcept { return entries_[id].name; }
    SymbolScales scales(SymbolId id) const noexcept { return entries_[id].scales; }
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        std::string name;
        SymbolScales scales;
    };
    std::deque<Entry> entries_;  // a deque: names never move, so the index may view them
    std::unordered_map<std::string_view, SymbolId> index_;
};

/// Wall clock, so a receive time compares with the exchange's millisecond times.
using ReceiveTime = std::chrono::system_clock::time_point;

/// What every event carries.
struct EventMeta {
    SymbolId symbol = no_symbol;
    std::int64_t event_time = 0;  ///< ms: the push's sendTime, else its createTime; 0 when absent
    ReceiveTime received{};       ///< when the frame arrived here
};

/// One trade of an aggregated trades push (314; legacy 301 has no trade id).
struct Trade {
    Price price;
    Quantity quantity;
    Side taker_side = Side::unknown;  ///< tradeType 1 buy, 2 sell; other values unknown
    std::int64_t time = 0;            ///< ms
    FixedString<63> trade_id;         ///< e.g. "731901896985399296X0_731901896985399297X0"
};

/// `spot@public.aggre.deals.v3.api.pb@<SPD>@<SYM>`: the trades of one interval, oldest first.
struct TradesEvent {
    EventMeta meta;
    std::vector<Trade> trades;
};

/// WebSocket kline intervals (SPEC §4.5): the topics' enumeration; `to_string` gives the token.
using topic::KlineInterval;
/// Parses a topic token ("Min1" … "Month1"); nullopt when unknown (tokens are case-sensitive).
std::optional<KlineInterval> parse_kline_interval(std::string_view token) noexcept;

/// `spot@public.kline.v3.api.pb@<SYM>@<INTERVAL>`: the current bar, pushed about every second.
struct KlineEvent {
    EventMeta meta;
    KlineInterval interval = KlineInterval::min1;
    std::int64_t open_time = 0;   ///< ms (MEXC sends seconds, SPEC §12.5)
    std::int64_t close_time = 0;  ///< ms; open_time + the interval
    Price open, high, low, close;
    Quantity volume;        ///< base
    Quantity quote_volume;  ///< quote turnover, at the scale written
};

/// `spot@public.limit.depth.v3.api.pb@<SYM>@<N>`: the top N levels, best first, in units of the
/// symbol's scales. Each push replaces the previous one; never merge (SPEC §10.3).
struct LimitDepthEvent {
    EventMeta meta;
    SymbolScales scales;
    std::int64_t version = 0;                 ///< same version space as the depth increments
    std::int64_t last_order_create_time = 0;  ///< ms; 0 when absent
    std::vector<LevelUnits> bids, asks;
};

/// Best bid and ask, at the symbol's scales.
struct BookTop {
    Price bid_price;
    Quantity bid_quantity;
    Price ask_price;
    Quantity ask_quantity;
};

/// `spot@public.aggre.bookTicker.v3.api.pb@<SPD>@<SYM>` (legacy 305 has no version).
struct BookTickerEvent {
    EventMeta meta;
    BookTop top;
    std::int64_t version = 0;  ///< depth version space; 0 when absent
    std::int64_t last_order_create_time = 0;
};

/// `spot@public.bookTicker.batch.v3.api.pb@<SYM>`: book tickers of one symbol, oldest first.
struct BookTickerBatchEvent {
    EventMeta meta;
    std::vector<BookTop> tops;
    std::int64_t version = 0;  ///< 0 when absent
    std::int64_t last_order_create_time = 0;
};

/// The `<TZ>` of a mini ticker topic (SPEC §7.4): a UTC offset, or the rolling 24 hours.
struct TickerZone {
    bool rolling_24h = false;         ///< "24H"
    std::int16_t offset_minutes = 0;  ///< "UTC+5:30" → 330
    friend bool operator==(const TickerZone&, const TickerZone&) = default;
};
/// Parses "24H", "UTC+8", "UTC-3", "UTC+5:30", ...; nullopt when not of that form.
std::optional<TickerZone> parse_ticker_zone(std::string_view token) noexcept;
/// The topic token, as MEXC spells it ("UTC+0", "UTC+12:45", "24H"); returns the length.
std::size_t format_ticker_zone(TickerZone zone, std::span<char, 16> out) noexcept;

/// One symbol's rolling statistics. Rates are fractions ("-0.0055" is −0.55 %).
struct MiniTicker {
    SymbolId symbol = no_symbol;
    Price price;  ///< last price
    Price high, low;
    Quantity quantity;      ///< base volume
    Quantity quote_volume;  ///< quote turnover (`volume` on the wire), at the scale written
    Ratio rate;             ///< change over the UTC+8 day
    Ratio zoned_rate;       ///< change over the subscribed zone's day
    Ratio last_close_rate, last_close_zoned_rate;
    Price last_close_high, last_close_low;
};

/// `spot@public.miniTicker.v3.api.pb@<SYM>@<TZ>`, every 3 s.
struct MiniTickerEvent {
    EventMeta meta;
    TickerZone zone;
    MiniTicker ticker;
};

/// `spot@public.miniTickers.v3.api.pb@<TZ>`: every symbol, every 3 s. Items of symbols missing
/// from the SymbolTable are skipped and counted.
struct MiniTickersEvent {
    EventMeta meta;  ///< symbol is no_symbol
    TickerZone zone;
    std::vector<MiniTicker> tickers;
    std::uint32_t unknown_symbols = 0;
};

}  // namespace mexc
