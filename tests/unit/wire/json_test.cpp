// JSON frames and REST bodies (src/wire/json.hpp): SPEC §7.3, §11.5, §11.6; FAULTS P10,
// P16, P17.

#include "wire/json.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <string>

using namespace mexc;
using namespace mexc::wire;

namespace {

ControlFrame control(JsonReader& reader, std::string_view text) {
    auto r = reader.control_frame(text);
    INFO("frame: " << text);
    REQUIRE(r);
    return *r;
}

// SPEC §11.6, exchangeInfo?symbol=BTCUSDT, as recorded.
constexpr std::string_view exchange_info_body =
    R"({"exchangeFilters":[],"rateLimits":[],"serverTime":1767211169287,"timezone":"CST","symbols":[)"
    R"({"baseAsset":"BTC","baseAssetPrecision":8,"baseCommissionPrecision":8,"baseSizePrecision":"0.000001",)"
    R"("conceptPlateIds":[50,5,39,12],"contractAddress":"","filters":[{"askMultiplierDown":"0.005",)"
    R"("bidMultiplierUp":"0.005","filterType":"PERCENT_PRICE_BY_SIDE"}],"fullName":"Bitcoin",)"
    R"("isMarginTradingAllowed":false,"isSpotTradingAllowed":false,"makerCommission":"0",)"
    R"("maxQuoteAmount":"4000000","maxQuoteAmountMarket":"4000000","orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],)"
    R"("permissions":["SPOT"],"quoteAmountPrecision":"1","quoteAmountPrecisionMarket":"1","quoteAsset":"USDT",)"
    R"("quoteAssetPrecision":2,"quoteCommissionPrecision":2,"quotePrecision":2,"st":false,"status":"1",)"
    R"("symbol":"BTCUSDT","takerCommission":"0.0005","tradeSideType":1}]})";

// SPEC §11.6 depth shape (two levels per side kept).
constexpr std::string_view depth_body =
    R"({"asks":[["87903.98","5.12181600"],["87904.50","0.00639626"]],)"
    R"("bids":[["87900.00","0.05661525"],["87899.1","1.5"]],"lastUpdateId":56217769552,"timestamp":1767205854814})";

}  // namespace

TEST_CASE("P10 PONG reply is recognised", "[unit][json][P10]") {
    JsonReader reader;
    const auto f = control(reader, R"({"id":0,"code":0,"msg":"PONG"})");
    CHECK(f.kind == ControlKind::pong);
    CHECK(f.id == 0);
    CHECK(f.code == 0);
    CHECK(f.msg == "PONG");
}

TEST_CASE("P10 subscription ack carries the id and the topics", "[unit][json][P10]") {
    JsonReader reader;
    auto f = control(
        reader, R"({"id":7,"code":0,"msg":"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"})");
    CHECK(f.kind == ControlKind::subscribed);
    CHECK(f.id == 7);
    CHECK(f.msg == "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT");
    f = control(
        reader,
        R"({"id":9,"code":0,"msg":"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT,spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT"})");
    CHECK(f.kind == ControlKind::subscribed);
    CHECK(f.id == 9);
    CHECK(f.msg ==
          "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT,spot@public.aggre.depth.v3.api.pb@100ms@"
          "BTCUSDT");
}

TEST_CASE("P10 Blocked! rejection with code 0 is rejected, listing exactly the bracketed topics",
          "[unit][json][P10]") {
    JsonReader reader;
    // SPEC §11.5 text: two spaces, full-width colon, trailing space.
    auto f = control(reader,
                     "{\"id\":8,\"code\":0,\"msg\":\"Not Subscribed successfully! "
                     "[spot@public.kline.v3.api@BTCUSDT@Min1]."
                     "  Reason\xef\xbc\x9a Blocked! \"}");
    CHECK(f.kind == ControlKind::rejected);
    CHECK(f.id == 8);
    CHECK(f.code == 0);
    CHECK(f.topics == "spot@public.kline.v3.api@BTCUSDT@Min1");

    // Spacing variant (one space) and several topics.
    f = control(reader,
                "{\"id\":10,\"code\":0,\"msg\":\"Not Subscribed successfully! [a@X,b@Y]. "
                "Reason\xef\xbc\x9a Blocked!\"}");
    CHECK(f.kind == ControlKind::rejected);
    CHECK(f.topics == "a@X,b@Y");

    // Whitespace between JSON tokens does not matter.
    f = control(reader,
                " {\n \"id\" : 11 , \"code\" : 0 ,\r\n\t\"msg\" : \"Not Subscribed successfully! "
                "[t]\" } \n");
    CHECK(f.kind == ControlKind::rejected);
    CHECK(f.id == 11);
    CHECK(f.topics == "t");
}

