#include "rest_api.hpp"

#include "engine.hpp"
#include "rest_reply.hpp"
#include "sandbox.hpp"
#include "sandbox_hmac.hpp"
#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace mexc::sandbox {
namespace {

std::string levels_json(const std::vector<BookLevel>& levels, SymbolScales scales) {
    std::string out = "[";
    for (const auto& l : levels) {
        if (out.size() > 1) out += ',';
        out += fmt::format(R"(["{}","{}"])", decimal(l.price, scales.price),
                           decimal(l.quantity, scales.quantity));
    }
    return out + "]";
}

// Removes `signature=...` from a raw parameter string; returns the rest and the signature.
std::pair<std::string, std::string> split_signature(std::string_view raw) {
    std::string rest, signature;
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const auto part = raw.substr(0, amp);
        if (part.rfind("signature=", 0) == 0) {
            signature = std::string(part.substr(10));
        } else {
            if (!rest.empty()) rest += '&';
            rest += part;
        }
        raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    }
    return {rest, signature};
}

constexpr std::int64_t kline_seconds(std::string_view interval) {
    if (interval == "1m") return 60;
    if (interval == "5m") return 300;
    if (interval == "15m") return 900;
    if (interval == "30m") return 1800;
    if (interval == "60m") return 3600;
    if (interval == "4h") return 14400;
    if (interval == "1d") return 86400;
    if (interval == "1W") return 604800;
    if (interval == "1M") return 2592000;  // 30 days: the sandbox has no calendar months
    return 0;
}

}  // namespace

namespace {

struct Route {
    std::string_view method;
    std::string_view path;
    bool is_signed;
    std::string_view permission;
    int weight;
    bool is_order;  // shares the order/cancel rate (SPEC §6.1)
    RestApi::Handler handler;
};

}  // namespace

RestApi::RestApi(Market& market, SandboxStats& stats, std::vector<ApiKey> keys, RateLimits limits)
    : market_(market), stats_(stats), keys_(std::move(keys)), limits_(limits) {}

void RestApi::attach_engine(Engine* engine) {
    engine_ = engine;
    // Self-trade prevention acts on the STP groups kept here (SPEC §3.4).
    if (engine_)
        engine_->set_stp_peers(
            [this](std::uint64_t a, std::uint64_t b) { return custody_.same_stp_group(a, b); });
}

std::int64_t RestApi::server_time_ms() const {
    return now_ms() + clock_offset_.count();
}

void RestApi::serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back) {
    stale_snapshots_[symbol] = versions_back;
}

// ---- checks shared by every request --------------------------------------------------------

std::optional<RestReply> RestApi::authenticate(const RestRequest& req, std::string_view raw_query,
                                               Call& call) {
    if (req.api_key.empty()) return error_reply(400, 400, "api key required");
    const bool well_formed = std::all_of(req.api_key.begin(), req.api_key.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_';
    });
    if (!well_formed) return error_reply(400, 700001, "API-key format invalid.");
    auto key = std::find_if(keys_.begin(), keys_.end(),
                            [&](const ApiKey& k) { return k.key == req.api_key; });
    if (key == keys_.end()) return error_reply(400, 10072, "Api key info invalid");
    // SPEC §2.1: the signature covers query + body exactly as sent, without `signature`.
    auto [query_rest, query_sig] = split_signature(raw_query);
    auto [body_rest, body_sig] = split_signature(req.body);
    const std::string& signature = query_sig.empty() ? body_sig : query_sig;
    if (signature.empty()) return mandatory("signature");
    const auto timestamp_text = call.get("timestamp");
    if (!timestamp_text) return mandatory("timestamp");
    const auto timestamp = to_int(*timestamp_text);
    if (!timestamp) return mandatory("timestamp");
    std::int64_t recv_window = 5000;
    if (auto rw = call.get("recvWindow")) {
        auto v = to_int(*rw);
        if (!v || *v <= 0) return error_reply(400, 33333, "Parameter error");
        if (*v > 60000) return error_reply(400, 700005, "recvWindow must less than 60000");
        recv_window = *v;
    }
    // SPEC §1.5: timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow.
    if (!(*timestamp < call.now + 1000 && call.now - *timestamp <= recv_window))
        return error_reply(400, 700003, "Timestamp for this request is outside of the recvWindow.");
    auto& verifier = verifiers_.try_emplace(key->secret, key->secret).first->second;
    if (!verifier.matches(query_rest + body_rest, signature))
        return error_reply(400, 700002, "Signature for this request is not valid.");
    if (!key->ip_whitelist.empty() && std::find(key->ip_whitelist.begin(), key->ip_whitelist.end(),
                                                req.client_ip) == key->ip_whitelist.end())
        return error_reply(400, 700006,
                           fmt::format("IP [{}] not in the ip white list", req.client_ip));
    call.key = &*key;
    call.account = key->account;
    return std::nullopt;
}

