#include "mexc/topic.hpp"

#include <array>
#include <utility>

namespace mexc {

// The one place a Topic is constructed: every name passes through make().
struct TopicMaker {
    static Topic make(topic::Channel channel, std::string name) {
        return Topic(channel, std::move(name));
    }
};

namespace topic {
namespace {

constexpr std::array<std::string_view, 2> speeds{"10ms", "100ms"};
constexpr std::array<std::string_view, 10> kline_intervals{
    "Min1", "Min5", "Min15", "Min30", "Min60", "Hour4", "Hour8", "Day1", "Week1", "Month1"};
constexpr std::array<std::string_view, 25> time_zones{
    "24H",   "UTC-10", "UTC-8",  "UTC-7",  "UTC-6",    "UTC-5",     "UTC-4",    "UTC-3", "UTC+0",
    "UTC+1", "UTC+2",  "UTC+3",  "UTC+4",  "UTC+4:30", "UTC+5",     "UTC+5:30", "UTC+6", "UTC+7",
    "UTC+8", "UTC+9",  "UTC+10", "UTC+11", "UTC+12",   "UTC+12:45", "UTC+13"};

constexpr std::string_view p_aggre_depth = "spot@public.aggre.depth.v3.api.pb";
constexpr std::string_view p_aggre_deals = "spot@public.aggre.deals.v3.api.pb";
constexpr std::string_view p_kline = "spot@public.kline.v3.api.pb";
constexpr std::string_view p_limit_depth = "spot@public.limit.depth.v3.api.pb";
constexpr std::string_view p_aggre_book_ticker = "spot@public.aggre.bookTicker.v3.api.pb";
constexpr std::string_view p_book_ticker_batch = "spot@public.bookTicker.batch.v3.api.pb";
constexpr std::string_view p_mini_ticker = "spot@public.miniTicker.v3.api.pb";
constexpr std::string_view p_mini_tickers = "spot@public.miniTickers.v3.api.pb";

Error invalid() noexcept {
    return Error(Condition::rejected, Errc::invalid_argument);
}

bool valid_symbol(std::string_view s) noexcept {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

Topic make(Channel channel, std::string_view prefix, std::string_view a, std::string_view b = {}) {
    std::string name;
    name.reserve(prefix.size() + a.size() + b.size() + 2);
    name.append(prefix).append(1, '@').append(a);
    if (!b.empty()) name.append(1, '@').append(b);
    return TopicMaker::make(channel, std::move(name));
}

// The index of `token` in `table`, or -1.
template <std::size_t N>
int index_of(const std::array<std::string_view, N>& table, std::string_view token) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (table[i] == token) return static_cast<int>(i);
    return -1;
}

}  // namespace

std::string_view to_string(Speed s) noexcept {
    return speeds[static_cast<std::size_t>(s)];
}
std::string_view to_string(KlineInterval i) noexcept {
    return kline_intervals[static_cast<std::size_t>(i)];
}
std::string_view to_string(TimeZone tz) noexcept {
    return time_zones[static_cast<std::size_t>(tz)];
}

Result<Topic> aggre_depth(std::string_view symbol, Speed speed) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::aggre_depth, p_aggre_depth, to_string(speed), symbol);
}

Result<Topic> aggre_deals(std::string_view symbol, Speed speed) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::aggre_deals, p_aggre_deals, to_string(speed), symbol);
}

Result<Topic> kline(std::string_view symbol, KlineInterval interval) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::kline, p_kline, symbol, to_string(interval));
}

Result<Topic> limit_depth(std::string_view symbol, DepthLevels levels) {
    if (!valid_symbol(symbol)) return invalid();
    std::string_view n = levels == DepthLevels::five  ? "5"
                         : levels == DepthLevels::ten ? "10"
                                                      : "20";
    return make(Channel::limit_depth, p_limit_depth, symbol, n);
}

Result<Topic> aggre_book_ticker(std::string_view symbol, Speed speed) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::aggre_book_ticker, p_aggre_book_ticker, to_string(speed), symbol);
}

Result<Topic> book_ticker_batch(std::string_view symbol) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::book_ticker_batch, p_book_ticker_batch, symbol);
}

Result<Topic> mini_ticker(std::string_view symbol, TimeZone tz) {
    if (!valid_symbol(symbol)) return invalid();
    return make(Channel::mini_ticker, p_mini_ticker, symbol, to_string(tz));
}

Topic mini_tickers(TimeZone tz) {
    return make(Channel::mini_tickers, p_mini_tickers, to_string(tz));
}

Result<Topic> parse(std::string_view name) {
    // "spot@<channel>@<a>[@<b>]": the channel part has no '@', nor does any argument (a time zone
    // has ':' and '+' but never '@').
    std::array<std::string_view, 4> parts{};
    std::size_t count = 0;
    for (std::size_t start = 0;;) {
        const auto at = name.find('@', start);
        if (count == parts.size()) return invalid();
        parts[count++] = name.substr(start, at == std::string_view::npos ? at : at - start);
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    if (count < 3 || parts[0] != "spot") return invalid();
    const auto prefix = name.substr(0, parts[0].size() + 1 + parts[1].size());
    const auto a = parts[2];
    const auto b = count == 4 ? parts[3] : std::string_view{};
    auto speed = [](std::string_view t) -> Result<Speed> {
        const int i = index_of(speeds, t);
        if (i < 0) return invalid();
        return static_cast<Speed>(i);
    };

    if (prefix == p_mini_tickers) {
        if (count != 3) return invalid();
        const int tz = index_of(time_zones, a);
        if (tz < 0) return invalid();
        return mini_tickers(static_cast<TimeZone>(tz));
    }
    if (prefix == p_book_ticker_batch) {
        if (count != 3) return invalid();
        return book_ticker_batch(a);
    }
    if (count != 4) return invalid();
    if (prefix == p_aggre_depth || prefix == p_aggre_deals || prefix == p_aggre_book_ticker) {
        auto s = speed(a);
        if (!s) return s.error();
        if (prefix == p_aggre_depth) return aggre_depth(b, *s);
        if (prefix == p_aggre_deals) return aggre_deals(b, *s);
        return aggre_book_ticker(b, *s);
    }
    if (prefix == p_kline) {
        const int i = index_of(kline_intervals, b);
        if (i < 0) return invalid();
        return kline(a, static_cast<KlineInterval>(i));
    }
    if (prefix == p_limit_depth) {
        if (b == "5") return limit_depth(a, DepthLevels::five);
        if (b == "10") return limit_depth(a, DepthLevels::ten);
        if (b == "20") return limit_depth(a, DepthLevels::twenty);
        return invalid();
    }
    if (prefix == p_mini_ticker) {
        const int tz = index_of(time_zones, b);
        if (tz < 0) return invalid();
        return mini_ticker(a, static_cast<TimeZone>(tz));
    }
    return invalid();
}

}  // namespace topic
}  // namespace mexc
