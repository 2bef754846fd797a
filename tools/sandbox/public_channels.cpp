#include "public_channels.hpp"

#include "text.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

namespace mexc::sandbox {
namespace {

constexpr std::int64_t day_ms = 86400000;

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = s.find(sep);
        out.push_back(s.substr(0, at));
        if (at == std::string_view::npos) return out;
        s.remove_prefix(at + 1);
    }
}

// SPEC §7.4 `<TZ>` list: offset from UTC in minutes; nullopt for anything else. "24H" is rolling.
std::optional<int> zone_minutes(std::string_view tz) {
    static constexpr std::array<std::pair<std::string_view, int>, 25> zones{{
        {"24H", 0},        {"UTC-10", -600}, {"UTC-8", -480}, {"UTC-7", -420},    {"UTC-6", -360},
        {"UTC-5", -300},   {"UTC-4", -240},  {"UTC-3", -180}, {"UTC+0", 0},       {"UTC+1", 60},
        {"UTC+2", 120},    {"UTC+3", 180},   {"UTC+4", 240},  {"UTC+4:30", 270},  {"UTC+5", 300},
        {"UTC+5:30", 330}, {"UTC+6", 360},   {"UTC+7", 420},  {"UTC+8", 480},     {"UTC+9", 540},
        {"UTC+10", 600},   {"UTC+11", 660},  {"UTC+12", 720}, {"UTC+12:45", 765}, {"UTC+13", 780},
    }};
    for (const auto& [name, minutes] : zones)
        if (name == tz) return minutes;
    return std::nullopt;
}

int ticks_for(std::chrono::milliseconds period, std::chrono::milliseconds tick) {
    return std::max<int>(1,
                         static_cast<int>(period / std::max(tick, std::chrono::milliseconds(1))));
}

PushDataV3ApiWrapper wrapper_for(const Subscription& sub) {
    PushDataV3ApiWrapper wrapper;
    wrapper.set_channel(sub.topic);
    if (!sub.symbol.empty()) wrapper.set_symbol(sub.symbol);
    wrapper.set_sendtime(now_ms());
    return wrapper;
}

// The price a bar or ticker shows before any trade: the last trade before `t_ms`, else the touch.
std::int64_t price_before(const SymbolBook& book, std::int64_t t_ms) {
    const auto& tape = book.trades();
    for (auto it = tape.rbegin(); it != tape.rend(); ++it)
        if (it->time_ms < t_ms) return it->price;
    const auto top = book.snapshot(1);
    if (!top.bids.empty()) return top.bids.front().price;
    return book.spec().mid_price;
}

// Sum of price × quantity in price units, exact below one unit (fits int64 per trade).
struct Turnover {
    std::int64_t units = 0;
    std::int64_t remainder = 0;
    void add(std::int64_t price, std::int64_t quantity, std::int64_t unit) {
        const std::int64_t pq = price * quantity;
        units += pq / unit;
        remainder += pq % unit;
        units += remainder / unit;
        remainder %= unit;
    }
};

void fill_mini_ticker(PublicMiniTickerV3Api& m, const Subscription& sub, const SymbolBook& book,
                      std::int64_t now) {
    const auto& tape = book.trades();
    const auto scales = book.scales();
    const std::int64_t unit = pow10(scales.quantity);
    auto day_start = [&](int minutes) {
        const std::int64_t offset = std::int64_t{minutes} * 60000;
        return floor_div(now + offset, day_ms) * day_ms - offset;
    };
    const std::int64_t utc8_start = day_start(480);  // `rate` is always the UTC+8 day (SPEC §8.13)
    const std::int64_t zone_start = sub.rolling_zone ? now - day_ms : day_start(sub.zone_minutes);
    const std::int64_t last = tape.empty() ? price_before(book, now) : tape.back().price;

    auto first_since = [&](std::int64_t t) -> std::optional<std::int64_t> {
        for (const auto& trade : tape)
            if (trade.time_ms >= t) return trade.price;
        return std::nullopt;
    };
    auto last_before = [&](std::int64_t t) -> std::optional<std::int64_t> {
        for (auto it = tape.rbegin(); it != tape.rend(); ++it)
            if (it->time_ms < t) return it->price;
        return std::nullopt;
    };
    struct Range {
        std::int64_t high, low, base = 0;
        Turnover quote;
    };
    auto range_since = [&](std::int64_t t) {
        Range r{last, last};
        for (const auto& trade : tape) {
            if (trade.time_ms < t) continue;
            r.high = std::max(r.high, trade.price);
            r.low = std::min(r.low, trade.price);
            r.base += trade.quantity;
            r.quote.add(trade.price, trade.quantity, unit);
        }
        return r;
    };
    const Range rolling = range_since(now - day_ms);
    const Range zoned = range_since(zone_start);
    const std::int64_t day_open = first_since(utc8_start).value_or(last);
    const std::int64_t zone_open = first_since(zone_start).value_or(last);

    m.set_symbol(book.spec().symbol);
    m.set_price(decimal(last, scales.price));
    m.set_rate(change_rate(last, day_open));
    m.set_zonedrate(change_rate(last, zone_open));
    m.set_high(decimal(rolling.high, scales.price));
    m.set_low(decimal(rolling.low, scales.price));
    m.set_volume(decimal(rolling.quote.units, scales.price));  // quote turnover (SPEC §8.13)
    m.set_quantity(decimal(rolling.base, scales.quantity));    // base volume
    m.set_lastcloserate(change_rate(last, last_before(utc8_start).value_or(day_open)));
    m.set_lastclosezonedrate(change_rate(last, last_before(zone_start).value_or(zone_open)));
    m.set_lastclosehigh(decimal(zoned.high, scales.price));
    m.set_lastcloselow(decimal(zoned.low, scales.price));
}

}  // namespace