std::optional<RestReply> RestApi::meter(const RestRequest& req, int weight, bool per_account,
                                        bool is_order, Call& call) {
    const std::string scope =
        per_account ? fmt::format("uid:{}", call.account) : fmt::format("ip:{}", req.client_ip);
    Meter& m = meters_[scope];
    const auto window = limits_.window.count();
    auto refuse = [&](int status, std::int64_t until) {
        ++rate_limited_;
        const auto seconds = std::max<std::int64_t>(1, (until - call.now + 999) / 1000);
        RestReply r = error_reply(status, status == 418 ? 418 : 429,
                                  status == 418 ? "IP banned" : "Too Many Requests");
        r.headers.emplace_back("Retry-After", std::to_string(seconds));
        return r;
    };
    if (m.banned_until > call.now) return refuse(418, m.banned_until);
    if (call.now - m.window_start >= window) {
        m.window_start = call.now - call.now % window;
        m.used = 0;
        m.violations = 0;
    }
    bool over = m.used + weight >
                (per_account ? limits_.uid_weight_per_window : limits_.ip_weight_per_window);
    if (!over && is_order) {
        while (!order_times_.empty() && call.now - order_times_.front() >= 1000)
            order_times_.pop_front();
        over = static_cast<int>(order_times_.size()) >= limits_.orders_per_second;
        if (over) {
            auto r = refuse(429, order_times_.front() + 1000);
            if (++m.violations >= limits_.violations_before_ban) m.violations = 0;
            return r;
        }
        order_times_.push_back(call.now);
    }
    if (over) {
        // Continued violation escalates to an IP ban (SPEC §6.1): 2 minutes, doubling.
        if (++m.violations >= limits_.violations_before_ban) {
            m.next_ban = m.next_ban.count() == 0
                             ? limits_.first_ban
                             : std::min(m.next_ban * 2, std::chrono::seconds(3 * 86400));
            m.banned_until =
                call.now +
                std::chrono::duration_cast<std::chrono::milliseconds>(m.next_ban).count();
            return refuse(418, m.banned_until);
        }
        return refuse(429, m.window_start + window);
    }
    m.used += weight;
    return std::nullopt;
}

