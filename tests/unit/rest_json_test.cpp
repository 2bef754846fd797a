// Trading and account bodies (SPEC §3.2) and the server clock estimate (SPEC §1.6).

#include "rest/server_clock.hpp"
#include "support/catch_result.hpp"

#include "mexc/wire/json.hpp"

#include <catch2/catch.hpp>

using mexc::wire::JsonReader;

TEST_CASE("order query bodies parse exactly, with MEXC's quirks", "[unit][rest][json]") {
    JsonReader json;
    auto o = json.order_info(
        R"({"symbol":"BTCUSDT","orderId":"C02__505979017439002624115","orderListId":-1,"clientOrderId":null,)"
        R"("price":"84270.01","Qty":"0.000100","executedQty":"0.000050","cummulativeQuoteQty":"4.2135005",)"
        R"("status":"PARTIALLY_FILLED","timeInForce":"GTC","type":"LIMIT","side":"BUY","stopPrice":"",)"
        R"("time":1736417034259,"updateTime":null,"isWorking":true,"newField":{"x":[1,2]}})");
    REQUIRE(o);
    CHECK(o->order_id == "C02__505979017439002624115");
    CHECK(o->client_order_id.empty());
    CHECK(o->price.to_string() == "84270.01");
    CHECK(o->orig_qty.to_string() == "0.000100");  // the documented `Qty` spelling is accepted (P16)
    CHECK(o->cummulative_quote_qty.to_string() == "4.2135005");
    CHECK(o->status == mexc::OrderStatus::partially_filled);
    CHECK(o->time == 1736417034259);
    auto numeric_id = json.order_info(R"({"symbol":"X","orderId":123,"status":"NEW","type":"MARKET","side":"SELL","origQty":"1"})");
    REQUIRE(numeric_id);
    CHECK(numeric_id->order_id == "123");
}

TEST_CASE("P16 a missing or mistyped required field is a typed error naming the field", "[unit][rest][json]") {
    JsonReader json;
    auto missing = json.order_info(R"({"symbol":"BTCUSDT","orderId":"1","type":"LIMIT","side":"BUY","origQty":"1"})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == mexc::Errc::missing_field);
    CHECK(missing.error().venue_message() == "status");
    auto mistyped = json.order_info(R"({"symbol":"BTCUSDT","orderId":"1","status":"NEW","type":"LIMIT","side":"BUY","origQty":1})");
    REQUIRE_FALSE(mistyped);
    CHECK(mistyped.error().code() == mexc::Errc::unexpected_json_shape);
    CHECK(mistyped.error().venue_message() == "origQty");
    auto bad_status = json.order_info(R"({"symbol":"B","orderId":"1","status":"WEIRD","type":"LIMIT","side":"BUY","origQty":"1"})");
    REQUIRE_FALSE(bad_status);
    CHECK(bad_status.error().venue_message() == "status");
    CHECK_FALSE(json.order_ack(R"({"symbol":"BTCUSDT"})"));
    CHECK_FALSE(json.order_infos(R"({"code":700002,"msg":"Signature for this request is not valid."})"));
    CHECK_FALSE(json.account(R"({"canTrade":true})"));
    CHECK_FALSE(json.listen_key(R"({"code":730706,"msg":"Invalid listen key"})"));
}

TEST_CASE("acks, trades, account and listen keys parse", "[unit][rest][json]") {
    JsonReader json;
    auto ack = json.order_ack(R"({"symbol":"MXUSDT","orderId":"C02__1","orderListId":-1,"price":"3.6962","origQty":"1.00",)"
                              R"("type":"LIMIT","side":"SELL","transactTime":1736417034259})");
    REQUIRE(ack);
    CHECK(ack->side == mexc::Side::sell);
    CHECK(ack->price.units() == 36962);
    auto trades = json.trades(R"([{"symbol":"MXUSDT","id":"505979017439002624X1","orderId":"C02__1","orderListId":-1,)"
                              R"("price":"3.6962","qty":"1","quoteQty":"3.6962","commission":"0.0003998377369698171",)"
                              R"("commissionAsset":"MX","time":1736417034259,"isBuyer":false,"isMaker":true,"isBestMatch":true,)"
                              R"("isSelfTrade":false,"clientOrderId":null}])");
    REQUIRE(trades);
    REQUIRE(trades->size() == 1);
    CHECK((*trades)[0].commission.to_string() == "0.0003998377369698171");  // 19 decimals, exactly
    CHECK((*trades)[0].is_maker);
    CHECK((*trades)[0].id == "505979017439002624X1");
    auto account = json.account(R"({"makerCommission":null,"canTrade":true,"canWithdraw":true,"canDeposit":true,)"
                                R"("updateTime":null,"accountType":"SPOT","balances":[{"asset":"USDT","free":"21.94210356004384",)"
                                R"("locked":"0"}],"permissions":["SPOT"]})");
    REQUIRE(account);
    REQUIRE(account->balances.size() == 1);
    CHECK(account->balances[0].free.to_string() == "21.94210356004384");
    CHECK(account->can_trade);
    auto key = json.listen_key(R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})");
    REQUIRE(key);
    CHECK(key->size() == 64);
}

TEST_CASE("T05 the server clock is the median of midpoint samples, stamped behind the server", "[unit][rest][clock]") {
    mexc::rest::ServerClock clock;
    CHECK_FALSE(clock.synced());
    clock.add_sample(1000, 1600, 1200);   // midpoint 1100 → offset 500
    clock.add_sample(2000, 2520, 2040);   // midpoint 2020 → 500
    clock.add_sample(3000, 9000, 3010);   // an outlier: 5995
    CHECK(clock.synced());
    CHECK(clock.offset_ms() == 500);
    CHECK(clock.stamp(10000) == 10000 + 500 - 100);  // half the worst round trip behind
}

TEST_CASE("P18 batch answers are matched per order; an unanswered element is outcome_unknown", "[unit][rest][json]") {
    JsonReader json;
    auto r = json.batch_results(R"([{"symbol":"BTCUSDT","orderId":"C02__1","orderListId":-1,"newClientOrderId":"b"},)"
                                R"({"newClientOrderId":"a","code":30002,"msg":"too small"}])",
                                {"a", "b", "c"});
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    REQUIRE((*r)[0].error);
    CHECK((*r)[0].error->code().value() == 30002);
    REQUIRE((*r)[1].ack);
    CHECK((*r)[1].ack->order_id == "C02__1");
    REQUIRE((*r)[2].error);
    CHECK((*r)[2].error->condition() == mexc::Condition::outcome_unknown);  // never turned into a rejection
}
