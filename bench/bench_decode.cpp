// Push frame decoding (SPEC §8): wrapper + typed body, then iterating the repeated items.

#include "bench_util.hpp"
#include "book_stream.hpp"

#include "frames.hpp"
#include "mexc/wire/events.hpp"

#include <mexc/wire/push.hpp>

#include <string>
#include <vector>

namespace mexc::bench {
namespace {

// SPEC §11.3 F4: aggre deals 100ms BTCUSDT, two trades (captured 2026-09-25).
constexpr std::string_view f4_hex =
    "0a2f73706f74407075626c69632e61676772652e6465616c732e76332e6170692e7062403130306d73404254435553"
    "44541a"
    "074254435553445430aacccfa88d34d213bb010a470a053834323730120a302e3030303939383239180220e0cbcfa8"
    "8d342a"
    "2937333139303138393639383533393932393658305f37333139303138393639383533393932393758300a470a0538"
    "343237"
    "30120a302e3030303139313639180120e1cbcfa88d342a2937333139303138393639383533393932393858305f3733"
    "313930"
    "313839363938353339393239395830122773706f74407075626c69632e61676772652e6465616c732e76332e617069"
    "2e7062403130306d73";

// SPEC §11.3 F5: limit depth 5 levels BTCUSDT (captured 2026-09-25).
constexpr std::string_view f5_hex =
    "0a2b73706f74407075626c69632e6c696d69742e64657074682e76332e6170692e7062404254435553445440351a07"
    "425443"
    "555344543093d4cfa88d34fa12a7020a160a0838343237302e3031120a352e34323136393936390a160a0838343237"
    "302e30"
    "32120a302e30303131373634360a160a0838343237302e3033120a302e30303132343339370a160a0838343237302e"
    "303512"
    "0a302e30303132323238340a160a0838343237302e3236120a302e303031303839343712160a0838343237302e3030"
    "120a30"
    "2e303036333837303012160a0838343236372e3033120a302e303032333438303012160a0838343236342e3135120a"
    "302e30"
    "3437383935303612160a0838343236332e3435120a302e303437383935303612160a0838343236332e3430120a322e"
    "303738"
    "35333130301a2173706f74407075626c69632e6c696d69742e64657074682e76332e6170692e7062220b3832313634"
    "313535"
    "3634332887d4cfa88d34";

template <class Levels>
std::size_t touch_levels(const Levels& levels) {
    std::size_t n = 0;
    for (const wire::DepthLevel level : levels) {
        benchmark::DoNotOptimize(level.price.data());
        benchmark::DoNotOptimize(level.quantity.data());
        n += level.price.size() + level.quantity.size();
    }
    return n;
}

// A realistic 10 ms aggregated depth increment: 3 asks, 3 bids (one a removal), versions as
// strings.
std::string aggre_depth_frame() {
    const SymbolScales scales{2, 8};
    const std::vector<LevelUnits> asks = {{8427001, 542169900}, {8427003, 124397}, {8427026, 0}};
    const std::vector<LevelUnits> bids = {{8427000, 638700}, {8426703, 234800}, {8426415, 4789506}};
    return encode_aggre_depth_frame("BTCUSDT", 1790281247251, asks, bids, 82164155644, 82164155655,
                                    scales);
}

void BM_DecodePush_AggreDepth(benchmark::State& state) {
    const std::string frame = aggre_depth_frame();
    {
        auto push = wire::decode_push(frame);
        auto depth = push ? wire::decode_aggre_depth(push->body) : wire::decode_aggre_depth({});
        if (!push || push->kind != wire::BodyKind::public_aggre_depths || !depth ||
            depth->asks.size() != 3 || depth->bids.size() != 3 ||
            depth->from_version != 82164155644 || depth->to_version != 82164155655) {
            state.SkipWithError("aggre depth frame did not decode as encoded");
            return;
        }
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto push = wire::decode_push(frame);
        if (!push) {
            state.SkipWithError("decode_push failed");
            break;
        }
        auto depth = wire::decode_aggre_depth(push->body);
        if (!depth) {
            state.SkipWithError("decode_aggre_depth failed");
            break;
        }
        benchmark::DoNotOptimize(touch_levels(depth->asks) + touch_levels(depth->bids));
        benchmark::DoNotOptimize(depth->to_version);
    }
    meter.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodePush_AggreDepth);

void BM_DecodePush_CapturedDeals(benchmark::State& state) {
    const std::string frame = hex_to_bytes(f4_hex);
    {
        auto push = wire::decode_push(frame);
        auto deals = push ? wire::decode_deals(push->body) : wire::decode_deals({});
        if (!push || push->kind != wire::BodyKind::public_aggre_deals || !deals ||
            deals->deals.size() != 2 || push->send_time != 1790281246250) {
            state.SkipWithError("F4 did not decode as SPEC §11.3 says");
            return;
        }
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto push = wire::decode_push(frame);
        if (!push) {
            state.SkipWithError("decode_push failed");
            break;
        }
        auto body = wire::decode_deals(push->body);
        if (!body) {
            state.SkipWithError("decode_deals failed");
            break;
        }
        std::int64_t sum = 0;
        for (const wire::Deal deal : body->deals) {
            benchmark::DoNotOptimize(deal.price.data());
            benchmark::DoNotOptimize(deal.quantity.data());
            benchmark::DoNotOptimize(deal.trade_id.data());
            sum += deal.time + deal.trade_type;
        }
        benchmark::DoNotOptimize(sum);
    }
    meter.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodePush_CapturedDeals);

void BM_DecodePush_LimitDepth(benchmark::State& state) {
    const std::string frame = hex_to_bytes(f5_hex);
    {
        auto push = wire::decode_push(frame);
        auto depth = push ? wire::decode_limit_depth(push->body) : wire::decode_limit_depth({});
        if (!push || push->kind != wire::BodyKind::public_limit_depths || !depth ||
            depth->asks.size() != 5 || depth->bids.size() != 5 || depth->version != 82164155643) {
            state.SkipWithError("F5 did not decode as SPEC §11.3 says");
            return;
        }
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto push = wire::decode_push(frame);
        if (!push) {
            state.SkipWithError("decode_push failed");
            break;
        }
        auto depth = wire::decode_limit_depth(push->body);
        if (!depth) {
            state.SkipWithError("decode_limit_depth failed");
            break;
        }
        benchmark::DoNotOptimize(touch_levels(depth->asks) + touch_levels(depth->bids));
        benchmark::DoNotOptimize(depth->version);
    }
    meter.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodePush_LimitDepth);

// Wrapper + body + exact fixed-point values into a reused event: what a trades subscriber pays.
void BM_DecodeEvent_Trades(benchmark::State& state) {
    const std::string frame = hex_to_bytes(f4_hex);
    SymbolTable symbols;
    symbols.add("BTCUSDT", {2, 8});
    const ReceiveTime received = std::chrono::system_clock::now();
    TradesEvent event;
    {
        auto push = wire::decode_push(frame);
        if (!push || !wire::decode_event(*push, received, symbols, event) ||
            event.trades.size() != 2 || event.trades[0].price.units() != 8427000) {
            state.SkipWithError("F4 did not decode to the trades SPEC §11.3 shows");
            return;
        }
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto push = wire::decode_push(frame);
        if (!push || !wire::decode_event(*push, received, symbols, event)) {
            state.SkipWithError("trades decode failed");
            break;
        }
        benchmark::DoNotOptimize(event.trades.data());
    }
    meter.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeEvent_Trades);

void BM_DecodeEvent_Kline(benchmark::State& state) {
    const std::string frame = hex_to_bytes(mexc::testing::f1_kline_hex);
    SymbolTable symbols;
    symbols.add("BTCUSDT", {2, 8});
    const ReceiveTime received = std::chrono::system_clock::now();
    KlineEvent event;
    {
        auto push = wire::decode_push(frame);
        if (!push || !wire::decode_event(*push, received, symbols, event) ||
            event.close.units() != 8396121 || event.open_time != 1790356740000) {
            state.SkipWithError("F1 did not decode to the kline SPEC §11.3 shows");
            return;
        }
    }
    AllocMeter meter;
    for (auto _ : state) {
        auto push = wire::decode_push(frame);
        if (!push || !wire::decode_event(*push, received, symbols, event)) {
            state.SkipWithError("kline decode failed");
            break;
        }
        benchmark::DoNotOptimize(event.close);
    }
    meter.report(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_DecodeEvent_Kline);

}  // namespace
}  // namespace mexc::bench
