// STYLE §8 on the book path: once warm, depth frames flowing through the market-data owner
// (decode, routing, BookSync, OrderBook, change notification) allocate nothing on the client's
// thread. The venue runs on its own thread, so its allocations are not counted.

#include "client_config.hpp"
#include "sandbox_thread.hpp"
#include "support/alloc_counter.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::run;

TEST_CASE("the book path allocates nothing per frame after warm-up: two books at 10 ms",
          "[integration][book][alloc][threads]") {
    mexc::sandbox::SandboxThread venue(mexc::sandbox::SandboxOptions{});
    asio::io_context ioc{1};
    auto config = mexc::sandbox::client_config(venue);
    config.depth_interval = "10ms";
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));
    REQUIRE(run(ioc, exchange.subscribe_book("BTCUSDT")));
    REQUIRE(run(ioc, exchange.subscribe_book("ETHUSDT")));
    ioc.restart();
    ioc.run_for(1s);  // warm-up: buffers and book arrays reach their working size

    const auto before = exchange.metrics();
    mexc::testing::AllocationCounter allocs;
    ioc.restart();
    ioc.run_for(1s);
    const auto counted = allocs.count();
    const auto after = exchange.metrics();
    const auto frames = after.frames - before.frames;
    CHECK(frames > 50);
    CHECK(after.snapshots == before.snapshots);  // no resync happened in the window
    CHECK(exchange.book("BTCUSDT")->is_live());
    CHECK(counted == 0);
    run(ioc, exchange.close());
}
