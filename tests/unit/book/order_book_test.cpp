// Local order book (include/mexc/book/order_book.hpp): SPEC §10 procedure, FAULTS §1.4 states,
// P05, P06, P07, P09, and the allocation-free steady state.

#include "mexc/book/order_book.hpp"
#include "mexc/wire/push.hpp"

#include "support/alloc_counter.hpp"
#include "support/depth_frames.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace mexc;
using mexc::testing::TextLevel;

namespace {

constexpr SymbolScales btc{2, 8};

/// A decoded increment together with the frame bytes its views point into.
struct Delta {
    std::string frame;
    wire::AggreDepth depth;
};

Delta delta(std::int64_t from, std::int64_t to, std::vector<TextLevel> asks = {},
            std::vector<TextLevel> bids = {}) {
    Delta d;
    d.frame = mexc::testing::aggre_depth_frame("BTCUSDT", from, to, asks, bids);
    auto f = wire::decode_push(d.frame);
    REQUIRE(f);
    REQUIRE(f->kind == wire::BodyKind::public_aggre_depths);
    auto body = wire::decode_aggre_depth(f->body);
    REQUIRE(body);
    d.depth = *body;
    return d;
}

/// Snapshot around 100.00: bids 99.00..99.90 and asks 100.10..101.00 (scale 2), 1.0 each.
DepthSnapshot snapshot(std::int64_t last_update_id) {
    std::vector<LevelUnits> bids, asks;
    for (int i = 0; i < 10; ++i) {
        bids.push_back({9990 - 10 * i, 100000000});
        asks.push_back({10010 + 10 * i, 100000000});
    }
    return mexc::testing::depth_snapshot(last_update_id, std::move(bids), std::move(asks));
}

struct Sides {
    std::vector<LevelUnits> bids, asks;
    friend bool operator==(const Sides&, const Sides&) = default;
};

Sides levels(const OrderBook& book) {
    Sides s;
    s.bids.resize(book.bid_depth());
    s.asks.resize(book.ask_depth());
    CHECK(book.bids(s.bids) == s.bids.size());
    CHECK(book.asks(s.asks) == s.asks.size());
    return s;
}

OrderBook live_book(std::int64_t last_update_id, BookOptions options = {}) {
    OrderBook book(btc, options);
    REQUIRE(book.apply_snapshot(snapshot(last_update_id)) == BookUpdate::applied);
    REQUIRE(book.state() == BookState::live);
    return book;
}

}  // namespace

