// STYLE §8 on the order path: once warm, placing an order through the facade allocates nothing on
// the client's thread (the venue runs on its own thread, so its allocations are not counted).

#include "client_config.hpp"
#include "sandbox_thread.hpp"
#include "support/alloc_counter.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

namespace asio = boost::asio;
using mexc::testing::run;

TEST_CASE(
    "the order path allocates nothing after warm-up: place_order and cancel_order over a "
    "kept-alive connection",
    "[integration][exchange][orders][alloc][threads]") {
    mexc::sandbox::SandboxOptions options;
    options.symbols.resize(1);  // BTCUSDT
    options.rate_limits.orders_per_second = 1 << 30;
    options.rate_limits.uid_weight_per_window = 1 << 30;
    mexc::sandbox::SandboxThread venue(std::move(options));

    asio::io_context ioc{1};
    auto config = mexc::sandbox::client_config(venue);
    // The client's own budget is lifted so the loop is not paced; its windows fill during warm-up.
    config.rate_limits.uid_weight = 1 << 30;
    config.rate_limits.orders_per_second = 1 << 30;
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));

    // A limit buy far below the market: it rests until cancelled; nothing fills.
    mexc::OrderRequest order;
    order.symbol = "BTCUSDT";
    order.side = mexc::Side::buy;
    order.type = mexc::OrderType::limit;
    order.price = mexc::Price::parse("100.00", 2).value();
    order.quantity = mexc::Quantity::parse("0.100000", 6).value();

    struct Outcome {
        int cycles = 0;
        std::uint64_t allocations = 0;
    };
    // One cycle: place, then cancel by the exchange's id; true when both were confirmed.
    auto cycle = [&]() -> asio::awaitable<bool> {
        auto ack = co_await exchange.place_order(order);
        if (!ack || ack->client_order_id.empty()) co_return false;
        auto cancelled =
            co_await exchange.cancel_order("BTCUSDT", mexc::rest::OrderRef::by_id(ack->order_id));
        co_return cancelled && cancelled->status == mexc::OrderStatus::canceled &&
            cancelled->order_id == ack->order_id;
    };
    auto loop = [&]() -> asio::awaitable<Outcome> {
        Outcome out;
        // Warm-up: rules and symbol lists cached, the connection open, pools and the limiter's
        // rings grown (300 requests: the rings reach 512 entries and hold the measured 100 too).
        for (int i = 0; i < 150; ++i) {
            if (!co_await cycle()) co_return out;
        }
        mexc::testing::AllocationCounter allocations;
        for (int i = 0; i < 50; ++i) {
            if (!co_await cycle()) break;
            ++out.cycles;
        }
        out.allocations = allocations.count();
        co_return out;
    };
    const auto outcome = run(ioc, loop());
    CHECK(outcome.cycles == 50);
    CHECK(outcome.allocations == 0);
    run(ioc, exchange.close());
}
