// Closing the market-data owner (src/ws/market_streams.hpp) and the facade over real sockets
// against the embedded sandbox: close() joins every task it started (stream loops, snapshot
// cycles, the watchdog) instead of polling, promptly even while the venue holds a snapshot request
// open or a WebSocket peer never answers the handshake (C12).

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/public_rest.hpp"
#include "net/tls.hpp"
#include "ws/market_streams.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;
using Clock = std::chrono::steady_clock;

namespace {

/// What the facade holds: the REST client the snapshots come from, and the market data.
struct Owner {
    mexc::rest::PublicRest rest;
    mexc::ws::MarketStreams market;
    Owner(asio::any_io_executor ex, const mexc::Config& config)
        : rest(ex, config, std::make_shared<mexc::RateLimiter>(config.rate_limits)),
          market(ex, config, rest, mexc::net::make_client_tls_context(config.tls).value()) {}
};

mexc::SymbolScales scales_of(asio::io_context& ioc, mexc::rest::PublicRest& rest,
                             std::string symbol) {
    std::vector<std::string> wanted(1, symbol);
    auto info = run(ioc, rest.exchange_info(std::move(wanted)));
    REQUIRE(info);
    REQUIRE(info->symbols.size() == 1);
    auto rules = mexc::SymbolRules::from(info->symbols[0]);
    REQUIRE(rules);
    return rules->scales();
}

using Subscribed = std::optional<mexc::Result<const mexc::ws::MarketStreams::Book*>>;

/// Subscribes in the background; `out` gets the result.
void subscribe_in_background(asio::io_context& ioc, mexc::ws::MarketStreams& market,
                             std::string symbol, mexc::SymbolScales scales, Subscribed& out) {
    asio::co_spawn(
        ioc,
        [](mexc::ws::MarketStreams& m, std::string s, mexc::SymbolScales sc,
           Subscribed& o) -> asio::awaitable<void> {
            o.emplace(co_await m.subscribe_book(std::move(s), sc, Clock::now() + 20s));
        }(market, std::move(symbol), scales, out),
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
}

std::size_t depth_requests(const mexc::sandbox::Sandbox& sandbox) {
    const auto& sent = sandbox.recent_requests();
    return static_cast<std::size_t>(
        std::count_if(sent.begin(), sent.end(),
                      [](const std::string& r) { return r.starts_with("GET /api/v3/depth"); }));
}

}  // namespace

TEST_CASE("C12 close joins the streams and a snapshot fetch the venue holds open",
          "[integration][book][close][C12]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    const auto config = config_for(sandbox);
    auto owner = std::make_shared<Owner>(ioc.get_executor(), config);
    auto& market = owner->market;
    market.start(owner);
    const auto btc = scales_of(ioc, owner->rest, "BTCUSDT");
    const auto eth = scales_of(ioc, owner->rest, "ETHUSDT");

    SECTION("a Live book and a book whose snapshot never comes") {
        Subscribed live, held;
        subscribe_in_background(ioc, market, "BTCUSDT", btc, live);
        run_until(ioc, [&] { return live.has_value(); });
        REQUIRE(*live);
        sandbox.faults().timeout_after_apply("GET /api/v3/depth");  // answered never
        subscribe_in_background(ioc, market, "ETHUSDT", eth, held);
        // The watchdog, one stream loop and ETHUSDT's snapshot cycle, its request at the venue.
        run_until(ioc, [&] { return market.live_tasks() == 3 && depth_requests(sandbox) == 2; });
        CHECK_FALSE(held.has_value());

        const auto started = Clock::now();
        run(ioc, market.close());
        const auto took = Clock::now() - started;
        CHECK(took < 1s);  // neither the close bound (2 s) nor the request timeout (10 s)
        CHECK(market.live_tasks() == 0);
        CHECK((**live)->book().state() == mexc::BookState::resyncing);  // no longer kept

        // The pending subscriber learns it; nothing owned runs any more while the venue goes on.
        const auto before = market.metrics();
        ioc.restart();
        ioc.run_for(300ms);
        REQUIRE(held.has_value());
        REQUIRE_FALSE(*held);
        CHECK(held->error().condition() == mexc::Condition::closed);
        const auto after = market.metrics();
        CHECK(after.frames == before.frames);
        CHECK(after.snapshots == before.snapshots);
        CHECK(after.snapshot_failures == before.snapshot_failures);
        CHECK(after.connects == before.connects);
        CHECK(market.live_tasks() == 0);
    }

    SECTION("a snapshot cycle pausing between attempts") {
        sandbox.faults().respond_instead("GET /api/v3/depth", 400, R"({"code":-1121,"msg":"x"})");
        Subscribed pending;
        subscribe_in_background(ioc, market, "BTCUSDT", btc, pending);
        run_until(ioc, [&] { return market.metrics().snapshot_failures >= 2; });
        run(ioc, market.close());
        CHECK(market.live_tasks() == 0);
    }
    sandbox.stop();
}

TEST_CASE("C12 close abandons a WebSocket handshake the peer never answers",
          "[integration][book][close][C12]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    // Accepts TCP connections and never says a word.
    asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    std::vector<std::shared_ptr<asio::ip::tcp::socket>> held;
    std::function<void()> accept = [&] {
        auto socket = std::make_shared<asio::ip::tcp::socket>(ioc);
        silent.async_accept(*socket, [&, socket](boost::system::error_code ec) {
            if (ec) return;
            held.push_back(socket);
            accept();
        });
    };
    accept();
    auto config = config_for(sandbox);
    config.ws_url = "ws://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/ws";
    auto owner = std::make_shared<Owner>(ioc.get_executor(), config);
    auto& market = owner->market;
    market.start(owner);
    const auto btc = scales_of(ioc, owner->rest, "BTCUSDT");
    Subscribed pending;
    subscribe_in_background(ioc, market, "BTCUSDT", btc, pending);
    run_until(ioc, [&] { return !held.empty(); });

    const auto started = Clock::now();
    run(ioc, market.close());
    CHECK(Clock::now() - started < 1s);  // the handshake deadline is 10 s
    CHECK(market.live_tasks() == 0);
    run_until(ioc, [&] { return pending.has_value(); });
    REQUIRE_FALSE(*pending);
    CHECK(pending->error().condition() == mexc::Condition::closed);
    silent.close();
    sandbox.stop();
}

TEST_CASE("C12 the exchange closes promptly while the venue holds a snapshot request open",
          "[integration][book][close][C12]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    sandbox.faults().timeout_after_apply("GET /api/v3/depth");
    {
        mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
        std::optional<mexc::Result<mexc::BookView>> pending;
        asio::co_spawn(
            ioc,
            [](mexc::MexcExchange& ex, auto& out) -> asio::awaitable<void> {
                out.emplace(co_await ex.subscribe_book("BTCUSDT"));
            }(exchange, pending),
            [](std::exception_ptr e) {
                if (e) std::rethrow_exception(e);
            });
        run_until(ioc, [&] { return depth_requests(sandbox) == 1; });
        const auto started = Clock::now();
        run(ioc, exchange.close());
        CHECK(Clock::now() - started < 1s);
        const auto before = exchange.metrics();
        ioc.restart();
        ioc.run_for(300ms);
        REQUIRE(pending.has_value());
        REQUIRE_FALSE(*pending);
        CHECK(pending->error().condition() == mexc::Condition::closed);
        CHECK(exchange.metrics().frames == before.frames);
        CHECK(exchange.metrics().snapshot_failures == before.snapshot_failures);
    }
    sandbox.stop();
    ioc.restart();
    ioc.run_for(5s);
    CHECK(ioc.stopped());  // every socket, timer and task is gone
}

TEST_CASE("an exchange destroyed without close() leaves no task behind",
          "[integration][book][close]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    {
        mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
        REQUIRE(run(ioc, exchange.subscribe_book("BTCUSDT")));
        sandbox.faults().timeout_after_apply("GET /api/v3/depth");
        sandbox.skip_versions("BTCUSDT", 3);  // a resync whose snapshot is held
        const auto sent = depth_requests(sandbox);
        run_until(ioc, [&] { return depth_requests(sandbox) > sent; });
    }
    sandbox.stop();
    ioc.restart();
    ioc.run_for(5s);
    CHECK(ioc.stopped());
}