TEST_CASE("order book: a new book is syncing and buffers increments until a snapshot",
          "[unit][book]") {
    OrderBook book(btc);
    CHECK(book.state() == BookState::syncing);
    CHECK(book.needs_snapshot());
    CHECK(book.version() == 0);
    CHECK(book.apply(delta(101, 105, {{"100.05", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply(delta(106, 110).depth) == BookUpdate::buffered);
    CHECK(book.state() == BookState::syncing);
    CHECK_FALSE(book.best_bid());
    CHECK_FALSE(book.best_ask());
}

TEST_CASE(
    "order book: the snapshot bridges the first update with from <= last+1 <= to and goes live",
    "[unit][book]") {
    OrderBook book(btc);
    const auto d1 = delta(95, 99, {{"100.20", "9"}});       // entirely in the snapshot: dropped
    const auto d2 = delta(98, 103, {{"100.05", "2"}});      // bridges 100
    const auto d3 = delta(104, 110, {}, {{"99.95", "3"}});  // continues
    CHECK(book.apply(d1.depth) == BookUpdate::buffered);
    CHECK(book.apply(d2.depth) == BookUpdate::buffered);
    CHECK(book.apply(d3.depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::applied);
    CHECK(book.state() == BookState::live);
    CHECK(book.is_live());
    CHECK(book.version() == 110);
    CHECK(book.best_ask() == LevelUnits{10005, 200000000});
    CHECK(book.best_bid() == LevelUnits{9995, 300000000});
    // d1 (to ≤ snapshot) was not applied: 100.20 keeps the snapshot quantity.
    const Sides s = levels(book);
    CHECK(s.asks[2] == LevelUnits{10020, 100000000});
}

TEST_CASE("order book: a first update starting exactly at last+1 bridges", "[unit][book]") {
    OrderBook book(btc);
    CHECK(book.apply(delta(101, 101, {{"100.10", "5"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::applied);
    CHECK(book.version() == 101);
    CHECK(book.best_ask() == LevelUnits{10010, 500000000});
}

TEST_CASE("order book: a snapshot with nothing buffered goes live at its own version",
          "[unit][book]") {
    OrderBook book(btc);
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::applied);
    CHECK(book.version() == 100);
    CHECK(book.best_bid() == LevelUnits{9990, 100000000});
    CHECK(book.best_ask() == LevelUnits{10010, 100000000});
    CHECK(book.stats().snapshots == 1);
}

TEST_CASE(
    "T10 a snapshot older than the stream is a gap, the book stays resyncing, a newer one goes "
    "live",
    "[unit][book][T10]") {
    OrderBook book(btc);
    CHECK(book.apply(delta(201, 210, {{"100.05", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply(delta(211, 220, {}, {{"99.95", "2"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(150)) == BookUpdate::gap);
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.needs_snapshot());
    CHECK_FALSE(book.is_live());
    CHECK(book.stats().gaps >= 1);
    // More increments arrive meanwhile.
    CHECK(book.apply(delta(221, 230, {{"100.06", "4"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(205)) == BookUpdate::applied);
    CHECK(book.state() == BookState::live);
    CHECK(book.version() == 230);
    CHECK(book.best_ask() == LevelUnits{10005, 100000000});
    CHECK(book.best_bid() == LevelUnits{9995, 200000000});
    const Sides s = levels(book);
    CHECK(s.asks[1] == LevelUnits{10006, 400000000});
}

TEST_CASE("order book: live updates with to <= version are ignored", "[unit][book]") {
    OrderBook book = live_book(100);
    const Sides before = levels(book);
    CHECK(book.apply(delta(90, 100, {{"100.10", "7"}}).depth) == BookUpdate::ignored);
    CHECK(book.apply(delta(50, 60, {{"100.10", "7"}}).depth) == BookUpdate::ignored);
    CHECK(book.version() == 100);
    CHECK(levels(book) == before);
    CHECK(book.state() == BookState::live);
    CHECK(book.stats().ignored == 2);
}

TEST_CASE("order book: continuous live updates apply absolute quantities, zero removes",
          "[unit][book]") {
    OrderBook book = live_book(100);
    CHECK(
        book.apply(delta(101, 102, {{"100.10", "0.5"}, {"100.15", "2"}}, {{"99.90", "0"}}).depth) ==
        BookUpdate::applied);
    CHECK(book.version() == 102);
    CHECK(book.best_ask() == LevelUnits{10010, 50000000});
    CHECK(book.best_bid() == LevelUnits{9980, 100000000});
    const Sides s = levels(book);
    CHECK(s.asks.size() == 11);
    CHECK(s.bids.size() == 9);
    CHECK(s.asks[1] == LevelUnits{10015, 200000000});
    // Overlapping update (from ≤ version < to) is applied (SPEC §10.3).
    CHECK(book.apply(delta(100, 105, {{"100.10", "0.7"}}).depth) == BookUpdate::applied);
    CHECK(book.version() == 105);
    CHECK(book.best_ask() == LevelUnits{10010, 70000000});
}

TEST_CASE("order book: a version gap while live moves the book to resyncing", "[unit][book]") {
    OrderBook book = live_book(100);
    CHECK(book.apply(delta(102, 103).depth) == BookUpdate::gap);
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.needs_snapshot());
    CHECK(book.stats().gaps == 1);
    // The next increments buffer; a snapshot covering 101 bridges the held ones.
    CHECK(book.apply(delta(104, 104, {{"100.01", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(101)) == BookUpdate::applied);
    CHECK(book.version() == 104);
    CHECK(book.best_ask() == LevelUnits{10001, 100000000});
}

TEST_CASE("order book: a hole inside the buffered stream drops the frames before it",
          "[unit][book]") {
    OrderBook book(btc);
    CHECK(book.apply(delta(101, 102, {{"100.01", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply(delta(105, 106, {{"100.02", "1"}}).depth) ==
          BookUpdate::buffered);  // 103..104 missing
    // A snapshot at 100 cannot bridge any more: what is buffered starts at 105.
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::gap);
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.apply_snapshot(snapshot(104)) == BookUpdate::applied);
    CHECK(book.version() == 106);
    CHECK(book.best_ask() == LevelUnits{10002, 100000000});
}

TEST_CASE("P06 a malformed level rejects the whole frame: levels unchanged, book resyncing",
          "[unit][book][P06]") {
    const std::vector<std::string> bad = {"",
                                          "1e5",
                                          "NaN",
                                          "-1",
                                          "0.1.2",
                                          std::string(200, '9'),
                                          " 1",
                                          "1 ",
                                          "1 000",
                                          "+1",
                                          "1.000000001" /* beyond both scales */,
                                          "0x10",
                                          ".5",
                                          "5."};
    for (const std::string& text : bad) {
        for (const bool bad_price : {false, true}) {
            INFO((bad_price ? "price" : "quantity") << " \"" << text << "\"");
            OrderBook book = live_book(100);
            const Sides before = levels(book);
            // Good levels first, so a partial apply would be visible.
            std::vector<TextLevel> asks = {{"100.01", "3"}, {"100.10", "0"}};
            std::vector<TextLevel> bids = {{"99.95", "4"}};
            bids.push_back(bad_price ? TextLevel{text, "1"} : TextLevel{"99.96", text});
            CHECK(book.apply(delta(101, 101, asks, bids).depth) == BookUpdate::rejected);
            CHECK(book.state() == BookState::resyncing);
            CHECK(levels(book) == before);
            CHECK(book.version() == 100);
            CHECK(book.stats().rejected == 1);
        }
    }
}

TEST_CASE("P06 a zero or negative price is rejected", "[unit][book][P06]") {
    for (const char* price : {"0", "0.00", "-100.00"}) {
        OrderBook book = live_book(100);
        const Sides before = levels(book);
        CHECK(book.apply(delta(101, 101, {}, {{price, "1"}}).depth) == BookUpdate::rejected);
        CHECK(levels(book) == before);
        CHECK(book.state() == BookState::resyncing);
    }
}

TEST_CASE(
    "P06 a malformed frame while syncing discards the buffer: the next snapshot cannot bridge it",
    "[unit][book][P06]") {
    OrderBook book(btc);
    CHECK(book.apply(delta(101, 101, {{"100.01", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply(delta(102, 102, {{"NaN", "1"}}).depth) == BookUpdate::rejected);
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.apply(delta(103, 103, {{"100.03", "1"}}).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::gap);  // 101..102 are lost
    CHECK(book.apply_snapshot(snapshot(102)) == BookUpdate::applied);
    CHECK(book.version() == 103);
    CHECK(book.best_ask() == LevelUnits{10003, 100000000});
}

TEST_CASE("P07 deleting an absent level is a no-op", "[unit][book][P07]") {
    OrderBook book = live_book(100);
    const Sides before = levels(book);
    CHECK(book.apply(delta(101, 101, {{"100.11", "0"}, {"500.00", "0.00000000"}}, {{"1.00", "0"}})
                         .depth) == BookUpdate::applied);
    CHECK(levels(book) == before);
    CHECK(book.version() == 101);
    CHECK(book.state() == BookState::live);
}

TEST_CASE("P07 a duplicate price within one frame: the last occurrence wins", "[unit][book][P07]") {
    OrderBook book = live_book(100);
    CHECK(book.apply(delta(101, 101, {{"100.05", "1"}, {"100.05", "2"}}).depth) ==
          BookUpdate::applied);
    CHECK(book.best_ask() == LevelUnits{10005, 200000000});
    CHECK(book.apply(delta(102, 102, {{"100.05", "3"}, {"100.05", "0"}}).depth) ==
          BookUpdate::applied);
    CHECK(book.best_ask() == LevelUnits{10010, 100000000});
    CHECK(book.apply(delta(103, 103, {}, {{"99.95", "0"}, {"99.95", "5"}}).depth) ==
          BookUpdate::applied);
    CHECK(book.best_bid() == LevelUnits{9995, 500000000});
}

TEST_CASE("order book: an update that crosses the book moves it to resyncing", "[unit][book]") {
    OrderBook book = live_book(100);
    CHECK(book.apply(delta(101, 101, {}, {{"100.10", "1"}}).depth) == BookUpdate::crossed);
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.stats().crossed == 1);

    OrderBook ask_side = live_book(100);
    CHECK(ask_side.apply(delta(101, 101, {{"99.50", "1"}}).depth) == BookUpdate::crossed);
    CHECK(ask_side.state() == BookState::resyncing);

    OrderBook crossed_snapshot(btc);
    CHECK(crossed_snapshot.apply_snapshot(
              mexc::testing::depth_snapshot(5, {{10000, 1}}, {{10000, 1}})) == BookUpdate::crossed);
    CHECK(crossed_snapshot.state() == BookState::resyncing);
}

TEST_CASE("order book: best bid/ask, top() and top-N copies best first", "[unit][book]") {
    OrderBook book = live_book(100);
    const TopOfBook t = book.top();
    REQUIRE(t.has_bid);
    REQUIRE(t.has_ask);
    CHECK(t.bid_price.to_string() == "99.90");
    CHECK(t.bid_quantity.to_string() == "1.00000000");
    CHECK(t.ask_price.to_string() == "100.10");
    CHECK(t.ask_quantity.to_string() == "1.00000000");

    LevelUnits out[3];
    REQUIRE(book.bids(out) == 3);
    CHECK(out[0] == LevelUnits{9990, 100000000});
    CHECK(out[1] == LevelUnits{9980, 100000000});
    CHECK(out[2] == LevelUnits{9970, 100000000});
    REQUIRE(book.asks(out) == 3);
    CHECK(out[0] == LevelUnits{10010, 100000000});
    CHECK(out[1] == LevelUnits{10020, 100000000});
    CHECK(out[2] == LevelUnits{10030, 100000000});
    std::vector<LevelUnits> all(50);
    CHECK(book.bids(all) == 10);
    CHECK(book.asks(std::span<LevelUnits>{}) == 0);

    OrderBook empty(btc);
    const TopOfBook none = empty.top();
    CHECK_FALSE(none.has_bid);
    CHECK_FALSE(none.has_ask);
}

TEST_CASE(
    "order book: an unsorted snapshot is sorted and zero-quantity snapshot levels are skipped",
    "[unit][book]") {
    OrderBook book(btc);
    auto snap = mexc::testing::depth_snapshot(7, {{9980, 1}, {9990, 2}, {9970, 0}},
                                              {{10020, 3}, {10010, 4}});
    CHECK(book.apply_snapshot(snap) == BookUpdate::applied);
    const Sides s = levels(book);
    CHECK(s.bids == std::vector<LevelUnits>{{9990, 2}, {9980, 1}});
    CHECK(s.asks == std::vector<LevelUnits>{{10010, 4}, {10020, 3}});
}

TEST_CASE("P09 levels beyond max_levels_per_side are pruned, keeping the best",
          "[unit][book][P09]") {
    BookOptions options;
    options.max_levels_per_side = 5;
    OrderBook book = live_book(100, options);  // snapshot has 10 levels per side
    Sides s = levels(book);
    CHECK(s.bids == std::vector<LevelUnits>{{9990, 100000000},
                                            {9980, 100000000},
                                            {9970, 100000000},
                                            {9960, 100000000},
                                            {9950, 100000000}});
    CHECK(s.asks == std::vector<LevelUnits>{{10010, 100000000},
                                            {10020, 100000000},
                                            {10030, 100000000},
                                            {10040, 100000000},
                                            {10050, 100000000}});
    // Inserting better levels pushes out the worst.
    CHECK(book.apply(delta(101, 101, {{"100.01", "1"}, {"100.02", "1"}}, {{"99.99", "1"}}).depth) ==
          BookUpdate::applied);
    s = levels(book);
    CHECK(s.asks.size() == 5);
    CHECK(s.bids.size() == 5);
    CHECK(s.asks.front() == LevelUnits{10001, 100000000});
    CHECK(s.asks.back() == LevelUnits{10030, 100000000});
    CHECK(s.bids.front() == LevelUnits{9999, 100000000});
    CHECK(s.bids.back() == LevelUnits{9960, 100000000});
    // Inserting a worse level than all kept ones leaves the kept set unchanged.
    CHECK(book.apply(delta(102, 102, {{"200.00", "1"}}).depth) == BookUpdate::applied);
    CHECK(levels(book).asks == s.asks);
}

TEST_CASE("P09 a frame with 100 000 levels is processed and capped", "[unit][book][P09]") {
    BookOptions options;
    options.max_levels_per_side = 1000;
    OrderBook book = live_book(100, options);
    std::vector<TextLevel> asks;
    for (int i = 0; i < 100000; ++i) asks.push_back({std::to_string(101 + i) + ".00", "1"});
    CHECK(book.apply(delta(101, 101, asks).depth) == BookUpdate::applied);
    CHECK(book.ask_depth() == 1000);
    CHECK(book.best_ask() == LevelUnits{10010, 100000000});
}

TEST_CASE("order book: stale goes back to live on the next update", "[unit][book]") {
    OrderBook book = live_book(100);
    book.mark_stale();
    CHECK(book.state() == BookState::stale);
    CHECK_FALSE(book.is_live());
    CHECK_FALSE(book.needs_snapshot());
    CHECK(book.apply_snapshot(snapshot(200)) ==
          BookUpdate::ignored);  // a snapshot while continuous
    CHECK(book.apply(delta(101, 101, {{"100.05", "1"}}).depth) == BookUpdate::applied);
    CHECK(book.state() == BookState::live);
    // mark_stale only affects a live book.
    OrderBook syncing(btc);
    syncing.mark_stale();
    CHECK(syncing.state() == BookState::syncing);
}

TEST_CASE("order book: mark_resyncing requires a new snapshot and drops what was buffered",
          "[unit][book]") {
    OrderBook book = live_book(100);
    book.mark_resyncing();
    CHECK(book.state() == BookState::resyncing);
    CHECK(book.needs_snapshot());
    CHECK(book.apply(delta(101, 101).depth) == BookUpdate::buffered);
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::applied);
    CHECK(book.is_live());
    CHECK(to_string(BookState::resyncing) == "resyncing");
    CHECK(to_string(BookState::live) == "live");
}

TEST_CASE("order book: a snapshot while live is ignored", "[unit][book]") {
    OrderBook book = live_book(100);
    const Sides before = levels(book);
    CHECK(book.apply_snapshot(snapshot(500)) == BookUpdate::ignored);
    CHECK(book.version() == 100);
    CHECK(levels(book) == before);
}

TEST_CASE("order book: random updates match a std::map reference (seeded)", "[unit][book]") {
    std::mt19937 rng(4242);
    OrderBook book(SymbolScales{2, 8});
    std::map<std::int64_t, std::int64_t> bids, asks;  // reference
    REQUIRE(book.apply_snapshot(mexc::testing::depth_snapshot(1, {}, {})) == BookUpdate::applied);
    std::int64_t version = 1;
    for (int i = 0; i < 3000; ++i) {
        std::vector<TextLevel> a, b;
        const int n = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < n; ++k) {
            const bool ask = rng() % 2;
            // Asks 100.01..110.00, bids 90.00..99.99: never crossed.
            const std::int64_t price = ask ? 10001 + rng() % 1000 : 9000 + rng() % 1000;
            const std::int64_t qty = rng() % 3 == 0 ? 0 : 1 + rng() % 100000;
            char pbuf[32], qbuf[32];
            const std::string ptext(pbuf,
                                    format_decimal_units(price, 2, std::span<char, 32>(pbuf)));
            const std::string qtext(
                qbuf, format_decimal_units_compact(qty, 8, std::span<char, 32>(qbuf)));
            (ask ? a : b).push_back({ptext, qtext});
            auto& side = ask ? asks : bids;
            if (qty == 0)
                side.erase(price);
            else
                side[price] = qty;
        }
        REQUIRE(book.apply(delta(version + 1, version + 1, a, b).depth) == BookUpdate::applied);
        ++version;
    }
    std::vector<LevelUnits> expected_bids, expected_asks;
    for (auto it = bids.rbegin(); it != bids.rend(); ++it)
        expected_bids.push_back({it->first, it->second});
    for (const auto& [p, q] : asks) expected_asks.push_back({p, q});
    const Sides s = levels(book);
    CHECK(s.bids == expected_bids);
    CHECK(s.asks == expected_asks);
}

TEST_CASE("order book: buffering is bounded by max_buffered_frames", "[unit][book][T11]") {
    BookOptions options;
    options.max_buffered_frames = 4;
    OrderBook book(btc, options);
    for (int v = 101; v <= 110; ++v)
        CHECK(book.apply(delta(v, v, {{"100.05", std::to_string(v)}}).depth) ==
              BookUpdate::buffered);
    // The oldest frames were dropped: a snapshot at 100 can no longer bridge.
    CHECK(book.apply_snapshot(snapshot(100)) == BookUpdate::gap);
    CHECK(book.apply_snapshot(snapshot(108)) == BookUpdate::applied);
    CHECK(book.version() == 110);
    CHECK(book.best_ask() == LevelUnits{10005, 11000000000});
}

TEST_CASE(
    "order book: steady state (decode_push + decode_aggre_depth + apply) performs no heap "
    "allocation",
    "[unit][book][alloc]") {
    OrderBook book(btc);
    // Prepare every frame up front.
    constexpr int warmup = 300, measured = 10000;
    std::vector<std::string> frames;
    frames.reserve(warmup + measured);
    std::mt19937 rng(99);
    for (int i = 0; i < warmup + measured; ++i) {
        const std::int64_t v = 101 + i;
        std::vector<TextLevel> asks, bids;
        for (int k = 0; k < 4; ++k) {
            // 200 price points per side near the touch; about a third of the changes delete.
            const int ask_tick = static_cast<int>(rng() % 200),
                      bid_tick = static_cast<int>(rng() % 200);
            const std::string aq = rng() % 3 == 0 ? "0" : "0." + std::to_string(1 + rng() % 99999);
            const std::string bq =
                rng() % 3 == 0 ? "0.00000000" : std::to_string(1 + rng() % 9) + ".5";
            char buf[32];
            asks.push_back({std::string(buf, format_decimal_units(10001 + ask_tick, 2,
                                                                  std::span<char, 32>(buf))),
                            aq});
            bids.push_back({std::string(buf, format_decimal_units(9999 - bid_tick, 2,
                                                                  std::span<char, 32>(buf))),
                            bq});
        }
        frames.push_back(mexc::testing::aggre_depth_frame("BTCUSDT", v, v, asks, bids));
    }
    REQUIRE(book.apply_snapshot(snapshot(100)) == BookUpdate::applied);
    auto feed = [&](int first, int count) {
        int applied = 0;
        for (int i = first; i < first + count; ++i) {
            auto f = wire::decode_push(frames[static_cast<std::size_t>(i)]);
            if (!f || f->kind != wire::BodyKind::public_aggre_depths) continue;
            auto d = wire::decode_aggre_depth(f->body);
            if (!d) continue;
            if (book.apply(*d) == BookUpdate::applied) ++applied;
        }
        return applied;
    };
    REQUIRE(feed(0, warmup) == warmup);

    mexc::testing::AllocationCounter allocs;
    const int applied = feed(warmup, measured);
    const auto count = allocs.count();
    CHECK(applied == measured);
    CHECK(count == 0);
    CHECK(book.is_live());
    CHECK(book.version() == 100 + warmup + measured);

    // The counter itself works: a vector growth is seen.
    mexc::testing::AllocationCounter control;
    std::vector<int> grow(1000);
    CHECK(control.count() >= 1);
}