RestReply RestApi::handle(const RestRequest& req) {
    ++stats_.http_requests;
    recent_.push_back(std::string(req.method) + " " + std::string(req.target));
    if (recent_.size() > 64) recent_.pop_front();
    static const Route routes[] = {
        {"GET", "/api/v3/ping", false, "", 1, false, nullptr},
        {"GET", "/api/v3/time", false, "", 1, false, nullptr},
        {"GET", "/api/v3/exchangeInfo", false, "", 10, false, &RestApi::exchange_info},
        {"GET", "/api/v3/depth", false, "", 3, false, &RestApi::depth},  // DOC-2026
        {"GET", "/api/v3/trades", false, "", 5, false, &RestApi::trades},
        {"GET", "/api/v3/historicalTrades", false, "", 5, false,
         &RestApi::trades},  // hidden; /trades' answer
        {"GET", "/api/v3/aggTrades", false, "", 1, false, &RestApi::agg_trades},
        {"GET", "/api/v3/klines", false, "", 1, false, &RestApi::klines},
        {"GET", "/api/v3/avgPrice", false, "", 1, false, &RestApi::avg_price},
        {"GET", "/api/v3/ticker/24hr", false, "", 1, false, &RestApi::ticker_24hr},
        {"GET", "/api/v3/ticker/price", false, "", 1, false, &RestApi::ticker_price},
        {"GET", "/api/v3/ticker/bookTicker", false, "", 1, false, &RestApi::book_ticker},
        {"GET", "/api/v3/defaultSymbols", false, "", 1, false, &RestApi::default_symbols},
        {"GET", "/api/v3/symbol/offline", false, "", 10, false, &RestApi::offline_symbols},
        {"GET", "/api/v3/etf/info", false, "", 1, false, &RestApi::etf_info},
        {"POST", "/api/v3/order/test", true, "SPOT_DEAL_WRITE", 1, false, &RestApi::test_order},
        {"POST", "/api/v3/order", true, "SPOT_DEAL_WRITE", 1, true, &RestApi::place_order},
        {"POST", "/api/v3/batchOrders", true, "SPOT_DEAL_WRITE", 1, true, &RestApi::batch_orders},
        {"DELETE", "/api/v3/order", true, "SPOT_DEAL_WRITE", 1, true, &RestApi::cancel_order},
        {"DELETE", "/api/v3/openOrders", true, "SPOT_DEAL_WRITE", 1, true,
         &RestApi::cancel_open_orders},
        {"GET", "/api/v3/order", true, "SPOT_DEAL_READ", 2, false, &RestApi::query_order},
        {"GET", "/api/v3/openOrders", true, "SPOT_DEAL_READ", 3, false, &RestApi::open_orders},
        {"GET", "/api/v3/allOrders", true, "SPOT_DEAL_READ", 10, false, &RestApi::all_orders},
        {"GET", "/api/v3/account", true, "SPOT_ACCOUNT_READ", 10, false, &RestApi::account},
        {"GET", "/api/v3/myTrades", true, "SPOT_ACCOUNT_READ", 10, false, &RestApi::my_trades},
        {"GET", "/api/v3/tradeFee", true, "SPOT_ACCOUNT_READ", 20, false, &RestApi::trade_fee},
        {"POST", "/api/v3/mxDeduct/enable", true, "SPOT_DEAL_WRITE", 1, false, &RestApi::mx_deduct},
        {"GET", "/api/v3/mxDeduct/enable", true, "SPOT_DEAL_READ", 1, false, &RestApi::mx_deduct},
        {"GET", "/api/v3/kyc/status", true, "SPOT_ACCOUNT_READ", 1, false, &RestApi::kyc_status},
        {"GET", "/api/v3/uid", true, "SPOT_ACCOUNT_READ", 1, false, &RestApi::uid},
        {"GET", "/api/v3/selfSymbols", true, "SPOT_ACCOUNT_READ", 1, false, &RestApi::self_symbols},
        {"POST", "/api/v3/userDataStream", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::create_listen_key},
        {"PUT", "/api/v3/userDataStream", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::keep_alive_listen_key},
        {"DELETE", "/api/v3/userDataStream", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::delete_listen_key},
        {"GET", "/api/v3/userDataStream", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::list_listen_keys},
        {"POST", "/api/v3/strategy/group", true, "SPOT_ACCOUNT_WRITE", 20, false,
         &RestApi::create_stp_group},
        {"GET", "/api/v3/strategy/group", true, "SPOT_ACCOUNT_READ", 20, false,
         &RestApi::stp_groups},
        {"DELETE", "/api/v3/strategy/group", true, "SPOT_ACCOUNT_WRITE", 20, false,
         &RestApi::delete_stp_group},
        {"POST", "/api/v3/strategy/group/uid", true, "SPOT_ACCOUNT_WRITE", 20, false,
         &RestApi::add_stp_uids},
        {"DELETE", "/api/v3/strategy/group/uid", true, "SPOT_ACCOUNT_WRITE", 20, false,
         &RestApi::remove_stp_uids},
        {"POST", "/api/v3/sub-account/virtualSubAccount", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::create_sub_account},
        {"GET", "/api/v3/sub-account/list", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::sub_accounts},
        {"POST", "/api/v3/sub-account/apiKey", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::create_sub_api_key},
        {"GET", "/api/v3/sub-account/apiKey", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::sub_api_keys},
        {"DELETE", "/api/v3/sub-account/apiKey", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::delete_sub_api_key},
        {"POST", "/api/v3/capital/sub-account/universalTransfer", true, "SPOT_TRANSFER_WRITE", 1,
         false, &RestApi::universal_transfer},
        {"GET", "/api/v3/capital/sub-account/universalTransfer", true, "SPOT_TRANSFER_READ", 1,
         false, &RestApi::universal_transfers},
        {"GET", "/api/v3/sub-account/asset", true, "SPOT_TRANSFER_READ", 1, false,
         &RestApi::sub_account_assets},
        {"GET", "/api/v3/capital/config/getall", true, "SPOT_WITHDRAW_READ", 10, false,
         &RestApi::coins},
        {"POST", "/api/v3/capital/withdraw", true, "SPOT_WITHDRAW_WRITE", 1, false,
         &RestApi::withdraw},
        {"POST", "/api/v3/capital/withdraw/apply", true, "SPOT_WITHDRAW_WRITE", 1, false,
         &RestApi::withdraw},
        {"DELETE", "/api/v3/capital/withdraw", true, "SPOT_WITHDRAW_WRITE", 1, false,
         &RestApi::cancel_withdraw},
        {"GET", "/api/v3/capital/deposit/hisrec", true, "SPOT_WITHDRAW_READ", 1, false,
         &RestApi::deposit_history},
        {"GET", "/api/v3/capital/withdraw/history", true, "SPOT_WITHDRAW_READ", 1, false,
         &RestApi::withdraw_history},
        {"POST", "/api/v3/capital/deposit/address", true, "SPOT_WITHDRAW_WRITE", 1, false,
         &RestApi::create_deposit_address},
        {"GET", "/api/v3/capital/deposit/address", true, "SPOT_WITHDRAW_READ", 10, false,
         &RestApi::deposit_addresses},
        {"GET", "/api/v3/capital/withdraw/address", true, "SPOT_WITHDRAW_READ", 10, false,
         &RestApi::withdraw_addresses},
        {"POST", "/api/v3/capital/transfer", true, "SPOT_TRANSFER_WRITE", 1, false,
         &RestApi::transfer},
        {"GET", "/api/v3/capital/transfer", true, "SPOT_TRANSFER_READ", 1, false,
         &RestApi::transfers},
        {"GET", "/api/v3/capital/transfer/tranId", true, "SPOT_TRANSFER_READ", 1, false,
         &RestApi::transfer_by_id},
        {"GET", "/api/v3/capital/convert/list", true, "SPOT_ACCOUNT_READ", 1, false,
         &RestApi::convertible_assets},
        {"POST", "/api/v3/capital/convert", true, "SPOT_ACCOUNT_WRITE", 10, false,
         &RestApi::convert},
        {"GET", "/api/v3/capital/convert", true, "SPOT_DEAL_READ", 1, false,
         &RestApi::convert_history},
        {"POST", "/api/v3/capital/transfer/internal", true, "SPOT_WITHDRAW_WRITE", 1, false,
         &RestApi::internal_transfer},
        {"GET", "/api/v3/capital/transfer/internal", true, "SPOT_WITHDRAW_READ", 1, false,
         &RestApi::internal_transfers},
    };
    const std::string_view target = req.target;
    const auto qmark = target.find('?');
    const std::string_view path = target.substr(0, qmark);
    const std::string_view raw_query =
        qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
    const Route* route = nullptr;
    for (const auto& r : routes)
        if (r.method == req.method && r.path == path) route = &r;
    if (!route) return error_reply(404, 404, "Not Found");

    Call call;
    call.now = server_time_ms();
    call.params = parse_query(raw_query);
    for (auto& [name, value] : parse_query(req.body))
        call.params.emplace(name, value);  // query wins

    // avgPrice is public but accepted signed too (SPEC §2.3).
    const bool check_signature =
        route->is_signed || (route->handler == &RestApi::avg_price && call.get("signature"));
    if (check_signature) {
        if (auto refused = authenticate(req, raw_query, call)) return *refused;
        if (route->is_signed) {
            const auto& perms = call.key->permissions;
            if (std::find(perms.begin(), perms.end(), route->permission) == perms.end())
                return error_reply(400, 700007, "No permission to access the endpoint.");
        }
    }
    int weight = route->weight;
    if (route->handler == &RestApi::ticker_24hr && !call.get("symbol")) weight = 40;
    if (auto limited = meter(req, weight, route->is_signed, route->is_order, call)) return *limited;

    if (route->is_order && !engine_) return error_reply(503, 503, "Service unavailable");
    if (path == "/api/v3/ping") return {200, "{}", {}};
    if (path == "/api/v3/time") return {200, fmt::format(R"({{"serverTime":{}}})", call.now), {}};
    return (this->*route->handler)(call);
}

