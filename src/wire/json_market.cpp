// Market-data bodies of the public REST endpoints (SPEC §3.1, shapes of §11.6).

#include "wire/json.hpp"

#include "wire/json_support.hpp"

#include <optional>

namespace mexc::wire {
namespace {

// An object, or each object of an array, read by `read` (ticker endpoints without a symbol).
template <class T, class Read>
Result<std::vector<T>> one_or_many(od::document& doc, Read read) {
    od::json_type t;
    if (doc.type().get(t)) return bad(Errc::malformed_json);
    if (t != od::json_type::object) return read_array<T>(doc, read);
    od::object obj;
    if (doc.get_object().get(obj)) return shape();
    auto one = read(obj);
    if (!one) return one.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    return std::vector<T>{std::move(*one)};
}

Result<PublicTrade> read_trade(od::object obj) {
    PublicTrade t;
    static constexpr std::array<std::string_view, 3> required{"price", "qty", "time"};
    std::bitset<3> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "price") return seen.set(0), decimal_of(v, t.price);
        if (k == "qty") return seen.set(1), decimal_of(v, t.qty);
        if (k == "time") return seen.set(2), !v.get_int64().get(t.time);
        if (k == "quoteQty") return decimal_of(v, t.quote_qty);
        if (k == "isBuyerMaker") return bool_of(v, t.is_buyer_maker);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
}

Result<Ticker24h> read_ticker(od::object obj) {
    Ticker24h t;
    static constexpr std::array<std::string_view, 2> required{"symbol", "lastPrice"};
    std::bitset<2> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return seen.set(0), id_of(v, t.symbol);
        if (k == "lastPrice") return seen.set(1), decimal_of(v, t.last_price);
        if (k == "priceChange") return decimal_of(v, t.price_change);
        if (k == "priceChangePercent") return decimal_of(v, t.price_change_percent);
        if (k == "prevClosePrice") return decimal_of(v, t.prev_close_price);
        if (k == "bidPrice") return decimal_of(v, t.bid_price);
        if (k == "bidQty") return decimal_of(v, t.bid_qty);
        if (k == "askPrice") return decimal_of(v, t.ask_price);
        if (k == "askQty") return decimal_of(v, t.ask_qty);
        if (k == "openPrice") return decimal_of(v, t.open_price);
        if (k == "highPrice") return decimal_of(v, t.high_price);
        if (k == "lowPrice") return decimal_of(v, t.low_price);
        if (k == "volume") return decimal_of(v, t.volume);
        if (k == "quoteVolume") return decimal_of(v, t.quote_volume);
        if (k == "openTime") return !v.get_int64().get(t.open_time);
        if (k == "closeTime") return !v.get_int64().get(t.close_time);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
}

Result<TickerPrice> read_price(od::object obj) {
    TickerPrice t;
    std::bitset<2> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return seen.set(0), id_of(v, t.symbol);
        if (k == "price") return seen.set(1), decimal_of(v, t.price);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, std::array<std::string_view, 2>{"symbol", "price"}); !ok)
        return ok.error();
    return t;
}

Result<BookTickerInfo> read_book_ticker(od::object obj) {
    BookTickerInfo t;
    std::bitset<1> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return seen.set(0), id_of(v, t.symbol);
        if (k == "bidPrice") return decimal_of(v, t.bid_price);
        if (k == "bidQty") return decimal_of(v, t.bid_qty);
        if (k == "askPrice") return decimal_of(v, t.ask_price);
        if (k == "askQty") return decimal_of(v, t.ask_qty);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, std::array<std::string_view, 1>{"symbol"}); !ok) return ok.error();
    return t;
}

// A failed wrapped envelope: MEXC succeeds with code 0 or 200 (SPEC §1.7, §5.2).
Error wrapped_failure(std::int64_t code) {
    return Error(Condition::rejected,
                 boost::system::error_code(static_cast<int>(code), venue_category()));
}

std::string_view trim_right(std::string_view s) noexcept {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A decimal written as a string or as a JSON number: the number is read from its JSON text, so
// "1.05" stays exactly 1.05 (no double in between). Exponents are refused (not exact decimals).
template <class T>
bool exact_decimal(od::value v, T& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t != od::json_type::number) return decimal_of(v, out);
    const std::string_view text = trim_right(v.raw_json_token());
    auto parsed =
        T::parse(text, std::min<std::uint8_t>(fractional_digits(text), max_decimal_scale));
    if (!parsed) return false;
    out = *parsed;
    return true;
}

// An integer (number or numeric string); null leaves 0.
bool int_or_null(od::value v, std::int64_t& out) noexcept {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::null) return out = 0, true;
    return int_or_string(v, out);
}

