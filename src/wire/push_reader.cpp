#include "mexc/wire/push.hpp"

#include "mexc/decimal.hpp"

namespace mexc::wire {
namespace {

Error bad(Errc e) noexcept {
    return make_error(Condition::bad_data, e);
}

// Walks every field of `msg`, calling on_field(field) -> Errc{} to continue or an error to stop.
template <class OnField>
Errc walk(std::string_view msg, OnField&& on_field) noexcept {
    ProtoReader r(msg);
    ProtoField f;
    Errc e{};
    while (!r.at_end()) {
        if (!r.next(f, e)) return e;
        if (const Errc stop = on_field(f); stop != Errc{}) return stop;
    }
    return Errc{};
}

// Field accessors that check the wire type the schema declares.
inline Errc take_string(const ProtoField& f, std::string_view& out) noexcept {
    if (f.type != WireType::length_delimited) return Errc::bad_wire_type;
    out = f.bytes;
    return Errc{};
}
inline Errc take_int(const ProtoField& f, std::int64_t& out) noexcept {
    if (f.type != WireType::varint) return Errc::bad_wire_type;
    out = static_cast<std::int64_t>(f.varint);
    return Errc{};
}
inline Errc take_int(const ProtoField& f, std::int32_t& out) noexcept {
    if (f.type != WireType::varint) return Errc::bad_wire_type;
    out = static_cast<std::int32_t>(static_cast<std::uint32_t>(f.varint));
    return Errc{};
}
inline Errc take_bool(const ProtoField& f, bool& out) noexcept {
    if (f.type != WireType::varint) return Errc::bad_wire_type;
    out = f.varint != 0;
    return Errc{};
}

// A repeated submessage: counts it and checks that its own fields are well-formed.
template <class Check>
Errc take_item(const ProtoField& f, std::uint32_t& count, Check&& check) noexcept {
    if (f.type != WireType::length_delimited) return Errc::bad_wire_type;
    if (const Errc e = check(f.bytes); e != Errc{}) return e;
    ++count;
    return Errc{};
}

Errc check_depth_level(std::string_view bytes) noexcept {
    return walk(bytes, [](const ProtoField& f) {
        std::string_view s;
        if (f.number == 1 || f.number == 2) return take_string(f, s);
        return Errc{};
    });
}

Errc version_of(std::string_view text, std::int64_t& out) noexcept {
    auto v = parse_version(text);
    if (!v) return v.error();
    out = *v;
    return Errc{};
}

Errc check_deal(std::string_view bytes) noexcept {
    Deal d;
    bool has_time = false;
    const Errc e = walk(bytes, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, d.price);
            case 2:
                return take_string(f, d.quantity);
            case 3:
                return take_int(f, d.trade_type);
            case 4:
                has_time = true;
                return take_int(f, d.time);
            case 5:
                return take_string(f, d.trade_id);
            default:
                return Errc{};
        }
    });
    if (e != Errc{}) return e;
    if (d.price.empty() || d.quantity.empty() || !has_time) return Errc::missing_field;
    return Errc{};
}

Errc check_strings(std::string_view bytes) noexcept {
    return walk(bytes, [](const ProtoField& f) {
        return f.type == WireType::length_delimited ? Errc{} : Errc::bad_wire_type;
    });
}

template <class T>
Result<T> finish(Errc e, T&& value) noexcept {
    if (e != Errc{}) return bad(e);
    return std::move(value);
}

}  // namespace

std::string_view to_string(BodyKind k) noexcept {
    switch (k) {
        case BodyKind::none:
            return "none";
        case BodyKind::public_deals:
            return "publicDeals";
        case BodyKind::public_increase_depths:
            return "publicIncreaseDepths";
        case BodyKind::public_limit_depths:
            return "publicLimitDepths";
        case BodyKind::private_orders:
            return "privateOrders";
        case BodyKind::public_book_ticker:
            return "publicBookTicker";
        case BodyKind::private_deals:
            return "privateDeals";
        case BodyKind::private_account:
            return "privateAccount";
        case BodyKind::public_spot_kline:
            return "publicSpotKline";
        case BodyKind::public_mini_ticker:
            return "publicMiniTicker";
        case BodyKind::public_mini_tickers:
            return "publicMiniTickers";
        case BodyKind::public_book_ticker_batch:
            return "publicBookTickerBatch";
        case BodyKind::public_increase_depths_batch:
            return "publicIncreaseDepthsBatch";
        case BodyKind::public_aggre_depths:
            return "publicAggreDepths";
        case BodyKind::public_aggre_deals:
            return "publicAggreDeals";
        case BodyKind::public_aggre_book_ticker:
            return "publicAggreBookTicker";
    }
    return "unknown";
}

