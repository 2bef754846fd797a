// Trading and account bodies (SPEC §3.2).

#include "support/catch_result.hpp"

#include "wire/json.hpp"

#include <catch2/catch.hpp>

using mexc::wire::JsonReader;

TEST_CASE("order query bodies parse exactly, with MEXC's quirks", "[unit][rest][json][P16]") {
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
    CHECK(o->orig_qty.to_string() ==
          "0.000100");  // the documented `Qty` spelling is accepted (P16)
    CHECK(o->cummulative_quote_qty.to_string() == "4.2135005");
    CHECK(o->status == mexc::OrderStatus::partially_filled);
    CHECK(o->time == 1736417034259);
    auto numeric_id = json.order_info(
        R"({"symbol":"X","orderId":123,"status":"NEW","type":"MARKET","side":"SELL","origQty":"1"})");
    REQUIRE(numeric_id);
    CHECK(numeric_id->order_id == "123");
}

TEST_CASE("P16 a missing or mistyped required field is a typed error naming the field",
          "[unit][rest][json][P16]") {
    JsonReader json;
    auto missing = json.order_info(
        R"({"symbol":"BTCUSDT","orderId":"1","type":"LIMIT","side":"BUY","origQty":"1"})");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == mexc::Errc::missing_field);
    CHECK(missing.error().venue_message() == "status");
    auto mistyped = json.order_info(
        R"({"symbol":"BTCUSDT","orderId":"1","status":"NEW","type":"LIMIT","side":"BUY","origQty":true})");
    REQUIRE_FALSE(mistyped);
    CHECK(mistyped.error().code() == mexc::Errc::unexpected_json_shape);
    CHECK(mistyped.error().venue_message() == "origQty");
    auto bad_status = json.order_info(
        R"({"symbol":"B","orderId":"1","status":["NEW"],"type":"LIMIT","side":"BUY","origQty":"1"})");
    REQUIRE_FALSE(bad_status);
    CHECK(bad_status.error().venue_message() == "status");
    CHECK_FALSE(json.order_ack(R"({"symbol":"BTCUSDT"})"));
    // An id longer than OrderId's inline capacity is a parse error naming it, never a cut id.
    const auto long_id = std::string(64, '7');
    auto too_long = json.order_ack(R"({"symbol":"BTCUSDT","orderId":")" + long_id +
                                   R"(","price":"1","origQty":"1","type":"LIMIT","side":"BUY"})");
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().venue_message() == "orderId");
    auto numeric = json.order_ack(
        R"({"symbol":"BTCUSDT","orderId":1234567890123456789,"price":"1","origQty":"1","type":"LIMIT","side":"BUY"})");
    REQUIRE(numeric);
    CHECK(numeric->order_id == "1234567890123456789");
    CHECK_FALSE(
        json.order_infos(R"({"code":700002,"msg":"Signature for this request is not valid."})"));
    CHECK_FALSE(json.account(R"({"canTrade":true})"));
    CHECK_FALSE(json.listen_key(R"({"code":730706,"msg":"Invalid listen key"})"));
}