// Free text kept as MEXC wrote it: a string's contents; a number or bool as written; an object
// or array as raw JSON (the etf `basket` has no documented shape).
bool text_of(od::value v, std::string& out) {
    od::json_type t;
    if (v.type().get(t)) return false;
    std::string_view text;
    switch (t) {
        case od::json_type::null:
            out.clear();
            return true;
        case od::json_type::string:
            if (v.get_string().get(text)) return false;
            break;
        case od::json_type::object: {
            od::object o;
            if (v.get_object().get(o) || o.raw_json().get(text)) return false;
            break;
        }
        case od::json_type::array: {
            od::array a;
            if (v.get_array().get(a) || a.raw_json().get(text)) return false;
            break;
        }
        default:
            text = trim_right(v.raw_json_token());
            break;
    }
    out.assign(text);
    return true;
}

// The `data` of a wrapped envelope: an array of objects read by `read` (null: none). A failing
// item's own error, which names its field, is kept in `failure`.
template <class T, class Read>
bool read_data(od::value v, std::vector<T>& out, Read read, std::optional<Error>& failure) {
    od::json_type t;
    if (v.type().get(t)) return false;
    if (t == od::json_type::null) return true;
    od::array arr;
    if (v.get_array().get(arr)) return false;
    for (auto item : arr) {
        od::object obj;
        if (item.get_object().get(obj)) return false;
        auto one = read(obj);
        if (!one) {
            failure = one.error();
            return false;
        }
        out.push_back(std::move(*one));
    }
    return true;
}

Result<AggTrade> read_agg_trade(od::object obj) {
    AggTrade t;
    static constexpr std::array<std::string_view, 3> required{"p", "q", "T"};
    std::bitset<3> seen;
    // Keys differ only by case ("m" buyer is maker, "M" best match).
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "p") return seen.set(0), decimal_of(v, t.price);
        if (k == "q") return seen.set(1), decimal_of(v, t.qty);
        if (k == "T") return seen.set(2), !v.get_int64().get(t.time);
        if (k == "m") return bool_of(v, t.is_buyer_maker);
        if (k == "M") return bool_of(v, t.is_best_match);
        if (k == "a") return id_of(v, t.aggregate_id);
        if (k == "f") return id_of(v, t.first_id);
        if (k == "l") return id_of(v, t.last_id);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
}

constexpr std::array<std::string_view, 2> etf_required{"symbol", "netValue"};

// One field of an etf/info item; `seen` records etf_required.
bool etf_field(std::string_view k, od::value v, EtfInfo& e, std::bitset<2>& seen) {
    if (k == "symbol") return seen.set(0), id_of(v, e.symbol);
    if (k == "netValue") return seen.set(1), exact_decimal(v, e.net_value);
    if (k == "feeRate") return exact_decimal(v, e.fee_rate);
    if (k == "timestamp") return int_or_null(v, e.timestamp);
    if (k == "leverage") return exact_decimal(v, e.leverage);
    if (k == "realLeverage") return exact_decimal(v, e.real_leverage);
    if (k == "mergedTimes") return int_or_null(v, e.merged_times);
    if (k == "lastMergedTime") return int_or_null(v, e.last_merged_time);
    if (k == "basket") return text_of(v, e.basket);
    return true;
}

Result<EtfInfo> read_etf(od::object obj) {
    EtfInfo e;
    std::bitset<2> seen;
    auto r =
        walk_object(obj, [&](std::string_view k, od::value v) { return etf_field(k, v, e, seen); });
    if (!r) return r.error();
    if (auto ok = require(seen, etf_required); !ok) return ok.error();
    return e;
}

Result<OfflineSymbol> read_offline(od::object obj) {
    OfflineSymbol s;
    static constexpr std::array<std::string_view, 2> required{"symbol", "state"};
    std::bitset<2> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return seen.set(0), id_of(v, s.symbol);
        if (k == "state") {
            seen.set(1);
            std::int64_t n = 0;
            if (!int_or_string(v, n) || n < 0 || n > 255) return false;
            s.state = static_cast<OfflineState>(n);  // unknown states are kept as sent
            return true;
        }
        if (k == "offlineTime") return int_or_null(v, s.offline_time);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return s;
}

}  // namespace

Result<std::vector<PublicTrade>> JsonReader::public_trades(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return one_or_many<PublicTrade>(doc, read_trade);
}

