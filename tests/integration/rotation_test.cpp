// T08 24 h rotation, make-before-break, over real sockets against the sandbox with the venue's cut
// shortened to seconds: ten times over, a successor connection takes the topics over before the
// cut; the books never leave Live (one snapshot each, no gap) and the trades received equal the
// sandbox's tape one for one, nothing lost or repeated at the seams.

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <charconv>
#include <optional>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;

namespace {

std::uint64_t tape_id(std::string_view trade_id) {  // the sandbox writes "<id>X0"
    std::uint64_t id = 0;
    std::from_chars(trade_id.data(), trade_id.data() + trade_id.size(), id);
    return id;
}

}  // namespace

TEST_CASE("T08 connections rotate before the venue's cut: books stay Live, trades one for one",
          "[integration][ws][rotation][T08]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.ws_max_lifetime = 4s;  // the venue's 24 h, scaled down
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    auto config = config_for(sandbox);
    config.ws_rotate_after = 1s;
    config.stale_after = 800ms;  // the watchdog, which starts rotations, looks every 200 ms
    std::optional<mexc::MexcExchange> exchange;
    exchange.emplace(ioc.get_executor(), std::move(config));

    auto btc = run(ioc, exchange->subscribe_book("BTCUSDT"));
    REQUIRE(btc);
    auto eth = run(ioc, exchange->subscribe_book("ETHUSDT"));
    REQUIRE(eth);
    auto trades = run(ioc, exchange->subscribe_trades("BTCUSDT", mexc::topic::Speed::ms10));
    REQUIRE(trades);

    std::vector<std::uint64_t> received;
    bool reading = true;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            while (reading) {
                auto e = co_await trades->next();
                if (!e) break;
                for (const auto& t : (*e)->trades) received.push_back(tape_id(t.trade_id.view()));
            }
        },
        asio::detached);

    int not_live = 0;
    run_until(
        ioc,
        [&] {
            if (!btc->is_live() || !eth->is_live()) ++not_live;
            return exchange->metrics().rotations >= 10;
        },
        60s);
    const auto m = exchange->metrics();
    CHECK(not_live == 0);
    CHECK(m.gaps == 0);
    CHECK(m.snapshots == 2);  // one each: never resynced
    CHECK(m.seams_forced == 0);
    CHECK(sandbox.stats().ws_closed_lifetime == 0);  // always replaced before the cut
    CHECK(sandbox.stats().ws_connections >= 11);

    // One for one with the tape: consecutive ids, none twice, none missing.
    REQUIRE(received.size() > 20);
    std::size_t breaks = 0;
    for (std::size_t i = 1; i < received.size(); ++i)
        if (received[i] != received[i - 1] + 1) ++breaks;
    CHECK(breaks == 0);
    const auto* tape = sandbox.market().find("BTCUSDT");
    REQUIRE(tape != nullptr);
    CHECK(received.back() <= tape->last_trade_id());
    CHECK(tape->last_trade_id() - received.back() < 50);  // the stream kept up to the end

    reading = false;
    run(ioc, exchange->close());
    sandbox.stop();
}
