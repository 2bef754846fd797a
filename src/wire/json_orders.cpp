// Trading and account bodies: orders, own trades, balances, listen keys (SPEC §3.2, §3.3).

#include "wire/json.hpp"

#include "wire/json_support.hpp"

#include <array>
#include <bitset>

namespace mexc::wire {
namespace {

Result<OrderInfo> read_order(od::object obj) {
    OrderInfo o;
    static constexpr std::array<std::string_view, 6> required{"symbol", "orderId", "status",
                                                              "type",   "side",    "origQty"};
    std::bitset<6> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return req(seen, 0, text_of(v, o.symbol));
        if (k == "orderId") return req(seen, 1, text_of(v, o.order_id));
        if (k == "status") return req(seen, 2, enum_of(v, o.status, parse_order_status));
        if (k == "type") return req(seen, 3, enum_of(v, o.type, parse_order_type));
        if (k == "side") return req(seen, 4, enum_of(v, o.side, parse_side));
        if (k == "origQty" || k == "Qty")
            return req(seen, 5, decimal_of(v, o.orig_qty));  // doc examples say Qty
        if (k == "clientOrderId") return opt(text_of(v, o.client_order_id));
        if (k == "price") return opt(decimal_of(v, o.price));
        if (k == "executedQty") return opt(decimal_of(v, o.executed_qty));
        if (k == "cummulativeQuoteQty") return opt(decimal_of(v, o.cummulative_quote_qty));
        if (k == "time") return opt(int_of(v, o.time));
        if (k == "updateTime") return opt(int_of(v, o.update_time));
        if (k == "cancelReason") return opt(text_of(v, o.cancel_reason));
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return o;
}

Result<TradeInfo> read_trade(od::object obj) {
    TradeInfo t;
    static constexpr std::array<std::string_view, 5> required{"symbol", "id", "orderId", "price",
                                                              "qty"};
    std::bitset<5> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return req(seen, 0, text_of(v, t.symbol));
        if (k == "id") return req(seen, 1, text_of(v, t.id));
        if (k == "orderId") return req(seen, 2, text_of(v, t.order_id));
        if (k == "price") return req(seen, 3, decimal_of(v, t.price));
        if (k == "qty") return req(seen, 4, decimal_of(v, t.qty));
        if (k == "quoteQty") return opt(decimal_of(v, t.quote_qty));
        if (k == "commission") return opt(decimal_of(v, t.commission));
        if (k == "commissionAsset") return opt(text_of(v, t.commission_asset));
        if (k == "clientOrderId") return opt(text_of(v, t.client_order_id));
        if (k == "time") return opt(int_of(v, t.time));
        if (k == "isBuyer") return opt(bool_of(v, t.is_buyer));
        if (k == "isMaker") return opt(bool_of(v, t.is_maker));
        if (k == "isSelfTrade") return opt(bool_of(v, t.is_self_trade));
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
}

Result<AssetBalance> read_balance(od::object obj) {
    AssetBalance b;
    static constexpr std::array<std::string_view, 3> required{"asset", "free", "locked"};
    std::bitset<3> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "asset") return req(seen, 0, text_of(v, b.asset));
        if (k == "free") return req(seen, 1, decimal_of(v, b.free));
        if (k == "locked") return req(seen, 2, decimal_of(v, b.locked));
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return b;
}

}  // namespace

Result<OrderAck> JsonReader::order_ack(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    OrderAck a;
    static constexpr std::array<std::string_view, 2> required{"symbol", "orderId"};
    std::bitset<2> seen;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "symbol") return req(seen, 0, text_of(v, a.symbol));
        if (k == "orderId") return req(seen, 1, text_of(v, a.order_id));
        if (k == "price") return opt(decimal_of(v, a.price));
        if (k == "origQty") return opt(decimal_of(v, a.orig_qty));
        if (k == "type") return opt(enum_of(v, a.type, parse_order_type));
        if (k == "side") return opt(enum_of(v, a.side, parse_side));
        if (k == "transactTime") return opt(int_of(v, a.transact_time));
        return true;
    });
    if (!r) return r.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (auto ok = require(seen, required); !ok) return ok.error();
    return a;
}

Result<OrderInfo> JsonReader::order_info(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    auto o = read_order(obj);
    if (o && !at_end(doc)) return bad(Errc::malformed_json);
    return o;
}

