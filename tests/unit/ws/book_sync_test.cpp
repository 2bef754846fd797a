// The snapshot-and-bridge procedure of one symbol (src/ws/book_sync.hpp): SPEC §10.1, FAULTS §1.3
// (generations) and §1.4 (states), driven event by event; every action it asks for is checked,
// and each I/O step it asks for is failed in turn.

#include "ws/book_sync.hpp"

#include "mexc/wire/push.hpp"
#include "support/alloc_counter.hpp"
#include "support/depth_frames.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <string>
#include <vector>

using namespace mexc;
using namespace std::chrono_literals;
using ws::BookSync;
using ws::SyncAction;
using ws::SyncStep;
using Phase = BookSync::Phase;

namespace Catch {
template <>
struct StringMaker<SyncAction> {
    static std::string convert(const SyncAction& a) {
        static constexpr const char* steps[] = {"none", "fetch_snapshot", "wait"};
        return std::string("{") + steps[static_cast<int>(a.step)] +
               (a.step == SyncStep::wait ? " " + std::to_string(a.delay.count()) + "ms" : "") +
               (a.notify ? ", notify}" : "}");
    }
};
}  // namespace Catch

namespace {

constexpr SymbolScales btc{2, 8};
const BookSync::Clock::time_point t0 = BookSync::Clock::time_point{} + 1h;

ws::BookSyncOptions options() {
    ws::BookSyncOptions o;
    o.retry_first = 50ms;
    o.retry_max = 200ms;
    o.stale_after = 1000ms;
    o.quiet_after = 100ms;
    return o;
}

/// A decoded increment together with the frame bytes its views point into.
struct Delta {
    std::string frame;
    wire::AggreDepth depth;
};

Delta delta(std::int64_t from, std::int64_t to, std::string price = "100.20") {
    Delta d;
    d.frame = mexc::testing::aggre_depth_frame("BTCUSDT", from, to, {{price, "1.5"}}, {});
    auto f = wire::decode_push(d.frame);
    REQUIRE(f);
    auto body = wire::decode_aggre_depth(f->body);
    REQUIRE(body);
    d.depth = *body;
    return d;
}

DepthSnapshot snapshot(std::int64_t last_update_id) {
    return mexc::testing::depth_snapshot(last_update_id, {{9990, 100000000}}, {{10010, 100000000}});
}

constexpr SyncAction nothing{};
constexpr SyncAction notify_only{.notify = true};
constexpr SyncAction fetch{.step = SyncStep::fetch_snapshot};
constexpr SyncAction fetch_and_notify{.step = SyncStep::fetch_snapshot, .notify = true};
constexpr SyncAction wait(std::chrono::milliseconds d, bool notify = false) {
    return {.step = SyncStep::wait, .delay = d, .notify = notify};
}

/// Connected on generation 1, first increment 101..101 buffered, the snapshot requested.
BookSync fetching() {
    BookSync s(btc, options(), t0);
    REQUIRE(s.connected(1) == nothing);
    REQUIRE(s.frame(delta(101, 101).depth, t0) == fetch_and_notify);
    REQUIRE(s.phase() == Phase::fetching);
    return s;
}

/// Live at version 101, the cycle over.
BookSync live() {
    auto s = fetching();
    REQUIRE(s.snapshot_received(snapshot(100), t0) == notify_only);
    REQUIRE(s.book().is_live());
    REQUIRE(s.book().version() == 101);
    REQUIRE(s.phase() == Phase::idle);
    return s;
}

}  // namespace

