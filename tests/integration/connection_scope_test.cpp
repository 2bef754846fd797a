// N05 a dropped public connection resyncs only its own books: six books over three connections,
// the venue resets the one carrying BTCUSDT; its two books go Resyncing and come back Live after
// the reconnect, while the four books of the other connections stay Live throughout (FAULTS
// §1.3). Checked against the sandbox's own state: only the dropped topics are subscribed again.

#include "fault_proxy.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;

TEST_CASE("N05 dropping one of three connections resyncs only its books",
          "[integration][ws][N05]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.symbols = mexc::sandbox::generated_symbols(6, 1);
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    auto config = config_for(sandbox);
    config.ws_topics_per_connection = 2;
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));

    std::map<std::string, mexc::BookView> books;
    for (const auto& spec : options.symbols) {
        auto view = run(ioc, exchange.subscribe_book(spec.symbol));
        REQUIRE(view);
        books.emplace(spec.symbol, *view);
    }
    REQUIRE(sandbox.stats().ws_connections == 3);
    CHECK(exchange.metrics().active_symbols == 6);
    CHECK(exchange.metrics().book_levels > 6 * 2);  // every book holds both sides
    const auto& first = options.symbols.front().symbol;
    const std::string topic = "spot@public.aggre.depth.v3.api.pb@10ms@" + first;
    const auto snapshots = exchange.metrics().snapshots;
    const auto connections = sandbox.stats().ws_connections;

    // The two books sharing the dropped connection: the first two subscribed.
    std::vector<std::string> dropped{options.symbols[0].symbol, options.symbols[1].symbol};
    REQUIRE(sandbox.drop_connections_with(topic) == 1);
    int others_not_live = 0;
    bool saw_resync = false;
    run_until(ioc, [&] {
        for (auto& [symbol, view] : books) {
            const bool mine = symbol == dropped[0] || symbol == dropped[1];
            if (!mine && !view.is_live()) ++others_not_live;
            if (mine && !view.is_live()) saw_resync = true;
        }
        return saw_resync && sandbox.stats().ws_connections == connections + 1 &&
               books.at(dropped[0]).is_live() && books.at(dropped[1]).is_live();
    });
    CHECK(others_not_live == 0);
    CHECK(exchange.metrics().book_updates > 0);
    CHECK(exchange.metrics().snapshots == snapshots + 2);      // the two dropped books only
    CHECK(sandbox.stats().ws_connections == connections + 1);  // one reconnect
    CHECK(sandbox.subscribed_topics().size() == 6);            // nothing doubled, nothing lost
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("N08 a half-open public connection is cut by the idle watchdog and its book recovers",
          "[integration][ws][N08]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox(ioc.get_executor());
    REQUIRE(sandbox.start());
    mexc::sandbox::FaultProxy link(ioc.get_executor(), "127.0.0.1", sandbox.port());
    REQUIRE(link.start());
    auto config = config_for(sandbox);
    config.ws_url = link.url("ws", "/ws");
    config.timeouts.ws_idle = 400ms;  // no frame, data or PONG, for this long: the peer is gone
    config.timeouts.ws_handshake = 300ms;
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));
    auto book = run(ioc, exchange.subscribe_book("BTCUSDT"));
    REQUIRE(book);
    REQUIRE(exchange.metrics().disconnects == 0);

    // The peer goes silent without a FIN: only the client's own watchdog can tell.
    link.set_blackhole(true);
    const auto silent = std::chrono::steady_clock::now();
    run_until(
        ioc, [&] { return exchange.metrics().disconnects >= 1; }, 5s);
    CHECK(std::chrono::steady_clock::now() - silent < 1500ms);  // within 1.25 idle periods + slack
    CHECK_FALSE(book->is_live());

    link.set_blackhole(false);
    run_until(
        ioc, [&] { return book->is_live(); }, 10s);
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("N15 a venue that cuts every connection at once meets a growing backoff, not a storm",
          "[integration][ws][N15]") {
    asio::io_context ioc{1};
    mexc::sandbox::SandboxOptions options;
    options.ws_max_lifetime = 50ms;  // each connection is cut right after it opened
    mexc::sandbox::Sandbox sandbox(ioc.get_executor(), options);
    REQUIRE(sandbox.start());
    auto config = config_for(sandbox);
    config.reconnect_min = 20ms;
    config.reconnect_max = 500ms;
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));
    asio::co_spawn(
        ioc, [&]() -> asio::awaitable<void> { (void)co_await exchange.subscribe_book("BTCUSDT"); },
        asio::detached);

    const auto start = std::chrono::steady_clock::now();
    run_until(
        ioc, [&] { return std::chrono::steady_clock::now() - start > 3s; }, 10s);
    // A backoff that started over at every connect would have made ~45 connections (50 ms of
    // life and ~15 ms of pause each); growing to 500 ms, about a dozen.
    const auto connects = sandbox.stats().ws_connections;
    CHECK(connects >= 3);
    CHECK(connects <= 20);
    CHECK(sandbox.stats().ws_closed_lifetime + 1 >= connects);  // cut by the venue, each
    run(ioc, exchange.close());
    sandbox.stop();
}

TEST_CASE("N04 E04 E05 a refused WebSocket upgrade is retried, after its Retry-After for 429/418",
          "[integration][ws][N04][E04][E05]") {
    for (const int status : {429, 418, 403, 502}) {
        CAPTURE(status);
        asio::io_context ioc{1};
        mexc::sandbox::Sandbox sandbox(ioc.get_executor());
        REQUIRE(sandbox.start());
        sandbox.faults()
            .respond_instead("/ws", status, "<html><body>Refused</body></html>",
                             {{"Retry-After", "1"}})
            .times(1);
        auto config = config_for(sandbox);
        config.reconnect_min = 20ms;  // a plain backoff would try again within 20 ms
        mexc::MexcExchange exchange(ioc.get_executor(), std::move(config));
        const auto start = std::chrono::steady_clock::now();
        auto book = run(ioc, exchange.subscribe_book("BTCUSDT"));
        REQUIRE(book);
        CHECK(sandbox.stats().ws_upgrades_refused == 1);
        const bool rate = status == 429 || status == 418;
        if (rate) CHECK(std::chrono::steady_clock::now() - start >= 1s);  // not before Retry-After
        if (!rate) CHECK(std::chrono::steady_clock::now() - start < 1s);  // a plain backoff
        CHECK(sandbox.stats().ws_connections == 1);  // one upgrade accepted, after it
        run(ioc, exchange.close());
        sandbox.stop();
    }
}