Result<PushFrame> decode_push(std::string_view frame) noexcept {
    PushFrame out;
    bool has_channel = false;
    const Errc e = walk(frame, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                has_channel = true;
                return take_string(f, out.channel);
            case 3:
                return take_string(f, out.symbol);
            case 4:
                return take_string(f, out.symbol_id);
            case 5:
                return take_int(f, out.create_time);
            case 6:
                return take_int(f, out.send_time);
            default:
                if (f.number >= 301 && f.number <= 315) {
                    // A oneof: the last body on the wire wins, as protobuf parsers do.
                    out.kind = static_cast<BodyKind>(f.number);
                    return take_string(f, out.body);
                }
                ++out.unknown_fields;
                return Errc{};
        }
    });
    if (e != Errc{}) return bad(e);
    if (!has_channel || out.channel.empty()) return bad(Errc::missing_field);
    if (out.kind == BodyKind::none) return bad(Errc::unknown_body);
    return out;
}

DepthLevel decode_depth_level(std::string_view bytes) noexcept {
    DepthLevel l;
    walk(bytes, [&](const ProtoField& f) {
        if (f.number == 1) return take_string(f, l.price);
        if (f.number == 2) return take_string(f, l.quantity);
        return Errc{};
    });
    return l;
}

Deal decode_deal(std::string_view bytes) noexcept {
    Deal d;
    walk(bytes, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, d.price);
            case 2:
                return take_string(f, d.quantity);
            case 3:
                return take_int(f, d.trade_type);
            case 4:
                return take_int(f, d.time);
            case 5:
                return take_string(f, d.trade_id);
            default:
                return Errc{};
        }
    });
    return d;
}

BookTicker decode_book_ticker_item(std::string_view bytes) noexcept {
    BookTicker t;
    walk(bytes, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, t.bid_price);
            case 2:
                return take_string(f, t.bid_quantity);
            case 3:
                return take_string(f, t.ask_price);
            case 4:
                return take_string(f, t.ask_quantity);
            default:
                return Errc{};
        }
    });
    return t;
}

MiniTicker decode_mini_ticker_item(std::string_view bytes) noexcept {
    MiniTicker t;
    std::string_view* const fields[] = {&t.symbol,
                                        &t.price,
                                        &t.rate,
                                        &t.zoned_rate,
                                        &t.high,
                                        &t.low,
                                        &t.volume,
                                        &t.quantity,
                                        &t.last_close_rate,
                                        &t.last_close_zoned_rate,
                                        &t.last_close_high,
                                        &t.last_close_low};
    walk(bytes, [&](const ProtoField& f) {
        if (f.number >= 1 && f.number <= 12) return take_string(f, *fields[f.number - 1]);
        return Errc{};
    });
    return t;
}

Result<AggreDepth> decode_aggre_depth(std::string_view body) noexcept {
    AggreDepth d;
    std::uint32_t asks = 0, bids = 0;
    std::string_view from, to;
    bool has_from = false, has_to = false;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_item(f, asks, check_depth_level);
            case 2:
                return take_item(f, bids, check_depth_level);
            case 3:
                return take_string(f, d.event_type);
            case 4:
                has_from = true;
                return take_string(f, from);
            case 5:
                has_to = true;
                return take_string(f, to);
            case 6:
                return take_int(f, d.last_order_create_time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && (!has_from || !has_to)) e = Errc::missing_field;
    if (e == Errc{}) e = version_of(from, d.from_version);
    if (e == Errc{}) e = version_of(to, d.to_version);
    if (e == Errc{} && d.from_version > d.to_version) e = Errc::bad_version;
    d.asks = DepthLevels(body, 1, asks);
    d.bids = DepthLevels(body, 2, bids);
    return finish(e, std::move(d));
}