TEST_CASE("book sync: a connected book waits for its first increment, then asks for one snapshot",
          "[unit][ws][book_sync]") {
    BookSync s(btc, options(), t0);
    CHECK(s.phase() == Phase::idle);
    CHECK(s.book().state() == BookState::syncing);
    CHECK(s.connected(1) == nothing);  // a snapshot now could predate the stream
    CHECK(s.generation() == 1);
    CHECK(s.frame(delta(101, 101).depth, t0) == fetch_and_notify);
    CHECK(s.phase() == Phase::fetching);
    CHECK(s.book().state() == BookState::syncing);
    // One snapshot in flight at most: later increments are buffered and ask for nothing more.
    CHECK(s.frame(delta(102, 103).depth, t0) == notify_only);
    CHECK(s.phase() == Phase::fetching);
}

TEST_CASE("book sync: a snapshot that bridges the buffer makes the book Live and ends the cycle",
          "[unit][ws][book_sync]") {
    auto s = fetching();
    CHECK(s.frame(delta(102, 103).depth, t0) == notify_only);
    CHECK(s.snapshot_received(snapshot(100), t0 + 5ms) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.book().version() == 103);  // snapshot 100, then 101 and 102..103 bridged
    CHECK(s.phase() == Phase::idle);
    CHECK(s.stats().snapshots == 1);
    CHECK(s.last_change() == t0 + 5ms);
    CHECK(s.frame(delta(104, 104).depth, t0) == notify_only);
    CHECK(s.book().version() == 104);
}

TEST_CASE("book sync: a failed snapshot is retried after a pause that doubles up to the cap",
          "[unit][ws][book_sync]") {
    auto s = fetching();
    CHECK(s.snapshot_failed() == wait(50ms));
    CHECK(s.phase() == Phase::waiting);
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_failed() == wait(100ms));
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_failed() == wait(200ms));
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_failed() == wait(200ms));  // capped at retry_max
    CHECK(s.stats().snapshot_failures == 4);
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_received(snapshot(100), t0) == notify_only);
    CHECK(s.book().is_live());
    // The next cycle starts from the first pause again.
    CHECK(s.next_delay() == 50ms);
    CHECK(s.frame(delta(110, 111).depth, t0) == fetch_and_notify);  // a gap
    CHECK(s.snapshot_failed() == wait(50ms));
}

TEST_CASE("book sync: T10 a snapshot older than the stream is fetched again after the pause",
          "[unit][ws][book_sync][T10][T11]") {
    auto s = fetching();                                               // the buffer starts at 101
    CHECK(s.snapshot_received(snapshot(90), t0) == wait(50ms, true));  // 91..100 are missing
    CHECK_FALSE(s.book().is_live());
    CHECK(s.phase() == Phase::waiting);
    CHECK(s.frame(delta(102, 102).depth, t0) == notify_only);  // still one cycle
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_received(snapshot(95), t0) == wait(100ms, true));
    CHECK(s.retry_due() == fetch);
    CHECK(s.snapshot_received(snapshot(100), t0) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.book().version() == 102);
    CHECK(s.stats().snapshots == 3);
}

TEST_CASE("book sync: a version gap or an undecodable frame of a Live book asks for a snapshot",
          "[unit][ws][book_sync][P05]") {
    SECTION("T10 gap") {
        auto s = live();
        CHECK(s.frame(delta(105, 106).depth, t0) == fetch_and_notify);
        CHECK(s.book().state() == BookState::resyncing);
    }
    SECTION("P05 undecodable") {
        auto s = live();
        CHECK(s.bad_frame(t0 + 1ms) == fetch_and_notify);
        CHECK(s.book().state() == BookState::resyncing);
        CHECK(s.last_change() == t0 + 1ms);
    }
    SECTION("an increment older than the book changes nothing and asks nothing") {
        auto s = live();
        CHECK(s.frame(delta(90, 95).depth, t0 + 1ms) == nothing);
        CHECK(s.book().is_live());
        CHECK(s.last_change() == t0);
    }
}