std::optional<Subscription> parse_topic(const std::string& topic, const Market& market,
                                        std::chrono::milliseconds tick) {
    const auto parts = split(topic, '@');
    if (parts.size() < 3 || parts[0] != "spot") return std::nullopt;
    const std::string_view channel = parts[1];
    Subscription s;
    s.topic = topic;
    auto speed = [&](std::string_view spd) -> bool {
        if (spd != "10ms" && spd != "100ms") return false;
        s.interval_ticks = ticks_for(std::chrono::milliseconds(spd == "10ms" ? 10 : 100), tick);
        return true;
    };
    auto symbol = [&](std::string_view sym) -> bool {
        if (!market.find(sym)) return false;
        s.symbol = std::string(sym);
        return true;
    };
    // Channels whose topic is `<channel>@<SPD>@<SYM>`; eventType is the topic minus the symbol.
    static const std::pair<std::string_view, TopicKind> speed_channels[] = {
        {"public.aggre.depth.v3.api.pb", TopicKind::depth},
        {"public.aggre.deals.v3.api.pb", TopicKind::deals},
        {"public.aggre.bookTicker.v3.api.pb", TopicKind::book_ticker},
    };
    for (const auto& [name, kind] : speed_channels) {
        if (channel != name) continue;
        if (parts.size() != 4 || !speed(parts[2]) || !symbol(parts[3])) return std::nullopt;
        s.kind = kind;
        s.event_type = topic.substr(0, topic.size() - parts[3].size() - 1);
        return s;
    }
    // Push cadence of the channels without an <SPD>: at most every 100 ms, on change (a choice).
    const int every_100ms = ticks_for(std::chrono::milliseconds(100), tick);
    if (channel == "public.limit.depth.v3.api.pb") {
        if (parts.size() != 4 || !symbol(parts[2])) return std::nullopt;
        if (parts[3] != "5" && parts[3] != "10" && parts[3] != "20") return std::nullopt;
        s.kind = TopicKind::limit_depth;
        s.levels = static_cast<std::size_t>(std::stoi(std::string(parts[3])));
        s.event_type = "spot@public.limit.depth.v3.api.pb";
        s.interval_ticks = every_100ms;
        return s;
    }
    if (channel == "public.bookTicker.batch.v3.api.pb") {
        if (parts.size() != 3 || !symbol(parts[2])) return std::nullopt;
        s.kind = TopicKind::book_ticker_batch;
        s.interval_ticks = every_100ms;
        return s;
    }
    if (channel == "public.kline.v3.api.pb") {
        if (parts.size() != 4 || !symbol(parts[2]) || !kline_window(parts[3], 0))
            return std::nullopt;
        s.kind = TopicKind::kline;
        s.interval = std::string(parts[3]);
        return s;
    }
    auto zone = [&](std::string_view tz) -> bool {
        const auto minutes = zone_minutes(tz);
        if (!minutes) return false;
        s.zone_minutes = *minutes;
        s.rolling_zone = tz == "24H";
        return true;
    };
    if (channel == "public.miniTicker.v3.api.pb") {  // the time zone is mandatory (SPEC §7.4)
        if (parts.size() != 4 || !symbol(parts[2]) || !zone(parts[3])) return std::nullopt;
        s.kind = TopicKind::mini_ticker;
        return s;
    }
    if (channel == "public.miniTickers.v3.api.pb") {
        if (parts.size() != 3 || !zone(parts[2])) return std::nullopt;
        s.kind = TopicKind::mini_tickers;
        return s;
    }
    return std::nullopt;
}

