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
        if (k == "price") return req(seen, 0, decimal_of(v, t.price));
        if (k == "qty") return req(seen, 1, decimal_of(v, t.qty));
        if (k == "time") return req(seen, 2, int_of(v, t.time));
        if (k == "quoteQty") return opt(decimal_of(v, t.quote_qty));
        if (k == "isBuyerMaker") return opt(bool_of(v, t.is_buyer_maker));
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
        if (k == "symbol") return req(seen, 0, text_of(v, t.symbol));
        if (k == "lastPrice") return req(seen, 1, decimal_of(v, t.last_price));
        if (k == "priceChange") return opt(decimal_of(v, t.price_change));
        if (k == "priceChangePercent") return opt(decimal_of(v, t.price_change_percent));
        if (k == "prevClosePrice") return opt(decimal_of(v, t.prev_close_price));
        if (k == "bidPrice") return opt(decimal_of(v, t.bid_price));
        if (k == "bidQty") return opt(decimal_of(v, t.bid_qty));
        if (k == "askPrice") return opt(decimal_of(v, t.ask_price));
        if (k == "askQty") return opt(decimal_of(v, t.ask_qty));
        if (k == "openPrice") return opt(decimal_of(v, t.open_price));
        if (k == "highPrice") return opt(decimal_of(v, t.high_price));
        if (k == "lowPrice") return opt(decimal_of(v, t.low_price));
        if (k == "volume") return opt(decimal_of(v, t.volume));
        if (k == "quoteVolume") return opt(decimal_of(v, t.quote_volume));
        if (k == "openTime") return opt(int_of(v, t.open_time));
        if (k == "closeTime") return opt(int_of(v, t.close_time));
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
        if (k == "symbol") return req(seen, 0, text_of(v, t.symbol));
        if (k == "price") return req(seen, 1, decimal_of(v, t.price));
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
        if (k == "symbol") return req(seen, 0, text_of(v, t.symbol));
        if (k == "bidPrice") return opt(decimal_of(v, t.bid_price));
        if (k == "bidQty") return opt(decimal_of(v, t.bid_qty));
        if (k == "askPrice") return opt(decimal_of(v, t.ask_price));
        if (k == "askQty") return opt(decimal_of(v, t.ask_qty));
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

Result<AggTrade> read_agg_trade(od::object obj) {
    AggTrade t;
    static constexpr std::array<std::string_view, 3> required{"p", "q", "T"};
    std::bitset<3> seen;
    // Keys differ only by case ("m" buyer is maker, "M" best match).
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "p") return req(seen, 0, decimal_of(v, t.price));
        if (k == "q") return req(seen, 1, decimal_of(v, t.qty));
        if (k == "T") return req(seen, 2, int_of(v, t.time));
        if (k == "m") return opt(bool_of(v, t.is_buyer_maker));
        if (k == "M") return opt(bool_of(v, t.is_best_match));
        if (k == "a") return opt(text_of(v, t.aggregate_id));
        if (k == "f") return opt(text_of(v, t.first_id));
        if (k == "l") return opt(text_of(v, t.last_id));
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
}

constexpr std::array<std::string_view, 2> etf_required{"symbol", "netValue"};
constexpr std::array<std::string_view, 1> data_required{"data"};

// One field of an etf/info item; `seen` records etf_required.
bool etf_field(std::string_view k, od::value v, EtfInfo& e, std::bitset<2>& seen) {
    if (k == "symbol") return req(seen, 0, text_of(v, e.symbol));
    if (k == "netValue") return req(seen, 1, decimal_of(v, e.net_value));
    if (k == "feeRate") return opt(decimal_of(v, e.fee_rate));
    if (k == "timestamp") return opt(int_of(v, e.timestamp));
    if (k == "leverage") return opt(decimal_of(v, e.leverage));
    if (k == "realLeverage") return opt(decimal_of(v, e.real_leverage));
    if (k == "mergedTimes") return opt(int_of(v, e.merged_times));
    if (k == "lastMergedTime") return opt(int_of(v, e.last_merged_time));
    if (k == "basket") return opt(json_text_of(v, e.basket));
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
        if (k == "symbol") return req(seen, 0, text_of(v, s.symbol));
        if (k == "state") {
            std::uint8_t n = 0;
            const Got got = int_of(v, n);
            if (got == Got::value) s.state = static_cast<OfflineState>(n);  // unknown ones kept
            return req(seen, 1, got);
        }
        if (k == "offlineTime") return opt(int_of(v, s.offline_time));
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
            // Times are required; a decimal may be null.
            bool ok = true;
            switch (i) {
                case 0:
                    ok = int_of(v, k.open_time) == Got::value;
                    break;
                case 1:
                    ok = opt(decimal_of(v, k.open));
                    break;
                case 2:
                    ok = opt(decimal_of(v, k.high));
                    break;
                case 3:
                    ok = opt(decimal_of(v, k.low));
                    break;
                case 4:
                    ok = opt(decimal_of(v, k.close));
                    break;
                case 5:
                    ok = opt(decimal_of(v, k.volume));
                    break;
                case 6:
                    ok = int_of(v, k.close_time) == Got::value;
                    break;
                case 7:
                    ok = opt(decimal_of(v, k.quote_volume));
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
        if (k == "price") return req(seen, 0, decimal_of(v, a.price));
        if (k == "mins") return opt(int_of(v, a.minutes));
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
    std::bitset<1> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "code") return opt(int_of(v, code));
        if (k == "data") return req(seen, 0, list_of(v, out));
        return true;
    });
    if (!r) return r.error();
    if (code != 0 && code != 200) return wrapped_failure(code);
    if (auto ok = require(seen, data_required); !ok) return ok.error();
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
        if (k == "data") return has_data = true, opt(objects_of(v, items, read_etf, item_error));
        if (k == "code") return opt(int_of(v, code));
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
        if (k == "code") return opt(int_of(v, code));
        if (k == "data") return has_data = true, opt(objects_of(v, out, read_offline, item_error));
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