TEST_CASE("P10 duplicate subscribe answered with msg \"\" is duplicate", "[unit][json][P10]") {
    JsonReader reader;
    const auto f = control(reader, R"({"id":12,"code":0,"msg":""})");
    CHECK(f.kind == ControlKind::duplicate);
    CHECK(f.id == 12);
}

TEST_CASE("P10 code as string, missing id and null msg are tolerated", "[unit][json][P10]") {
    JsonReader reader;
    auto f = control(reader, R"({"id":"13","code":"0","msg":"PONG"})");
    CHECK(f.kind == ControlKind::pong);
    CHECK(f.id == 13);
    f = control(reader, R"({"code":"700002","msg":"Signature for this request is not valid."})");
    CHECK(f.code == 700002);
    CHECK(f.id == 0);
    CHECK(f.kind == ControlKind::other);
    f = control(reader, R"({"code":0,"msg":"PONG"})");
    CHECK(f.kind == ControlKind::pong);
    CHECK(f.id == 0);
    f = control(reader, R"({"id":null,"code":0,"msg":"PONG"})");
    CHECK(f.kind == ControlKind::pong);
    // msg null is not the empty-string duplicate ack.
    f = control(reader, R"({"id":14,"code":0,"msg":null})");
    CHECK(f.kind == ControlKind::other);
    CHECK(f.msg.empty());
    // No msg at all.
    f = control(reader, R"({"id":15,"code":0})");
    CHECK(f.kind == ControlKind::other);
    // A non-zero code with a topic-looking msg is not a subscription.
    f = control(reader,
                R"({"id":16,"code":1,"msg":"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"})");
    CHECK(f.kind == ControlKind::other);
}

TEST_CASE("P10 plain text \"Invalid listen key\" is recognised", "[unit][json][P10]") {
    JsonReader reader;
    CHECK(control(reader, "Invalid listen key").kind == ControlKind::invalid_listen_key);
    auto junk = reader.control_frame("Some other text");
    REQUIRE_FALSE(junk);
    CHECK(junk.error().code() == Errc::malformed_json);
}

TEST_CASE("P17 malformed and pathological JSON control frames are typed errors", "[unit][json]") {
    JsonReader reader;
    const std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
    const std::string deep_in_object = R"({"id":1,"msg":)" + deep_array + "}";
    const std::string deep_unknown = R"({"id":1,"x":)" + deep_array + R"(,"msg":"PONG"})";
    const std::string deep_objects = [] {
        std::string s;
        for (int i = 0; i < 10000; ++i) s += "{\"a\":";
        s += "1";
        s += std::string(10000, '}');
        return s;
    }();
    for (const std::string& text :
         {std::string(R"({"id":0,"code":0,"msg":"PONG"} trailing)"),
          std::string(R"({"id":0,"code":0,"msg":"PONG"}{})"),
          std::string(R"({"id":0,"code":0,"msg":"PONG")"),
          std::string(R"({"id":0,"code":0,"msg":PONG})"),
          std::string(R"({"id":0,"code":{},"msg":"PONG"})"),
          std::string(R"({"id":"x","code":0,"msg":"PONG"})"),
          std::string(R"({"id":0,"code":0,"msg":5})"),
          std::string("{\"id\":0,\"code\":0,\"msg\":\"\xff\xfe\"}"),
          std::string("\xef\xbb\xbf{\"id\":0,\"code\":0,\"msg\":\"PONG\"}"), std::string(""),
          std::string("   "), std::string("[]"), std::string("{"), deep_array, deep_in_object,
          deep_unknown, deep_objects}) {
        INFO("frame (first 60 bytes): " << text.substr(0, 60));
        auto r = reader.control_frame(text);
        CHECK_FALSE(r);
        if (!r) CHECK(r.error().condition() == Condition::bad_data);
    }
    // The reader is still usable afterwards.
    CHECK(control(reader, R"({"id":0,"code":0,"msg":"PONG"})").kind == ControlKind::pong);
}

TEST_CASE(
    "json: a reader reuses its buffer: a long frame followed by a short one parses the short one",
    "[unit][json]") {
    JsonReader reader;
    const std::string long_msg = R"({"id":1,"code":0,"msg":")" + std::string(5000, 'a') + R"("})";
    CHECK(control(reader, long_msg).kind == ControlKind::subscribed);
    const auto f = control(reader, R"({"id":2,"code":0,"msg":"PONG"})");
    CHECK(f.kind == ControlKind::pong);
    CHECK(f.id == 2);
}

