#include "replay.hpp"

#include "mexc/book/snapshot_parser.hpp"
#include "mexc/wire/push.hpp"

#include <fmt/format.h>

#include <chrono>

namespace mexc::cli {

Result<ReplayResult> replay(std::string_view snapshot_json,
                            const std::vector<RecordedFrame>& frames,
                            std::optional<SymbolScales> scales, std::string symbol) {
    SnapshotParser json;
    if (!scales) {
        auto inferred = json.infer_scales(snapshot_json);
        if (!inferred) return inferred.error();
        scales = *inferred;
    }
    DepthSnapshot snapshot;
    if (auto parsed = json.parse(snapshot_json, *scales, snapshot); !parsed) return parsed.error();
    ReplayResult out;
    out.book.emplace(*scales);
    out.book->apply_snapshot(snapshot);

    std::chrono::nanoseconds spent{0};
    for (const auto& f : frames) {
        if (!f.binary) continue;
        ++out.frames;
        const auto start = std::chrono::steady_clock::now();
        auto push = wire::decode_push(f.payload);
        if (!push) {
            ++out.decode_errors;
            continue;
        }
        if (push->kind != wire::BodyKind::public_aggre_depths ||
            (!symbol.empty() && push->symbol != symbol))
            continue;
        auto depth = wire::decode_aggre_depth(push->body);
        BookUpdate r = BookUpdate::rejected;
        if (depth) r = out.book->apply(*depth);
        spent += std::chrono::steady_clock::now() - start;
        ++out.depth_frames;
        switch (r) {
            case BookUpdate::applied:
                ++out.applied;
                break;
            case BookUpdate::ignored:
                ++out.ignored;
                break;
            case BookUpdate::gap:
                ++out.gaps;
                break;
            default:
                ++out.rejected;
                break;
        }
    }
    if (out.depth_frames)
        out.ns_per_frame =
            static_cast<double>(spent.count()) / static_cast<double>(out.depth_frames);
    return out;
}

std::string book_json(const ReplayResult& r, std::size_t levels) {
    const OrderBook& book = *r.book;
    auto side = [&](bool ask) {
        std::vector<LevelUnits> all(ask ? book.ask_depth() : book.bid_depth());
        const auto n = ask ? book.asks(all) : book.bids(all);
        const auto shown = levels == 0 ? n : std::min(n, levels);
        std::string out = "[";
        char p[32], q[32];
        for (std::size_t i = 0; i < shown; ++i) {
            const auto pl =
                format_decimal_units(all[i].price, book.scales().price, std::span<char, 32>(p));
            const auto ql = format_decimal_units(all[i].quantity, book.scales().quantity,
                                                 std::span<char, 32>(q));
            out += fmt::format("{}[\"{}\",\"{}\"]", i ? "," : "", std::string_view(p, pl),
                               std::string_view(q, ql));
        }
        return out + "]";
    };
    return fmt::format(
        R"({{"state":"{}","version":{},"frames":{},"depth_frames":{},"applied":{},"ignored":{},"gaps":{},"rejected":{},"decode_errors":{},"ns_per_frame":{:.1f},"bids":{},"asks":{}}})",
        to_string(book.state()), book.version(), r.frames, r.depth_frames, r.applied, r.ignored,
        r.gaps, r.rejected, r.decode_errors, r.ns_per_frame, side(false), side(true));
}

}  // namespace mexc::cli
