#include "watch.hpp"

#include "json_out.hpp"

#include <fmt/format.h>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <variant>

namespace mexc::cli {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string watch_line(const AccountEvent& event) {
    return std::visit(
        Overloaded{
            [](const OrderUpdate& o) {
                return fmt::format(
                    R"({{"event":"order","symbol":"{}","order_id":"{}","client_order_id":"{}",)"
                    R"("side":"{}","type":"{}","status":"{}","price":"{}","quantity":"{}",)"
                    R"("filled":"{}","filled_quote":"{}","time":{}}})",
                    json_escaped(o.symbol.view()), json_escaped(o.order_id.view()),
                    json_escaped(o.client_order_id.view()), to_string(o.side), to_string(o.type),
                    to_string(o.status), o.price.to_string(), o.quantity.to_string(),
                    o.filled.to_string(), o.filled_quote.to_string(), o.time);
            },
            [](const Fill& f) {
                return fmt::format(
                    R"({{"event":"fill","symbol":"{}","trade_id":"{}","order_id":"{}",)"
                    R"("client_order_id":"{}","side":"{}","price":"{}","quantity":"{}",)"
                    R"("fee":"{}","fee_asset":"{}","maker":{},"time":{}}})",
                    json_escaped(f.symbol.view()), json_escaped(f.trade_id.view()),
                    json_escaped(f.order_id.view()), json_escaped(f.client_order_id.view()),
                    to_string(f.side), f.price.to_string(), f.quantity.to_string(),
                    f.fee.to_string(), json_escaped(f.fee_asset.view()), f.maker, f.time);
            },
            [](const BalanceUpdate& b) {
                return fmt::format(
                    R"({{"event":"balance","asset":"{}","free":"{}","locked":"{}","time":{}}})",
                    json_escaped(b.asset.view()), b.free.to_string(), b.locked.to_string(), b.time);
            },
            [](StreamStatus s) {
                return fmt::format(R"({{"event":"stream","status":"{}"}})", to_string(s));
            },
        },
        event);
}

asio::awaitable<int> watch(MexcExchange& ex, WatchRequest r) {
    const auto emit = [&](std::string_view line) {
        if (r.out)
            r.out(line);
        else
            fmt::print("{}\n", line);
    };
    const auto wanted = [&](const AccountEvent& e) {
        return std::visit(Overloaded{[&](const OrderUpdate&) { return r.orders; },
                                     [&](const Fill&) { return r.fills; },
                                     [&](const BalanceUpdate&) { return r.balances; },
                                     [](StreamStatus) { return true; }},
                          e);
    };
    asio::steady_timer deadline(co_await asio::this_coro::executor,
                                r.seconds ? asio::steady_timer::clock_type::now() + *r.seconds
                                          : asio::steady_timer::time_point::max());
    // The stream statuses of the start are events too: they come through next_account_event.
    if (auto started = co_await (ex.start_account() || deadline.async_wait(asio::use_awaitable));
        started.index() == 0 && !std::get<0>(started)) {
        co_return print_error("start", std::get<0>(started).error());
    } else if (started.index() == 1) {
        co_return 0;  // the time ran out before the stream was live
    }
    std::uint64_t printed = 0;
    while (!r.count || printed < *r.count) {
        auto next = co_await (ex.next_account_event() || deadline.async_wait(asio::use_awaitable));
        if (next.index() == 1) break;  // the time is up
        auto& event = std::get<0>(next);
        if (!event) {  // the exchange closing is the end of the watch, not a failure
            if (event.error().condition() == Condition::closed) break;
            co_return print_error("account", event.error());
        }
        if (!wanted(*event)) continue;
        emit(watch_line(*event));
        ++printed;
    }
    co_return 0;
}

}  // namespace mexc::cli
