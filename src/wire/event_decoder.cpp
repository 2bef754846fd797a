#include "mexc/wire/events.hpp"

#include <algorithm>

namespace mexc::wire {
namespace {

Error bad(Errc e) noexcept {
    return make_error(Condition::bad_data, e);
}

// The k-th '@'-separated segment of a topic counted from its end (0 = last); empty when absent.
std::string_view segment_from_end(std::string_view topic, std::size_t k) noexcept {
    std::size_t end = topic.size();
    for (;;) {
        const auto at = topic.rfind('@', end == 0 ? 0 : end - 1);
        if (at == std::string_view::npos || end == 0) return {};
        if (k == 0) return topic.substr(at + 1, end - at - 1);
        --k;
        end = at;
    }
}

// The push's symbol: the wrapper's field, else the topic's segment that names it.
Result<SymbolId> symbol_of(const PushFrame& frame, std::size_t segment,
                           const SymbolTable& symbols) noexcept {
    const std::string_view name =
        frame.symbol.empty() ? segment_from_end(frame.channel, segment) : frame.symbol;
    if (const auto id = symbols.find(name)) return *id;
    return bad(Errc::unknown_symbol);
}

EventMeta meta_of(const PushFrame& frame, SymbolId symbol, ReceiveTime received) noexcept {
    return {symbol, frame.send_time != 0 ? frame.send_time : frame.create_time, received};
}

// Exact decimal reads. `Required`: absent (proto3 drops empty strings) is missing_field;
// otherwise absent reads as zero, as MEXC omits nothing it has.
enum class Presence : bool { optional, required };

template <class T>
Errc read_at(std::string_view text, std::uint8_t scale, T& out, Presence presence) noexcept {
    if (text.empty()) {
        out = T::from_units(0, scale);
        return presence == Presence::required ? Errc::missing_field : Errc{};
    }
    const auto units = parse_decimal_units(text, scale);
    if (!units) return units.error();
    out = T::from_units(*units, scale);
    return Errc{};
}

// At the scale written: turnovers and rates.
template <class T>
Errc read_written(std::string_view text, T& out) noexcept {
    return read_at(text, std::min(fractional_digits(text), max_decimal_scale), out,
                   Presence::optional);
}

Errc read_top(const BookTicker& t, SymbolScales s, BookTop& out) noexcept {
    for (const Errc e : {read_at(t.bid_price, s.price, out.bid_price, Presence::optional),
                         read_at(t.bid_quantity, s.quantity, out.bid_quantity, Presence::optional),
                         read_at(t.ask_price, s.price, out.ask_price, Presence::optional),
                         read_at(t.ask_quantity, s.quantity, out.ask_quantity, Presence::optional)})
        if (e != Errc{}) return e;
    return Errc{};
}

Errc read_levels(const DepthLevels& levels, SymbolScales s, std::vector<LevelUnits>& out) {
    out.clear();
    for (const DepthLevel l : levels) {
        if (l.price.empty()) return Errc::missing_field;
        const auto price = parse_decimal_units(l.price, s.price);
        if (!price) return price.error();
        std::int64_t qty = 0;  // "0" may arrive as an absent field
        if (!l.quantity.empty()) {
            const auto q = parse_decimal_units(l.quantity, s.quantity);
            if (!q) return q.error();
            qty = *q;
        }
        out.push_back({*price, qty});
    }
    return Errc{};
}

Errc read_mini_ticker(const wire::MiniTicker& m, SymbolId id, SymbolScales s, mexc::MiniTicker& t) {
    t.symbol = id;
    for (const Errc e : {read_at(m.price, s.price, t.price, Presence::required),
                         read_at(m.high, s.price, t.high, Presence::optional),
                         read_at(m.low, s.price, t.low, Presence::optional),
                         read_at(m.quantity, s.quantity, t.quantity, Presence::optional),
                         read_written(m.volume, t.quote_volume), read_written(m.rate, t.rate),
                         read_written(m.zoned_rate, t.zoned_rate),
                         read_written(m.last_close_rate, t.last_close_rate),
                         read_written(m.last_close_zoned_rate, t.last_close_zoned_rate),
                         read_at(m.last_close_high, s.price, t.last_close_high, Presence::optional),
                         read_at(m.last_close_low, s.price, t.last_close_low, Presence::optional)})
        if (e != Errc{}) return e;
    return Errc{};
}

Result<TickerZone> zone_of(const PushFrame& frame) noexcept {
    if (auto zone = parse_ticker_zone(segment_from_end(frame.channel, 0))) return *zone;
    return bad(Errc::missing_field);
}

Result<void> done(Errc e) noexcept {
    if (e != Errc{}) return bad(e);
    return {};
}

}  // namespace

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          TradesEvent& out) {
    if (frame.kind != BodyKind::public_aggre_deals && frame.kind != BodyKind::public_deals)
        return bad(Errc::unknown_body);
    auto id = symbol_of(frame, 0, symbols);
    if (!id) return id.error();
    auto body = decode_deals(frame.body);
    if (!body) return body.error();
    const SymbolScales s = symbols.scales(*id);
    out.meta = meta_of(frame, *id, received);
    out.trades.clear();
    for (const Deal d : body->deals) {
        Trade& t = out.trades.emplace_back();
        if (const Errc e = read_at(d.price, s.price, t.price, Presence::required); e != Errc{})
            return bad(e);
        if (const Errc e = read_at(d.quantity, s.quantity, t.quantity, Presence::required);
            e != Errc{})
            return bad(e);
        t.taker_side = d.trade_type == 1   ? Side::buy
                       : d.trade_type == 2 ? Side::sell
                                           : Side::unknown;
        t.time = d.time;
        if (!decltype(t.trade_id)::fits(d.trade_id)) return bad(Errc::overflow);
        t.trade_id = d.trade_id;
    }
    return {};
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          KlineEvent& out) {
    if (frame.kind != BodyKind::public_spot_kline) return bad(Errc::unknown_body);
    auto id = symbol_of(frame, 1, symbols);
    if (!id) return id.error();
    auto k = decode_kline(frame.body);
    if (!k) return k.error();
    const auto interval = parse_kline_interval(k->interval);
    if (!interval) return bad(Errc::missing_field);
    const SymbolScales s = symbols.scales(*id);
    out.meta = meta_of(frame, *id, received);
    out.interval = *interval;
    out.open_time = k->window_start * 1000;
    out.close_time = k->window_end * 1000;
    for (const Errc e : {read_at(k->opening_price, s.price, out.open, Presence::required),
                         read_at(k->closing_price, s.price, out.close, Presence::required),
                         read_at(k->highest_price, s.price, out.high, Presence::required),
                         read_at(k->lowest_price, s.price, out.low, Presence::required),
                         read_at(k->volume, s.quantity, out.volume, Presence::optional),
                         read_written(k->amount, out.quote_volume)})
        if (e != Errc{}) return bad(e);
    return {};
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          LimitDepthEvent& out) {
    if (frame.kind != BodyKind::public_limit_depths) return bad(Errc::unknown_body);
    auto id = symbol_of(frame, 1, symbols);
    if (!id) return id.error();
    auto d = decode_limit_depth(frame.body);
    if (!d) return d.error();
    out.meta = meta_of(frame, *id, received);
    out.scales = symbols.scales(*id);
    out.version = d->version;
    out.last_order_create_time = d->last_order_create_time;
    if (const Errc e = read_levels(d->bids, out.scales, out.bids); e != Errc{}) return bad(e);
    return done(read_levels(d->asks, out.scales, out.asks));
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          BookTickerEvent& out) {
    if (frame.kind != BodyKind::public_aggre_book_ticker &&
        frame.kind != BodyKind::public_book_ticker)
        return bad(Errc::unknown_body);
    auto id = symbol_of(frame, 0, symbols);
    if (!id) return id.error();
    auto t = decode_book_ticker(frame.body);
    if (!t) return t.error();
    out.meta = meta_of(frame, *id, received);
    out.version = t->version;
    out.last_order_create_time = t->last_order_create_time;
    return done(read_top(t->ticker, symbols.scales(*id), out.top));
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          BookTickerBatchEvent& out) {
    if (frame.kind != BodyKind::public_book_ticker_batch) return bad(Errc::unknown_body);
    auto id = symbol_of(frame, 0, symbols);
    if (!id) return id.error();
    auto b = decode_book_ticker_batch(frame.body);
    if (!b) return b.error();
    const SymbolScales s = symbols.scales(*id);
    out.meta = meta_of(frame, *id, received);
    out.version = b->version;
    out.last_order_create_time = b->last_order_create_time;
    out.tops.clear();
    for (const BookTicker item : b->items)
        if (const Errc e = read_top(item, s, out.tops.emplace_back()); e != Errc{}) return bad(e);
    return {};
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          MiniTickerEvent& out) {
    if (frame.kind != BodyKind::public_mini_ticker) return bad(Errc::unknown_body);
    auto zone = zone_of(frame);
    if (!zone) return zone.error();
    auto m = decode_mini_ticker(frame.body);
    if (!m) return m.error();
    // The wrapper's symbol, else the body's, else the topic's.
    PushFrame named = frame;
    if (named.symbol.empty()) named.symbol = m->symbol;
    auto id = symbol_of(named, 1, symbols);
    if (!id) return id.error();
    out.meta = meta_of(frame, *id, received);
    out.zone = *zone;
    return done(read_mini_ticker(*m, *id, symbols.scales(*id), out.ticker));
}

Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          MiniTickersEvent& out) {
    if (frame.kind != BodyKind::public_mini_tickers) return bad(Errc::unknown_body);
    auto zone = zone_of(frame);
    if (!zone) return zone.error();
    auto items = decode_mini_tickers(frame.body);
    if (!items) return items.error();
    out.meta = meta_of(frame, no_symbol, received);
    out.zone = *zone;
    out.tickers.clear();
    out.unknown_symbols = 0;
    for (const wire::MiniTicker m : *items) {
        const auto id = symbols.find(m.symbol);
        if (!id) {
            ++out.unknown_symbols;
            continue;
        }
        const Errc e = read_mini_ticker(m, *id, symbols.scales(*id), out.tickers.emplace_back());
        if (e != Errc{}) return bad(e);
    }
    return {};
}

}  // namespace mexc::wire
