#pragma once
// Public WebSocket channels of the sandbox: which topics exist (SPEC §7.4) and how each push is
// encoded (protobuf, SPEC §8). Sans-io: the server decides when to push, these functions what.

#include "market.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mexc::sandbox {

enum class TopicKind {
    depth,              // spot@public.aggre.depth.v3.api.pb@<SPD>@<SYM>       313
    deals,              // spot@public.aggre.deals.v3.api.pb@<SPD>@<SYM>       314
    limit_depth,        // spot@public.limit.depth.v3.api.pb@<SYM>@<5|10|20>   303
    book_ticker,        // spot@public.aggre.bookTicker.v3.api.pb@<SPD>@<SYM>  315
    book_ticker_batch,  // spot@public.bookTicker.batch.v3.api.pb@<SYM>        311
    kline,              // spot@public.kline.v3.api.pb@<SYM>@<INTERVAL>        308
    mini_ticker,        // spot@public.miniTicker.v3.api.pb@<SYM>@<TZ>         309
    mini_tickers,       // spot@public.miniTickers.v3.api.pb@<TZ>              310
};

/// The bar a kline subscription is building, folded from the trade tape.
struct KlineBar {
    std::int64_t start_s = 0;  // SPEC §8.12: seconds
    std::int64_t end_s = 0;
    std::int64_t open = 0, close = 0, high = 0, low = 0;  // price units
    std::int64_t volume = 0;                              // base, quantity units
    std::int64_t amount = 0;                              // quote, price units (truncated)
    std::int64_t amount_remainder = 0;                    // below one price unit, exact
    bool traded = false;
};

/// One subscribed topic on one connection, with its push cursor.
struct Subscription {
    std::string topic;
    TopicKind kind = TopicKind::depth;
    std::string symbol;             // empty for miniTickers
    std::string event_type;         // depth, deals, limit depth (SPEC §7.4)
    int interval_ticks = 1;         // market-driven channels: at most one push every N market ticks
    std::int64_t next_version = 0;  // depth: first version not yet pushed
    std::uint64_t last_trade = 0;   // deals, kline: last trade id folded or pushed
    std::size_t levels = 0;         // limit depth: N
    std::string interval;           // kline: Min1 ... Month1
    int zone_minutes = 0;           // mini ticker(s): offset of <TZ> from UTC
    bool rolling_zone = false;      // mini ticker(s): <TZ> is 24H
    std::optional<std::chrono::steady_clock::time_point> next_due;  // kline, mini ticker(s)
    std::vector<BookLevel> pushed;  // limit depth, book tickers: the levels last pushed
    bool pushed_once = false;
    KlineBar bar;
};

/// A served topic, or nullopt for anything MEXC would answer "Blocked!" (unknown channel or symbol,
/// legacy JSON topic of SPEC §7.7, interval, level count or time zone not in SPEC §7.4).
std::optional<Subscription> parse_topic(const std::string& topic, const Market& market,
                                        std::chrono::milliseconds tick);

/// Kline window containing `now_s` (UTC; Week1 from Monday 00:00, Month1 calendar months).
struct KlineWindow {
    std::int64_t start_s = 0;
    std::int64_t end_s = 0;
};
std::optional<KlineWindow> kline_window(std::string_view interval, std::int64_t now_s);

/// What a push may say about the version it reflects.
struct VersionInfo {
    std::int64_t version = 0;
    std::int64_t time_ms = 0;  // when the market reached that version: lastOrderCreateTime
};

/// Aggregated depth increment for versions [from, to] (last change of a level wins); the changes
/// of the asks (true) or the bids (false) are left out when `omit_asks` is set (a fault).
std::string encode_depth(const Subscription& sub, const SymbolBook& book, std::int64_t from,
                         std::int64_t to, std::int64_t last_change_ms = 0,
                         std::optional<bool> omit_asks = std::nullopt);
/// Aggregated deals with trade id greater than `after`.
std::string encode_deals(const Subscription& sub, const SymbolBook& book, std::uint64_t after);
/// Full top-N snapshot `top` (best first), taken at `at.version`.
std::string encode_limit_depth(const Subscription& sub, const SymbolBook& book,
                               const DepthSnapshot& top, VersionInfo at);
/// Best bid and ask of `top`, taken at `at.version`: body 315 or 311 by the subscription's kind.
std::string encode_book_ticker(const Subscription& sub, const SymbolBook& book,
                               const DepthSnapshot& top, VersionInfo at);
/// Folds the trades new since the last push into the subscription's bar (rolling the window when
/// `now_ms` left it) and encodes the current bar.
std::string encode_kline(Subscription& sub, const SymbolBook& book, std::int64_t now_ms);
/// Rolling 24 h statistics of one symbol (or of every symbol for miniTickers) from the trade tape.
std::string encode_mini_ticker(const Subscription& sub, const SymbolBook& book,
                               std::int64_t now_ms);
std::string encode_mini_tickers(const Subscription& sub, const Market& market, std::int64_t now_ms);

/// A stable 32-hex id per symbol (wrapper `symbolId`); BTCUSDT's is the one MEXC sends (SPEC §8.2).
std::string symbol_id(std::string_view symbol);

}  // namespace mexc::sandbox