Result<std::vector<OrderInfo>> JsonReader::order_infos(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return read_array<OrderInfo>(doc, read_order);
}

Result<std::vector<TradeInfo>> JsonReader::trades(std::string_view body) {
    od::document doc;
    if (impl_->iterate(body).get(doc)) return bad(Errc::malformed_json);
    return read_array<TradeInfo>(doc, read_trade);
}

Result<AccountInfo> JsonReader::account(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    AccountInfo a;
    std::bitset<1> seen;
    std::optional<Error> balance_error;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "canTrade") return opt(bool_of(v, a.can_trade));
        if (k == "canWithdraw") return opt(bool_of(v, a.can_withdraw));
        if (k == "canDeposit") return opt(bool_of(v, a.can_deposit));
        if (k == "accountType") return opt(text_of(v, a.account_type));
        if (k == "balances")
            return req(seen, 0, objects_of(v, a.balances, read_balance, balance_error));
        return true;
    });
    if (balance_error) return *balance_error;
    if (!r) return r.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (auto ok = require(seen, std::array<std::string_view, 1>{"balances"}); !ok)
        return ok.error();
    return a;
}

Result<std::vector<BatchOrderResult>> JsonReader::batch_results(
    std::string_view body, const std::vector<std::string>& client_ids) {
    od::document doc;
    od::array arr;
    if (impl_->iterate(body).get(doc) || doc.get_array().get(arr)) return bad(Errc::malformed_json);
    std::vector<BatchOrderResult> answered;
    for (auto item : arr) {
        od::object obj;
        if (item.get_object().get(obj)) return shape();
        BatchOrderResult r;
        OrderAck ack;
        std::int64_t code = 0;
        bool has_code = false;
        std::string msg;
        auto walked = walk_object(obj, [&](std::string_view k, od::value v) {
            if (k == "symbol") return opt(text_of(v, ack.symbol));
            if (k == "orderId") return opt(text_of(v, ack.order_id));
            if (k == "newClientOrderId" || k == "clientOrderId")
                return opt(text_of(v, r.client_order_id));
            if (k == "code") return has_code = true, opt(int_of(v, code));
            if (k == "msg") return opt(text_of(v, msg));
            return true;
        });
        if (!walked) return walked.error();
        if (has_code && code != 0 && code != 200) {
            Error e(Condition::rejected,
                    boost::system::error_code(static_cast<int>(code), venue_category()));
            r.error = e.with_venue_message(msg);
        } else if (!ack.order_id.empty()) {
            ack.client_order_id = r.client_order_id;
            r.ack = std::move(ack);
        } else {
            return field_error(Errc::missing_field, "orderId");
        }
        answered.push_back(std::move(r));
    }
    if (!at_end(doc)) return bad(Errc::malformed_json);
    // In request order (SPEC §3.2); an element identified by client id is matched by it. Orders
    // MEXC did not answer for may exist: outcome_unknown, never "rejected" (P18).
    std::vector<BatchOrderResult> out(client_ids.size());
    std::vector<bool> taken(answered.size(), false);
    for (std::size_t i = 0; i < client_ids.size(); ++i) {
        out[i].client_order_id = client_ids[i];
        std::size_t match = answered.size();
        for (std::size_t j = 0; j < answered.size() && match == answered.size(); ++j)
            if (!taken[j] && !client_ids[i].empty() && answered[j].client_order_id == client_ids[i])
                match = j;
        if (match == answered.size() && i < answered.size() && !taken[i] &&
            (answered[i].client_order_id.empty() || client_ids[i].empty()))
            match = i;
        if (match == answered.size()) {
            out[i].error = Error(Condition::outcome_unknown, Errc::missing_field);
            continue;
        }
        taken[match] = true;
        out[i].ack = answered[match].ack;
        out[i].error = answered[match].error;
        if (out[i].ack) out[i].ack->client_order_id = client_ids[i];
    }
    return out;
}

Result<std::string> JsonReader::listen_key(std::string_view body) {
    od::document doc;
    od::object obj;
    if (impl_->iterate(body).get(doc) || doc.get_object().get(obj))
        return bad(Errc::malformed_json);
    std::string key;
    od::value v;
    if (obj.find_field_unordered("listenKey").get(v) || text_of(v, key) != Got::value ||
        key.empty())
        return field_error(Errc::missing_field, "listenKey");
    return key;
}

}  // namespace mexc::wire
