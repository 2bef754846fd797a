#include "market.hpp"

#include <algorithm>

namespace mexc::sandbox {
namespace {

// History kept across all books; each book keeps its share, within these bounds.
constexpr std::size_t log_budget = 1600000;
constexpr std::size_t max_log = 400000;  // versions kept for snapshot_at and late subscribers
constexpr std::size_t min_log = 1000;
constexpr std::size_t trades_budget = 40000;
constexpr std::size_t max_trades = 10000;
constexpr std::size_t min_trades = 200;

std::int64_t pow10(int n) {
    std::int64_t v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

}  // namespace

std::vector<SymbolSpec> default_symbols() {
    return {
        {"BTCUSDT", "BTC", "USDT", 2, 6, 8427001, 400},  // 84270.01
        {"ETHUSDT", "ETH", "USDT", 2, 5, 315050, 400},   // 3150.50
        {"SOLUSDT", "SOL", "USDT", 3, 3, 142250, 300},   // 142.250
        {"MXUSDT", "MX", "USDT", 4, 2, 36962, 300},      // 3.6962
    };
}

std::vector<SymbolSpec> generated_symbols(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
    const int width = count < 10000 ? 4 : static_cast<int>(std::to_string(count).size());
    std::vector<SymbolSpec> out;
    out.reserve(count);
    for (std::size_t i = 1; i <= count; ++i) {
        std::string number = std::to_string(i);
        number.insert(
            0, static_cast<std::size_t>(std::max(0, width - static_cast<int>(number.size()))), '0');
        SymbolSpec s;
        s.base_asset = "S" + number;
        s.quote_asset = "USDT";
        s.symbol = s.base_asset + s.quote_asset;
        // The mid is 10^magnitude .. 10^(magnitude+1), written with six significant digits;
        // dearer bases trade in finer quantities.
        const int magnitude = static_cast<int>(rng() % 9) - 4;  // -4 .. 4
        s.price_scale = static_cast<std::uint8_t>(5 - magnitude);
        s.quantity_scale = static_cast<std::uint8_t>(std::clamp(magnitude + 2, 0, 8));
        s.mid_price = 100000 + static_cast<std::int64_t>(rng() % 900000);
        s.levels_per_side = 50;
        out.push_back(std::move(s));
    }
    return out;
}

SymbolBook::SymbolBook(SymbolSpec spec) : spec_(std::move(spec)) {
    // A deterministic initial book: one level per tick around the mid, sizes varying by level,
    // each level one synthetic entry.
    std::mt19937_64 rng(std::hash<std::string>{}(spec_.symbol));
    for (int i = 1; i <= spec_.levels_per_side; ++i) {
        const std::int64_t bid = random_quantity(rng);
        bids_[spec_.mid_price - i] = Level{bid, {RestingEntry{0, 0, bid}}};
        const std::int64_t ask = random_quantity(rng);
        asks_[spec_.mid_price + i] = Level{ask, {RestingEntry{0, 0, ask}}};
    }
    version_ = 1000000 + static_cast<std::int64_t>(rng() % 1000000);
}

std::int64_t SymbolBook::random_quantity(std::mt19937_64& rng) const {
    // Between 0.001 and ~5 base units at the symbol's quantity scale, never zero.
    const std::int64_t unit = std::max<std::int64_t>(1, pow10(spec_.quantity_scale) / 1000);
    return unit * static_cast<std::int64_t>(1 + rng() % 5000);
}

void SymbolBook::commit_level(bool ask, std::int64_t price, std::int64_t old_total) {
    std::int64_t total = 0;
    auto settle = [&](auto& side) {
        auto it = side.find(price);
        if (it == side.end()) return;
        total = it->second.quantity;
        if (total == 0) side.erase(it);
    };
    ask ? settle(asks_) : settle(bids_);
    if (total == old_total) return;  // not a change: no version
    ++version_;
    log_.push_back({version_, ask, price, total, old_total});
}

void SymbolBook::set_synthetic(bool ask, std::int64_t price, std::int64_t quantity) {
    auto apply = [&](auto& side) {
        auto it = side.find(price);
        if (it == side.end()) {
            if (quantity == 0) return;
            it = side.emplace(price, Level{}).first;
        }
        Level& level = it->second;
        const std::int64_t old_total = level.quantity;
        std::int64_t synthetic = 0;
        for (const auto& e : level.queue)
            if (e.account == 0) synthetic += e.quantity;
        if (quantity > synthetic) {
            // More synthetic quantity joins the back of the queue (time priority is lost).
            if (!level.queue.empty() && level.queue.back().account == 0)
                level.queue.back().quantity += quantity - synthetic;
            else
                level.queue.push_back({0, 0, quantity - synthetic});
        } else if (quantity < synthetic) {
            // Less: the newest synthetic entries shrink first; user entries stay.
            std::int64_t cut = synthetic - quantity;
            for (auto e = level.queue.rbegin(); e != level.queue.rend() && cut > 0; ++e) {
                if (e->account != 0) continue;
                const std::int64_t d = std::min(cut, e->quantity);
                e->quantity -= d;
                cut -= d;
            }
            std::erase_if(level.queue, [](const RestingEntry& e) { return e.quantity == 0; });
        }
        level.quantity = old_total - synthetic + quantity;
        commit_level(ask, price, old_total);
    };
    ask ? apply(asks_) : apply(bids_);
}

namespace {

// Consumes up to `quantity` from the front of a level's queue (price-time priority).
void consume(Level& level, bool ask, std::int64_t price, std::int64_t quantity,
             std::vector<BookMatch>& out, bool users_only) {
    while (quantity > 0 && !level.queue.empty()) {
        RestingEntry& e = level.queue.front();
        const std::int64_t d = std::min(quantity, e.quantity);
        e.quantity -= d;
        level.quantity -= d;
        quantity -= d;
        if (!users_only || e.account != 0)
            out.push_back({e.order, e.account, ask, price, d, e.quantity == 0});
        if (e.quantity == 0) level.queue.pop_front();
    }
}

}  // namespace

std::vector<BookMatch> SymbolBook::step(std::mt19937_64& rng, std::int64_t now_ms) {
    std::vector<BookMatch> user_matches;
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
                std::advance(it, std::min<std::int64_t>(
                                     distance, static_cast<std::int64_t>(side.size()) - 1));
                return it->first;
            };
            const std::int64_t price = ask ? pick(asks_) : pick(bids_);
            if (price != 0) set_synthetic(ask, price, random_quantity(rng));
        } else if (roll < 70) {  // a new level, possibly inside the spread
            std::int64_t price = ask ? best_ask - 1 + distance : best_bid + 1 - distance;
            if (ask && price <= best_bid) price = best_bid + 1;
            if (!ask && price >= best_ask) price = best_ask - 1;
            if (price > 0) set_synthetic(ask, price, random_quantity(rng));
        } else if (roll < 90) {  // a cancel (about 20 % of actions are deletions)
            auto pick = [&](auto& side) -> std::int64_t {
                if (side.size() < 50) return 0;  // keep the book deep
                auto it = side.begin();
                std::advance(it, std::min<std::int64_t>(
                                     distance, static_cast<std::int64_t>(side.size()) - 1));
                return it->first;
            };
            const std::int64_t price = ask ? pick(asks_) : pick(bids_);
            if (price != 0) set_synthetic(ask, price, 0);
        } else if (!(ask ? asks_.empty()
                         : bids_.empty())) {  // a trade: a taker takes from the touch
            Level& level = ask ? asks_.begin()->second : bids_.begin()->second;
            const std::int64_t price = ask ? best_ask : best_bid;
            const std::int64_t old_total = level.quantity;
            const std::int64_t taken = std::max<std::int64_t>(
                1, old_total * static_cast<std::int64_t>(1 + rng() % 100) / 100);
            const std::int64_t left = old_total - taken;
            trades_.push_back({++trade_id_, price, taken, ask ? 1 : 2, now_ms});
            consume(level, ask, price, taken, user_matches, /*users_only=*/true);
            if ((ask ? asks_.size() : bids_.size()) < 50 && left == 0) {
                const std::int64_t fresh = random_quantity(rng);  // replenish rather than thin out
                level.queue.push_back({0, 0, fresh});
                level.quantity += fresh;
            }
            commit_level(ask, price, old_total);
        }
    }
    trim_logs();
    return user_matches;
}