TEST_CASE("book sync: N05 a disconnect during a fetch discards its snapshot",
          "[unit][ws][book_sync][N05]") {
    auto s = fetching();
    CHECK(s.disconnected() == notify_only);
    CHECK(s.book().state() == BookState::resyncing);
    CHECK_FALSE(s.is_connected());
    // The answer belongs to the dead generation: not applied, nothing asked while disconnected.
    CHECK(s.snapshot_received(snapshot(100), t0) == nothing);
    CHECK_FALSE(s.book().is_live());
    CHECK(s.phase() == Phase::idle);
    CHECK(s.stats().snapshots == 0);
    CHECK(s.stats().snapshots_discarded == 1);
    CHECK(s.tick(t0 + 1s) == nothing);  // no fetch without a connection
    // The new generation bridges from a snapshot of its own.
    CHECK(s.connected(2) == nothing);
    CHECK(s.frame(delta(201, 201).depth, t0) == fetch_and_notify);
    CHECK(s.snapshot_received(snapshot(200), t0) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.book().version() == 201);
}

TEST_CASE("book sync: a reconnect before the old snapshot arrives fetches a fresh one at once",
          "[unit][ws][book_sync]") {
    auto s = fetching();
    CHECK(s.disconnected() == notify_only);
    CHECK(s.connected(2) == nothing);
    CHECK(s.frame(delta(201, 201).depth, t0) == notify_only);  // the old request is still out
    // Generation 1's snapshot is older than generation 2's buffer may be: dropped, refetched.
    CHECK(s.snapshot_received(snapshot(200), t0) == fetch);
    CHECK_FALSE(s.book().is_live());
    CHECK(s.stats().snapshots_discarded == 1);
    CHECK(s.snapshot_received(snapshot(200), t0) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.stats().snapshots == 1);
}

TEST_CASE("book sync: a snapshot failure after a disconnect ends the cycle without a retry",
          "[unit][ws][book_sync]") {
    SECTION("still disconnected") {
        auto s = fetching();
        s.disconnected();
        CHECK(s.snapshot_failed() == nothing);
        CHECK(s.phase() == Phase::idle);
        CHECK(s.stats().snapshot_failures == 1);
    }
    SECTION("reconnected meanwhile: the new generation is fetched at once") {
        auto s = fetching();
        s.disconnected();
        s.connected(2);
        CHECK(s.frame(delta(201, 201).depth, t0) == notify_only);
        CHECK(s.snapshot_failed() == fetch);
        CHECK(s.next_delay() == 50ms);
    }
}

TEST_CASE("book sync: a disconnect during the pause ends the cycle when the timer fires",
          "[unit][ws][book_sync]") {
    auto s = fetching();
    CHECK(s.snapshot_failed() == wait(50ms));
    CHECK(s.disconnected() == notify_only);
    CHECK(s.retry_due() == nothing);
    CHECK(s.phase() == Phase::idle);
    CHECK(s.next_delay() == 50ms);
    SECTION("a reconnect before the timer fires continues the cycle") {
        auto r = fetching();
        CHECK(r.snapshot_failed() == wait(50ms));
        r.disconnected();
        r.connected(2);
        CHECK(r.frame(delta(201, 201).depth, t0) == notify_only);
        CHECK(r.retry_due() == fetch);
        CHECK(r.snapshot_received(snapshot(200), t0) == notify_only);
        CHECK(r.book().is_live());
    }
}

TEST_CASE("book sync: C12 close during a fetch drops the answer and asks for nothing more",
          "[unit][ws][book_sync][C12]") {
    auto s = fetching();
    s.close();
    CHECK(s.phase() == Phase::closed);
    CHECK(s.snapshot_received(snapshot(100), t0) == nothing);
    CHECK_FALSE(s.book().is_live());
    CHECK(s.stats().snapshots == 0);
    CHECK(s.snapshot_failed() == nothing);
    CHECK(s.stats().snapshot_failures == 0);
    CHECK(s.frame(delta(110, 111).depth, t0) == notify_only);  // still applied, never fetched
    CHECK(s.tick(t0 + 1h) == nothing);
    CHECK(s.retry_due() == nothing);
    CHECK(s.disconnected() == notify_only);  // readers still learn the book is not kept
}