// ---- market data (SPEC §3.1) ---------------------------------------------------------------

RestReply RestApi::exchange_info(const Call& call) {
    std::vector<const SymbolBook*> chosen;
    auto add = [&](std::string_view name) {
        const SymbolBook* b = market_.find(name);
        if (!b) return false;
        chosen.push_back(b);
        return true;
    };
    if (auto symbol = call.get("symbol")) {
        if (!add(*symbol)) return error_reply(400, -1121, "Invalid symbol.");
    } else if (auto list_text = call.get("symbols")) {
        for (const auto& listed : split_list(*list_text))
            if (!add(listed)) return error_reply(400, -1121, "Invalid symbol.");
    } else {
        for (const auto& b : market_.symbols()) chosen.push_back(&b);
    }
    std::string symbols;
    for (const auto* b : chosen) {
        const auto& s = b->spec();
        if (!symbols.empty()) symbols += ',';
        symbols += fmt::format(
            R"({{"symbol":"{}","status":"1","baseAsset":"{}","baseAssetPrecision":{},"quoteAsset":"{}",)"
            R"("quotePrecision":{},"quoteAssetPrecision":{},"baseCommissionPrecision":{},"quoteCommissionPrecision":{},)"
            R"("orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],"isSpotTradingAllowed":true,"isMarginTradingAllowed":false,)"
            R"("quoteAmountPrecision":"1","baseSizePrecision":"0","permissions":["SPOT"],"filters":[],)"
            R"("maxQuoteAmount":"2000000","makerCommission":"0","takerCommission":"0.0005",)"
            R"("quoteAmountPrecisionMarket":"1","maxQuoteAmountMarket":"100000","fullName":"{}","tradeSideType":1,)"
            R"("contractAddress":"","conceptPlateIds":[],"st":false}})",
            s.symbol, s.base_asset, s.quantity_scale, s.quote_asset, s.price_scale, s.price_scale,
            s.quantity_scale, s.price_scale, s.base_asset);
    }
    return {
        200,
        fmt::format(
            R"({{"timezone":"CST","serverTime":{},"rateLimits":[],"exchangeFilters":[],"symbols":[{}]}})",
            call.now, symbols),
        {}};
}