TEST_CASE("json: depth snapshot of the SPEC 11.6 shape parses into units, best first",
          "[unit][json][book]") {
    JsonReader reader;
    DepthSnapshot snap;
    auto r = reader.depth_snapshot(depth_body, SymbolScales{2, 8}, snap);
    REQUIRE(r);
    CHECK(snap.last_update_id == 56217769552);
    CHECK(snap.timestamp == 1767205854814);
    REQUIRE(snap.asks.size() == 2);
    REQUIRE(snap.bids.size() == 2);
    CHECK(snap.asks[0] == LevelUnits{8790398, 512181600});
    CHECK(snap.asks[1] == LevelUnits{8790450, 639626});
    CHECK(snap.bids[0] == LevelUnits{8790000, 5661525});
    CHECK(snap.bids[1] == LevelUnits{8789910, 150000000});
}

TEST_CASE("json: depth snapshot reuses the output and accepts a missing timestamp",
          "[unit][json][book]") {
    JsonReader reader;
    DepthSnapshot snap;
    REQUIRE(reader.depth_snapshot(depth_body, SymbolScales{2, 8}, snap));
    REQUIRE(reader.depth_snapshot(R"({"lastUpdateId":5,"bids":[["1.00","2"]],"asks":[]})",
                                  SymbolScales{2, 8}, snap));
    CHECK(snap.last_update_id == 5);
    CHECK(snap.timestamp == 0);
    CHECK(snap.asks.empty());
    REQUIRE(snap.bids.size() == 1);
    CHECK(snap.bids[0] == LevelUnits{100, 200000000});
}

TEST_CASE("json: a depth snapshot with more decimals than the scale is precision_exceeded",
          "[unit][json][book]") {
    JsonReader reader;
    DepthSnapshot snap;
    auto r = reader.depth_snapshot(R"({"asks":[["87903.981","1"]],"bids":[],"lastUpdateId":1})",
                                   SymbolScales{2, 8}, snap);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == Condition::bad_data);
    CHECK(r.error().code() == Errc::precision_exceeded);
}

TEST_CASE("P06 depth snapshots with malformed levels or versions are typed errors",
          "[unit][json][book][P06]") {
    JsonReader reader;
    DepthSnapshot snap;
    struct Case {
        std::string_view body;
        Errc code;
    };
    const Case cases[] = {
        {R"({"asks":[["1e5","1"]],"bids":[],"lastUpdateId":1})", Errc::malformed_number},
        {R"({"asks":[["NaN","1"]],"bids":[],"lastUpdateId":1})", Errc::malformed_number},
        {R"({"asks":[["1"," 1"]],"bids":[],"lastUpdateId":1})", Errc::malformed_number},
        {R"({"asks":[["1","-1"]],"bids":[],"lastUpdateId":1})", Errc::malformed_number},
        {R"({"asks":[["0","1"]],"bids":[],"lastUpdateId":1})", Errc::malformed_number},
        {R"({"asks":[["1",1]],"bids":[],"lastUpdateId":1})", Errc::unexpected_json_shape},
        {R"({"asks":[["1"]],"bids":[],"lastUpdateId":1})", Errc::unexpected_json_shape},
        {R"({"asks":[["1","2","3"]],"bids":[],"lastUpdateId":1})", Errc::unexpected_json_shape},
        {R"({"asks":[],"bids":[],"lastUpdateId":-1})", Errc::bad_version},
        {R"({"asks":[],"bids":[],"lastUpdateId":"x"})", Errc::bad_version},
        {R"({"asks":[],"bids":[]})", Errc::missing_field},
        {R"({"asks":[],"lastUpdateId":1})", Errc::missing_field},
        {R"({"asks":[],"bids":[],"lastUpdateId":1} x)", Errc::malformed_json},
        {R"([1,2])", Errc::malformed_json},
    };
    for (const auto& c : cases) {
        INFO(c.body);
        auto r = reader.depth_snapshot(c.body, SymbolScales{2, 8}, snap);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == c.code);
    }
    const std::string huge =
        R"({"asks":[[")" + std::string(200, '9') + R"(","1"]],"bids":[],"lastUpdateId":1})";
    auto r = reader.depth_snapshot(huge, SymbolScales{2, 8}, snap);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::overflow);
}

TEST_CASE("json: infer_scales takes the widest decimals of prices and quantities", "[unit][json]") {
    JsonReader reader;
    auto s = reader.infer_scales(depth_body);
    REQUIRE(s);
    CHECK(s->price == 2);
    CHECK(s->quantity == 8);
    auto t =
        reader.infer_scales(R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[["1.234","5.6"]]})");
    REQUIRE(t);
    CHECK(*t == SymbolScales{3, 1});
    auto bad = reader.infer_scales(
        R"({"bids":[["1.00000000000000000001","1"]],"asks":[]})");  // 20 decimals
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code() == Errc::precision_exceeded);
}

