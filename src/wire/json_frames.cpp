#include "wire/json.hpp"

#include "wire/json_support.hpp"

#include <algorithm>

namespace mexc::wire {

namespace {

constexpr std::string_view rejected_prefix = "Not Subscribed successfully!";

Result<void> read_levels(od::value v, SymbolScales scales, std::vector<LevelUnits>& out) noexcept {
    od::array levels;
    if (v.get_array().get(levels)) return shape();
    for (auto item : levels) {
        od::array pair;
        if (item.get_array().get(pair)) return shape();
        std::string_view text[2];
        int n = 0;
        // Levels are [priceStr, qtyStr] (SPEC §3.1): strings only, as recorded.
        for (auto field : pair) {
            od::value part;
            if (n == 2 || field.get(part) || view_of(part, text[n]) != Got::value) return shape();
            ++n;
        }
        if (n != 2) return shape();
        auto price = parse_decimal_units(text[0], scales.price);
        if (!price) return bad(price.error());
        auto qty = parse_decimal_units(text[1], scales.quantity);
        if (!qty) return bad(qty.error());
        if (*price <= 0 || *qty < 0) return bad(Errc::malformed_number);
        out.push_back({*price, *qty});
    }
    return {};
}

// A precision: decimals of a price or quantity, at most what a Decimal holds.
Got precision_of(od::value v, std::uint8_t& out) noexcept {
    const Got got = int_of(v, out);
    return got == Got::value && out > max_decimal_scale ? Got::bad : got;
}

Result<SymbolInfo> read_symbol(od::object obj) {
    SymbolInfo s;
    std::bitset<1> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return req(seen, 0, text_of(v, s.symbol));
        if (k == "status") return opt(text_of(v, s.status));  // "1", or a number 1
        if (k == "baseAsset") return opt(text_of(v, s.base_asset));
        if (k == "quoteAsset") return opt(text_of(v, s.quote_asset));
        if (k == "baseAssetPrecision") return opt(precision_of(v, s.base_asset_precision));
        if (k == "quotePrecision") return opt(precision_of(v, s.quote_precision));
        if (k == "quoteAssetPrecision") return opt(precision_of(v, s.quote_asset_precision));
        // Decimals kept as the text MEXC wrote (SymbolRules parses them at the symbol's scale).
        if (k == "baseSizePrecision") return opt(text_of(v, s.base_size_precision));
        if (k == "quoteAmountPrecision") return opt(text_of(v, s.quote_amount_precision));
        if (k == "maxQuoteAmount") return opt(text_of(v, s.max_quote_amount));
        if (k == "quoteAmountPrecisionMarket")
            return opt(text_of(v, s.quote_amount_precision_market));
        if (k == "maxQuoteAmountMarket") return opt(text_of(v, s.max_quote_amount_market));
        if (k == "makerCommission") return opt(text_of(v, s.maker_commission));
        if (k == "takerCommission") return opt(text_of(v, s.taker_commission));
        if (k == "isSpotTradingAllowed") return opt(bool_of(v, s.is_spot_trading_allowed));
        if (k == "tradeSideType") return opt(int_of(v, s.trade_side_type));
        if (k == "orderTypes") return opt(list_of(v, s.order_types));
        if (k == "permissions") return opt(list_of(v, s.permissions));
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, std::array<std::string_view, 1>{"symbol"}); !ok) return ok.error();
    return s;
}

}  // namespace

JsonReader::JsonReader() : impl_(std::make_unique<Impl>()) {}
JsonReader::~JsonReader() = default;
JsonReader::JsonReader(JsonReader&&) noexcept = default;
JsonReader& JsonReader::operator=(JsonReader&&) noexcept = default;

