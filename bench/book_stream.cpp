#include "book_stream.hpp"

#include "bench_util.hpp"

#include <mexc/decimal.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <span>

namespace mexc::bench {
namespace {

constexpr std::string_view symbol = "BTCUSDT";
constexpr std::string_view channel = "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT";
constexpr std::string_view event_type = "spot@public.aggre.depth.v3.api.pb@10ms";

std::string_view format_units(std::int64_t units, std::uint8_t scale, char (&buf)[32]) {
    if (units == 0) return "0";  // MEXC writes a removal as "0" (SPEC §11.4 S1)
    return {buf, format_decimal_units(units, scale, std::span<char, 32>(buf))};
}

void write_levels(ProtoWriter& w, std::uint32_t field, const std::vector<LevelUnits>& levels,
                  SymbolScales scales) {
    for (const LevelUnits& l : levels) {
        w.message(field, [&](ProtoWriter& item) {
            char pbuf[32], qbuf[32];
            item.bytes(1, format_units(l.price, scales.price, pbuf));
            item.bytes(2, format_units(l.quantity, scales.quantity, qbuf));
        });
    }
}

// Both sides are kept in "distance keys", ascending from the touch: bids key on -price, asks on
// price. So begin() is the best level and key + n is n ticks further from the touch.
enum SideIndex : int { bid = 0, ask = 1 };

struct Sim {
    std::map<std::int64_t, std::int64_t> side[2];
    std::map<std::int64_t, std::int64_t> changed[2];  // this frame's changes, last write wins

    static std::int64_t price_of(int s, std::int64_t key) noexcept { return s == bid ? -key : key; }
    static std::int64_t key_of(int s, std::int64_t price) noexcept {
        return s == bid ? -price : price;
    }
    std::int64_t best_price(int s) const { return price_of(s, side[s].begin()->first); }