TEST_CASE("book sync: C12 close during the pause: the timer asks for nothing",
          "[unit][ws][book_sync][C12]") {
    auto s = fetching();
    CHECK(s.snapshot_failed() == wait(50ms));
    s.close();
    CHECK(s.retry_due() == nothing);
    CHECK(s.phase() == Phase::closed);
}

TEST_CASE(
    "book sync: T12 the watchdog marks a silent Live book Stale once and an increment revives it",
    "[unit][ws][book_sync][T12]") {
    auto s = live();  // last change at t0
    CHECK(s.tick(t0 + 1000ms) == nothing);
    CHECK(s.book().is_live());
    CHECK(s.tick(t0 + 1001ms) == notify_only);
    CHECK(s.book().state() == BookState::stale);
    CHECK(s.tick(t0 + 1500ms) == nothing);  // reported once
    CHECK(s.frame(delta(102, 102).depth, t0 + 2s) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.tick(t0 + 2500ms) == nothing);
}

TEST_CASE("book sync: the watchdog fetches a quiet symbol that sends no increment",
          "[unit][ws][book_sync]") {
    BookSync s(btc, options(), t0);
    CHECK(s.tick(t0 + 1s) == nothing);  // not connected
    s.connected(1);
    CHECK(s.tick(t0 + 100ms) == nothing);  // quiet_after not yet passed
    CHECK(s.tick(t0 + 101ms) == fetch);
    CHECK(s.tick(t0 + 200ms) == nothing);  // in flight
    CHECK(s.snapshot_received(snapshot(100), t0 + 210ms) == notify_only);
    CHECK(s.book().is_live());  // nothing buffered: Live at the snapshot's version
    CHECK(s.book().version() == 100);
    CHECK(s.tick(t0 + 400ms) == nothing);
}

TEST_CASE("book sync: events outside their phase are ignored", "[unit][ws][book_sync]") {
    BookSync s(btc, options(), t0);
    s.connected(1);
    CHECK(s.snapshot_received(snapshot(100), t0) == nothing);
    CHECK(s.snapshot_failed() == nothing);
    CHECK(s.retry_due() == nothing);
    CHECK(s.book().state() == BookState::syncing);
    CHECK(s.stats().snapshots == 0);
    CHECK(s.stats().snapshot_failures == 0);
    auto f = fetching();
    CHECK(f.retry_due() == nothing);  // no pause was asked for
    CHECK(f.phase() == Phase::fetching);
}

TEST_CASE("book sync: a disconnect of a resyncing book does not notify again",
          "[unit][ws][book_sync]") {
    auto s = live();
    CHECK(s.disconnected() == notify_only);
    CHECK(s.disconnected() == nothing);
    CHECK(s.book().state() == BookState::resyncing);
}

TEST_CASE("book sync: a Live book takes increments without allocating", "[unit][ws][book_sync]") {
    auto s = live();
    std::vector<Delta> frames;
    for (int i = 0; i < 64; ++i)
        frames.push_back(delta(102 + i, 102 + i, i % 2 ? "100.20" : "100.30"));
    for (int i = 0; i < 8; ++i) REQUIRE(s.frame(frames[i].depth, t0) == notify_only);  // warm-up
    mexc::testing::AllocationCounter allocs;
    for (int i = 8; i < 64; ++i) REQUIRE(s.frame(frames[i].depth, t0) == notify_only);
    CHECK(allocs.count() == 0);
    CHECK(s.book().version() == 165);
}