TEST_CASE("json: server_time reads serverTime", "[unit][json]") {
    JsonReader reader;
    auto t = reader.server_time(R"({"serverTime":1767211150479})");
    REQUIRE(t);
    CHECK(*t == 1767211150479);
    auto missing = reader.server_time(R"({"time":1})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::missing_field);
    CHECK_FALSE(reader.server_time("not json"));
}

TEST_CASE("P16 exchange_info parses the SPEC 11.6 BTCUSDT symbol with tradeSideType as a number",
          "[unit][json][P16]") {
    JsonReader reader;
    auto info = reader.exchange_info(exchange_info_body);
    REQUIRE(info);
    CHECK(info->server_time == 1767211169287);
    REQUIRE(info->symbols.size() == 1);
    const SymbolInfo& s = info->symbols[0];
    CHECK(s.symbol == "BTCUSDT");
    CHECK(s.status == "1");
    CHECK(s.base_asset == "BTC");
    CHECK(s.quote_asset == "USDT");
    CHECK(s.base_asset_precision == 8);
    CHECK(s.quote_precision == 2);
    CHECK(s.quote_asset_precision == 2);
    CHECK(s.base_size_precision == "0.000001");
    CHECK(s.quote_amount_precision == "1");
    CHECK(s.maker_commission == "0");
    CHECK(s.taker_commission == "0.0005");
    CHECK_FALSE(s.is_spot_trading_allowed);
    CHECK(s.trade_side_type == 1);
    CHECK(s.order_types == std::vector<std::string>{"LIMIT", "MARKET", "LIMIT_MAKER"});
    CHECK(s.permissions == std::vector<std::string>{"SPOT"});
    CHECK(s.scales() == SymbolScales{2, 8});
}

TEST_CASE(
    "P16 exchange_info accepts tradeSideType and precisions as strings and rejects missing symbols",
    "[unit][json][P16]") {
    JsonReader reader;
    auto info = reader.exchange_info(
        R"({"serverTime":"5","symbols":[{"symbol":"MXUSDT","status":"2","tradeSideType":"3","baseAssetPrecision":"2",)"
        R"("quotePrecision":4,"isSpotTradingAllowed":true}]})");
    REQUIRE(info);
    CHECK(info->server_time == 5);
    REQUIRE(info->symbols.size() == 1);
    CHECK(info->symbols[0].trade_side_type == 3);
    CHECK(info->symbols[0].status == "2");
    CHECK(info->symbols[0].is_spot_trading_allowed);
    CHECK(info->symbols[0].scales() == SymbolScales{4, 2});

    auto no_symbols = reader.exchange_info(R"({"serverTime":1})");
    REQUIRE_FALSE(no_symbols);
    CHECK(no_symbols.error().code() == Errc::missing_field);
    auto unnamed = reader.exchange_info(R"({"symbols":[{"status":"1"}]})");
    REQUIRE_FALSE(unnamed);
    CHECK(unnamed.error().code() == Errc::missing_field);
    auto bad_precision =
        reader.exchange_info(R"({"symbols":[{"symbol":"X","quotePrecision":20}]})");
    REQUIRE_FALSE(bad_precision);
    CHECK(bad_precision.error().code() == Errc::unexpected_json_shape);
}

TEST_CASE("json: venue_error reads numeric and string codes, msg and the maintenance message",
          "[unit][json]") {
    JsonReader reader;
    auto e =
        reader.venue_error(R"({"code":700002,"msg":"Signature for this request is not valid."})");
    CHECK(e.present);
    CHECK(e.code == 700002);
    CHECK(e.msg == "Signature for this request is not valid.");

    e = reader.venue_error(
        R"({"code":"730603","msg":"This account does not support broker sub-account"})");
    CHECK(e.present);
    CHECK(e.code == 730603);
    CHECK(e.msg == "This account does not support broker sub-account");

    e = reader.venue_error(
        R"({"code":500,"message":"Under maintenance, please try again later","announcement":"https://www.mexc.com/x"})");
    CHECK(e.present);
    CHECK(e.code == 500);
    CHECK(e.msg == "Under maintenance, please try again later");

    e = reader.venue_error(R"({"code":-2011,"msg":null,"_extend":null})");
    CHECK(e.present);
    CHECK(e.code == -2011);
    CHECK(e.msg.empty());

    CHECK_FALSE(reader.venue_error(R"({"serverTime":1})").present);
    CHECK_FALSE(reader.venue_error("<html>403 Forbidden</html>").present);
    CHECK_FALSE(reader.venue_error("").present);
}
