#include "market.hpp"

#include <algorithm>

namespace mexc::sandbox {
namespace {

constexpr std::size_t max_log = 400000;  // versions kept for snapshot_at and late subscribers
constexpr std::size_t max_trades = 10000;

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

}  // namespace

std::vector<SymbolSpec> default_symbols() {
    return {
        {"BTCUSDT", "BTC", "USDT", 2, 6, 8427001, 400},    // 84270.01
        {"ETHUSDT", "ETH", "USDT", 2, 5, 315050, 400},     // 3150.50
        {"SOLUSDT", "SOL", "USDT", 3, 3, 142250, 300},     // 142.250
        {"MXUSDT", "MX", "USDT", 4, 2, 36962, 300},        // 3.6962
    };
}

SymbolBook::SymbolBook(SymbolSpec spec) : spec_(std::move(spec)) {
    // A deterministic initial book: one level per tick around the mid, sizes varying by level.
    std::mt19937_64 rng(std::hash<std::string>{}(spec_.symbol));
    for (int i = 1; i <= spec_.levels_per_side; ++i) {
        bids_[spec_.mid_price - i] = random_quantity(rng);
        asks_[spec_.mid_price + i] = random_quantity(rng);
    }
    version_ = 1000000 + static_cast<std::int64_t>(rng() % 1000000);
}

std::int64_t SymbolBook::random_quantity(std::mt19937_64& rng) const {
    // Between 0.001 and ~5 base units at the symbol's quantity scale, never zero.
    const std::int64_t unit = std::max<std::int64_t>(1, pow10(spec_.quantity_scale) / 1000);
    return unit * static_cast<std::int64_t>(1 + rng() % 5000);
}

void SymbolBook::set_level(bool ask, std::int64_t price, std::int64_t quantity) {
    std::int64_t old = 0;
    auto apply = [&](auto& side) {
        auto it = side.find(price);
        if (it != side.end()) old = it->second;
        if (quantity == 0) {
            if (it != side.end()) side.erase(it);
        } else {
            side[price] = quantity;
        }
    };
    ask ? apply(asks_) : apply(bids_);
    if (old == quantity) return;  // not a change: no version
    ++version_;
    log_.push_back({version_, ask, price, quantity, old});
}

void SymbolBook::step(std::mt19937_64& rng, std::int64_t now_ms) {
    const int actions = 1 + static_cast<int>(rng() % 4);
    for (int a = 0; a < actions; ++a) {
        const bool ask = rng() % 2 == 0;
        const std::int64_t best_bid = bids_.empty() ? spec_.mid_price - 1 : bids_.begin()->first;
        const std::int64_t best_ask = asks_.empty() ? spec_.mid_price + 1 : asks_.begin()->first;
        // Distance from the touch: geometric, so most activity is near it.
        std::int64_t distance = 0;
        while (distance < 200 && rng() % 100 < 70) ++distance;
        const unsigned roll = static_cast<unsigned>(rng() % 100);
        if (roll < 45) {  // requote an existing level
            auto pick = [&](auto& side) -> std::int64_t {
                if (side.empty()) return 0;
                auto it = side.begin();
                std::advance(it, std::min<std::int64_t>(distance, static_cast<std::int64_t>(side.size()) - 1));
                return it->first;
            };
            const std::int64_t price = ask ? pick(asks_) : pick(bids_);
            if (price != 0) set_level(ask, price, random_quantity(rng));
        } else if (roll < 70) {  // a new level, possibly inside the spread
            std::int64_t price = ask ? best_ask - 1 + distance : best_bid + 1 - distance;
            if (ask && price <= best_bid) price = best_bid + 1;
            if (!ask && price >= best_ask) price = best_ask - 1;
            if (price > 0) set_level(ask, price, random_quantity(rng));
        } else if (roll < 90) {  // a cancel (about 20 % of actions are deletions)
            auto pick = [&](auto& side) -> std::int64_t {
                if (side.size() < 50) return 0;  // keep the book deep
                auto it = side.begin();
                std::advance(it, std::min<std::int64_t>(distance, static_cast<std::int64_t>(side.size()) - 1));
                return it->first;
            };
            const std::int64_t price = ask ? pick(asks_) : pick(bids_);
            if (price != 0) set_level(ask, price, 0);
        } else if (!(ask ? asks_.empty() : bids_.empty())) {  // a trade: a taker takes from the touch
            auto& best_side_qty = ask ? asks_.begin()->second : bids_.begin()->second;
            const std::int64_t price = ask ? best_ask : best_bid;
            const std::int64_t taken = std::max<std::int64_t>(1, best_side_qty * static_cast<std::int64_t>(1 + rng() % 100) / 100);
            const std::int64_t left = best_side_qty - taken;
            trades_.push_back({++trade_id_, price, taken, ask ? 1 : 2, now_ms});
            if ((ask ? asks_.size() : bids_.size()) < 50 && left == 0) {
                set_level(ask, price, random_quantity(rng));  // replenish rather than thin out
            } else {
                set_level(ask, price, left);
            }
        }
    }
    trim_logs();
}

void SymbolBook::trim_logs() {
    while (log_.size() > max_log) log_.pop_front();
    while (trades_.size() > max_trades) trades_.pop_front();
}

std::int64_t SymbolBook::oldest_version_kept() const noexcept {
    return log_.empty() ? version_ : log_.front().version - 1;
}

DepthSnapshot SymbolBook::snapshot(std::size_t limit) const {
    DepthSnapshot s;
    s.last_update_id = version_;
    for (auto it = bids_.begin(); it != bids_.end() && s.bids.size() < limit; ++it) s.bids.push_back({it->first, it->second});
    for (auto it = asks_.begin(); it != asks_.end() && s.asks.size() < limit; ++it) s.asks.push_back({it->first, it->second});
    return s;
}

std::optional<DepthSnapshot> SymbolBook::snapshot_at(std::int64_t version, std::size_t limit) const {
    if (version > version_ || version < oldest_version_kept()) return std::nullopt;
    auto bids = bids_;
    auto asks = asks_;
    for (auto it = log_.rbegin(); it != log_.rend() && it->version > version; ++it) {
        auto undo = [&](auto& side) {
            if (it->old_quantity == 0) side.erase(it->price);
            else side[it->price] = it->old_quantity;
        };
        it->ask ? undo(asks) : undo(bids);
    }
    DepthSnapshot s;
    s.last_update_id = version;
    for (auto it = bids.begin(); it != bids.end() && s.bids.size() < limit; ++it) s.bids.push_back({it->first, it->second});
    for (auto it = asks.begin(); it != asks.end() && s.asks.size() < limit; ++it) s.asks.push_back({it->first, it->second});
    return s;
}

std::vector<LevelChange> SymbolBook::changes(std::int64_t from, std::int64_t to) const {
    std::vector<LevelChange> out;
    if (log_.empty() || from > to || from < log_.front().version) return out;
    const auto first = static_cast<std::size_t>(from - log_.front().version);
    for (std::size_t i = first; i < log_.size() && log_[i].version <= to; ++i) out.push_back(log_[i]);
    return out;
}

Market::Market(std::uint64_t seed, std::vector<SymbolSpec> symbols) : rng_(seed) {
    for (auto& s : symbols) books_.emplace_back(std::move(s));
}

void Market::step(std::int64_t now_ms) {
    ++steps_;
    for (auto& b : books_) b.step(rng_, now_ms);
}

SymbolBook* Market::find(std::string_view symbol) noexcept {
    for (auto& b : books_)
        if (b.spec().symbol == symbol) return &b;
    return nullptr;
}

const SymbolBook* Market::find(std::string_view symbol) const noexcept {
    return const_cast<Market*>(this)->find(symbol);
}

}  // namespace mexc::sandbox