IncreaseDepth decode_increase_depth_item(std::string_view bytes) noexcept {
    IncreaseDepth d;
    std::uint32_t asks = 0, bids = 0;
    std::string_view version;
    walk(bytes, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_item(f, asks, check_depth_level);
            case 2:
                return take_item(f, bids, check_depth_level);
            case 3:
                return take_string(f, d.event_type);
            case 4:
                return take_string(f, version);
            default:
                return Errc{};
        }
    });
    version_of(version, d.version);
    d.asks = DepthLevels(bytes, 1, asks);
    d.bids = DepthLevels(bytes, 2, bids);
    return d;
}

namespace {
Errc check_increase_depth(std::string_view bytes) noexcept {
    std::string_view version, event_type;
    bool has_version = false;
    std::uint32_t n = 0;
    Errc e = walk(bytes, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
            case 2:
                return take_item(f, n, check_depth_level);
            case 3:
                return take_string(f, event_type);
            case 4:
                has_version = true;
                return take_string(f, version);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && !has_version) e = Errc::missing_field;
    std::int64_t v = 0;
    if (e == Errc{}) e = version_of(version, v);
    return e;
}
}  // namespace

Result<IncreaseDepth> decode_increase_depth(std::string_view body) noexcept {
    if (const Errc e = check_increase_depth(body); e != Errc{}) return bad(e);
    return decode_increase_depth_item(body);
}

Result<IncreaseDepthBatch> decode_increase_depth_batch(std::string_view body) noexcept {
    IncreaseDepthBatch b;
    std::uint32_t n = 0;
    const Errc e = walk(body, [&](const ProtoField& f) {
        if (f.number == 1) return take_item(f, n, check_increase_depth);
        if (f.number == 2) return take_string(f, b.event_type);
        return Errc{};
    });
    b.items = decltype(b.items)(body, 1, n);
    return finish(e, std::move(b));
}

Result<LimitDepth> decode_limit_depth(std::string_view body) noexcept {
    LimitDepth d;
    std::uint32_t asks = 0, bids = 0;
    std::string_view version;
    bool has_version = false;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_item(f, asks, check_depth_level);
            case 2:
                return take_item(f, bids, check_depth_level);
            case 3:
                return take_string(f, d.event_type);
            case 4:
                has_version = true;
                return take_string(f, version);
            case 5:
                return take_int(f, d.last_order_create_time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && !has_version) e = Errc::missing_field;
    if (e == Errc{}) e = version_of(version, d.version);
    d.asks = DepthLevels(body, 1, asks);
    d.bids = DepthLevels(body, 2, bids);
    return finish(e, std::move(d));
}

Result<DealsBody> decode_deals(std::string_view body) noexcept {
    DealsBody b;
    std::uint32_t n = 0;
    const Errc e = walk(body, [&](const ProtoField& f) {
        if (f.number == 1) return take_item(f, n, check_deal);
        if (f.number == 2) return take_string(f, b.event_type);
        return Errc{};
    });
    b.deals = Deals(body, 1, n);
    return finish(e, std::move(b));
}

Result<AggreBookTicker> decode_book_ticker(std::string_view body) noexcept {
    AggreBookTicker t;
    std::string_view version;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, t.ticker.bid_price);
            case 2:
                return take_string(f, t.ticker.bid_quantity);
            case 3:
                return take_string(f, t.ticker.ask_price);
            case 4:
                return take_string(f, t.ticker.ask_quantity);
            case 5:
                return take_string(f, version);
            case 6:
                return take_int(f, t.last_order_create_time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && !version.empty()) e = version_of(version, t.version);
    return finish(e, std::move(t));
}

Result<BookTickerBatch> decode_book_ticker_batch(std::string_view body) noexcept {
    BookTickerBatch b;
    std::uint32_t n = 0;
    std::string_view version;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_item(f, n, check_strings);
            case 2:
                return take_string(f, version);
            case 3:
                return take_int(f, b.last_order_create_time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && !version.empty()) e = version_of(version, b.version);
    b.items = BookTickers(body, 1, n);
    return finish(e, std::move(b));
}

Result<Kline> decode_kline(std::string_view body) noexcept {
    Kline k;
    bool has_start = false;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, k.interval);
            case 2:
                has_start = true;
                return take_int(f, k.window_start);
            case 3:
                return take_string(f, k.opening_price);
            case 4:
                return take_string(f, k.closing_price);
            case 5:
                return take_string(f, k.highest_price);
            case 6:
                return take_string(f, k.lowest_price);
            case 7:
                return take_string(f, k.volume);
            case 8:
                return take_string(f, k.amount);
            case 9:
                return take_int(f, k.window_end);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && (k.interval.empty() || !has_start)) e = Errc::missing_field;
    return finish(e, std::move(k));
}