namespace {

// The symbol parameter's book, or the error MEXC answers.
std::optional<RestReply> symbol_of(const Market& market, const RestApi::Call& call,
                                   const SymbolBook*& book) {
    auto it = call.params.find("symbol");
    if (it == call.params.end() || it->second.empty()) return mandatory("symbol");
    book = market.find(it->second);
    if (!book) return error_reply(400, -1121, "Invalid symbol.");
    return std::nullopt;
}

// The ticker endpoints answer one object with `symbol`, an array of all symbols without it.
template <class One>
RestReply one_or_all(const Market& market, const RestApi::Call& call, One&& one) {
    if (call.get("symbol")) {
        const SymbolBook* found = nullptr;
        if (auto refused = symbol_of(market, call, found)) return *refused;
        return {200, one(*found), {}};
    }
    std::string out = "[";
    for (const auto& b : market.symbols()) out += (out.size() > 1 ? "," : "") + one(b);
    return {200, out + "]", {}};
}

std::size_t limit_of(const RestApi::Call& call, std::size_t fallback, std::size_t max) {
    auto it = call.params.find("limit");
    if (it == call.params.end()) return fallback;
    auto v = to_int(it->second);
    if (!v || *v <= 0) return fallback;
    return std::min<std::size_t>(static_cast<std::size_t>(*v), max);
}

}  // namespace

std::optional<RestReply> RestApi::find_symbol(const Call& call, const SymbolBook*& book) const {
    return symbol_of(market_, call, book);
}

RestReply RestApi::depth(const Call& call) {
    ++stats_.depth_requests;
    const SymbolBook* found = nullptr;
    if (auto refused = symbol_of(market_, call, found)) return *refused;
    const SymbolBook& book = *found;
    if (auto l = call.get("limit"); l && (!to_int(*l) || *to_int(*l) <= 0))
        return error_reply(400, 33333, "Parameter error");
    const std::size_t limit = limit_of(call, 100, 5000);
    std::optional<DepthSnapshot> snap;
    if (auto stale = stale_snapshots_.find(book.spec().symbol); stale != stale_snapshots_.end()) {
        snap = book.snapshot_at(book.version() - stale->second, limit);
        stale_snapshots_.erase(stale);
    }
    if (!snap) snap = book.snapshot(limit);
    return {200,
            fmt::format(R"({{"lastUpdateId":{},"bids":{},"asks":{},"timestamp":{}}})",
                        snap->last_update_id, levels_json(snap->bids, book.scales()),
                        levels_json(snap->asks, book.scales()), call.now),
            {}};
}

