#include "rest_api.hpp"

#include "sandbox.hpp"
#include "text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace mexc::sandbox {
namespace {

RestReply error_reply(int status, int code, std::string_view msg) {
    return {status, fmt::format(R"({{"code":{},"msg":"{}"}})", code, msg), {}};
}

std::string levels_json(const std::vector<LevelUnits>& levels, SymbolScales scales) {
    std::string out = "[";
    for (const auto& l : levels) {
        if (out.size() > 1) out += ',';
        out += fmt::format(R"(["{}","{}"])", decimal(l.price, scales.price), decimal(l.quantity, scales.quantity));
    }
    return out + "]";
}

}  // namespace

RestApi::RestApi(Market& market, SandboxStats& stats) : market_(market), stats_(stats) {}

void RestApi::serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back) {
    stale_snapshots_[symbol] = versions_back;
}

RestReply RestApi::exchange_info(const Params& q) {
    std::vector<const SymbolBook*> chosen;
    auto add = [&](std::string_view name) {
        const SymbolBook* b = market_.find(name);
        if (!b) return false;
        chosen.push_back(b);
        return true;
    };
    if (auto it = q.find("symbol"); it != q.end()) {
        if (!add(it->second)) return error_reply(400, -1121, "Invalid symbol.");
    } else if (auto its = q.find("symbols"); its != q.end()) {
        std::string_view list = its->second;
        while (!list.empty()) {
            const auto comma = list.find(',');
            if (!add(list.substr(0, comma))) return error_reply(400, -1121, "Invalid symbol.");
            list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        }
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
            s.symbol, s.base_asset, s.quantity_scale, s.quote_asset, s.price_scale, s.price_scale, s.quantity_scale,
            s.price_scale, s.base_asset);
    }
    return {200, fmt::format(R"({{"timezone":"CST","serverTime":{},"rateLimits":[],"exchangeFilters":[],"symbols":[{}]}})",
                                          now_ms(), symbols)};
}

RestReply RestApi::depth(const Params& q) {
    ++stats_.depth_requests;
    auto it = q.find("symbol");
    if (it == q.end()) return error_reply(400, 700004, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const SymbolBook* book = market_.find(it->second);
    if (!book) return error_reply(400, -1121, "Invalid symbol.");
    std::size_t limit = 100;
    if (auto l = q.find("limit"); l != q.end()) {
        int v = 0;
        auto [p, ec] = std::from_chars(l->second.data(), l->second.data() + l->second.size(), v);
        if (ec != std::errc{} || v <= 0) return error_reply(400, 33333, "Parameter error");
        limit = static_cast<std::size_t>(std::min(v, 5000));
    }
    std::optional<DepthSnapshot> snap;
    if (auto stale = stale_snapshots_.find(book->spec().symbol); stale != stale_snapshots_.end()) {
        snap = book->snapshot_at(book->version() - stale->second, limit);
        stale_snapshots_.erase(stale);
    }
    if (!snap) snap = book->snapshot(limit);
    return {200, fmt::format(R"({{"lastUpdateId":{},"bids":{},"asks":{},"timestamp":{}}})", snap->last_update_id,
                                          levels_json(snap->bids, book->scales()), levels_json(snap->asks, book->scales()), now_ms())};
}

RestReply RestApi::handle(const RestRequest& req) {
    ++stats_.http_requests;
    const std::string_view target = req.target;
    const auto qmark = target.find('?');
    const std::string_view path = target.substr(0, qmark);
    const Params query = parse_query(qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1));
    if (req.method == "GET") {
        if (path == "/api/v3/ping") return {200, "{}"};
        if (path == "/api/v3/time") return {200, fmt::format(R"({{"serverTime":{}}})", now_ms())};
        if (path == "/api/v3/exchangeInfo") return exchange_info(query);
        if (path == "/api/v3/depth") return depth(query);
    }
    return error_reply(404, 404, "Not Found");
}

}  // namespace mexc::sandbox