std::optional<KlineWindow> kline_window(std::string_view interval, std::int64_t now_s) {
    static constexpr std::pair<std::string_view, std::int64_t> fixed[] = {
        {"Min1", 60},    {"Min5", 300},    {"Min15", 900},   {"Min30", 1800},
        {"Min60", 3600}, {"Hour4", 14400}, {"Hour8", 28800}, {"Day1", 86400},
    };
    for (const auto& [name, seconds] : fixed)
        if (name == interval) {
            const std::int64_t start = floor_div(now_s, seconds) * seconds;
            return KlineWindow{start, start + seconds};
        }
    if (interval == "Week1") {  // 1970-01-05 was a Monday
        constexpr std::int64_t monday = 4 * 86400, week = 7 * 86400;
        const std::int64_t start = monday + floor_div(now_s - monday, week) * week;
        return KlineWindow{start, start + week};
    }
    if (interval == "Month1") {
        using namespace std::chrono;
        const year_month_day ymd{floor<days>(sys_seconds{seconds{now_s}})};
        const year_month_day first = ymd.year() / ymd.month() / 1;
        const year_month_day next = first + months{1};
        return KlineWindow{sys_seconds{sys_days{first}}.time_since_epoch().count(),
                           sys_seconds{sys_days{next}}.time_since_epoch().count()};
    }
    return std::nullopt;
}

std::string symbol_id(std::string_view symbol) {
    if (symbol == "BTCUSDT")
        return "2fb942154ef44a4ab2ef98c8afb6a4a7";  // as captured (SPEC §11.3 F1)
    // FNV-1a twice with different seeds: stable across runs and builds.
    auto fnv = [&](std::uint64_t h) {
        for (const unsigned char c : symbol) h = (h ^ c) * 1099511628211ull;
        return h;
    };
    return fmt::format("{:016x}{:016x}", fnv(14695981039346656037ull), fnv(0x6d657863736e6478ull));
}

std::string encode_depth(const Subscription& sub, const SymbolBook& book, std::int64_t from,
                         std::int64_t to, std::int64_t last_change_ms,
                         std::optional<bool> omit_asks) {
    // Aggregate: the last change of a level within the window wins (quantities are absolute).
    std::map<std::pair<bool, std::int64_t>, std::int64_t> latest;
    for (const auto& c : book.changes(from, to))
        if (!omit_asks || c.ask != *omit_asks) latest[{c.ask, c.price}] = c.quantity;
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    auto* body = wrapper.mutable_publicaggredepths();
    const auto scales = book.scales();
    for (const auto& [key, qty] : latest) {
        auto* item = key.first ? body->add_asks() : body->add_bids();
        item->set_price(decimal(key.second, scales.price));
        item->set_quantity(decimal(qty, scales.quantity));
    }
    body->set_eventtype(sub.event_type);
    body->set_fromversion(std::to_string(from));
    body->set_toversion(std::to_string(to));
    if (last_change_ms != 0) body->set_lastordercreatetime(last_change_ms);
    return wrapper.SerializeAsString();
}

std::string encode_deals(const Subscription& sub, const SymbolBook& book, std::uint64_t after) {
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    auto* body = wrapper.mutable_publicaggredeals();
    const auto scales = book.scales();
    for (const auto& t : book.trades()) {
        if (t.id <= after) continue;
        auto* item = body->add_deals();
        item->set_price(decimal(t.price, scales.price));
        item->set_quantity(decimal(t.quantity, scales.quantity));
        item->set_tradetype(t.taker_side);
        item->set_time(t.time_ms);
        item->set_tradeid(fmt::format("{}X0", t.id));
    }
    body->set_eventtype(sub.event_type);
    return wrapper.SerializeAsString();
}

std::string encode_limit_depth(const Subscription& sub, const SymbolBook& book,
                               const DepthSnapshot& top, VersionInfo at) {
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    auto* body = wrapper.mutable_publiclimitdepths();
    const auto scales = book.scales();
    for (const auto& level : top.asks) {
        auto* item = body->add_asks();
        item->set_price(decimal(level.price, scales.price));
        item->set_quantity(decimal(level.quantity, scales.quantity));
    }
    for (const auto& level : top.bids) {
        auto* item = body->add_bids();
        item->set_price(decimal(level.price, scales.price));
        item->set_quantity(decimal(level.quantity, scales.quantity));
    }
    body->set_eventtype(sub.event_type);
    body->set_version(std::to_string(at.version));
    body->set_lastordercreatetime(at.time_ms);
    return wrapper.SerializeAsString();
}