RestReply RestApi::trades(const Call& call) {
    const SymbolBook* found = nullptr;
    if (auto refused = symbol_of(market_, call, found)) return *refused;
    const SymbolBook& book = *found;
    const auto& tape = book.trades();
    const std::size_t n = std::min(limit_of(call, 500, 1000), tape.size());
    const auto s = book.scales();
    std::string out = "[";
    for (std::size_t i = tape.size() - n; i < tape.size(); ++i) {
        const Trade& t = tape[i];
        out += fmt::format(
            R"({}{{"id":null,"price":"{}","qty":"{}","quoteQty":"{}","time":{},"isBuyerMaker":{},"isBestMatch":true,"tradeType":"{}"}})",
            out.size() > 1 ? "," : "", decimal(t.price, s.price), decimal(t.quantity, s.quantity),
            decimal(t.price * t.quantity, static_cast<std::uint8_t>(s.price + s.quantity)),
            t.time_ms, t.taker_side == 2 ? "true" : "false", t.taker_side == 1 ? "BID" : "ASK");
    }
    return {200, out + "]", {}};
}

RestReply RestApi::agg_trades(const Call& call) {
    const SymbolBook* found = nullptr;
    if (auto refused = symbol_of(market_, call, found)) return *refused;
    const SymbolBook& book = *found;
    const auto start = call.get("startTime");
    const auto end = call.get("endTime");
    if ((start == nullptr) != (end == nullptr))
        return error_reply(400, -1128, "Combination of optional parameters invalid.");
    const std::int64_t from = start ? to_int(*start).value_or(0) : 0;
    const std::int64_t to = end ? to_int(*end).value_or(0) : INT64_MAX;
    const std::size_t limit = limit_of(call, 500, 1000);
    const auto s = book.scales();
    std::vector<const Trade*> chosen;
    for (const auto& t : book.trades())
        if (t.time_ms >= from && t.time_ms <= to) chosen.push_back(&t);
    if (chosen.size() > limit)
        chosen.erase(chosen.begin(), chosen.end() - static_cast<std::ptrdiff_t>(limit));
    std::string out = "[";
    for (const Trade* t : chosen)
        out += fmt::format(
            R"({}{{"a":null,"f":null,"l":null,"p":"{}","q":"{}","T":{},"m":{},"M":true}})",
            out.size() > 1 ? "," : "", decimal(t->price, s.price), decimal(t->quantity, s.quantity),
            t->time_ms, t->taker_side == 2 ? "true" : "false");
    return {200, out + "]", {}};
}

RestReply RestApi::klines(const Call& call) {
    const SymbolBook* found = nullptr;
    if (auto refused = symbol_of(market_, call, found)) return *refused;
    const SymbolBook& book = *found;
    const auto interval = call.get("interval");
    if (!interval) return mandatory("interval");
    const std::int64_t seconds = kline_seconds(*interval);
    if (seconds == 0) return error_reply(400, 33333, "Parameter error");
    const std::int64_t ms = seconds * 1000;
    const std::int64_t from =
        call.get("startTime") ? to_int(*call.get("startTime")).value_or(0) : 0;
    const std::int64_t to =
        call.get("endTime") ? to_int(*call.get("endTime")).value_or(INT64_MAX) : INT64_MAX;
    const std::size_t limit = limit_of(call, 500, 500);
    const auto s = book.scales();
    struct Bar {
        std::int64_t open_time, open, high, low, close, volume, quote;
    };
    std::vector<Bar> bars;
    for (const auto& t : book.trades()) {
        if (t.time_ms < from || t.time_ms > to) continue;
        const std::int64_t open_time = t.time_ms - t.time_ms % ms;
        if (bars.empty() || bars.back().open_time != open_time)
            bars.push_back({open_time, t.price, t.price, t.price, t.price, 0, 0});
        Bar& b = bars.back();
        b.high = std::max(b.high, t.price);
        b.low = std::min(b.low, t.price);
        b.close = t.price;
        b.volume += t.quantity;
        b.quote += t.price * t.quantity;
    }
    if (bars.size() > limit)
        bars.erase(bars.begin(), bars.end() - static_cast<std::ptrdiff_t>(limit));
    std::string out = "[";
    for (const auto& b : bars)
        out += fmt::format(R"({}[{},"{}","{}","{}","{}","{}",{},"{}"])", out.size() > 1 ? "," : "",
                           b.open_time, decimal(b.open, s.price), decimal(b.high, s.price),
                           decimal(b.low, s.price), decimal(b.close, s.price),
                           decimal(b.volume, s.quantity), b.open_time + ms,
                           decimal(b.quote, static_cast<std::uint8_t>(s.price + s.quantity)));
    return {200, out + "]", {}};
}

