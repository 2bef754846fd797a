// Order book maintenance (SPEC §10): decode + apply of aggregated increments against a deep and
// a shallow book, apply alone, snapshot install and snapshot JSON parsing.

#include "bench_util.hpp"
#include "book_stream.hpp"

#include <mexc/book/order_book.hpp>
#include <mexc/book/snapshot_parser.hpp>
#include <mexc/wire/push.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace mexc::bench {
namespace {

bool same_side(const std::vector<LevelUnits>& expected,
               std::size_t (OrderBook::*copy)(std::span<LevelUnits>) const, const OrderBook& book) {
    std::vector<LevelUnits> got(expected.size() + 1);
    const std::size_t n = (book.*copy)(got);
    got.resize(n);
    return got == expected;
}

/// Replays the whole ring once (untimed): every frame must apply and the result must equal the
/// generator's simulated book. Leaves the book's arrays grown to their working size.
bool replay_and_verify(OrderBook& book, const BookStream& s, std::string& why) {
    book.mark_resyncing();
    if (book.apply_snapshot(s.snapshot) != BookUpdate::applied) {
        why = "snapshot did not apply";
        return false;
    }
    for (std::size_t i = 0; i < s.frames.size(); ++i) {
        auto push = wire::decode_push(s.frames[i]);
        if (!push) {
            why = "decode_push failed at frame " + std::to_string(i);
            return false;
        }
        auto depth = wire::decode_aggre_depth(push->body);
        if (!depth) {
            why = "decode_aggre_depth failed at frame " + std::to_string(i);
            return false;
        }
        if (const BookUpdate r = book.apply(*depth); r != BookUpdate::applied) {
            why = "frame " + std::to_string(i) + " was not applied (" +
                  std::to_string(static_cast<int>(r)) + ")";
            return false;
        }
    }
    if (book.version() != s.final_version || !same_side(s.final_bids, &OrderBook::bids, book) ||
        !same_side(s.final_asks, &OrderBook::asks, book)) {
        why = "book differs from the simulated book after the ring";
        return false;
    }
    book.mark_resyncing();
    book.apply_snapshot(s.snapshot);
    return true;
}

void report_stream(benchmark::State& state, const BookStream& s) {
    const double frames = static_cast<double>(s.frames.size());
    state.counters["levels/frame"] =
        static_cast<double>(s.stats.changes + s.stats.swept_levels) / frames;
    state.counters["bytes/frame"] = static_cast<double>(s.stats.bytes) / frames;
}

void run_decode_apply(benchmark::State& state, std::size_t levels_per_side) {
    const BookStream& s = cached_book_stream(levels_per_side);
    OrderBook book(s.scales);
    if (std::string why; !replay_and_verify(book, s, why)) {
        state.SkipWithError(why.c_str());
        return;
    }
    const std::size_t n = s.frames.size();
    std::size_t i = 0;
    std::size_t wraps = 0;
    std::uint64_t not_applied = 0;
    AllocMeter meter;
    for (auto _ : state) {
        if (i == n) [[unlikely]] {
            // End of the ring: back to the snapshot's version, untimed (every ~n iterations).
            meter.pause();
            state.PauseTiming();
            book.mark_resyncing();
            book.apply_snapshot(s.snapshot);
            i = 0;
            ++wraps;
            state.ResumeTiming();
            meter.resume();
        }
        auto push = wire::decode_push(s.frames[i++]);
        if (!push || push->kind != wire::BodyKind::public_aggre_depths) [[unlikely]] {
            state.SkipWithError("decode_push failed");
            break;
        }
        auto depth = wire::decode_aggre_depth(push->body);
        if (!depth) [[unlikely]] {
            state.SkipWithError("decode_aggre_depth failed");
            break;
        }
        const BookUpdate r = book.apply(*depth);
        not_applied += r != BookUpdate::applied;
        benchmark::DoNotOptimize(r);
    }
    meter.report(state);
    if (not_applied != 0) state.SkipWithError("some frames were not applied");
    report_stream(state, s);
    state.counters["ring_wraps"] = static_cast<double>(wraps);
}

void BM_BookApply_Deep(benchmark::State& state) {
    run_decode_apply(state, 5000);
}
BENCHMARK(BM_BookApply_Deep);

void BM_BookApply_Shallow(benchmark::State& state) {
    run_decode_apply(state, 100);
}
BENCHMARK(BM_BookApply_Shallow);

/// OrderBook::apply alone on pre-decoded frames. apply() still walks the lazily decoded levels
/// and parses their decimals: that is part of applying, not of decode_aggre_depth.
void BM_BookApplyOnly_Deep(benchmark::State& state) {
    const BookStream& s = cached_book_stream(5000);
    OrderBook book(s.scales);
    if (std::string why; !replay_and_verify(book, s, why)) {
        state.SkipWithError(why.c_str());
        return;
    }
    std::vector<wire::AggreDepth> decoded;
    decoded.reserve(s.frames.size());
    for (std::string_view frame : s.frames)
        decoded.push_back(*wire::decode_aggre_depth(wire::decode_push(frame)->body));

    const std::size_t n = decoded.size();
    std::size_t i = 0;
    std::uint64_t not_applied = 0;
    AllocMeter meter;
    for (auto _ : state) {
        if (i == n) [[unlikely]] {
            meter.pause();
            state.PauseTiming();
            book.mark_resyncing();
            book.apply_snapshot(s.snapshot);
            i = 0;
            state.ResumeTiming();
            meter.resume();
        }
        const BookUpdate r = book.apply(decoded[i++]);
        not_applied += r != BookUpdate::applied;
        benchmark::DoNotOptimize(r);
    }
    meter.report(state);
    if (not_applied != 0) state.SkipWithError("some frames were not applied");
    report_stream(state, s);
}
BENCHMARK(BM_BookApplyOnly_Deep);

/// Resync in steady state: the book already exists (arrays keep their capacity).
void BM_SnapshotLoad_5000(benchmark::State& state) {
    const BookStream& s = cached_book_stream(5000);
    OrderBook book(s.scales);
    book.apply_snapshot(s.snapshot);  // warm-up: grows the arrays once
    AllocMeter meter;
    for (auto _ : state) {
        book.mark_resyncing();
        const BookUpdate r = book.apply_snapshot(s.snapshot);
        benchmark::DoNotOptimize(r);
    }
    meter.report(state);
    if (!book.is_live() || book.bid_depth() != s.snapshot.bids.size() ||
        book.ask_depth() != s.snapshot.asks.size())
        state.SkipWithError("book is not live with the snapshot's levels");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.snapshot.bids.size() +
                                                                           s.snapshot.asks.size()));
}
BENCHMARK(BM_SnapshotLoad_5000)->Unit(benchmark::kMicrosecond);

