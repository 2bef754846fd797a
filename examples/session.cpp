// The canonical session: open → order book → place a limit order → balances → close.
//
//   mexc_session                      against the embedded sandbox with its demo account
//   mexc_session --config mexc.yaml   against configured endpoints (credentials from the
//                                     environment: MEXC_API_KEY, MEXC_SECRET_KEY)

#include "example_venue.hpp"

#include "mexc/mexc.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;

namespace {

asio::awaitable<int> session(mexc::MexcExchange& exchange, std::string symbol) {
    auto fail = [&](std::string_view step, const mexc::Error& e) -> asio::awaitable<int> {
        fmt::print(stderr, "{}: {}\n", step, e.describe());
        co_await exchange.close();
        co_return 1;
    };
    // 1. The session: the symbol's book and, with credentials, the account stream, both live.
    std::vector<std::string> symbols(1, symbol);
    if (auto opened = co_await exchange.open(std::move(symbols)); !opened)
        co_return co_await fail("open", opened.error());
    auto book = exchange.book(symbol);
    if (!book) co_return co_await fail("book", book.error());
    const auto top = book->top();
    fmt::print("{} live at version {}: bid {} / ask {}\n", symbol, book->version(),
               top.bid_price.to_string(), top.ask_price.to_string());

    // 2. A limit buy 5 % under the best bid, rounded down to the symbol's tick: it rests.
    auto rules = co_await exchange.rules(symbol);
    if (!rules) co_return co_await fail("rules", rules.error());
    mexc::OrderRequest order;
    order.symbol = symbol;
    order.side = mexc::Side::buy;
    order.type = mexc::OrderType::limit;
    order.price = rules->round_price(top.bid_price.to_double() * 0.95, mexc::Rounding::down);
    order.quantity =
        rules->round_quantity(20.0 / order.price->to_double(), mexc::Rounding::up);  // ~20 USDT
    auto ack = co_await exchange.place_order(order);
    if (!ack) {
        // outcome_unknown: the order may exist; look it up by the client id we chose, never resend.
        co_return co_await fail("place_order", ack.error());
    }
    fmt::print("placed {} (client id {}): buy {} @ {}\n", ack->order_id, ack->client_order_id,
               ack->orig_qty.to_string(), ack->price.to_string());

    // 3. The order as the venue sees it, then the balances (fresh: the order locked funds).
    auto placed = co_await exchange.order(symbol, mexc::rest::OrderRef::by_id(ack->order_id));
    if (!placed) co_return co_await fail("order", placed.error());
    fmt::print("status {}\n", mexc::to_string(placed->status));
    auto balances = co_await exchange.balances(true);
    if (!balances) co_return co_await fail("balances", balances.error());
    for (const auto& b : *balances)
        fmt::print("  {:<6} free {:>22} locked {:>22}\n", b.asset, b.free.to_string(),
                   b.locked.to_string());

    // 4. Cancel and close.
    auto cancelled =
        co_await exchange.cancel_order(symbol, mexc::rest::OrderRef::by_id(ack->order_id));
    if (!cancelled) co_return co_await fail("cancel_order", cancelled.error());
    fmt::print("cancelled: {}\n", mexc::to_string(cancelled->status));
    co_await exchange.close();
    co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return examples::trading_main(argc, argv,
                                  [](mexc::MexcExchange& ex) { return session(ex, "BTCUSDT"); });
}