namespace {

/// An increment of one side only, pushed at exchange time `sent_ms`.
Delta side_delta(std::int64_t version, bool asks, std::int64_t sent_ms) {
    Delta d;
    const std::vector<mexc::testing::TextLevel> level{{asks ? "100.30" : "99.70", "2"}};
    d.frame = mexc::testing::aggre_depth_frame(
        "BTCUSDT", version, version, asks ? level : std::vector<mexc::testing::TextLevel>{},
        asks ? std::vector<mexc::testing::TextLevel>{} : level, sent_ms);
    auto f = wire::decode_push(d.frame);
    REQUIRE(f);
    auto body = wire::decode_aggre_depth(f->body);
    REQUIRE(body);
    d.depth = *body;
    return d;
}

BookSync live_watching_sides() {
    auto o = options();
    o.frozen_after = 500ms;
    BookSync s(btc, o, t0);
    REQUIRE(s.connected(1) == nothing);
    REQUIRE(s.frame(delta(101, 101).depth, t0) == fetch_and_notify);
    REQUIRE(s.snapshot_received(snapshot(100), t0) == notify_only);
    REQUIRE(s.book().is_live());
    return s;
}

}  // namespace

TEST_CASE("book sync: a trade its maker side never shows, while the other side moves on, resyncs",
          "[unit][ws][book_sync][frozen]") {
    auto s = live_watching_sides();
    s.trade(Side::sell, 5000, t0);  // a taker buy took from the asks at 5000 ms
    CHECK(s.frame(side_delta(102, false, 6000).depth, t0 + 100ms, 6000) ==
          notify_only);                    // bids move
    CHECK(s.tick(t0 + 499ms) == nothing);  // not yet: the asks may still show it
    CHECK(s.book().is_live());
    CHECK(s.tick(t0 + 500ms) == fetch_and_notify);  // frozen asks: fetched afresh
    CHECK(s.book().state() == BookState::resyncing);
    CHECK(s.stats().frozen_sides == 1);
    // Bridged again (the snapshot, then the increments after it), the book watches from scratch:
    // the old trade is not held against it.
    CHECK(s.frame(side_delta(103, false, 7000).depth, t0 + 550ms, 7000) == notify_only);
    CHECK(s.snapshot_received(snapshot(102), t0 + 600ms) == notify_only);
    CHECK(s.book().is_live());
    CHECK(s.frame(side_delta(104, false, 8000).depth, t0 + 700ms, 8000) == notify_only);
    CHECK(s.tick(t0 + 1200ms) == nothing);
    CHECK(s.stats().frozen_sides == 1);
}

TEST_CASE("book sync: a trade its side shows, or a stream quiet on both sides, resyncs nothing",
          "[unit][ws][book_sync][frozen]") {
    SECTION("the asks show the trade") {
        auto s = live_watching_sides();
        s.trade(Side::sell, 5000, t0);
        CHECK(s.frame(side_delta(102, true, 5000).depth, t0 + 50ms, 5000) == notify_only);
        CHECK(s.frame(side_delta(103, false, 6000).depth, t0 + 100ms, 6000) == notify_only);
        CHECK(s.tick(t0 + 600ms) == nothing);
    }
    SECTION("shown before the trade arrived (the depth push came first)") {
        auto s = live_watching_sides();
        CHECK(s.frame(side_delta(102, false, 5000).depth, t0 + 10ms, 5000) == notify_only);
        s.trade(Side::buy, 4990, t0 + 20ms);  // a taker sell took from the bids
        CHECK(s.frame(side_delta(103, true, 6000).depth, t0 + 100ms, 6000) == notify_only);
        CHECK(s.tick(t0 + 600ms) == nothing);
    }
    SECTION("neither side moved past the trade: the stale check's matter") {
        auto s = live_watching_sides();
        s.trade(Side::sell, 5000, t0);
        CHECK(s.frame(side_delta(102, false, 4000).depth, t0 + 100ms, 4000) == notify_only);
        CHECK(s.tick(t0 + 600ms) == nothing);
        CHECK(s.book().is_live());
    }
    SECTION("turned off") {
        auto o = options();
        o.frozen_after = 0ms;
        BookSync s(btc, o, t0);
        REQUIRE(s.connected(1) == nothing);
        REQUIRE(s.frame(delta(101, 101).depth, t0) == fetch_and_notify);
        REQUIRE(s.snapshot_received(snapshot(100), t0) == notify_only);
        s.trade(Side::sell, 5000, t0);
        CHECK(s.frame(side_delta(102, false, 6000).depth, t0 + 100ms, 6000) == notify_only);
        CHECK(s.tick(t0 + 600ms) == nothing);
    }
    SECTION("a trade before the book is Live is not held against it") {
        auto o = options();
        o.frozen_after = 500ms;
        BookSync s(btc, o, t0);
        REQUIRE(s.connected(1) == nothing);
        s.trade(Side::sell, 5000, t0);
        REQUIRE(s.frame(delta(101, 101).depth, t0) == fetch_and_notify);
        REQUIRE(s.snapshot_received(snapshot(100), t0) == notify_only);
        CHECK(s.frame(side_delta(102, false, 6000).depth, t0 + 100ms, 6000) == notify_only);
        CHECK(s.tick(t0 + 600ms) == nothing);
    }
    auto s = live_watching_sides();
    CHECK(s.stats().frozen_sides == 0);
}

