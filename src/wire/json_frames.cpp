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
        for (auto field : pair) {
            if (n == 2) return shape();
            if (field.get_string().get(text[n])) return shape();
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
            if (!int_or_string(v, out.id)) {
                od::json_type t;
                if (v.type().get(t) || t != od::json_type::null) return shape();
            }
        } else if (key == "code") {
            if (!int_or_string(v, out.code)) return shape();
        } else if (key == "msg") {
            od::json_type t;
            msg_null = !v.type().get(t) && t == od::json_type::null;
            if (!string_or_null(v, out.msg)) return shape();
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
            if (!int_or_string(v, out.last_update_id) || out.last_update_id < 0)
                return bad(Errc::bad_version);
            has_version = true;
        } else if (key == "timestamp") {
            if (!int_or_string(v, out.timestamp)) return shape();
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
            for (auto v : pair) {
                std::string_view text;
                if (v.get_string().get(text)) return shape();
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
    if (obj.find_field_unordered("serverTime").get(v) || !int_or_string(v, t))
        return bad(Errc::missing_field);
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
            out.present = int_or_string(v, out.code);
        } else if (key == "msg" || key == "message") {
            string_or_null(v, out.msg);
        }
    }
    return out;
}

Result<ExchangeInfo> JsonReader::exchange_info(std::string_view body) {
    ExchangeInfo info;
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    bool has_symbols = false;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return bad(Errc::malformed_json);
        od::value v;
        if (field.value().get(v)) return bad(Errc::malformed_json);
        if (key == "serverTime") {
            if (!int_or_string(v, info.server_time)) return shape();
        } else if (key == "symbols") {
            has_symbols = true;
            od::array symbols;
            if (v.get_array().get(symbols)) return shape();
            for (auto item : symbols) {
                od::object so;
                if (item.get_object().get(so)) return shape();
                SymbolInfo s;
                for (auto sf : so) {
                    std::string_view k;
                    if (sf.unescaped_key().get(k)) return bad(Errc::malformed_json);
                    od::value sv;
                    if (sf.value().get(sv)) return bad(Errc::malformed_json);
                    std::string_view text;
                    std::int64_t n = 0;
                    auto precision = [&](std::uint8_t& dst) {
                        if (!int_or_string(sv, n) || n < 0 || n > max_decimal_scale) return false;
                        dst = static_cast<std::uint8_t>(n);
                        return true;
                    };
                    auto string_list = [&](std::vector<std::string>& dst) {
                        od::array a;
                        if (sv.get_array().get(a)) return false;
                        for (auto e : a) {
                            if (e.get_string().get(text)) return false;
                            dst.emplace_back(text);
                        }
                        return true;
                    };
                    bool ok = true;
                    if (k == "symbol")
                        ok = !sv.get_string().get(text) && (s.symbol = text, true);
                    else if (k == "status") {
                        if (int_or_string(sv, n))
                            s.status = std::to_string(n);
                        else
                            ok = !sv.get_string().get(text) && (s.status = text, true);
                    } else if (k == "baseAsset")
                        ok = !sv.get_string().get(text) && (s.base_asset = text, true);
                    else if (k == "quoteAsset")
                        ok = !sv.get_string().get(text) && (s.quote_asset = text, true);
                    else if (k == "baseAssetPrecision")
                        ok = precision(s.base_asset_precision);
                    else if (k == "quotePrecision")
                        ok = precision(s.quote_precision);
                    else if (k == "quoteAssetPrecision")
                        ok = precision(s.quote_asset_precision);
                    else if (k == "baseSizePrecision")
                        ok = string_or_null(sv, text) && (s.base_size_precision = text, true);
                    else if (k == "quoteAmountPrecision")
                        ok = string_or_null(sv, text) && (s.quote_amount_precision = text, true);
                    else if (k == "maxQuoteAmount")
                        ok = string_or_null(sv, text) && (s.max_quote_amount = text, true);
                    else if (k == "quoteAmountPrecisionMarket")
                        ok = string_or_null(sv, text) &&
                             (s.quote_amount_precision_market = text, true);
                    else if (k == "maxQuoteAmountMarket")
                        ok = string_or_null(sv, text) && (s.max_quote_amount_market = text, true);
                    else if (k == "makerCommission")
                        ok = string_or_null(sv, text) && (s.maker_commission = text, true);
                    else if (k == "takerCommission")
                        ok = string_or_null(sv, text) && (s.taker_commission = text, true);
                    else if (k == "isSpotTradingAllowed")
                        ok = !sv.get_bool().get(s.is_spot_trading_allowed);
                    else if (k == "tradeSideType")
                        ok =
                            int_or_string(sv, n) && (s.trade_side_type = static_cast<int>(n), true);
                    else if (k == "orderTypes")
                        ok = string_list(s.order_types);
                    else if (k == "permissions")
                        ok = string_list(s.permissions);
                    if (!ok) return shape();
                }
                if (s.symbol.empty()) return bad(Errc::missing_field);
                info.symbols.push_back(std::move(s));
            }
        }
    }
    if (!has_symbols) return bad(Errc::missing_field);
    return info;
}

}  // namespace mexc::wire
