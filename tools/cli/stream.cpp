#include "stream.hpp"

#include "json_out.hpp"

#include "mexc/exchange.hpp"
#include "mexc/market_events.hpp"
#include "mexc/rest/public_rest.hpp"
#include "mexc/topic.hpp"
#include "mexc/wire/events.hpp"

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace mexc::cli {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

Error invalid() {
    return Error(Condition::rejected, Errc::invalid_argument);
}

// A wire token back to its enum value: the enums are dense from 0, and to_string names them.
template <class Enum>
std::optional<Enum> parse_token(std::string_view token, int count) {
    for (int i = 0; i < count; ++i)
        if (topic::to_string(static_cast<Enum>(i)) == token) return static_cast<Enum>(i);
    return std::nullopt;
}

std::optional<topic::Speed> parse_speed(std::string_view t) {
    return parse_token<topic::Speed>(t, 2);
}
std::optional<topic::KlineInterval> parse_interval(std::string_view t) {
    return parse_token<topic::KlineInterval>(t, static_cast<int>(topic::KlineInterval::month1) + 1);
}
std::optional<topic::TimeZone> parse_zone(std::string_view t) {
    return parse_token<topic::TimeZone>(t, static_cast<int>(topic::TimeZone::utc_p13) + 1);
}

Result<std::vector<Topic>> topics_of(const StreamRequest& r) {
    std::vector<Topic> out;
    auto add = [&](Result<Topic> t) {
        if (!t) return false;
        out.push_back(std::move(*t));
        return true;
    };
    if (r.kind == "mini-tickers") {
        auto zone = parse_zone(r.time_zone);
        if (!zone) return invalid();
        out.push_back(topic::mini_tickers(*zone));
        return out;
    }
    if (r.symbols.empty()) return invalid();
    const auto speed = parse_speed(r.speed);
    const auto interval = parse_interval(r.interval);
    const auto zone = parse_zone(r.time_zone);
    const int levels = r.levels == "5" ? 5 : r.levels == "10" ? 10 : r.levels == "20" ? 20 : 0;
    for (const auto& s : r.symbols) {
        bool ok = false;
        if (r.kind == "trades" && speed)
            ok = add(topic::aggre_deals(s, *speed));
        else if (r.kind == "kline" && interval)
            ok = add(topic::kline(s, *interval));
        else if (r.kind == "book-ticker" && speed)
            ok = add(topic::aggre_book_ticker(s, *speed));
        else if (r.kind == "book-ticker-batch")
            ok = add(topic::book_ticker_batch(s));
        else if (r.kind == "limit-depth" && levels != 0)
            ok = add(topic::limit_depth(s, static_cast<topic::DepthLevels>(levels)));
        else if (r.kind == "mini-ticker" && zone)
            ok = add(topic::mini_ticker(s, *zone));
        if (!ok) return invalid();
    }
    return out;
}

std::int64_t received_us(ReceiveTime t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string units(std::int64_t u, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, format_decimal_units(u, scale, std::span<char, 32>(buf)));
}

std::string zone_text(TickerZone z) {
    char buf[16];
    return std::string(buf, format_ticker_zone(z, std::span<char, 16>(buf)));
}

// `"kind":…,"symbol":…,"time":…,"received_us":…` shared by every line.
std::string head(std::string_view kind, const SymbolTable& table, const EventMeta& m) {
    return fmt::format(R"({{"kind":"{}","symbol":"{}","time":{},"received_us":{})", kind,
                       m.symbol == no_symbol ? std::string_view() : table.name(m.symbol),
                       m.event_time, received_us(m.received));
}

std::string top_json(const BookTop& t) {
    return fmt::format(R"("bid":"{}","bid_qty":"{}","ask":"{}","ask_qty":"{}")",
                       t.bid_price.to_string(), t.bid_quantity.to_string(), t.ask_price.to_string(),
                       t.ask_quantity.to_string());
}

std::string levels_json(const std::vector<LevelUnits>& levels, SymbolScales s) {
    std::string out = "[";
    for (const auto& l : levels) {
        if (out.size() > 1) out += ',';
        out +=
            fmt::format(R"(["{}","{}"])", units(l.price, s.price), units(l.quantity, s.quantity));
    }
    return out + "]";
}

std::string ticker_json(const MiniTicker& t) {
    return fmt::format(
        R"("price":"{}","high":"{}","low":"{}","quantity":"{}","quote_volume":"{}","rate":"{}","zoned_rate":"{}")",
        t.price.to_string(), t.high.to_string(), t.low.to_string(), t.quantity.to_string(),
        t.quote_volume.to_string(), t.rate.to_string(), t.zoned_rate.to_string());
}

// The decoders' reused events: after the first pushes, decoding allocates nothing.
struct Events {
    TradesEvent trades;
    KlineEvent kline;
    LimitDepthEvent depth;
    BookTickerEvent ticker;
    BookTickerBatchEvent batch;
    MiniTickerEvent mini;
    MiniTickersEvent minis;
};

// Decodes one push and prints its line(s), at most `room`; returns the number printed.
Result<std::uint64_t> print_frame(const RawFrame& f, const SymbolTable& table, Events& ev,
                                  const std::vector<std::string>& only, std::uint64_t room) {
    auto push = wire::decode_push(f.bytes);
    if (!push) return push.error();
    switch (f.topic->channel()) {
        case topic::Channel::aggre_deals: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.trades); !r)
                return r.error();
            std::uint64_t printed = 0;
            for (const auto& t : ev.trades.trades) {
                if (printed == room) break;
                ++printed;
                fmt::print(
                    "{},\"price\":\"{}\",\"quantity\":\"{}\",\"side\":\"{}\",\"trade_time\":{},"
                    "\"trade_id\":\"{}\"}}\n",
                    head("trades", table, ev.trades.meta), t.price.to_string(),
                    t.quantity.to_string(), to_string(t.taker_side), t.time,
                    std::string_view(t.trade_id));
            }
            return printed;
        }
        case topic::Channel::kline: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.kline); !r)
                return r.error();
            const auto& k = ev.kline;
            fmt::print(
                "{},\"interval\":\"{}\",\"open_time\":{},\"close_time\":{},\"open\":\"{}\","
                "\"high\":\"{}\",\"low\":\"{}\",\"close\":\"{}\",\"volume\":\"{}\",\"quote_"
                "volume\":"
                "\"{}\"}}\n",
                head("kline", table, k.meta), to_string(k.interval), k.open_time, k.close_time,
                k.open.to_string(), k.high.to_string(), k.low.to_string(), k.close.to_string(),
                k.volume.to_string(), k.quote_volume.to_string());
            return 1;
        }
        case topic::Channel::limit_depth: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.depth); !r)
                return r.error();
            const auto& d = ev.depth;
            fmt::print("{},\"version\":{},\"bids\":{},\"asks\":{}}}\n",
                       head("limit-depth", table, d.meta), d.version, levels_json(d.bids, d.scales),
                       levels_json(d.asks, d.scales));
            return 1;
        }
        case topic::Channel::aggre_book_ticker: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.ticker); !r)
                return r.error();
            fmt::print("{},{},\"version\":{}}}\n", head("book-ticker", table, ev.ticker.meta),
                       top_json(ev.ticker.top), ev.ticker.version);
            return 1;
        }
        case topic::Channel::book_ticker_batch: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.batch); !r)
                return r.error();
            std::string tops = "[";
            for (const auto& t : ev.batch.tops) {
                if (tops.size() > 1) tops += ',';
                tops += "{" + top_json(t) + "}";
            }
            fmt::print("{},\"tops\":{}],\"version\":{}}}\n",
                       head("book-ticker-batch", table, ev.batch.meta), tops, ev.batch.version);
            return 1;
        }
        case topic::Channel::mini_ticker: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.mini); !r)
                return r.error();
            fmt::print("{},\"zone\":\"{}\",{}}}\n", head("mini-ticker", table, ev.mini.meta),
                       zone_text(ev.mini.zone), ticker_json(ev.mini.ticker));
            return 1;
        }
        case topic::Channel::mini_tickers: {
            if (auto r = wire::decode_event(*push, f.received, table, ev.minis); !r)
                return r.error();
            std::uint64_t printed = 0;
            EventMeta meta = ev.minis.meta;
            for (const auto& t : ev.minis.tickers) {
                if (printed == room) break;
                const auto name = table.name(t.symbol);
                if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end())
                    continue;
                meta.symbol = t.symbol;  // one line per symbol, each with its own name
                fmt::print("{},\"zone\":\"{}\",{}}}\n", head("mini-tickers", table, meta),
                           zone_text(ev.minis.zone), ticker_json(t));
                ++printed;
            }
            return printed;
        }
        case topic::Channel::aggre_depth:
            break;
    }
    return Error(Condition::bad_data, Errc::unknown_body);
}

