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
        if (k == "symbol") return seen.set(0), id_of(v, o.symbol);
        if (k == "orderId") return seen.set(1), id_of(v, o.order_id);
        if (k == "status") return seen.set(2), enum_of(v, o.status, parse_order_status);
        if (k == "type") return seen.set(3), enum_of(v, o.type, parse_order_type);
        if (k == "side") return seen.set(4), enum_of(v, o.side, parse_side);
        if (k == "origQty" || k == "Qty")
            return seen.set(5), decimal_of(v, o.orig_qty);  // doc examples say Qty
        if (k == "clientOrderId") return id_of(v, o.client_order_id);
        if (k == "price") return decimal_of(v, o.price);
        if (k == "executedQty") return decimal_of(v, o.executed_qty);
        if (k == "cummulativeQuoteQty") return decimal_of(v, o.cummulative_quote_qty);
        if (k == "time") return !v.get_int64().get(o.time);
        if (k == "cancelReason") return id_of(v, o.cancel_reason);
        if (k == "updateTime") {
            od::json_type t;
            if (!v.type().get(t) && t == od::json_type::null) return true;
            return !v.get_int64().get(o.update_time);
        }
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
        if (k == "symbol") return seen.set(0), id_of(v, t.symbol);
        if (k == "id") return seen.set(1), id_of(v, t.id);
        if (k == "orderId") return seen.set(2), id_of(v, t.order_id);
        if (k == "price") return seen.set(3), decimal_of(v, t.price);
        if (k == "qty") return seen.set(4), decimal_of(v, t.qty);
        if (k == "quoteQty") return decimal_of(v, t.quote_qty);
        if (k == "commission") return decimal_of(v, t.commission);
        if (k == "commissionAsset") return id_of(v, t.commission_asset);
        if (k == "clientOrderId") return id_of(v, t.client_order_id);
        if (k == "time") return !v.get_int64().get(t.time);
        if (k == "isBuyer") return bool_of(v, t.is_buyer);
        if (k == "isMaker") return bool_of(v, t.is_maker);
        if (k == "isSelfTrade") return bool_of(v, t.is_self_trade);
        return true;
    });
    if (!r) return r.error();
    if (auto ok = require(seen, required); !ok) return ok.error();
    return t;
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
        if (k == "symbol") return seen.set(0), id_of(v, a.symbol);
        if (k == "orderId") return seen.set(1), id_of(v, a.order_id);
        if (k == "price") return decimal_of(v, a.price);
        if (k == "origQty") return decimal_of(v, a.orig_qty);
        if (k == "type") return enum_of(v, a.type, parse_order_type);
        if (k == "side") return enum_of(v, a.side, parse_side);
        if (k == "transactTime") return !v.get_int64().get(a.transact_time);
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
    bool has_balances = false;
    auto r = walk_object(obj, [&](std::string_view k, od::value v) {
        if (k == "canTrade") return bool_of(v, a.can_trade);
        if (k == "canWithdraw") return bool_of(v, a.can_withdraw);
        if (k == "canDeposit") return bool_of(v, a.can_deposit);
        if (k == "accountType") return id_of(v, a.account_type);
        if (k != "balances") return true;
        has_balances = true;
        od::array arr;
        if (v.get_array().get(arr)) return false;
        for (auto item : arr) {
            od::object bo;
            if (item.get_object().get(bo)) return false;
            AssetBalance b;
            std::bitset<3> seen;
            auto br = walk_object(bo, [&](std::string_view bk, od::value bv) {
                if (bk == "asset") return seen.set(0), id_of(bv, b.asset);
                if (bk == "free") return seen.set(1), decimal_of(bv, b.free);
                if (bk == "locked") return seen.set(2), decimal_of(bv, b.locked);
                return true;
            });
            if (!br || !seen.all()) return false;
            a.balances.push_back(std::move(b));
        }
        return true;
    });
    if (!r) return r.error();
    if (!at_end(doc)) return bad(Errc::malformed_json);
    if (!has_balances) return field_error(Errc::missing_field, "balances");
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
            if (k == "symbol") return id_of(v, ack.symbol);
            if (k == "orderId") return id_of(v, ack.order_id);
            if (k == "newClientOrderId" || k == "clientOrderId") return id_of(v, r.client_order_id);
            if (k == "code") return has_code = true, int_or_string(v, code);
            if (k == "msg") return id_of(v, msg);
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
    if (obj.find_field_unordered("listenKey").get(v) || !id_of(v, key) || key.empty())
        return field_error(Errc::missing_field, "listenKey");
    return key;
}

}  // namespace mexc::wire
