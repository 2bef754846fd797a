// Order books over real sockets against the embedded sandbox, which is the oracle (FAULTS I3).

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/oracle_levels.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"
#include "support/sandbox_exchange.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <boost/asio/detached.hpp>
#include <functional>
#include <set>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;

namespace {

struct Fixture : mexc::testing::SandboxExchange {
    explicit Fixture(std::function<void(mexc::Config&)> tweak = {})
        : SandboxExchange({}, std::move(tweak)) {}

    mexc::BookView subscribe(std::string symbol) {
        auto r = run(ioc, exchange->subscribe_book(std::move(symbol)));
        REQUIRE(r);
        return *r;
    }
    mexc::BookView next_update() {
        auto r = run(ioc, exchange->next_book_update());
        REQUIRE(r);
        return *r;
    }
    // Waits until the book of `symbol` reports `state`; counts updates on the way.
    void await_state(std::string_view symbol, mexc::BookState state, int max_updates = 5000) {
        for (int i = 0; i < max_updates; ++i) {
            auto view = next_update();
            if (view.symbol() == symbol && view.state() == state) return;
        }
        FAIL("book never reached state " << mexc::to_string(state));
    }
};

// I3: a Live book's top 20 equals the sandbox book at the version the client reports.
void require_matches_oracle(Fixture& f, const mexc::BookView& view) {
    REQUIRE(view.is_live());
    const auto* truth_book = f.sandbox.market().find(view.symbol());
    REQUIRE(truth_book);
    auto truth = truth_book->snapshot_at(view.version(), 20);
    REQUIRE(truth);
    std::array<mexc::LevelUnits, 20> bids{}, asks{};
    const auto nb = view.bids(bids);
    const auto na = view.asks(asks);
    REQUIRE(nb == truth->bids.size());
    REQUIRE(na == truth->asks.size());
    const auto truth_bids = client_levels(truth->bids), truth_asks = client_levels(truth->asks);
    for (std::size_t i = 0; i < nb; ++i) REQUIRE(bids[i] == truth_bids[i]);
    for (std::size_t i = 0; i < na; ++i) REQUIRE(asks[i] == truth_asks[i]);
}

// Thawed, and made to resync once more (a gap), the book is Live and equal to the venue.
void thaw_and_match(Fixture& f, const std::string& symbol) {
    f.sandbox.thaw_depth_side(symbol);
    const auto thawed = f.exchange->metrics().snapshots;
    f.sandbox.skip_versions(symbol, 1);
    mexc::testing::run_until(f.ioc, [&] { return f.exchange->metrics().snapshots > thawed; });
    f.await_state(symbol, mexc::BookState::live);
    require_matches_oracle(f, *f.exchange->book(symbol));
}

}  // namespace

TEST_CASE("I3 every Live book update equals the sandbox book at the reported version",
          "[integration][book]") {
    Fixture f;
    f.subscribe("BTCUSDT");
    f.subscribe("ETHUSDT");
    int checked = 0;
    std::set<std::string> symbols;
    while (checked < 300) {
        auto view = f.next_update();
        if (!view.is_live()) continue;
        require_matches_oracle(f, view);
        symbols.emplace(view.symbol());
        ++checked;
    }
    CHECK(symbols.size() == 2);
    CHECK(f.exchange->metrics().decode_errors == 0);
    CHECK(f.exchange->metrics().gaps == 0);
}

TEST_CASE("subscribe_book returns a Live book with O(1) top of book", "[integration][book]") {
    Fixture f;
    auto view = f.subscribe("SOLUSDT");
    CHECK(view.is_live());
    const auto top = view.top();
    REQUIRE(top.has_bid);
    REQUIRE(top.has_ask);
    CHECK(top.bid_price < top.ask_price);
    CHECK(top.bid_price.scale() == 3);  // SOLUSDT's quotePrecision in the sandbox
    CHECK(view.best_bid()->price == top.bid_price.units());
}

TEST_CASE(
    "T10 an injected version gap moves the book to Resyncing, then a fresh snapshot makes it Live",
    "[integration][book][faults]") {
    Fixture f;
    auto view = f.subscribe("BTCUSDT");
    const auto snapshots_before = f.exchange->metrics().snapshots;
    f.sandbox.skip_versions("BTCUSDT", 3);
    f.await_state("BTCUSDT", mexc::BookState::resyncing);
    f.await_state("BTCUSDT", mexc::BookState::live);
    require_matches_oracle(f, view);
    CHECK(f.exchange->metrics().gaps >= 1);
    CHECK(f.exchange->metrics().snapshots > snapshots_before);
}

TEST_CASE(
    "N05 a dropped connection reconnects, resubscribes and resyncs every book from a snapshot",
    "[integration][book][faults][N05]") {
    Fixture f;
    auto btc = f.subscribe("BTCUSDT");
    auto eth = f.subscribe("ETHUSDT");
    const auto connects = f.exchange->metrics().connects;
    f.sandbox.drop_connections();
    f.await_state("BTCUSDT", mexc::BookState::resyncing);
    f.await_state("BTCUSDT", mexc::BookState::live);
    f.await_state("ETHUSDT", mexc::BookState::live);
    CHECK(f.exchange->metrics().connects == connects + 1);
    // Keep checking a while after the reconnect: frames of the old generation must not leak in.
    for (int checked = 0; checked < 100;) {
        auto view = f.next_update();
        if (!view.is_live()) continue;
        require_matches_oracle(f, view);
        ++checked;
    }
    CHECK(btc.is_live());
    CHECK(eth.version() > 0);
}

