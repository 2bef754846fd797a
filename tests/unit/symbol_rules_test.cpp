// Symbol rules from exchangeInfo with MEXC's field meanings (SPEC §3.1): local checks before
// sending.

#include "support/catch_result.hpp"

#include "mexc/symbol_rules.hpp"

#include <catch2/catch.hpp>

namespace {

mexc::SymbolInfo btcusdt() {  // the SPEC §11.6 recording, tradable
    mexc::SymbolInfo s;
    s.symbol = "BTCUSDT";
    s.status = "1";
    s.base_asset_precision = 8;
    s.quote_precision = 2;
    s.quote_amount_precision = "1";
    s.max_quote_amount = "4000000";
    s.quote_amount_precision_market = "1";
    s.max_quote_amount_market = "4000000";
    s.is_spot_trading_allowed = true;
    s.trade_side_type = 1;
    s.order_types = {"LIMIT", "MARKET", "LIMIT_MAKER"};
    return s;
}

mexc::OrderRequest limit(std::string price, std::string qty) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.price = mexc::Price::parse(price, mexc::fractional_digits(price)).value();
    o.quantity = mexc::Quantity::parse(qty, mexc::fractional_digits(qty)).value();
    return o;
}

}  // namespace

TEST_CASE("rules: a valid limit order passes, precision and notional bounds are rejected locally",
          "[unit][rules][E09]") {
    auto rules = mexc::SymbolRules::from(btcusdt()).value();
    CHECK(rules.scales() == mexc::SymbolScales{2, 8});
    CHECK(rules.check(limit("84270.01", "0.0001")));
    CHECK(rules.check(limit("84270.010", "0.00010000")));  // trailing zeros are not extra precision
    auto fine_price = rules.check(limit("84270.001", "0.001"));
    REQUIRE_FALSE(fine_price);
    CHECK(fine_price.error().condition() == mexc::Condition::rejected);
    CHECK(fine_price.error().code() == mexc::Errc::filter_violation);
    CHECK_FALSE(rules.check(limit("84270.01", "0.000000001")));  // 9 decimals > baseAssetPrecision
    CHECK_FALSE(rules.check(limit("1.00", "0.5")));              // 0.5 USDT < minimum notional 1
    CHECK_FALSE(rules.check(limit("84270.00", "100")));          // above maxQuoteAmount
    mexc::OrderRequest no_price = limit("1", "1");
    no_price.price.reset();
    CHECK_FALSE(rules.check(no_price));
}

TEST_CASE("rules: market orders take exactly one of quantity and quote amount", "[unit][rules]") {
    auto rules = mexc::SymbolRules::from(btcusdt()).value();
    mexc::OrderRequest m;
    m.symbol = "BTCUSDT";
    m.type = mexc::OrderType::market;
    CHECK_FALSE(rules.check(m));
    m.quote_order_qty = mexc::Quantity::parse("10", 0).value();
    CHECK(rules.check(m));
    m.quantity = mexc::Quantity::parse("0.1", 1).value();
    CHECK_FALSE(rules.check(m));
    m.quote_order_qty.reset();
    CHECK(rules.check(m));
    m.quantity.reset();
    m.quote_order_qty = mexc::Quantity::parse("0.5", 1).value();
    CHECK_FALSE(rules.check(m));  // below quoteAmountPrecisionMarket
}

TEST_CASE("E08 rules: status, API permission and tradeSideType make a symbol untradable",
          "[unit][rules][E08]") {
    auto check_with = [](auto tweak, mexc::Side side) {
        auto info = btcusdt();
        tweak(info);
        auto order = limit("84270.01", "0.001");
        order.side = side;
        return mexc::SymbolRules::from(info).value().check(order);
    };
    auto paused = check_with([](mexc::SymbolInfo& s) { s.status = "2"; }, mexc::Side::buy);
    REQUIRE_FALSE(paused);
    CHECK(paused.error().code() == mexc::Errc::symbol_not_tradable);
    {  // refused on isSpotTradingAllowed only when asked to (RulesPolicy)
        auto info = btcusdt();
        info.is_spot_trading_allowed = false;
        CHECK_FALSE(
            mexc::SymbolRules::from(info, {true}).value().check(limit("84270.01", "0.001")));
    }
    CHECK_FALSE(check_with([](mexc::SymbolInfo& s) { s.trade_side_type = 2; }, mexc::Side::sell));
    CHECK(check_with([](mexc::SymbolInfo& s) { s.trade_side_type = 2; }, mexc::Side::buy));
    CHECK_FALSE(check_with([](mexc::SymbolInfo& s) { s.trade_side_type = 3; }, mexc::Side::buy));
    CHECK_FALSE(check_with([](mexc::SymbolInfo& s) { s.trade_side_type = 4; }, mexc::Side::buy));
    auto maker_only_market =
        check_with([](mexc::SymbolInfo& s) { s.order_types = {"LIMIT"}; }, mexc::Side::buy);
    CHECK(maker_only_market);  // LIMIT listed: a limit order passes
}

TEST_CASE("rules: rounding to the tick and exact rescaling", "[unit][rules]") {
    auto rules = mexc::SymbolRules::from(btcusdt()).value();
    CHECK(rules.round_price(84270.019, mexc::Rounding::down).to_string() == "84270.01");
    CHECK(rules.round_price(84270.011, mexc::Rounding::up).to_string() == "84270.02");
    CHECK(rules.round_price(84270.015001, mexc::Rounding::nearest).to_string() == "84270.02");
    CHECK(rules.round_quantity(0.123456789, mexc::Rounding::down).to_string() == "0.12345678");
    CHECK(rules.exact_price(mexc::Price::parse("84270.1", 1).value())->to_string() == "84270.10");
    CHECK_FALSE(rules.exact_price(mexc::Price::parse("84270.123", 3).value()));
}