    void set(int s, std::int64_t key, std::int64_t qty) {
        if (qty == 0)
            side[s].erase(key);
        else
            side[s][key] = qty;
        changed[s][key] = qty;
    }
};

}  // namespace

std::string hex_to_bytes(std::string_view hex) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    int high = -1;
    for (char c : hex) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        const int v = nibble(c);
        if (v < 0) {
            std::fprintf(stderr, "hex_to_bytes: bad character '%c'\n", c);
            std::abort();
        }
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<char>((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0) std::abort();
    return out;
}

std::string encode_aggre_depth_frame(std::string_view sym, std::int64_t send_time,
                                     const std::vector<LevelUnits>& asks,
                                     const std::vector<LevelUnits>& bids, std::int64_t from_version,
                                     std::int64_t to_version, SymbolScales scales) {
    std::string out;
    ProtoWriter w(out);
    w.bytes(1, channel);
    w.bytes(3, sym);
    w.int64(6, send_time);
    w.message(313, [&](ProtoWriter& body) {
        write_levels(body, 1, asks, scales);
        write_levels(body, 2, bids, scales);
        body.bytes(3, event_type);
        body.bytes(4, std::to_string(from_version));  // versions are decimal strings (SPEC §8.5)
        body.bytes(5, std::to_string(to_version));
        body.int64(6, send_time - 3);
    });
    return out;
}

BookStream make_book_stream(const BookStreamOptions& o) {
    BookStream s;
    std::mt19937_64 rng(o.seed);
    auto uniform = [&](std::int64_t lo, std::int64_t hi) {  // inclusive
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
    auto geometric = [&](double p) {
        return std::int64_t{std::geometric_distribution<int>(p)(rng)};
    };
    // Quantities: exponential with mean 0.25 BTC, at the 6 decimals BTC trades in, written with 8.
    std::exponential_distribution<double> qty_dist(4.0);
    auto quantity = [&] {
        return std::max<std::int64_t>(1, static_cast<std::int64_t>(qty_dist(rng) * 1e6)) * 100;
    };

    Sim sim;
    const std::size_t target = o.levels_per_side;
    const std::size_t min_levels = std::max<std::size_t>(5, target / 2);

    // Snapshot: a one-tick spread around the mid, levels on `level_density` of the ticks.
    for (int sd : {bid, ask}) {
        std::int64_t price = sd == bid ? o.mid_units : o.mid_units + 1;
        bool first = true;
        while (sim.side[sd].size() < target) {
            if (first || chance(o.level_density)) sim.side[sd][Sim::key_of(sd, price)] = quantity();
            first = false;
            price += sd == bid ? -1 : 1;
        }
    }
    s.snapshot.last_update_id = o.first_version;
    s.snapshot.timestamp = 1790281247251;
    for (const auto& [key, qty] : sim.side[bid])
        s.snapshot.bids.push_back({Sim::price_of(bid, key), qty});
    for (const auto& [key, qty] : sim.side[ask])
        s.snapshot.asks.push_back({Sim::price_of(ask, key), qty});

    std::vector<std::string> encoded;
    encoded.reserve(o.frames);
    std::int64_t version = o.first_version;
    std::int64_t send_time = 1790281247260;
    s.stats.min_mid_units = s.stats.max_mid_units = sim.best_price(bid) + sim.best_price(ask);
    std::vector<LevelUnits> asks, bids;

    for (std::size_t f = 0; f < o.frames; ++f) {
        sim.changed[bid].clear();
        sim.changed[ask].clear();

        // Occasionally a sweep: a marketable order takes several top levels of one side.
        if (chance(0.01)) {
            const int sd = chance(0.5) ? bid : ask;
            const std::int64_t room = static_cast<std::int64_t>(sim.side[sd].size()) -
                                      static_cast<std::int64_t>(min_levels);
            const std::int64_t k = std::min<std::int64_t>(uniform(2, 8), room);
            for (std::int64_t i = 0; i < k; ++i) sim.set(sd, sim.side[sd].begin()->first, 0);
            if (k > 0) {
                ++s.stats.sweeps;
                s.stats.swept_levels += static_cast<std::uint64_t>(k);
            }
        }

        const std::int64_t n = std::min<std::int64_t>(1 + geometric(0.25), 16);  // mean ≈ 4
        for (std::int64_t c = 0; c < n; ++c) {
            const int sd = chance(0.5) ? bid : ask;
            auto& side = sim.side[sd];
            const double r = std::uniform_real_distribution<double>(0, 1)(rng);
            const double p_delete = side.size() > min_levels ? 0.20 : 0.0;
            // Inserts balance deletions and sweeps: a little more likely while the side is
            // below its starting depth, a little less above it.
            const double deficit =
                (static_cast<double>(target) - static_cast<double>(side.size())) /
                static_cast<double>(target);
            const double p_insert = std::clamp(0.21 + 2.0 * deficit, 0.12, 0.30);
            ++s.stats.changes;

            if (r < p_delete) {
                // Distance from the touch in levels: geometric, so most within the top 10–20.
                auto d = std::min<std::int64_t>(geometric(0.12),
                                                static_cast<std::int64_t>(side.size()) - 1);
                sim.set(sd, std::next(side.begin(), d)->first, 0);
                ++s.stats.deletions;
                continue;
            }
            if (r < p_delete + p_insert) {
                const std::int64_t best_bid = sim.best_price(bid), best_ask = sim.best_price(ask);
                std::int64_t key = 0;
                bool found = false;
                if (best_ask - best_bid > 1 && chance(0.3)) {
                    // Improve the touch inside the spread: the mid walks.
                    key = Sim::key_of(sd, uniform(best_bid + 1, best_ask - 1));
                    found = true;
                } else {
                    for (int attempt = 0; attempt < 8 && !found; ++attempt) {
                        key = side.begin()->first + 1 + geometric(0.08);  // ticks behind the touch
                        found = !side.contains(key);
                    }
                }
                if (found) {
                    sim.set(sd, key, quantity());
                    ++s.stats.inserts;
                    continue;
                }
            }
            // Quantity change of an existing level near the touch.
            auto d =
                std::min<std::int64_t>(geometric(0.12), static_cast<std::int64_t>(side.size()) - 1);
            sim.set(sd, std::next(side.begin(), d)->first, quantity());
            ++s.stats.updates;
        }

        asks.clear();
        bids.clear();
        for (const auto& [key, qty] : sim.changed[ask])
            asks.push_back({Sim::price_of(ask, key), qty});
        for (const auto& [key, qty] : sim.changed[bid])
            bids.push_back({Sim::price_of(bid, key), qty});
        const std::int64_t from = version + 1;
        const std::int64_t to = from + uniform(0, 15);  // one message spans several versions
        version = to;
        send_time += 10;
        encoded.push_back(
            encode_aggre_depth_frame(symbol, send_time, asks, bids, from, to, s.scales));

        if (sim.best_price(bid) >= sim.best_price(ask)) {
            std::fprintf(stderr, "book stream generator crossed the book at frame %zu\n", f);
            std::abort();
        }
        const std::int64_t mid2 = sim.best_price(bid) + sim.best_price(ask);
        s.stats.min_mid_units = std::min(s.stats.min_mid_units, mid2);
        s.stats.max_mid_units = std::max(s.stats.max_mid_units, mid2);
    }

    std::size_t total = 0;
    for (const auto& e : encoded) total += e.size();
    s.storage.reserve(total);
    for (const auto& e : encoded) s.storage.append(e);
    s.frames.reserve(encoded.size());
    std::size_t offset = 0;
    for (const auto& e : encoded) {
        s.frames.emplace_back(s.storage.data() + offset, e.size());
        offset += e.size();
    }
    s.stats.bytes = total;
    s.final_version = version;
    for (const auto& [key, qty] : sim.side[bid])
        s.final_bids.push_back({Sim::price_of(bid, key), qty});
    for (const auto& [key, qty] : sim.side[ask])
        s.final_asks.push_back({Sim::price_of(ask, key), qty});
    return s;
}

const BookStream& cached_book_stream(std::size_t levels_per_side) {
    static std::mutex mutex;
    static std::map<std::size_t, std::unique_ptr<BookStream>> cache;
    std::lock_guard lock(mutex);
    auto& slot = cache[levels_per_side];
    if (!slot) {
        BookStreamOptions o;
        o.levels_per_side = levels_per_side;
        slot = std::make_unique<BookStream>(make_book_stream(o));
    }
    return *slot;
}

std::string depth_snapshot_json(const DepthSnapshot& snapshot, SymbolScales scales) {
    std::string out;
    out.reserve(64 + 32 * (snapshot.bids.size() + snapshot.asks.size()));
    auto levels = [&](const std::vector<LevelUnits>& side) {
        out.push_back('[');
        bool first = true;
        for (const LevelUnits& l : side) {
            char p[32], q[32];
            if (!first) out.push_back(',');
            first = false;
            out.append("[\"");
            out.append(p, format_decimal_units(l.price, scales.price, std::span<char, 32>(p)));
            out.append("\",\"");
            out.append(q,
                       format_decimal_units(l.quantity, scales.quantity, std::span<char, 32>(q)));
            out.append("\"]");
        }
        out.push_back(']');
    };
    out.append("{\"lastUpdateId\":").append(std::to_string(snapshot.last_update_id));
    out.append(",\"bids\":");
    levels(snapshot.bids);
    out.append(",\"asks\":");
    levels(snapshot.asks);
    out.append(",\"timestamp\":").append(std::to_string(snapshot.timestamp)).append("}");
    return out;
}

}  // namespace mexc::bench
