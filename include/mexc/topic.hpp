#pragma once
// Public WebSocket topics (SPEC §7.4). A Topic always holds a name the grammar allows: it is made
// by the builders of namespace mexc::topic, or by topic::parse, which checks a name from outside.
// Names are case-sensitive and symbols upper-case; the `channel` of every push equals its topic
// exactly, so a Topic is also the key pushes are routed by.

#include "mexc/error.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace mexc {

namespace topic {

/// The public channels of SPEC §7.4.
enum class Channel : std::uint8_t {
    aggre_depth,        ///< spot@public.aggre.depth.v3.api.pb@<SPD>@<SYM>
    aggre_deals,        ///< spot@public.aggre.deals.v3.api.pb@<SPD>@<SYM>
    kline,              ///< spot@public.kline.v3.api.pb@<SYM>@<INTERVAL>
    limit_depth,        ///< spot@public.limit.depth.v3.api.pb@<SYM>@<N>
    aggre_book_ticker,  ///< spot@public.aggre.bookTicker.v3.api.pb@<SPD>@<SYM>
    book_ticker_batch,  ///< spot@public.bookTicker.batch.v3.api.pb@<SYM>
    mini_ticker,        ///< spot@public.miniTicker.v3.api.pb@<SYM>@<TZ>
    mini_tickers,       ///< spot@public.miniTickers.v3.api.pb@<TZ>
};

/// `<SPD>`: the aggregation (push) interval.
enum class Speed : std::uint8_t { ms10, ms100 };

/// The WebSocket kline interval tokens of SPEC §4.5 (`Min1` … `Month1`).
enum class KlineInterval : std::uint8_t {
    min1,
    min5,
    min15,
    min30,
    min60,
    hour4,
    hour8,
    day1,
    week1,
    month1,
};

/// `<N>` of the partial depth channel.
enum class DepthLevels : std::uint8_t { five = 5, ten = 10, twenty = 20 };

/// `<TZ>` of the mini ticker channels (SPEC §7.4): `24H` and the listed UTC offsets.
enum class TimeZone : std::uint8_t {
    h24,         ///< 24H
    utc_m10,     ///< UTC-10
    utc_m8,      ///< UTC-8
    utc_m7,      ///< UTC-7
    utc_m6,      ///< UTC-6
    utc_m5,      ///< UTC-5
    utc_m4,      ///< UTC-4
    utc_m3,      ///< UTC-3
    utc_p0,      ///< UTC+0
    utc_p1,      ///< UTC+1
    utc_p2,      ///< UTC+2
    utc_p3,      ///< UTC+3
    utc_p4,      ///< UTC+4
    utc_p4_30,   ///< UTC+4:30
    utc_p5,      ///< UTC+5
    utc_p5_30,   ///< UTC+5:30
    utc_p6,      ///< UTC+6
    utc_p7,      ///< UTC+7
    utc_p8,      ///< UTC+8
    utc_p9,      ///< UTC+9
    utc_p10,     ///< UTC+10
    utc_p11,     ///< UTC+11
    utc_p12,     ///< UTC+12
    utc_p12_45,  ///< UTC+12:45
    utc_p13,     ///< UTC+13
};

/// The wire tokens: "10ms", "Min15", "UTC+4:30", …
std::string_view to_string(Speed s) noexcept;
std::string_view to_string(KlineInterval i) noexcept;
std::string_view to_string(TimeZone tz) noexcept;

}  // namespace topic

/// A valid public topic name. Cheap to compare and hash by name().
class Topic {
public:
    const std::string& name() const noexcept { return name_; }
    topic::Channel channel() const noexcept { return channel_; }

    friend bool operator==(const Topic& a, const Topic& b) noexcept { return a.name_ == b.name_; }
    friend std::strong_ordering operator<=>(const Topic& a, const Topic& b) noexcept {
        return a.name_ <=> b.name_;
    }

private:
    friend struct TopicMaker;
    Topic(topic::Channel channel, std::string name) : name_(std::move(name)), channel_(channel) {}

    std::string name_;
    topic::Channel channel_;
};

namespace topic {

// Builders. Errors: rejected/invalid_argument when `symbol` is not an upper-case symbol (1–32
// characters, A–Z and 0–9); nothing else can make the name invalid.

Result<Topic> aggre_depth(std::string_view symbol, Speed speed);
Result<Topic> aggre_deals(std::string_view symbol, Speed speed);
Result<Topic> kline(std::string_view symbol, KlineInterval interval);
Result<Topic> limit_depth(std::string_view symbol, DepthLevels levels);
Result<Topic> aggre_book_ticker(std::string_view symbol, Speed speed);
Result<Topic> book_ticker_batch(std::string_view symbol);
Result<Topic> mini_ticker(std::string_view symbol, TimeZone tz);
/// All symbols: cannot fail.
Topic mini_tickers(TimeZone tz);

/// Checks a name from outside (a command line, a file): accepts exactly the names the builders
/// make. Errors: rejected/invalid_argument for anything else (unknown or legacy channel, bad
/// speed, interval, level count or time zone, lower-case or malformed symbol, extra parts).
Result<Topic> parse(std::string_view name);

}  // namespace topic

}  // namespace mexc