Result<std::vector<KlineBar>> JsonReader::klines(std::string_view body) {
    // [openTime, open, high, low, close, volume, closeTime, quoteVolume] (SPEC §3.1)
    od::document doc;
    od::array bars;
    if (impl_->iterate(body).get(doc) || doc.get_array().get(bars))
        return bad(Errc::malformed_json);
    std::vector<KlineBar> out;
    for (auto bar : bars) {
        od::array fields;
        if (bar.get_array().get(fields)) return shape();
        KlineBar k;
        int i = 0;
        for (auto f : fields) {
            od::value v;
            if (f.get(v)) return shape();
            bool ok = true;
            switch (i) {
                case 0:
                    ok = !v.get_int64().get(k.open_time);
                    break;
                case 1:
                    ok = decimal_of(v, k.open);
                    break;
                case 2:
                    ok = decimal_of(v, k.high);
                    break;
                case 3:
                    ok = decimal_of(v, k.low);
                    break;
                case 4:
                    ok = decimal_of(v, k.close);
                    break;
                case 5:
                    ok = decimal_of(v, k.volume);
                    break;
                case 6:
                    ok = !v.get_int64().get(k.close_time);
                    break;
                case 7:
                    ok = decimal_of(v, k.quote_volume);
                    break;
                default:
                    break;  // later additions are ignored
            }
            if (!ok) return shape();
            ++i;
        }
        if (i < 8) return field_error(Errc::missing_field, "kline");
        out.push_back(k);
    }
    if (!at_end(doc)) return bad(Errc::malformed_json);
    return out;
}

Result<AveragePrice> JsonReader::average_price(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    AveragePrice a;
    std::bitset<1> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "price") return seen.set(0), decimal_of(v, a.price);
        if (k == "mins") {
            std::int64_t m = 0;
            if (!int_or_string(v, m)) return false;
            a.minutes = static_cast<int>(m);
        }
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, std::array<std::string_view, 1>{"price"}); !ok) return ok.error();
    return a;
}

Result<std::vector<Ticker24h>> JsonReader::tickers_24h(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return one_or_many<Ticker24h>(doc, read_ticker);
}

Result<std::vector<TickerPrice>> JsonReader::ticker_prices(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return one_or_many<TickerPrice>(doc, read_price);
}

Result<std::vector<BookTickerInfo>> JsonReader::book_tickers(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return one_or_many<BookTickerInfo>(doc, read_book_ticker);
}

Result<std::vector<std::string>> JsonReader::symbol_list(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    std::vector<std::string> out;
    std::int64_t code = 0;
    bool has_data = false;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "code") return int_or_string(v, code);
        if (k != "data") return true;
        has_data = true;
        od::array arr;
        if (v.get_array().get(arr)) return false;
        for (auto item : arr) {
            std::string_view s;
            if (item.get_string().get(s)) return false;
            out.emplace_back(s);
        }
        return true;
    });
    if (!r) return r.error();
    if (code != 0 && code != 200) return wrapped_failure(code);
    if (!has_data) return field_error(Errc::missing_field, "data");
    return out;
}

Result<std::vector<AggTrade>> JsonReader::agg_trades(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return read_array<AggTrade>(doc, read_agg_trade);
}

Result<std::vector<EtfInfo>> JsonReader::etf_infos(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    od::json_type t;
    if (doc.type().get(t)) return bad(Errc::malformed_json);
    if (t != od::json_type::object) return read_array<EtfInfo>(doc, read_etf);
    od::object obj;
    if (doc.get_object().get(obj)) return shape();
    // One item, or the wrapped envelope some clients see ({"code":..,"data":[...]}): a `data`
    // key tells them apart, so the object is walked once for both.
    EtfInfo one;
    std::bitset<2> seen;
    std::vector<EtfInfo> items;
    std::optional<Error> item_error;
    std::int64_t code = 0;
    bool has_data = false;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "data") return has_data = true, read_data(v, items, read_etf, item_error);
        if (k == "code") return int_or_string(v, code);
        return etf_field(k, v, one, seen);
    });
    if (item_error) return *item_error;
    if (!r) return r.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (code != 0 && code != 200) return wrapped_failure(code);
    if (has_data) return items;
    if (auto ok = require(seen, etf_required); !ok) return ok.error();
    return std::vector<EtfInfo>{std::move(one)};
}

Result<std::vector<OfflineSymbol>> JsonReader::offline_symbols(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    std::vector<OfflineSymbol> out;
    std::optional<Error> item_error;
    std::int64_t code = 0;  // documented without one (SPEC §3.1); checked when present
    bool has_data = false;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "code") return int_or_string(v, code);
        if (k == "data") return has_data = true, read_data(v, out, read_offline, item_error);
        return true;
    });
    if (item_error) return *item_error;
    if (!r) return r.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (code != 0 && code != 200) return wrapped_failure(code);
    if (!has_data) return field_error(Errc::missing_field, "data");
    return out;
}

}  // namespace mexc::wire