namespace {

struct Window {
    std::int64_t open = 0, high = 0, low = 0, last = 0, volume = 0, quote = 0;
    bool any = false;
};

Window window_of(const SymbolBook& book, std::int64_t since) {
    Window w;
    for (const auto& t : book.trades()) {
        if (t.time_ms < since) continue;
        if (!w.any) w.open = w.high = w.low = t.price;
        w.any = true;
        w.high = std::max(w.high, t.price);
        w.low = std::min(w.low, t.price);
        w.last = t.price;
        w.volume += t.quantity;
        w.quote += t.price * t.quantity;
    }
    return w;
}

std::int64_t last_price(const SymbolBook& book) {
    if (!book.trades().empty()) return book.trades().back().price;
    return book.spec().mid_price;
}

}  // namespace

RestReply RestApi::avg_price(const Call& call) {
    const SymbolBook* found = nullptr;
    if (auto refused = symbol_of(market_, call, found)) return *refused;
    const SymbolBook& book = *found;
    const Window w = window_of(book, call.now - 5 * 60 * 1000);
    const std::int64_t price = w.volume > 0 ? w.quote / w.volume : last_price(book);
    return {
        200, fmt::format(R"({{"mins":5,"price":"{}"}})", decimal(price, book.scales().price)), {}};
}

RestReply RestApi::ticker_24hr(const Call& call) {
    auto one = [&](const SymbolBook& book) {
        const auto s = book.scales();
        const Window w = window_of(book, call.now - 86400000);
        const std::int64_t last = w.any ? w.last : last_price(book);
        const std::int64_t open = w.any ? w.open : last;
        const auto top = book.snapshot(1);
        return fmt::format(
            R"({{"symbol":"{}","priceChange":"{}","priceChangePercent":"{}","prevClosePrice":"{}","lastPrice":"{}",)"
            R"("bidPrice":"{}","bidQty":"{}","askPrice":"{}","askQty":"{}","openPrice":"{}","highPrice":"{}","lowPrice":"{}",)"
            R"("volume":"{}","quoteVolume":"{}","openTime":{},"closeTime":{},"count":null}})",
            book.spec().symbol, decimal(last - open, s.price), change_rate(last, open),
            decimal(open, s.price), decimal(last, s.price),
            top.bids.empty() ? "" : decimal(top.bids[0].price, s.price),
            top.bids.empty() ? "" : decimal(top.bids[0].quantity, s.quantity),
            top.asks.empty() ? "" : decimal(top.asks[0].price, s.price),
            top.asks.empty() ? "" : decimal(top.asks[0].quantity, s.quantity),
            decimal(open, s.price), decimal(w.any ? w.high : last, s.price),
            decimal(w.any ? w.low : last, s.price), decimal(w.volume, s.quantity),
            decimal(w.quote, static_cast<std::uint8_t>(s.price + s.quantity)), call.now - 86400000,
            call.now);
    };
    return one_or_all(market_, call, one);
}

RestReply RestApi::ticker_price(const Call& call) {
    auto one = [](const SymbolBook& b) {
        return fmt::format(R"({{"symbol":"{}","price":"{}"}})", b.spec().symbol,
                           decimal(last_price(b), b.scales().price));
    };
    return one_or_all(market_, call, one);
}

RestReply RestApi::book_ticker(const Call& call) {
    auto one = [](const SymbolBook& b) {
        const auto s = b.scales();
        const auto top = b.snapshot(1);
        auto side = [&](const std::vector<BookLevel>& l, bool qty) {
            return l.empty() ? std::string()
                   : qty     ? decimal(l[0].quantity, s.quantity)
                             : decimal(l[0].price, s.price);
        };
        return fmt::format(
            R"({{"symbol":"{}","bidPrice":"{}","bidQty":"{}","askPrice":"{}","askQty":"{}"}})",
            b.spec().symbol, side(top.bids, false), side(top.bids, true), side(top.asks, false),
            side(top.asks, true));
    };
    return one_or_all(market_, call, one);
}

RestReply RestApi::default_symbols(const Call& call) {
    std::string list = "[";
    for (const auto& b : market_.symbols())
        list += fmt::format("{}\"{}\"", list.size() > 1 ? "," : "", b.spec().symbol);
    return wrapped(list + "]", call.now);
}

void RestApi::set_offline_symbol(const std::string& symbol, int state,
                                 std::int64_t offline_time_ms) {
    if (state == 2 || state == 3)
        offline_[symbol] = {state, offline_time_ms};
    else
        offline_.erase(symbol);
}