std::optional<std::int64_t> SymbolBook::best_price(bool ask) const noexcept {
    if (ask)
        return asks_.empty() ? std::nullopt : std::optional<std::int64_t>(asks_.begin()->first);
    return bids_.empty() ? std::nullopt : std::optional<std::int64_t>(bids_.begin()->first);
}

void SymbolBook::add_entry(bool ask, std::int64_t price, std::uint64_t order, std::uint64_t account,
                           std::int64_t quantity) {
    if (quantity <= 0) return;
    auto apply = [&](auto& side) {
        Level& level = side[price];
        const std::int64_t old_total = level.quantity;
        level.queue.push_back({order, account, quantity});
        level.quantity += quantity;
        commit_level(ask, price, old_total);
    };
    ask ? apply(asks_) : apply(bids_);
    trim_logs();
}

std::int64_t SymbolBook::remove_entry(bool ask, std::int64_t price, std::uint64_t order) {
    std::int64_t removed = 0;
    auto apply = [&](auto& side) {
        auto it = side.find(price);
        if (it == side.end()) return;
        Level& level = it->second;
        const std::int64_t old_total = level.quantity;
        for (auto e = level.queue.begin(); e != level.queue.end(); ++e) {
            if (e->order != order || e->account == 0) continue;
            removed = e->quantity;
            level.queue.erase(e);
            break;
        }
        level.quantity -= removed;
        commit_level(ask, price, old_total);
    };
    ask ? apply(asks_) : apply(bids_);
    trim_logs();
    return removed;
}

