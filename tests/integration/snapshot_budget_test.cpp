// Depth snapshots of many books at once go a few at a time, under the weight budget, resyncs of
// books in use first (SPEC §3.1 weight 3, §6.1; FAULTS §1.3.2 "weight-aware throttling").

#include "market.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;

TEST_CASE("G12 forty books load with two snapshots in flight at most, on two connections, no 429",
          "[integration][book][snapshots][G12]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.symbols = mexc::sandbox::generated_symbols(40, 7);
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), std::move(options));
    REQUIRE(sandbox.start());
    auto config = mexc::testing::config_for(sandbox);
    config.snapshot_concurrency = 2;
    std::optional<mexc::MexcExchange> exchange;
    exchange.emplace(ioc.get_executor(), std::move(config));

    std::size_t live = 0, failed = 0;
    for (const auto& spec : sandbox.market().symbols()) {
        asio::co_spawn(ioc, exchange->subscribe_book(spec.spec().symbol),
                       [&](std::exception_ptr e, mexc::Result<mexc::BookView> r) {
                           if (e || !r)
                               ++failed;
                           else
                               ++live;
                       });
    }
    std::uint64_t most_waiting = 0;
    const auto tcp_before = sandbox.stats().tcp_connections;
    run_until(
        ioc,
        [&] {
            most_waiting = std::max(most_waiting, exchange->metrics().snapshots_waiting);
            return live + failed == 40;
        },
        std::chrono::seconds(60));
    CHECK(failed == 0);
    CHECK(live == 40);
    CHECK(most_waiting > 0);  // the books did queue for their turn
    CHECK(exchange->metrics().snapshots_waiting == 0);
    CHECK(sandbox.stats().depth_requests >= 40);
    // Two WebSocket connections (30 topics each at most) and at most two REST connections: the
    // snapshots do not each open a connection of their own.
    CHECK(sandbox.stats().tcp_connections - tcp_before <= 4);
    CHECK(sandbox.rate_limited() == 0);
    run(ioc, exchange->close());
    sandbox.stop();
}