TEST_CASE("T10 a snapshot older than the stream is refetched until it bridges",
          "[integration][book][faults][T10]") {
    Fixture f;
    const auto& eth = *f.sandbox.market().find("ETHUSDT");
    mexc::testing::run_until(f.ioc,
                             [&] { return eth.version() - eth.oldest_version_kept() > 100; });
    f.sandbox.serve_stale_snapshot("ETHUSDT", 50);
    auto view = f.subscribe("ETHUSDT");
    require_matches_oracle(f, view);
    CHECK(f.exchange->metrics().snapshots >= 2);
}

TEST_CASE("T12 a silent book is reported Stale and returns to Live on the next update",
          "[integration][book][T12]") {
    Fixture f([](mexc::Config& c) { c.stale_after = 100ms; });
    f.subscribe("MXUSDT");
    f.sandbox.pause_market(true);
    f.await_state("MXUSDT", mexc::BookState::stale);
    f.sandbox.pause_market(false);
    f.await_state("MXUSDT", mexc::BookState::live);
}

TEST_CASE("subscribing an unknown symbol is rejected with a typed error", "[integration][book]") {
    Fixture f;
    auto r = run(f.ioc, f.exchange->subscribe_book("NOSUCHPAIR"));
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::rejected);
    CHECK(r.error().code().value() == -1121);  // MEXC's "Invalid symbol." travels verbatim
}

TEST_CASE("C12 close completes pending awaiters with closed and leaves no work behind",
          "[integration][book][C12]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    {
        mexc::MexcExchange exchange(ioc.get_executor(), config_for(sandbox));
        REQUIRE(run(ioc, exchange.subscribe_book("BTCUSDT")));
        std::optional<mexc::Result<mexc::BookView>> pending;
        asio::co_spawn(
            ioc,
            [](mexc::MexcExchange& ex, auto& out) -> asio::awaitable<void> {
                // Drain updates until close() ends the stream of notifications.
                for (;;) {
                    auto r = co_await ex.next_book_update();
                    if (!r) {
                        out.emplace(r);
                        co_return;
                    }
                }
            }(exchange, pending),
            asio::detached);
        const auto started = std::chrono::steady_clock::now();
        run(ioc, exchange.close());
        CHECK(std::chrono::steady_clock::now() - started < 3s);
        run(ioc, [](asio::io_context&) -> asio::awaitable<void> { co_return; }(ioc));
        REQUIRE(pending);
        REQUIRE_FALSE(*pending);
        CHECK(pending->error().condition() == mexc::Condition::closed);
    }
    sandbox.stop();
    ioc.restart();
    ioc.run_for(5s);
    CHECK(ioc.stopped());  // every socket, timer and task is gone
}

TEST_CASE("a book side the stream leaves frozen while trades print through it is resynced",
          "[integration][book][faults][frozen]") {
    Fixture f([](mexc::Config& c) { c.frozen_side_after = 500ms; });
    f.subscribe("BTCUSDT");
    auto trades = run(f.ioc, f.exchange->subscribe_trades("BTCUSDT", mexc::topic::Speed::ms10));
    REQUIRE(trades);
    const auto& btc = *f.sandbox.market().find("BTCUSDT");
    const auto tape = btc.last_trade_id();

    // True data for a while, trades included: no side is taken for frozen.
    mexc::testing::run_until(f.ioc, [&] { return btc.last_trade_id() >= tape + 40; });
    CHECK(f.exchange->metrics().frozen_sides == 0);
    const auto snapshots = f.exchange->metrics().snapshots;

    // The asks' changes stop coming while the versions chain on: no gap shows, trades do.
    f.sandbox.freeze_depth_side("BTCUSDT", true);
    mexc::testing::run_until(
        f.ioc, [&] { return f.exchange->metrics().frozen_sides >= 1; }, 20s);
    mexc::testing::run_until(f.ioc, [&] { return f.exchange->metrics().snapshots > snapshots; });

    thaw_and_match(f, "BTCUSDT");
}

TEST_CASE("periodic REST checks find true books equal and a silently wrong one different",
          "[integration][book][faults][check]") {
    Fixture f([](mexc::Config& c) { c.book_check_interval = 100ms; });
    f.subscribe("BTCUSDT");
    f.subscribe("ETHUSDT");

    // True books: every check that compared agreed.
    mexc::testing::run_until(
        f.ioc, [&] { return f.exchange->metrics().book_checks >= 6; }, 20s);
    CHECK(f.exchange->metrics().book_check_disagreements == 0);

    // A side frozen without any trade subscription to give it away: only the checks can.
    const auto snapshots = f.exchange->metrics().snapshots;
    f.sandbox.freeze_depth_side("BTCUSDT", false);
    mexc::testing::run_until(
        f.ioc, [&] { return f.exchange->metrics().book_check_disagreements >= 1; }, 20s);
    CHECK(f.exchange->metrics().frozen_sides == 0);
    mexc::testing::run_until(f.ioc, [&] { return f.exchange->metrics().snapshots > snapshots; });

    thaw_and_match(f, "BTCUSDT");
}