Result<MiniTicker> decode_mini_ticker(std::string_view body) noexcept {
    if (const Errc e = check_strings(body); e != Errc{}) return bad(e);
    MiniTicker t = decode_mini_ticker_item(body);
    if (t.symbol.empty()) return bad(Errc::missing_field);
    return t;
}

Result<MiniTickers> decode_mini_tickers(std::string_view body) noexcept {
    std::uint32_t n = 0;
    const Errc e = walk(body, [&](const ProtoField& f) {
        if (f.number == 1) return take_item(f, n, check_strings);
        return Errc{};
    });
    return finish(e, MiniTickers(body, 1, n));
}

Result<AccountUpdate> decode_private_account(std::string_view body) noexcept {
    AccountUpdate a;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, a.asset);
            case 2:
                return take_string(f, a.coin_id);
            case 3:
                return take_string(f, a.free);
            case 4:
                return take_string(f, a.free_change);
            case 5:
                return take_string(f, a.locked);
            case 6:
                return take_string(f, a.locked_change);
            case 7:
                return take_string(f, a.change_type);
            case 8:
                return take_int(f, a.time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && a.asset.empty()) e = Errc::missing_field;
    return finish(e, std::move(a));
}

Result<PrivateDeal> decode_private_deal(std::string_view body) noexcept {
    PrivateDeal d;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, d.price);
            case 2:
                return take_string(f, d.quantity);
            case 3:
                return take_string(f, d.amount);
            case 4:
                return take_int(f, d.trade_type);
            case 5:
                return take_bool(f, d.is_maker);
            case 6:
                return take_bool(f, d.is_self_trade);
            case 7:
                return take_string(f, d.trade_id);
            case 8:
                return take_string(f, d.client_order_id);
            case 9:
                return take_string(f, d.order_id);
            case 10:
                return take_string(f, d.fee_amount);
            case 11:
                return take_string(f, d.fee_currency);
            case 12:
                return take_int(f, d.time);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} &&
        (d.trade_id.empty() || d.order_id.empty() || d.price.empty() || d.quantity.empty()))
        e = Errc::missing_field;
    return finish(e, std::move(d));
}

Result<PrivateOrder> decode_private_order(std::string_view body) noexcept {
    PrivateOrder o;
    Errc e = walk(body, [&](const ProtoField& f) {
        switch (f.number) {
            case 1:
                return take_string(f, o.id);
            case 2:
                return take_string(f, o.client_id);
            case 3:
                return take_string(f, o.price);
            case 4:
                return take_string(f, o.quantity);
            case 5:
                return take_string(f, o.amount);
            case 6:
                return take_string(f, o.avg_price);
            case 7:
                return take_int(f, o.order_type);
            case 8:
                return take_int(f, o.trade_type);
            case 9:
                return take_bool(f, o.is_maker);
            case 10:
                return take_string(f, o.remain_amount);
            case 11:
                return take_string(f, o.remain_quantity);
            case 12:
                o.has_last_deal_quantity = true;
                return take_string(f, o.last_deal_quantity);
            case 13:
                return take_string(f, o.cumulative_quantity);
            case 14:
                return take_string(f, o.cumulative_amount);
            case 15:
                return take_int(f, o.status);
            case 16:
                return take_int(f, o.create_time);
            case 17:
                return take_string(f, o.market);
            case 18:
                return take_int(f, o.trigger_type);
            case 19:
                return take_string(f, o.trigger_price);
            case 20:
                return take_int(f, o.state);
            case 21:
                return take_string(f, o.oco_id);
            case 22:
                return take_string(f, o.route_factor);
            case 23:
                return take_string(f, o.symbol_id);
            case 24:
                return take_string(f, o.market_id);
            case 25:
                return take_string(f, o.market_currency_id);
            case 26:
                return take_string(f, o.currency_id);
            default:
                return Errc{};
        }
    });
    if (e == Errc{} && (o.id.empty() || o.status == 0)) e = Errc::missing_field;
    return finish(e, std::move(o));
}

}  // namespace mexc::wire