/// First sync of a symbol: a fresh book each time (includes its construction and array growth).
void BM_SnapshotLoad_5000_FreshBook(benchmark::State& state) {
    const BookStream& s = cached_book_stream(5000);
    AllocMeter meter;
    bool live = true;
    for (auto _ : state) {
        OrderBook book(s.scales);
        const BookUpdate r = book.apply_snapshot(s.snapshot);
        benchmark::DoNotOptimize(r);
        live = live && book.is_live();
    }
    meter.report(state);
    if (!live) state.SkipWithError("book did not go live");
}
BENCHMARK(BM_SnapshotLoad_5000_FreshBook)->Unit(benchmark::kMicrosecond);

/// `GET /api/v3/depth?limit=5000` body → DepthSnapshot, reader and snapshot reused.
void BM_SnapshotParse_5000(benchmark::State& state) {
    const BookStream& s = cached_book_stream(5000);
    const std::string body = depth_snapshot_json(s.snapshot, s.scales);
    mexc::SnapshotParser reader;
    DepthSnapshot out;
    if (auto r = reader.parse(body, s.scales, out);
        !r || out.bids != s.snapshot.bids || out.asks != s.snapshot.asks ||
        out.last_update_id != s.snapshot.last_update_id) {
        state.SkipWithError("snapshot JSON did not round-trip");
        return;
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto r = reader.parse(body, s.scales, out);
        benchmark::DoNotOptimize(r);
        benchmark::DoNotOptimize(out.bids.data());
    }
    meter.report(state);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_SnapshotParse_5000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mexc::bench