RestReply RestApi::offline_symbols(const Call& call) {
    std::string list = "[";
    for (const auto& [symbol, o] : offline_) {
        list += fmt::format(R"({}{{"symbol":{},"state":{})", list.size() > 1 ? "," : "",
                            json_quote(symbol), o.state);
        list += o.time_ms ? fmt::format(R"(,"offlineTime":{}}})", o.time_ms) : "}";
    }
    return wrapped(list + "]", call.now);
}

// The sandbox lists no leveraged tokens: every list is empty and every symbol is not one.
RestReply RestApi::etf_info(const Call& call) {
    if (call.get("symbol")) return error_reply(400, -1121, "Invalid symbol.");
    return answer("[]");
}

// ---- account (SPEC §3.2) -------------------------------------------------------------------

RestReply RestApi::kyc_status(const Call&) {
    return {200, R"({"status":"2"})", {}};
}

RestReply RestApi::uid(const Call& call) {
    return {200, fmt::format(R"({{"uid":"{}"}})", uid_of(call.account)), {}};
}

RestReply RestApi::self_symbols(const Call& call) {
    if (call.key->symbols.empty()) return default_symbols(call);
    std::string list;
    for (const auto& symbol : call.key->symbols)
        list += fmt::format("{}\"{}\"", list.empty() ? "" : ",", symbol);
    return wrapped("[" + list + "]", call.now);
}

bool RestApi::api_tradable(const Call& call, std::string_view symbol) const {
    const auto& allowed = call.key->symbols;
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), symbol) != allowed.end();
}

// ---- listen keys (SPEC §3.3, §9) -----------------------------------------------------------

void RestApi::expire_listen_keys() {
    const auto now = server_time_ms();
    std::erase_if(listen_keys_, [&](const auto& entry) { return entry.second.expires_ms <= now; });
}

std::optional<std::uint64_t> RestApi::listen_key_account(std::string_view key) const {
    auto it = listen_keys_.find(key);
    if (it == listen_keys_.end() || it->second.expires_ms <= server_time_ms()) return std::nullopt;
    return it->second.account;
}

RestReply RestApi::create_listen_key(const Call& call) {
    expire_listen_keys();
    const auto owned = std::count_if(listen_keys_.begin(), listen_keys_.end(), [&](const auto& e) {
        return e.second.account == call.account;
    });
    if (static_cast<std::size_t>(owned) >= max_listen_keys)
        return error_reply(400, 730003,
                           "The number of listenKeys exceeds the limit");  // SPEC §9: ≤ 60 per UID
    // 64 hex characters, unpredictable enough for a sandbox and never reused.
    const std::string key = hmac_sha256_hex(fmt::format("listen-key-{}", ++listen_key_counter_),
                                            std::to_string(call.now));
    listen_keys_[key] = {call.account, call.now + listen_key_validity_.count()};
    return {200, fmt::format(R"({{"listenKey":"{}"}})", key), {}};
}

RestReply RestApi::keep_alive_listen_key(const Call& call) {
    expire_listen_keys();
    auto key = call.get("listenKey");
    if (!key) return mandatory("listenKey");
    auto it = listen_keys_.find(*key);
    if (it == listen_keys_.end() || it->second.account != call.account)
        return error_reply(400, 730706,
                           "Invalid listen key");  // an error body, not {"listenKey":..} (SPEC §9)
    it->second.expires_ms = call.now + listen_key_validity_.count();
    return {200, fmt::format(R"({{"listenKey":"{}"}})", *key), {}};
}

RestReply RestApi::delete_listen_key(const Call& call) {
    auto key = call.get("listenKey");
    if (!key) return mandatory("listenKey");
    auto it = listen_keys_.find(*key);
    if (it == listen_keys_.end() || it->second.account != call.account)
        return error_reply(400, 730706, "Invalid listen key");
    listen_keys_.erase(it);
    return {200, fmt::format(R"({{"listenKey":"{}"}})", *key), {}};
}

RestReply RestApi::list_listen_keys(const Call& call) {
    expire_listen_keys();
    std::string out;
    for (const auto& [key, entry] : listen_keys_)
        if (entry.account == call.account)
            out += fmt::format("{}\"{}\"", out.empty() ? "" : ",", key);
    return {200, fmt::format(R"({{"listenKey":[{}]}})", out), {}};
}

}  // namespace mexc::sandbox