TEST_CASE("aggTrades, etf/info and symbol/offline bodies parse, a missing field is named",
          "[unit][rest][json][market][P16]") {
    JsonReader json;
    // SPEC §11.6's recorded aggTrades item.
    auto agg = json.agg_trades(
        R"([{"M":true,"T":1767204403000,"a":null,"f":null,"l":null,"m":false,"p":"87644.58","q":"0.61162371"}])");
    REQUIRE(agg);
    REQUIRE(agg->size() == 1);
    CHECK((*agg)[0].price.to_string() == "87644.58");
    CHECK((*agg)[0].qty.to_string() == "0.61162371");
    CHECK((*agg)[0].time == 1767204403000);
    CHECK_FALSE((*agg)[0].is_buyer_maker);
    CHECK((*agg)[0].is_best_match);
    CHECK((*agg)[0].first_id.empty());
    auto no_price = json.agg_trades(R"([{"M":true,"T":1767204403000,"m":false,"q":"0.5"}])");
    REQUIRE_FALSE(no_price);
    CHECK(no_price.error().code() == mexc::Errc::missing_field);
    CHECK(no_price.error().venue_message() == "p");
    auto numeric_time = json.agg_trades(R"([{"p":"1","q":"1","T":"soon"}])");
    REQUIRE_FALSE(numeric_time);
    CHECK(numeric_time.error().code() == mexc::Errc::unexpected_json_shape);
    CHECK(numeric_time.error().venue_message() == "T");

    // etf/info values may be numbers or strings; both are read exactly.
    auto etf = json.etf_infos(
        R"({"symbol":"BTC3LUSDT","netValue":1.0523,"feeRate":"0.0003","timestamp":1767204403000,)"
        R"("leverage":3,"realLeverage":"3.12","mergedTimes":2,"lastMergedTime":1767000000000,)"
        R"("basket":"0.01 BTC"})");
    REQUIRE(etf);
    REQUIRE(etf->size() == 1);
    CHECK((*etf)[0].symbol == "BTC3LUSDT");
    CHECK((*etf)[0].net_value.to_string() == "1.0523");
    CHECK((*etf)[0].fee_rate.to_string() == "0.0003");
    CHECK((*etf)[0].leverage.units() == 3);
    CHECK((*etf)[0].real_leverage.to_string() == "3.12");
    CHECK((*etf)[0].merged_times == 2);
    CHECK((*etf)[0].last_merged_time == 1767000000000);
    CHECK((*etf)[0].basket == "0.01 BTC");
    auto wrapped = json.etf_infos(
        R"({"code":0,"msg":"success","data":[{"symbol":"A3LUSDT","netValue":"2","basket":{"A":1}},)"
        R"({"symbol":"A3SUSDT","netValue":"0.5"}]})");
    REQUIRE(wrapped);
    REQUIRE(wrapped->size() == 2);
    CHECK((*wrapped)[0].basket == R"({"A":1})");
    CHECK((*wrapped)[1].net_value.to_string() == "0.5");
    auto no_value = json.etf_infos(R"([{"symbol":"BTC3LUSDT","feeRate":"0.0003"}])");
    REQUIRE_FALSE(no_value);
    CHECK(no_value.error().code() == mexc::Errc::missing_field);
    CHECK(no_value.error().venue_message() == "netValue");
    auto no_symbol_inside = json.etf_infos(R"({"code":0,"data":[{"netValue":"1"}]})");
    REQUIRE_FALSE(no_symbol_inside);
    CHECK(no_symbol_inside.error().venue_message() == "symbol");
    auto exponent = json.etf_infos(R"({"symbol":"X","netValue":1e3})");
    REQUIRE_FALSE(exponent);
    CHECK(exponent.error().code() == mexc::Errc::unexpected_json_shape);
    CHECK(exponent.error().venue_message() == "netValue");

    auto offline = json.offline_symbols(
        R"({"data":[{"symbol":"ABCUSDT","state":3,"offlineTime":1767204403000},)"
        R"({"symbol":"XYZUSDT","state":2}]})");
    REQUIRE(offline);
    REQUIRE(offline->size() == 2);
    CHECK((*offline)[0].state == mexc::OfflineState::delisted);
    CHECK((*offline)[0].offline_time == 1767204403000);
    CHECK((*offline)[1].symbol == "XYZUSDT");
    CHECK((*offline)[1].state == mexc::OfflineState::suspended);
    CHECK((*offline)[1].offline_time == 0);
    auto no_state =
        json.offline_symbols(R"({"code":0,"data":[{"symbol":"ABCUSDT","offlineTime":1}]})");
    REQUIRE_FALSE(no_state);
    CHECK(no_state.error().code() == mexc::Errc::missing_field);
    CHECK(no_state.error().venue_message() == "state");
    auto no_data = json.offline_symbols(R"({"code":0,"msg":"success"})");
    REQUIRE_FALSE(no_data);
    CHECK(no_data.error().venue_message() == "data");
    auto refused = json.offline_symbols(R"({"code":700003,"msg":"no","data":null})");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == mexc::Condition::rejected);
    CHECK(refused.error().code().value() == 700003);
}

TEST_CASE("acks, trades, account and listen keys parse", "[unit][rest][json]") {
    JsonReader json;
    auto ack = json.order_ack(
        R"({"symbol":"MXUSDT","orderId":"C02__1","orderListId":-1,"price":"3.6962","origQty":"1.00",)"
        R"("type":"LIMIT","side":"SELL","transactTime":1736417034259})");
    REQUIRE(ack);
    CHECK(ack->side == mexc::Side::sell);
    CHECK(ack->price.units() == 36962);
    auto trades = json.trades(
        R"([{"symbol":"MXUSDT","id":"505979017439002624X1","orderId":"C02__1","orderListId":-1,)"
        R"("price":"3.6962","qty":"1","quoteQty":"3.6962","commission":"0.0003998377369698171",)"
        R"("commissionAsset":"MX","time":1736417034259,"isBuyer":false,"isMaker":true,"isBestMatch":true,)"
        R"("isSelfTrade":false,"clientOrderId":null}])");
    REQUIRE(trades);
    REQUIRE(trades->size() == 1);
    CHECK((*trades)[0].commission.to_string() == "0.0003998377369698171");  // 19 decimals, exactly
    CHECK((*trades)[0].is_maker);
    CHECK((*trades)[0].id == "505979017439002624X1");
    auto account = json.account(
        R"({"makerCommission":null,"canTrade":true,"canWithdraw":true,"canDeposit":true,)"
        R"("updateTime":null,"accountType":"SPOT","balances":[{"asset":"USDT","free":"21.94210356004384",)"
        R"("locked":"0"}],"permissions":["SPOT"]})");
    REQUIRE(account);
    REQUIRE(account->balances.size() == 1);
    CHECK(account->balances[0].free.to_string() == "21.94210356004384");
    CHECK(account->can_trade);
    auto key = json.listen_key(
        R"({"listenKey":"pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})");
    REQUIRE(key);
    CHECK(key->size() == 64);
}

TEST_CASE("P18 batch answers are matched per order, an unanswered element is outcome_unknown",
          "[unit][rest][json][P18]") {
    JsonReader json;
    auto r = json.batch_results(
        R"([{"symbol":"BTCUSDT","orderId":"C02__1","orderListId":-1,"newClientOrderId":"b"},)"
        R"({"newClientOrderId":"a","code":30002,"msg":"too small"}])",
        {"a", "b", "c"});
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    REQUIRE((*r)[0].error);
    CHECK((*r)[0].error->code().value() == 30002);
    REQUIRE((*r)[1].ack);
    CHECK((*r)[1].ack->order_id == "C02__1");
    REQUIRE((*r)[2].error);
    CHECK((*r)[2].error->condition() ==
          mexc::Condition::outcome_unknown);  // never turned into a rejection
}