// The symbols' scales: of the named symbols (rules, cached by the exchange), or of every symbol
// for the all-symbols channel.
asio::awaitable<Result<SymbolTable>> symbol_table(MexcExchange& ex, const StreamRequest& r) {
    SymbolTable table;
    if (r.kind == "mini-tickers") {
        auto info = co_await ex.public_rest().exchange_info({});
        if (!info) co_return info.error();
        for (const auto& s : info->symbols) table.add(s.symbol, s.scales());
        co_return table;
    }
    for (const auto& s : r.symbols) {
        auto rules = co_await ex.rules(s);
        if (!rules) co_return rules.error();
        table.add(s, rules->scales());
    }
    co_return table;
}

}  // namespace

asio::awaitable<int> stream(MexcExchange& ex, StreamRequest request) {
    auto topics = topics_of(request);
    if (!topics) co_return print_error("arguments", topics.error());
    auto table = co_await symbol_table(ex, request);
    if (!table) co_return print_error("symbols", table.error());
    auto sub = co_await ex.subscribe_frames(std::move(*topics));
    if (!sub) co_return print_error("subscribe", sub.error());

    Events events;
    std::uint64_t printed = 0;
    int rc = 0;
    auto reader = [&]() -> asio::awaitable<void> {
        while (!request.count || printed < *request.count) {
            auto frame = co_await sub->next();
            if (!frame) {
                const auto c = frame.error().condition();
                if (c == Condition::closed) co_return;
                // A loss or a refused topic is reported; the other topics go on, if any do.
                print_error("subscription", frame.error());
                if (c == Condition::bad_data) continue;
                rc = 1;
                const auto refused = frame.error().describe();
                const auto wanted = sub->topics();
                if (std::all_of(wanted.begin(), wanted.end(), [&](const Topic& t) {
                        return refused.find(t.name()) != std::string::npos;
                    }))
                    co_return;
                continue;
            }
            auto n = print_frame(*frame, *table, events, request.symbols,
                                 request.count ? *request.count - printed : ~std::uint64_t{0});
            if (!n)
                print_error("decode", n.error());
            else
                printed += *n;
        }
    };
    if (request.seconds) {
        asio::steady_timer timer(co_await asio::this_coro::executor, *request.seconds);
        co_await (reader() || timer.async_wait(asio::use_awaitable));
    } else {
        co_await reader();
    }
    sub->close();
    std::fflush(stdout);
    co_return rc;
}

}  // namespace mexc::cli
