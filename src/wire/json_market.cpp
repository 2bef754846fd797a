// Market-data bodies of the public REST endpoints (SPEC §3.1, shapes of §11.6).

#include "mexc/wire/json.hpp"

#include "wire/json_support.hpp"

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
    if (auto ok = require(seen, std::array<std::string_view, 2>{"symbol", "price"}); !ok) return ok.error();
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
    if (impl_->iterate(body).get(doc) || doc.get_array().get(bars)) return bad(Errc::malformed_json);
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
            case 0: ok = !v.get_int64().get(k.open_time); break;
            case 1: ok = decimal_of(v, k.open); break;
            case 2: ok = decimal_of(v, k.high); break;
            case 3: ok = decimal_of(v, k.low); break;
            case 4: ok = decimal_of(v, k.close); break;
            case 5: ok = decimal_of(v, k.volume); break;
            case 6: ok = !v.get_int64().get(k.close_time); break;
            case 7: ok = decimal_of(v, k.quote_volume); break;
            default: break;  // later additions are ignored
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
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj)) return bad(Errc::malformed_json);
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
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj)) return bad(Errc::malformed_json);
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
    // Wrapped envelopes succeed with code 0 or 200 (SPEC §1.7).
    if (code != 0 && code != 200)
        return Error(Condition::rejected, boost::system::error_code(static_cast<int>(code), venue_category()));
    if (!has_data) return field_error(Errc::missing_field, "data");
    return out;
}

}  // namespace mexc::wire
