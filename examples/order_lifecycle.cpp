// An order's life in real time: start the account streams, place a limit buy priced through the
// best ask so the market fills it, print every account event until the order is FILLED, then
// check the balances before and after against the fills and their fees, exactly.
//
//   mexc_order_lifecycle                      against the embedded sandbox and its demo account
//   mexc_order_lifecycle --config mexc.yaml   against configured endpoints (this spends money)

#include "example_venue.hpp"

#include "mexc/mexc.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace asio = boost::asio;

namespace {

// Every amount at one scale, so amounts of different scales add exactly (8 covers MEXC's).
constexpr std::uint8_t scale = 8;
std::int64_t units(const mexc::Quantity& q) {
    return mexc::Quantity::parse(q.to_string(), scale).value().units();
}
std::string text(std::int64_t u) {
    return mexc::Quantity::from_units(u, scale).to_string();
}

asio::awaitable<std::optional<std::map<std::string, std::int64_t>>> totals(mexc::MexcExchange& ex) {
    auto balances = co_await ex.balances(true);  // fresh from the venue
    if (!balances) {
        fmt::print(stderr, "balances: {}\n", balances.error().describe());
        co_return std::nullopt;
    }
    std::map<std::string, std::int64_t> out;
    for (const auto& b : *balances) out[b.asset] = units(b.free) + units(b.locked);
    co_return out;
}

asio::awaitable<int> lifecycle(mexc::MexcExchange& exchange, std::string symbol) {
    const auto fail = [&](std::string_view step, const mexc::Error& e) -> asio::awaitable<int> {
        fmt::print(stderr, "{}: {}\n", step, e.describe());
        co_await exchange.close();
        co_return 1;
    };
    if (auto live = co_await exchange.start_account(); !live)
        co_return co_await fail("start_account", live.error());
    auto rules = co_await exchange.rules(symbol);
    if (!rules) co_return co_await fail("rules", rules.error());
    std::vector<std::string> listed(1, symbol);
    auto info = co_await exchange.public_rest().exchange_info(std::move(listed));  // asset names
    if (!info) co_return co_await fail("exchange_info", info.error());
    if (info->symbols.empty()) {
        fmt::print(stderr, "exchange_info: {} is not listed\n", symbol);
        co_await exchange.close();
        co_return 1;
    }
    const std::string base_asset = info->symbols.front().base_asset;
    const std::string quote_asset = info->symbols.front().quote_asset;
    auto book = co_await exchange.subscribe_book(symbol);
    if (!book) co_return co_await fail("subscribe_book", book.error());
    auto before = co_await totals(exchange);
    if (!before) co_return 1;

    // 1. A limit buy 1 % through the best ask: it takes the asks up to its price at once.
    const auto top = book->top();
    mexc::OrderRequest order;
    order.symbol = symbol;
    order.side = mexc::Side::buy;
    order.type = mexc::OrderType::limit;
    order.price = rules->round_price(top.ask_price.to_double() * 1.01, mexc::Rounding::down);
    order.quantity = rules->round_quantity(20.0 / order.price->to_double(), mexc::Rounding::up);
    auto ack = co_await exchange.place_order(order);
    // outcome_unknown: the order may exist; it is reconciled by its client id, never resent.
    if (!ack) co_return co_await fail("place_order", ack.error());
    fmt::print("placed {} (client id {}): buy {} {} @ {}\n", ack->order_id, ack->client_order_id,
               ack->orig_qty.to_string(), symbol, ack->price.to_string());

    // 2. Every event until the order is final; the fills add up base, quote and fees.
    std::int64_t base = 0, quote = 0;
    std::map<std::string, std::int64_t> fees;
    for (bool done = false; !done;) {
        auto event = co_await exchange.next_account_event();
        if (!event) co_return co_await fail("next_account_event", event.error());
        if (const auto* o = std::get_if<mexc::OrderUpdate>(&*event)) {
            fmt::print("order   {} {}{} filled {} of {}\n", o->client_order_id.view(),
                       mexc::to_string(o->status), o->pending ? " (pending: sent, unanswered)" : "",
                       o->filled.to_string(), o->quantity.to_string());
            done = o->client_order_id.view() == ack->client_order_id.view() &&
                   mexc::is_final(o->status);
        } else if (const auto* f = std::get_if<mexc::Fill>(&*event)) {
            fmt::print("fill    {} {} @ {} fee {} {}\n", f->trade_id.view(),
                       f->quantity.to_string(), f->price.to_string(), f->fee.to_string(),
                       f->fee_asset.view());
            if (f->client_order_id.view() != ack->client_order_id.view()) continue;
            base += units(f->quantity);
            quote += units(f->quote_quantity);
            fees[f->fee_asset.str()] += units(f->fee);
        } else if (const auto* b = std::get_if<mexc::BalanceUpdate>(&*event)) {
            fmt::print("balance {} free {} locked {}\n", b->asset.view(), b->free.to_string(),
                       b->locked.to_string());
        } else {
            fmt::print("stream  {}\n", mexc::to_string(std::get<mexc::StreamStatus>(*event)));
        }
    }

    // 3. The balances moved by exactly the fills and their fees.
    auto after = co_await totals(exchange);
    if (!after) co_return 1;
    const auto expect_base = (*before)[base_asset] + base - fees[base_asset];
    const auto expect_quote = (*before)[quote_asset] - quote - fees[quote_asset];
    fmt::print("{}: {} -> {} (fills {} - fees {})\n", base_asset, text((*before)[base_asset]),
               text((*after)[base_asset]), text(base), text(fees[base_asset]));
    fmt::print("{}: {} -> {} (fills -{} - fees {})\n", quote_asset, text((*before)[quote_asset]),
               text((*after)[quote_asset]), text(quote), text(fees[quote_asset]));
    const bool agree = (*after)[base_asset] == expect_base && (*after)[quote_asset] == expect_quote;
    fmt::print("balances agree with the fills and fees: {}\n", agree ? "yes" : "NO");
    co_await exchange.close();
    co_return agree ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    return examples::trading_main(argc, argv,
                                  [](mexc::MexcExchange& ex) { return lifecycle(ex, "BTCUSDT"); });
}