std::string encode_book_ticker(const Subscription& sub, const SymbolBook& book,
                               const DepthSnapshot& top, VersionInfo at) {
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    const auto scales = book.scales();
    auto fill = [&](auto* item) {
        if (!top.bids.empty()) {
            item->set_bidprice(decimal(top.bids.front().price, scales.price));
            item->set_bidquantity(decimal(top.bids.front().quantity, scales.quantity));
        }
        if (!top.asks.empty()) {
            item->set_askprice(decimal(top.asks.front().price, scales.price));
            item->set_askquantity(decimal(top.asks.front().quantity, scales.quantity));
        }
    };
    if (sub.kind == TopicKind::book_ticker_batch) {
        auto* body = wrapper.mutable_publicbooktickerbatch();
        fill(body->add_items());
        body->set_version(std::to_string(at.version));
        body->set_lastordercreatetime(at.time_ms);
    } else {
        auto* body = wrapper.mutable_publicaggrebookticker();
        fill(body);
        body->set_version(std::to_string(at.version));
        body->set_lastordercreatetime(at.time_ms);
    }
    return wrapper.SerializeAsString();
}

std::string encode_kline(Subscription& sub, const SymbolBook& book, std::int64_t now) {
    const KlineWindow window =
        kline_window(sub.interval, floor_div(now, 1000)).value_or(KlineWindow{});
    KlineBar& bar = sub.bar;
    if (bar.start_s != window.start_s) {
        // A new bar: the first one folds the whole tape inside the window, later ones the trades
        // since the last push. An untraded bar shows the previous close.
        const bool first = bar.start_s == 0;
        const std::int64_t previous = first ? price_before(book, window.start_s * 1000) : bar.close;
        bar = KlineBar{};
        bar.start_s = window.start_s;
        bar.end_s = window.end_s;
        bar.open = bar.close = bar.high = bar.low = previous;
        if (first) sub.last_trade = 0;
    }
    const auto& tape = book.trades();
    auto it = tape.end();
    while (it != tape.begin() && std::prev(it)->id > sub.last_trade) --it;
    const std::int64_t unit = pow10(book.scales().quantity);
    Turnover amount{bar.amount, bar.amount_remainder};
    for (; it != tape.end(); ++it) {
        if (it->time_ms < bar.start_s * 1000 || it->time_ms >= bar.end_s * 1000) continue;
        if (!bar.traded) {
            bar.open = bar.high = bar.low = it->price;
            bar.traded = true;
        }
        bar.close = it->price;
        bar.high = std::max(bar.high, it->price);
        bar.low = std::min(bar.low, it->price);
        bar.volume += it->quantity;
        amount.add(it->price, it->quantity, unit);
    }
    bar.amount = amount.units;
    bar.amount_remainder = amount.remainder;
    sub.last_trade = book.last_trade_id();

    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    wrapper.set_symbolid(symbol_id(sub.symbol));
    wrapper.set_createtime(now);
    auto* body = wrapper.mutable_publicspotkline();
    const auto scales = book.scales();
    body->set_interval(sub.interval);
    body->set_windowstart(bar.start_s);
    body->set_openingprice(decimal(bar.open, scales.price));
    body->set_closingprice(decimal(bar.close, scales.price));
    body->set_highestprice(decimal(bar.high, scales.price));
    body->set_lowestprice(decimal(bar.low, scales.price));
    body->set_volume(decimal(bar.volume, scales.quantity));
    body->set_amount(decimal(bar.amount, scales.price));
    body->set_windowend(bar.end_s);
    return wrapper.SerializeAsString();
}

std::string encode_mini_ticker(const Subscription& sub, const SymbolBook& book, std::int64_t now) {
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);
    fill_mini_ticker(*wrapper.mutable_publicminiticker(), sub, book, now);
    return wrapper.SerializeAsString();
}

std::string encode_mini_tickers(const Subscription& sub, const Market& market, std::int64_t now) {
    PushDataV3ApiWrapper wrapper = wrapper_for(sub);  // no symbol: the push covers every symbol
    auto* body = wrapper.mutable_publicminitickers();
    for (const auto& book : market.symbols()) fill_mini_ticker(*body->add_items(), sub, book, now);
    return wrapper.SerializeAsString();
}

}  // namespace mexc::sandbox