Result<ControlFrame> JsonReader::control_frame(std::string_view text) noexcept {
    ControlFrame out;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos || text[first] != '{') {
        // Plain-text frames exist on private connections (SPEC §7.2).
        if (text.find("Invalid listen key") != std::string_view::npos) {
            out.kind = ControlKind::invalid_listen_key;
            return out;
        }
        return bad(Errc::malformed_json);
    }
    od::document doc;
    od::object obj;
    if (impl_->iterate(text).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    bool has_msg = false;
    bool msg_null = false;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return bad(Errc::malformed_json);
        od::value v;
        if (field.value().get(v)) return bad(Errc::malformed_json);
        if (key == "id") {
            if (!opt(int_of(v, out.id))) return shape();
        } else if (key == "code") {
            if (!opt(int_of(v, out.code))) return shape();
        } else if (key == "msg") {
            const Got got = view_of(v, out.msg);
            if (got == Got::bad) return shape();
            msg_null = got == Got::null;
            has_msg = true;
        }
    }
    if (!at_end(doc)) return bad(Errc::malformed_json);  // trailing garbage
    if (!has_msg || msg_null) return out;  // msg null is not the duplicate ack (msg "")
    if (out.msg == "PONG") {
        out.kind = ControlKind::pong;
    } else if (out.msg.substr(0, rejected_prefix.size()) == rejected_prefix) {
        out.kind = ControlKind::rejected;
        const auto open = out.msg.find('[');
        const auto close = out.msg.find(']', open == std::string_view::npos ? 0 : open);
        if (open != std::string_view::npos && close != std::string_view::npos)
            out.topics = out.msg.substr(open + 1, close - open - 1);
    } else if (out.msg.empty()) {
        out.kind = ControlKind::duplicate;
    } else if (out.code == 0) {
        out.kind = ControlKind::subscribed;
    }
    return out;
}

Result<void> JsonReader::depth_snapshot(std::string_view body, SymbolScales scales,
                                        DepthSnapshot& out) noexcept {
    out.bids.clear();
    out.asks.clear();
    out.last_update_id = 0;
    out.timestamp = 0;
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    bool has_version = false, has_bids = false, has_asks = false;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return bad(Errc::malformed_json);
        od::value v;
        if (field.value().get(v)) return bad(Errc::malformed_json);
        if (key == "lastUpdateId") {
            const Got got = int_of(v, out.last_update_id);
            if (got == Got::bad || out.last_update_id < 0) return bad(Errc::bad_version);
            has_version = got == Got::value;
        } else if (key == "timestamp") {
            if (!opt(int_of(v, out.timestamp))) return shape();
        } else if (key == "bids") {
            if (auto r = read_levels(v, scales, out.bids); !r) return r;
            has_bids = true;
        } else if (key == "asks") {
            if (auto r = read_levels(v, scales, out.asks); !r) return r;
            has_asks = true;
        }
    }
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (!has_version || !has_bids || !has_asks) return bad(Errc::missing_field);
    return {};
}

Result<SymbolScales> JsonReader::infer_scales(std::string_view depth_body) noexcept {
    od::document doc;
    od::object obj;
    if (impl_->iterate(depth_body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    SymbolScales s;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return bad(Errc::malformed_json);
        if (key != "bids" && key != "asks") continue;
        od::array levels;
        if (field.value().get_array().get(levels)) return shape();
        for (auto item : levels) {
            od::array pair;
            if (item.get_array().get(pair)) return shape();
            int n = 0;
            for (auto item_field : pair) {
                od::value v;
                std::string_view text;
                if (item_field.get(v) || view_of(v, text) != Got::value) return shape();
                auto& scale = n == 0 ? s.price : s.quantity;
                scale = std::max(scale, fractional_digits(text));
                ++n;
            }
        }
    }
    if (s.price > max_decimal_scale || s.quantity > max_decimal_scale)
        return bad(Errc::precision_exceeded);
    return s;
}

Result<std::int64_t> JsonReader::server_time(std::string_view body) noexcept {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    std::int64_t t = 0;
    od::value v;
    const Got got = obj.find_field_unordered("serverTime").get(v) ? Got::null : int_of(v, t);
    if (got == Got::null) return field_error(Errc::missing_field, "serverTime");
    if (got == Got::bad) return field_error(Errc::unexpected_json_shape, "serverTime");
    return t;
}

JsonReader::VenueError JsonReader::venue_error(std::string_view body) noexcept {
    VenueError out;
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj)) return out;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return out;
        od::value v;
        if (field.value().get(v)) return out;
        if (key == "code") {
            out.present = int_of(v, out.code) == Got::value;
        } else if (key == "msg" || key == "message") {
            view_of(v, out.msg);
        }
    }
    return out;
}

Result<ExchangeInfo> JsonReader::exchange_info(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    ExchangeInfo info;
    std::bitset<1> seen;
    std::optional<Error> symbol_error;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "serverTime") return opt(int_of(v, info.server_time));
        if (k == "symbols")
            return req(seen, 0, objects_of(v, info.symbols, read_symbol, symbol_error));
        return true;
    });
    if (symbol_error) return *symbol_error;
    if (!r) return r.error();
    if (auto ok = require(seen, std::array<std::string_view, 1>{"symbols"}); !ok) return ok.error();
    return info;
}

}  // namespace mexc::wire