namespace {

/// The book live_watching_sides() holds at version 101, as a REST snapshot would show it.
DepthSnapshot snapshot_of_live_101() {
    return mexc::testing::depth_snapshot(101, {{9990, 100000000}},
                                         {{10010, 100000000}, {10020, 150000000}});
}

}  // namespace

TEST_CASE("book sync: a check bridges a shadow book to the book's version and finds them equal",
          "[unit][ws][book_sync][check]") {
    auto s = live_watching_sides();
    CHECK(s.begin_check());
    CHECK_FALSE(s.begin_check());  // one at a time
    CHECK(s.checking());
    // Increments go on while the snapshot is on its way; the shadow takes them too.
    CHECK(s.frame(side_delta(102, false, 6000).depth, t0 + 10ms, 6000) == notify_only);
    CHECK(s.check_received(snapshot_of_live_101(), t0 + 20ms) == nothing);
    CHECK_FALSE(s.checking());
    CHECK(s.book().is_live());
    CHECK(s.stats().checks == 1);
    CHECK(s.stats().check_disagreements == 0);
}

TEST_CASE("book sync: a check that disagrees resyncs the book, one that cannot compare does not",
          "[unit][ws][book_sync][check]") {
    SECTION("the venue's levels differ at the same version") {
        auto s = live_watching_sides();
        REQUIRE(s.begin_check());
        CHECK(s.frame(side_delta(102, false, 6000).depth, t0 + 10ms, 6000) == notify_only);
        // The venue has no level at 100.20: the book's is wrong.
        CHECK(s.check_received(snapshot(101), t0 + 20ms) == fetch_and_notify);
        CHECK(s.book().state() == BookState::resyncing);
        CHECK(s.stats().check_disagreements == 1);
        CHECK(s.stats().checks == 1);
    }
    SECTION("the snapshot never reaches the book's version") {
        auto s = live_watching_sides();
        REQUIRE(s.begin_check());
        CHECK(s.check_received(snapshot(99), t0 + 20ms) == nothing);
        CHECK(s.book().is_live());
        CHECK(s.stats().checks == 0);
        CHECK(s.stats().checks_inconclusive == 1);
    }
    SECTION("the connection went: the check is dropped with it") {
        auto s = live_watching_sides();
        REQUIRE(s.begin_check());
        (void)s.disconnected();
        CHECK_FALSE(s.checking());
        CHECK(s.check_received(snapshot_of_live_101(), t0 + 20ms) == nothing);
        CHECK(s.stats().checks_inconclusive == 1);
        CHECK(s.stats().checks == 0);
    }
    SECTION("a book that is not Live is not checked") {
        auto s = fetching();
        CHECK_FALSE(s.begin_check());
    }
}
