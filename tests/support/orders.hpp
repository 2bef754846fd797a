#pragma once
// Orders the account tests place: a market buy sized in quote, which the sandbox fills at once.

#include "mexc/decimal.hpp"
#include "mexc/order.hpp"

#include <string>

namespace mexc::testing {

inline OrderRequest market_buy(std::string quote, std::string symbol = "BTCUSDT") {
    OrderRequest o;
    o.symbol = std::move(symbol);
    o.side = Side::buy;
    o.type = OrderType::market;
    o.quote_order_qty = Quantity::parse(quote, 0).value();
    return o;
}

}  // namespace mexc::testing
