// The sandbox's trading and account endpoints (SPEC §3.2), answered from the matching engine.

#include "engine.hpp"
#include "rest_api.hpp"
#include "rest_reply.hpp"
#include "sandbox_decimal.hpp"
#include "text.hpp"
#include "vocabulary.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

namespace mexc::sandbox {
namespace {

RestReply reply_of(const EngineError& e) {
    return error_reply(e.http_status, e.code, e.msg);
}

std::string order_json(const Order& o, const SymbolBook& book) {
    const auto s = book.scales();
    return fmt::format(
        R"({{"symbol":"{}","orderId":"{}","orderListId":-1,"clientOrderId":{},"price":"{}","origQty":"{}",)"
        R"("executedQty":"{}","cummulativeQuoteQty":"{}","status":"{}","timeInForce":"{}","type":"{}","side":"{}",)"
        R"("stopPrice":"","icebergQty":"","time":{},"updateTime":{},"isWorking":{},"origQuoteOrderQty":"{}","stpMode":"{}"{}}})",
        o.symbol, o.order_id, json_string_or_null(o.client_order_id), decimal(o.price, s.price),
        decimal(o.orig_qty, s.quantity), decimal(o.executed_qty, s.quantity),
        decimal(o.cummulative_quote_qty, asset_scale), to_string(o.status), time_in_force,
        to_string(o.type), to_string(o.side), o.time, o.update_time,
        is_final(o.status) ? "false" : "true", decimal(o.orig_quote_order_qty, asset_scale),
        to_string(o.stp_mode),
        o.cancel_reason.empty() ? "" : fmt::format(R"(,"cancelReason":"{}")", o.cancel_reason));
}

std::string cancel_json(const Order& o, const SymbolBook& book) {
    const auto s = book.scales();
    return fmt::format(
        R"({{"symbol":"{}","origClientOrderId":{},"orderId":"{}","clientOrderId":{},"price":"{}","origQty":"{}",)"
        R"("executedQty":"{}","cummulativeQuoteQty":"{}","status":"{}","timeInForce":"{}","type":"{}","side":"{}"}})",
        o.symbol, json_string_or_null(o.client_order_id), o.order_id,
        json_string_or_null(o.client_order_id), decimal(o.price, s.price),
        decimal(o.orig_qty, s.quantity), decimal(o.executed_qty, s.quantity),
        decimal(o.cummulative_quote_qty, asset_scale), to_string(o.status), time_in_force,
        to_string(o.type), to_string(o.side));
}

// Parses the order parameters of POST /api/v3/order (and of one batch element).
std::variant<OrderRequest, RestReply> order_request(const Market& market, const Params& p) {
    auto get = [&](std::string_view name) -> const std::string* {
        auto it = p.find(name);
        return it == p.end() || it->second.empty() ? nullptr : &it->second;
    };
    auto missing = [](std::string_view name) {
        return error_reply(
            400, 700004,
            fmt::format("Mandatory parameter '{}' was not sent, was empty/null, or malformed.",
                        name));
    };
    OrderRequest r;
    const std::string* symbol = get("symbol");
    if (!symbol) return missing("symbol");
    const SymbolBook* book = market.find(*symbol);
    if (!book) return error_reply(400, -1121, "Invalid symbol.");
    r.symbol = *symbol;
    const std::string* side = get("side");
    if (!side) return missing("side");
    auto parsed_side = parse_side(*side);
    if (!parsed_side) return error_reply(400, 33333, "Parameter error");
    r.side = *parsed_side;
    const std::string* type = get("type");
    if (!type) return missing("type");
    auto parsed_type = parse_order_type(*type);
    if (!parsed_type) return error_reply(400, 33333, "Parameter error");
    r.type = *parsed_type;
    auto number = [&](std::string_view name, std::uint8_t scale,
                      std::int64_t& out) -> std::optional<RestReply> {
        const std::string* text = get(name);
        if (!text) return std::nullopt;
        const auto v = parse_decimal(*text, scale);
        if (v.fault == DecimalFault::too_many_decimals)
            return error_reply(400, 10096, "Amount has too many decimal places");
        if (!v) return error_reply(400, 33333, "Parameter error");
        if (v.units <= 0) return error_reply(400, 10102, "Amount cannot be zero or negative");
        out = v.units;
        return std::nullopt;
    };
    if (auto e = number("price", book->scales().price, r.price)) return *e;
    if (auto e = number("quantity", book->scales().quantity, r.quantity)) return *e;
    if (auto e = number("quoteOrderQty", asset_scale, r.quote_order_qty)) return *e;
    if (r.type != OrderType::market) {
        if (r.price == 0) return missing("price");
        if (r.quantity == 0) return missing("quantity");
    } else if ((r.quantity == 0) == (r.quote_order_qty == 0)) {
        return error_reply(400, 700004,
                           "Mandatory parameter 'quantity' or 'quoteOrderQty' was not sent, was "
                           "empty/null, or malformed.");
    }
    if (const std::string* mode = get("stpMode")) {
        auto parsed_mode = parse_stp_mode(*mode);  // not empty here: "" is left out by get()
        if (!parsed_mode) return error_reply(400, 33333, "Parameter error");
        r.stp_mode = *parsed_mode;
    }
    if (const std::string* id = get("newClientOrderId")) {
        const bool ok = id->size() <= 32 && std::all_of(id->begin(), id->end(), [](char c) {
                            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                                   (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
                        });
        if (!ok)
            return error_reply(400, 700008,
                               "Illegal characters found in parameter 'newClientOrderId'.");
        r.client_order_id = *id;
    }
    return r;
}

// orderId or origClientOrderId, one of them mandatory (SPEC §3.2).
std::optional<RestReply> order_ref(const Params& p, std::string& id, std::string& client) {
    if (const std::string* v = param(p, "orderId")) id = *v;
    if (const std::string* v = param(p, "origClientOrderId")) client = *v;
    if (id.empty() && client.empty())
        return error_reply(400, 700004,
                           "Mandatory parameter 'origClientOrderId' or 'orderId' must be sent.");
    return std::nullopt;
}

}  // namespace

RestReply RestApi::place_order(const Call& call) {
    return place(call, false);
}
RestReply RestApi::test_order(const Call& call) {
    return place(call, true);
}

RestReply RestApi::place(const Call& call, bool test_only) {
    auto request = order_request(market_, call.params);
    if (auto* refused = std::get_if<RestReply>(&request)) return std::move(*refused);
    const auto& r = std::get<OrderRequest>(request);
    if (!api_tradable(call, r.symbol)) return error_reply(400, 10007, "bad symbol");
    if (test_only) {
        // Every placement check runs, nothing is placed (SPEC §3.2 order/test).
        if (auto refused = engine_->check(call.account, r)) return reply_of(*refused);
        return {200, "{}", {}};
    }
    auto placed = engine_->place(call.account, r, call.now);
    if (auto* e = std::get_if<EngineError>(&placed)) return reply_of(*e);
    const Order& o = std::get<Order>(placed);
    const auto s = market_.find(o.symbol)->scales();
    return {
        200,
        fmt::format(
            R"({{"symbol":"{}","orderId":"{}","orderListId":-1,"price":"{}","origQty":"{}","type":"{}","side":"{}","stpMode":"{}","transactTime":{}}})",
            o.symbol, o.order_id, decimal(o.price, s.price), decimal(o.orig_qty, s.quantity),
            to_string(o.type), to_string(o.side), to_string(o.stp_mode), o.time),
        {}};
}

RestReply RestApi::batch_orders(const Call& call) {
    const std::string* batch = param(call.params, "batchOrders");
    if (!batch)
        return error_reply(
            400, 700004,
            "Mandatory parameter 'batchOrders' was not sent, was empty/null, or malformed.");
    simdjson::dom::parser parser;
    simdjson::dom::array items;
    if (parser.parse(*batch).get_array().get(items))
        return error_reply(400, 33333, "Parameter error");
    if (items.size() == 0 || items.size() > 20)
        return error_reply(400, 33333, "Parameter error");  // max 20 (SPEC §3.2)
    // The whole batch is checked before anything is placed: a refused batch placed nothing.
    std::vector<Params> elements;
    for (simdjson::dom::element item : items) {
        Params& p = elements.emplace_back();
        simdjson::dom::object obj;
        if (item.get_object().get(obj)) return error_reply(400, 33333, "Parameter error");
        for (auto field : obj) {
            std::string_view text;
            if (!field.value.get_string().get(text))
                p.emplace(std::string(field.key), std::string(text));
            else
                p.emplace(std::string(field.key), simdjson::to_string(field.value));
        }
        if (p["symbol"] != elements.front()["symbol"])
            return error_reply(400, 33333, "Parameter error");  // one symbol per batch
    }
    std::string out = "[";
    for (Params& p : elements) {
        std::string element;
        auto request = order_request(market_, p);
        const std::string client_id = p.count("newClientOrderId") ? p["newClientOrderId"] : "";
        auto failure = [&](std::int64_t code, std::string_view msg) {
            return fmt::format(R"({{"newClientOrderId":{},"code":{},"msg":"{}"}})",
                               json_string_or_null(client_id), code, msg);
        };
        if (auto* refused = std::get_if<RestReply>(&request)) {
            const auto code_at = refused->body.find("\"code\":") + 7;
            element = failure(
                to_int(refused->body.substr(code_at, refused->body.find(',', code_at) - code_at))
                    .value_or(33333),
                "Parameter error");
        } else if (!api_tradable(call, p["symbol"])) {
            element = failure(10007, "bad symbol");
        } else {
            auto placed = engine_->place(call.account, std::get<OrderRequest>(request), call.now);
            if (auto* e = std::get_if<EngineError>(&placed))
                element = failure(e->code, e->msg);
            else {
                const Order& o = std::get<Order>(placed);
                element = fmt::format(
                    R"({{"symbol":"{}","orderId":"{}","orderListId":-1,"newClientOrderId":{}}})",
                    o.symbol, o.order_id, json_string_or_null(o.client_order_id));
            }
        }
        out += (out.size() > 1 ? "," : "") + element;
    }
    return {200, out + "]", {}};  // HTTP 200 even when elements failed (SPEC §5.1)
}

RestReply RestApi::cancel_order(const Call& call) {
    const SymbolBook* book = nullptr;
    if (auto refused = find_symbol(call, book)) return *refused;
    std::string id, client;
    if (auto refused = order_ref(call.params, id, client)) return *refused;
    auto cancelled = engine_->cancel(call.account, book->spec().symbol, id, client, call.now);
    if (auto* e = std::get_if<EngineError>(&cancelled)) return reply_of(*e);
    return {200, cancel_json(std::get<Order>(cancelled), *book), {}};
}

RestReply RestApi::cancel_open_orders(const Call& call) {
    const std::string* symbols = param(call.params, "symbol");
    if (!symbols)
        return error_reply(
            400, 700004,
            "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    std::string out = "[";
    std::string_view list = *symbols;  // up to 5 comma-separated symbols (SPEC §3.2)
    int count = 0;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string symbol(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        const SymbolBook* book = market_.find(symbol);
        if (!book || ++count > 5) return error_reply(400, -1121, "Invalid symbol.");
        for (const auto& o : engine_->cancel_all(call.account, symbol, call.now))
            out += (out.size() > 1 ? "," : "") + cancel_json(o, *book);
    }
    return {200, out + "]", {}};
}

RestReply RestApi::query_order(const Call& call) {
    const SymbolBook* book = nullptr;
    if (auto refused = find_symbol(call, book)) return *refused;
    std::string id, client;
    if (auto refused = order_ref(call.params, id, client)) return *refused;
    auto found = engine_->query(call.account, book->spec().symbol, id, client);
    if (auto* e = std::get_if<EngineError>(&found)) return reply_of(*e);
    return {200, order_json(std::get<Order>(found), *book), {}};
}

RestReply RestApi::open_orders(const Call& call) {
    const std::string* symbol = param(call.params, "symbol");
    if (symbol && !market_.find(*symbol)) return error_reply(400, -1121, "Invalid symbol.");
    std::string out = "[";
    for (const auto& o : engine_->open_orders(call.account, symbol ? *symbol : ""))
        out += (out.size() > 1 ? "," : "") + order_json(o, *market_.find(o.symbol));
    return {200, out + "]", {}};
}

RestReply RestApi::all_orders(const Call& call) {
    const auto& p = call.params;
    const SymbolBook* book = nullptr;
    if (auto refused = find_symbol(call, book)) return *refused;
    const std::string* symbol = &book->spec().symbol;
    // Default window: the last 24 h; at most the last 7 days (SPEC §3.2).
    const std::int64_t now = call.now;
    std::int64_t end = param(p, "endTime") ? to_int(*param(p, "endTime")).value_or(now) : now;
    std::int64_t start =
        param(p, "startTime") ? to_int(*param(p, "startTime")).value_or(0) : end - 86400000;
    start = std::max<std::int64_t>(start, now - 7 * 86400000LL);
    std::size_t limit = 500;
    if (auto l = param(p, "limit"))
        limit =
            static_cast<std::size_t>(std::clamp<std::int64_t>(to_int(*l).value_or(500), 1, 1000));
    std::string out = "[";
    for (const auto& o : engine_->all_orders(call.account, *symbol, start, end, limit))
        out += (out.size() > 1 ? "," : "") + order_json(o, *book);
    return {200, out + "]", {}};
}

RestReply RestApi::account(const Call& call) {
    std::string balances;
    for (const auto& [asset, b] : engine_->balances(call.account)) {
        if (b.free == 0 && b.locked == 0) continue;
        balances += fmt::format(R"({}{{"asset":"{}","free":"{}","locked":"{}"}})",
                                balances.empty() ? "" : ",", asset, decimal(b.free, asset_scale),
                                decimal(b.locked, asset_scale));
    }
    return {
        200,
        fmt::format(
            R"({{"makerCommission":null,"takerCommission":null,"buyerCommission":null,"sellerCommission":null,)"
            R"("canTrade":true,"canWithdraw":true,"canDeposit":true,"updateTime":null,"accountType":"SPOT",)"
            R"("balances":[{}],"permissions":["SPOT"]}})",
            balances),
        {}};
}

RestReply RestApi::my_trades(const Call& call) {
    const auto& p = call.params;
    const SymbolBook* book = nullptr;
    if (auto refused = find_symbol(call, book)) return *refused;
    const std::string* symbol = &book->spec().symbol;
    const std::int64_t now = call.now;
    const std::int64_t end = param(p, "endTime") ? to_int(*param(p, "endTime")).value_or(now) : now;
    const std::int64_t start = std::max<std::int64_t>(
        param(p, "startTime") ? to_int(*param(p, "startTime")).value_or(0) : 0,
        now - 30 * 86400000LL);  // the last month only
    std::size_t limit = 100;
    if (auto l = param(p, "limit"))
        limit =
            static_cast<std::size_t>(std::clamp<std::int64_t>(to_int(*l).value_or(100), 1, 100));
    const std::string* order_id = param(p, "orderId");
    const auto s = book->scales();
    std::string out = "[";
    for (const auto& f :
         engine_->my_trades(call.account, *symbol, order_id ? *order_id : "", start, end, limit))
        out += fmt::format(
            R"({}{{"symbol":"{}","id":"{}","orderId":"{}","orderListId":-1,"price":"{}","qty":"{}","quoteQty":"{}",)"
            R"("commission":"{}","commissionAsset":"{}","time":{},"isBuyer":{},"isMaker":{},"isBestMatch":true,"isSelfTrade":{},"clientOrderId":{}}})",
            out.size() > 1 ? "," : "", f.symbol, f.trade_id, f.order_id, decimal(f.price, s.price),
            decimal(f.quantity, s.quantity), decimal(f.quote_qty, asset_scale),
            decimal(f.commission, asset_scale), f.commission_asset, f.time,
            f.side == Side::buy ? "true" : "false", f.is_maker ? "true" : "false",
            f.is_self_trade ? "true" : "false", json_string_or_null(f.client_order_id));
    return {200, out + "]", {}};
}

RestReply RestApi::trade_fee(const Call& call) {
    const std::string* symbol = param(call.params, "symbol");
    if (!symbol)
        return error_reply(
            400, 700004,
            "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    if (!market_.find(*symbol)) return error_reply(400, -1121, "Invalid symbol.");
    // Commissions are JSON numbers here (SPEC §3.2).
    return {
        200,
        fmt::format(
            R"({{"data":{{"makerCommission":0,"takerCommission":0.0005}},"code":0,"msg":"success","timestamp":{}}})",
            call.now),
        {}};
}

RestReply RestApi::mx_deduct(const Call& call) {
    auto& enabled = mx_deduct_[call.account];
    if (const std::string* v = param(call.params, "mxDeductEnable")) {
        if (*v != "true" && *v != "false") return error_reply(400, 33333, "Parameter error");
        enabled = *v == "true";
    }
    return {
        200,
        fmt::format(R"({{"data":{{"mxDeductEnable":{}}},"code":0,"msg":"success","timestamp":{}}})",
                    enabled ? "true" : "false", call.now),
        {}};
}

}  // namespace mexc::sandbox