std::vector<BookMatch> SymbolBook::take(bool ask, std::int64_t quantity, std::int64_t now_ms) {
    std::vector<BookMatch> matches;
    auto apply = [&](auto& side) {
        if (side.empty() || quantity <= 0) return;
        Level& level = side.begin()->second;
        const std::int64_t price = side.begin()->first;
        const std::int64_t old_total = level.quantity;
        const std::int64_t taken = std::min(quantity, old_total);
        trades_.push_back({++trade_id_, price, taken, ask ? 1 : 2, now_ms});
        consume(level, ask, price, taken, matches, /*users_only=*/false);
        commit_level(ask, price, old_total);
    };
    ask ? apply(asks_) : apply(bids_);
    trim_logs();
    return matches;
}

void SymbolBook::trim_logs() {
    while (log_.size() > max_log_) log_.pop_front();
    while (trades_.size() > max_trades_) trades_.pop_front();
}

std::int64_t SymbolBook::oldest_version_kept() const noexcept {
    return log_.empty() ? version_ : log_.front().version - 1;
}

DepthSnapshot SymbolBook::snapshot(std::size_t limit) const {
    DepthSnapshot s;
    s.last_update_id = version_;
    for (auto it = bids_.begin(); it != bids_.end() && s.bids.size() < limit; ++it)
        s.bids.push_back({it->first, it->second.quantity});
    for (auto it = asks_.begin(); it != asks_.end() && s.asks.size() < limit; ++it)
        s.asks.push_back({it->first, it->second.quantity});
    return s;
}

std::optional<DepthSnapshot> SymbolBook::snapshot_at(std::int64_t version,
                                                     std::size_t limit) const {
    if (version > version_ || version < oldest_version_kept()) return std::nullopt;
    // Aggregated levels only: the undo log records level totals.
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;
    std::map<std::int64_t, std::int64_t> asks;
    for (const auto& [price, level] : bids_) bids.emplace_hint(bids.end(), price, level.quantity);
    for (const auto& [price, level] : asks_) asks.emplace_hint(asks.end(), price, level.quantity);
    for (auto it = log_.rbegin(); it != log_.rend() && it->version > version; ++it) {
        auto undo = [&](auto& side) {
            if (it->old_quantity == 0)
                side.erase(it->price);
            else
                side[it->price] = it->old_quantity;
        };
        it->ask ? undo(asks) : undo(bids);
    }
    DepthSnapshot s;
    s.last_update_id = version;
    for (auto it = bids.begin(); it != bids.end() && s.bids.size() < limit; ++it)
        s.bids.push_back({it->first, it->second});
    for (auto it = asks.begin(); it != asks.end() && s.asks.size() < limit; ++it)
        s.asks.push_back({it->first, it->second});
    return s;
}

std::vector<LevelChange> SymbolBook::changes(std::int64_t from, std::int64_t to) const {
    std::vector<LevelChange> out;
    if (log_.empty() || from > to || from < log_.front().version) return out;
    const auto first = static_cast<std::size_t>(from - log_.front().version);
    for (std::size_t i = first; i < log_.size() && log_[i].version <= to; ++i)
        out.push_back(log_[i]);
    return out;
}

Market::Market(std::uint64_t seed, std::vector<SymbolSpec> symbols) : rng_(seed) {
    books_.reserve(symbols.size());
    for (auto& s : symbols) books_.emplace_back(std::move(s));
    const std::size_t n = std::max<std::size_t>(books_.size(), 1);
    for (std::size_t i = 0; i < books_.size(); ++i) {
        books_[i].set_history(std::clamp(log_budget / n, min_log, max_log),
                              std::clamp(trades_budget / n, min_trades, max_trades));
        index_.emplace(books_[i].spec().symbol, i);
    }
}

void Market::step(std::int64_t now_ms) {
    ++steps_;
    const std::size_t count = std::min(books_.size(), max_books_per_step);
    for (std::size_t i = 0; i < count; ++i) {
        SymbolBook& b = books_[next_book_];
        next_book_ = (next_book_ + 1) % books_.size();
        const auto matches = b.step(rng_, now_ms);
        if (!matches.empty() && fill_sink_) fill_sink_(b, matches, now_ms);
    }
}

SymbolBook* Market::find(std::string_view symbol) noexcept {
    const auto it = index_.find(symbol);
    return it == index_.end() ? nullptr : &books_[it->second];
}

const SymbolBook* Market::find(std::string_view symbol) const noexcept {
    return const_cast<Market*>(this)->find(symbol);
}

}  // namespace mexc::sandbox
