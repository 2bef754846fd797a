#include "engine.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace mexc::sandbox {
namespace {

__extension__ typedef __int128 i128;  // exact products of int64 units

constexpr std::int64_t asset_unit = 100000000;         // 1 asset = 10^8 units (asset_scale)
constexpr std::int64_t min_notional = 1 * asset_unit;  // exchangeInfo quoteAmountPrecision "1"
constexpr std::int64_t max_notional = 2000000 * asset_unit;        // exchangeInfo maxQuoteAmount
constexpr std::int64_t max_notional_market = 100000 * asset_unit;  // maxQuoteAmountMarket
constexpr std::size_t max_open_orders = 500;  // per account, all symbols (30029)
constexpr std::uint64_t order_id_base = 600000000000000000ULL;
constexpr std::uint64_t trade_id_base = 700000000000000000ULL;

i128 pow10(int n) {
    i128 v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

std::int64_t saturate(i128 v) {
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    return v > hi ? hi : static_cast<std::int64_t>(v);
}

EngineError error(int code, std::string msg) {
    return EngineError{400, code, std::move(msg)};
}

// The exact conversions between a symbol's scales and asset_scale. price × quantity units are at
// scale price_scale + quantity_scale; fills round down (never create value), locks round up.
struct Scales {
    int price = 0;
    int quantity = 0;

    i128 quote_exact_units(std::int64_t price_units, std::int64_t qty_units) const {
        return static_cast<i128>(price_units) * qty_units;  // at scale price + quantity
    }
    std::int64_t quote(std::int64_t price_units, std::int64_t qty_units, bool round_up) const {
        const i128 raw = quote_exact_units(price_units, qty_units);
        const int e = price + quantity - asset_scale;
        if (e <= 0) return saturate(raw * pow10(-e));
        const i128 d = pow10(e);
        return saturate(round_up ? (raw + d - 1) / d : raw / d);
    }
    std::int64_t base(std::int64_t qty_units) const {  // quantity_scale <= asset_scale (checked)
        return saturate(static_cast<i128>(qty_units) * pow10(asset_scale - quantity));
    }
    /// The largest quantity whose (rounded down) quote amount fits in `budget`.
    std::int64_t max_quantity_for(std::int64_t budget, std::int64_t price_units) const {
        if (budget <= 0 || price_units <= 0) return 0;
        const int e = price + quantity - asset_scale;
        if (e <= 0)
            return saturate(static_cast<i128>(budget) /
                            (static_cast<i128>(price_units) * pow10(-e)));
        return saturate(((static_cast<i128>(budget) + 1) * pow10(e) - 1) / price_units);
    }
};

std::int64_t fee_of(std::int64_t amount, std::int64_t rate) {
    if (amount <= 0 || rate <= 0) return 0;
    return static_cast<std::int64_t>(static_cast<i128>(amount) * rate /
                                     asset_unit);  // rounded down
}

bool is_limit_priced(OrderType t) {
    return t != OrderType::market;
}

}  // namespace

int push_order_type(OrderType t) noexcept {
    switch (t) {
        case OrderType::limit:
            return 1;
        case OrderType::limit_maker:
            return 2;
        case OrderType::immediate_or_cancel:
            return 3;
        case OrderType::fill_or_kill:
            return 4;
        case OrderType::market:
            return 5;
        case OrderType::unknown:  // never accepted by the sandbox's parser
            break;
    }
    return 1;
}

int push_order_status(OrderStatus s) noexcept {
    switch (s) {
        case OrderStatus::new_order:
            return 1;
        case OrderStatus::filled:
            return 2;
        case OrderStatus::partially_filled:
            return 3;
        case OrderStatus::canceled:
            return 4;
        case OrderStatus::partially_canceled:
            return 5;
        case OrderStatus::unknown:  // the engine only sets known statuses
            break;
    }
    return 1;
}

struct Engine::Impl {
    struct OrderState {
        Order order;
        std::uint64_t key = 0;    // index + 1; the book entry's order key
        std::int64_t locked = 0;  // funds still locked for this order, asset_scale
        bool by_quote = false;    // MARKET buy by quoteOrderQty: `locked` is the remaining budget
        bool resting = false;
    };
    struct Account {
        AccountSpec spec;
        std::map<std::string, Balance> balances;
        std::vector<std::size_t> orders;  // indices into Impl::orders, placement order
        std::set<std::size_t> open;
        std::vector<Fill> fills;
    };

    explicit Impl(Market& m) : market(m), market_alive(m.lifetime()) {}
    ~Impl() {
        if (!market_alive.expired()) market.set_fill_sink(nullptr);
    }

    Market& market;
    std::weak_ptr<const void> market_alive;
    std::map<std::uint64_t, Account> accounts;
    std::vector<OrderState> orders;
    std::unordered_map<std::string, std::size_t> by_order_id;
    std::function<void(const EngineEvent&)> sink;
    std::function<bool(std::uint64_t, std::uint64_t)> stp_peers;
    std::uint64_t trade_seq = 0;

    static Scales scales_of(const SymbolBook& book) {
        return {book.spec().price_scale, book.spec().quantity_scale};
    }

    void emit(EngineEvent e) {
        if (sink) sink(e);
    }

    void change(std::uint64_t account, const std::string& asset, std::int64_t free_change,
                std::int64_t locked_change, const char* type, std::int64_t now) {
        if (account == 0) return;
        Balance& b = accounts.at(account).balances[asset];
        b.free += free_change;
        b.locked += locked_change;
        emit(BalanceChange{account, asset, b, free_change, locked_change, type, now});
    }

    const std::string& lock_asset(const SymbolBook& book, Side side) const {
        return side == Side::buy ? book.spec().quote_asset : book.spec().base_asset;
    }

    /// Funds a limit-priced buy still needs for its remaining quantity.
    std::int64_t required_lock(const SymbolBook& book, const OrderState& st) const {
        const Order& o = st.order;
        if (o.status == OrderStatus::filled) return 0;
        const std::int64_t remaining = o.orig_qty - o.executed_qty;
        if (o.side == Side::sell) return scales_of(book).base(remaining);
        if (o.type == OrderType::market) return st.locked;  // a budget, released at the end
        return scales_of(book).quote(o.price, remaining, /*round_up=*/true);
    }

    /// Applies one fill to a user order: Fill → Order → BalanceChange(s) (SPEC §8.15–§8.17).
    void fill_order(SymbolBook& book, std::size_t index, std::int64_t price, std::int64_t qty,
                    bool maker, bool self_trade, const std::string& trade_id, std::int64_t now) {
        OrderState& st = orders[index];
        Order& o = st.order;
        Account& acc = accounts.at(o.account);
        const auto sc = scales_of(book);
        const auto& spec = book.spec();
        const std::int64_t quote = sc.quote(price, qty, /*round_up=*/false);
        const std::int64_t base = sc.base(qty);
        o.executed_qty += qty;
        o.cummulative_quote_qty += quote;
        o.update_time = now;
        bool done = false;
        if (st.by_quote) {
            done =
                sc.max_quantity_for(st.locked - quote, price) == 0;  // no unit affordable any more
        } else {
            done = o.executed_qty == o.orig_qty;
        }
        o.status = done ? OrderStatus::filled : OrderStatus::partially_filled;
        if (done) st.resting = false;
        // Fees are charged in the asset received: the buyer pays in base, the seller in quote.
        const std::int64_t rate = maker ? acc.spec.maker_commission : acc.spec.taker_commission;
        const bool buyer = o.side == Side::buy;
        const std::int64_t fee = buyer ? fee_of(base, rate) : fee_of(quote, rate);
        Fill f{trade_id,
               o.order_id,
               o.client_order_id,
               o.account,
               o.symbol,
               o.side,
               price,
               qty,
               quote,
               fee,
               buyer ? spec.base_asset : spec.quote_asset,
               maker,
               self_trade,
               now};
        acc.fills.push_back(f);
        if (done) acc.open.erase(index);
        emit(f);
        emit(o);
        if (buyer) {
            const std::int64_t before = st.locked;
            st.locked -= quote;
            const std::int64_t keep = done ? 0 : required_lock(book, st);
            const std::int64_t release = st.locked - keep;
            st.locked = keep;
            change(o.account, spec.quote_asset, release, -(before - keep), "ENTRUST", now);
            change(o.account, spec.base_asset, base, 0, "ENTRUST", now);
            if (fee > 0) change(o.account, spec.base_asset, -fee, 0, "TRADE_FEE", now);
        } else {
            st.locked -= base;
            change(o.account, spec.base_asset, 0, -base, "ENTRUST", now);
            change(o.account, spec.quote_asset, quote, 0, "ENTRUST", now);
            if (fee > 0) change(o.account, spec.quote_asset, -fee, 0, "TRADE_FEE", now);
        }
    }

    std::string next_trade_id() { return std::to_string(trade_id_base + ++trade_seq) + "X1"; }

    /// Settles the entries a taker consumed; `taker` is the taker's order index, if a user order.
    void settle(SymbolBook& book, const std::vector<BookMatch>& matches,
                std::optional<std::size_t> taker, std::int64_t now) {
        for (const auto& m : matches) {
            if (m.account == 0 && !taker) continue;
            const std::string trade_id = next_trade_id();
            const bool self_trade =
                taker && m.account != 0 && orders[*taker].order.account == m.account;
            if (taker)
                fill_order(book, *taker, m.price, m.quantity, /*maker=*/false, self_trade, trade_id,
                           now);
            if (m.account != 0 && m.order != 0) {
                fill_order(book, static_cast<std::size_t>(m.order - 1), m.price, m.quantity,
                           /*maker=*/true, self_trade, trade_id, now);
            }
        }
    }

    /// Ends an order that keeps nothing on the book: Order → BalanceChange (unlock), SPEC §9.
    void finish(SymbolBook& book, std::size_t index, std::int64_t now) {
        OrderState& st = orders[index];
        Order& o = st.order;
        Account& acc = accounts.at(o.account);
        // A MARKET buy by quote amount that can no longer afford one unit at the best ask has
        // spent its budget (FILLED); one that exhausted the asks is cancelled with the rest.
        const auto best_ask = book.best_price(true);
        const bool spent = st.by_quote && o.cancel_reason.empty() && o.executed_qty > 0 &&
                           best_ask && scales_of(book).max_quantity_for(st.locked, *best_ask) == 0;
        if (o.status != OrderStatus::filled) {
            if (spent)
                o.status = OrderStatus::filled;
            else
                o.status =
                    o.executed_qty > 0 ? OrderStatus::partially_canceled : OrderStatus::canceled;
            o.update_time = now;
            emit(o);
        }
        acc.open.erase(index);
        st.resting = false;
        if (st.locked > 0) {
            const std::int64_t amount = st.locked;
            st.locked = 0;
            change(o.account, lock_asset(book, o.side), amount, -amount,
                   o.status == OrderStatus::filled ? "ENTRUST_UNFROZEN" : "ENTRUST_CANCEL", now);
        }
    }

    struct StpPeer {
        std::uint64_t order = 0;  // the peer maker's order key
        std::int64_t ahead = 0;   // quantity resting before it at the best level
    };
    /// The first resting maker of an STP peer at the best level of side `ask`, if the taker asked
    /// for self-trade prevention.
    std::optional<StpPeer> first_stp_peer(const SymbolBook& book, bool ask, std::uint64_t taker,
                                          const std::string& mode) const {
        if (mode.empty() || !stp_peers) return std::nullopt;
        auto scan = [&](const auto& levels) -> std::optional<StpPeer> {
            if (levels.empty()) return std::nullopt;
            std::int64_t ahead = 0;
            for (const auto& e : levels.begin()->second.queue) {
                if (e.account != 0 && e.order != 0 && stp_peers(taker, e.account))
                    return StpPeer{e.order, ahead};
                ahead += e.quantity;
            }
            return std::nullopt;
        };
        return ask ? scan(book.ask_levels()) : scan(book.bid_levels());
    }

    /// Cancels a resting order because of self-trade prevention.
    void stp_cancel(SymbolBook& book, std::size_t index, std::int64_t now) {
        OrderState& st = orders[index];
        if (st.resting)
            book.remove_entry(/*ask=*/st.order.side == Side::sell, st.order.price, st.key);
        st.order.cancel_reason = "stp_cancel";
        finish(book, index, now);
    }

    /// The order of `account` by exchange id or (newest, open first) client id, in `symbol`.
    std::optional<std::size_t> find_order(std::uint64_t account, const std::string& symbol,
                                          const std::string& order_id,
                                          const std::string& client_order_id) const {
        auto acc = accounts.find(account);
        if (acc == accounts.end()) return std::nullopt;
        if (!order_id.empty()) {
            auto it = by_order_id.find(order_id);
            if (it == by_order_id.end()) return std::nullopt;
            const Order& o = orders[it->second].order;
            if (o.account != account || o.symbol != symbol) return std::nullopt;
            if (!client_order_id.empty() && o.client_order_id != client_order_id)
                return std::nullopt;
            return it->second;
        }
        if (client_order_id.empty()) return std::nullopt;
        std::optional<std::size_t> found;
        for (auto i = acc->second.orders.rbegin(); i != acc->second.orders.rend(); ++i) {
            const Order& o = orders[*i].order;
            if (o.symbol != symbol || o.client_order_id != client_order_id) continue;
            if (!is_final(o.status)) return *i;
            if (!found) found = *i;
        }
        return found;
    }

    struct Plan {
        bool by_quote = false;
        std::int64_t lock = 0;  // asset_scale, of the side's locked asset
    };
    /// Every check of a placement (SPEC §5.3 codes), without changing anything.
    std::optional<EngineError> validate(std::uint64_t account, const OrderRequest& r,
                                        Plan& plan) const;

    void on_synthetic_fills(SymbolBook& book, const std::vector<BookMatch>& matches,
                            std::int64_t now) {
        settle(book, matches, std::nullopt, now);
    }
};

Engine::Engine(Market& market) : impl_(std::make_shared<Impl>(market)) {
    for (const auto& book : market.symbols())
        if (book.spec().quantity_scale > asset_scale)
            throw std::invalid_argument("sandbox engine: a symbol's scale exceeds the asset scale");
    Impl* impl = impl_.get();
    market.set_fill_sink(
        [impl](SymbolBook& book, const std::vector<BookMatch>& matches, std::int64_t now) {
            impl->on_synthetic_fills(book, matches, now);
        });
}

void Engine::add_account(const AccountSpec& spec) {
    if (spec.id == 0)
        throw std::invalid_argument("sandbox engine: account 0 is the synthetic market");
    auto& acc = impl_->accounts[spec.id];
    acc.spec = spec;
    for (const auto& [asset, amount] : spec.deposits) acc.balances[asset].free += amount;
}

void Engine::set_stp_peers(std::function<bool(std::uint64_t, std::uint64_t)> peers) {
    impl_->stp_peers = std::move(peers);
}

bool Engine::has_account(std::uint64_t account) const noexcept {
    return impl_->accounts.count(account) != 0;
}

std::optional<EngineError> Engine::adjust_free(std::uint64_t account, const std::string& asset,
                                               std::int64_t amount, const char* type,
                                               std::int64_t now_ms) {
    auto acc = impl_->accounts.find(account);
    if (account == 0 || acc == impl_->accounts.end()) return error(10001, "user does not exist");
    const auto b = acc->second.balances.find(asset);
    if (amount < 0 && (b == acc->second.balances.end() || b->second.free < -amount))
        return error(10101, "Insufficient balance");
    impl_->change(account, asset, amount, 0, type, now_ms);
    return std::nullopt;
}

void Engine::on_event(std::function<void(const EngineEvent&)> sink) {
    impl_->sink = std::move(sink);
}

std::optional<EngineError> Engine::Impl::validate(std::uint64_t account, const OrderRequest& r,
                                                  Plan& plan) const {
    auto acc_it = accounts.find(account);
    if (acc_it == accounts.end()) return error(10001, "User does not exist");
    const Account& acc = acc_it->second;
    const SymbolBook* book = market.find(r.symbol);
    if (!book) return error(-1121, "Invalid symbol.");
    const auto sc = scales_of(*book);
    const bool buy = r.side == Side::buy;
    const bool opposite_ask = buy;  // a buy takes asks, a sell takes bids

    // Parameters (SPEC §3.2): a limit-priced order needs price and quantity; MARKET exactly one of
    // quantity / quoteOrderQty (quoteOrderQty only for BUY).
    if (r.price < 0 || r.quantity < 0 || r.quote_order_qty < 0)
        return error(33333, "Parameter error");
    bool by_quote = false;
    if (is_limit_priced(r.type)) {
        if (r.price == 0 || r.quantity == 0) return error(44444, "Parameter cannot be null");
        if (r.quote_order_qty != 0)
            return error(-1128, "Combination of optional parameters invalid.");
    } else {
        if (r.quantity != 0 && r.quote_order_qty != 0)
            return error(-1128, "Combination of optional parameters invalid.");
        if (r.quantity == 0 && r.quote_order_qty == 0)
            return error(44444, "Parameter cannot be null");
        by_quote = r.quote_order_qty != 0;
        if (by_quote && !buy) return error(-1128, "Combination of optional parameters invalid.");
    }
    if (!r.client_order_id.empty()) {
        for (std::size_t i : acc.open)
            if (orders[i].order.client_order_id == r.client_order_id)
                return error(33333, "Duplicate clientOrderId");
    }
    if (acc.open.size() >= max_open_orders)
        return error(30029, "Maximum number of open orders exceeded");

    // Notional limits (exchangeInfo: quoteAmountPrecision, maxQuoteAmount, maxQuoteAmountMarket)
    // and the amount to lock.
    std::int64_t notional = 0;
    std::int64_t lock = 0;
    if (is_limit_priced(r.type)) {
        notional = sc.quote(r.price, r.quantity, /*round_up=*/true);
        lock = buy ? notional : sc.base(r.quantity);
    } else {
        if (!book->best_price(opposite_ask)) return error(30025, "No opposing order exists");
        if (by_quote) {
            notional = r.quote_order_qty;
            lock = r.quote_order_qty;
        } else {
            // Valued against the book as it stands: a market buy by quantity locks exactly what
            // sweeping the book would cost (rounded up per level).
            std::int64_t left = r.quantity;
            auto walk = [&](const auto& levels) {
                for (const auto& [price, level] : levels) {
                    if (left == 0) break;
                    const std::int64_t q = std::min(left, level.quantity);
                    notional = saturate(static_cast<i128>(notional) +
                                        sc.quote(price, q, /*round_up=*/buy));
                    left -= q;
                }
            };
            buy ? walk(book->ask_levels()) : walk(book->bid_levels());
            lock = buy ? notional : sc.base(r.quantity);
        }
    }
    const std::int64_t max = r.type == OrderType::market ? max_notional_market : max_notional;
    if (notional < min_notional)
        return error(30002, "The minimum transaction volume cannot be less than:1" +
                                book->spec().quote_asset);
    if (notional > max)
        return error(30003, "The maximum transaction volume cannot be greater than:" +
                                std::to_string(max / asset_unit) + book->spec().quote_asset);
    if (r.type == OrderType::limit_maker) {
        const auto best = book->best_price(opposite_ask);
        if (best && (buy ? *best <= r.price : *best >= r.price))
            return error(30010, "No valid trade price");
    }
    const auto balance = acc.balances.find(lock_asset(*book, r.side));
    if ((balance == acc.balances.end() ? 0 : balance->second.free) < lock)
        return error(30004, "Insufficient position");
    plan.by_quote = by_quote;
    plan.lock = lock;
    return std::nullopt;
}

std::optional<EngineError> Engine::check(std::uint64_t account, const OrderRequest& request) const {
    Impl::Plan plan;
    return impl_->validate(account, request, plan);
}

std::variant<Order, EngineError> Engine::place(std::uint64_t account, const OrderRequest& r,
                                               std::int64_t now_ms) {
    Impl& im = *impl_;
    Impl::Plan plan;
    if (auto refused = im.validate(account, r, plan)) return *refused;
    Impl::Account& acc = im.accounts.at(account);
    SymbolBook* book = im.market.find(r.symbol);
    const auto sc = Impl::scales_of(*book);
    const bool buy = r.side == Side::buy;
    const bool opposite_ask = buy;
    const bool by_quote = plan.by_quote;
    const std::int64_t lock = plan.lock;
    const std::string& asset = im.lock_asset(*book, r.side);

    // Accepted: lock, announce, match, then rest or end the remainder.
    const std::size_t index = im.orders.size();
    Impl::OrderState st;
    st.key = index + 1;
    st.by_quote = by_quote;
    st.locked = lock;
    Order& o = st.order;
    o.order_id = "C02__" + std::to_string(order_id_base + st.key);
    o.client_order_id = r.client_order_id;
    o.account = account;
    o.symbol = book->spec().symbol;
    o.side = r.side;
    o.type = r.type;
    o.price = is_limit_priced(r.type) ? r.price : 0;
    o.orig_qty = by_quote ? 0 : r.quantity;
    o.orig_quote_order_qty = by_quote ? r.quote_order_qty : 0;
    o.time = now_ms;
    o.update_time = now_ms;
    o.stp_mode = r.stp_mode;
    im.orders.push_back(st);
    im.by_order_id.emplace(o.order_id, index);
    acc.orders.push_back(index);
    acc.open.insert(index);
    im.change(account, asset, -lock, lock, "ENTRUST_PLACE", now_ms);
    im.emit(im.orders[index].order);

    // FILL_OR_KILL: all or nothing, decided before any fill.
    bool may_match = true;
    if (r.type == OrderType::fill_or_kill) {
        std::int64_t available = 0;
        // Under self-trade prevention a peer's order is never traded: cancel_maker removes it (its
        // quantity does not count), the other modes stop the taker there.
        const bool stp = !r.stp_mode.empty() && im.stp_peers;
        auto walk = [&](const auto& levels) {
            for (const auto& [price, level] : levels) {
                if (available >= r.quantity || (buy ? price > r.price : price < r.price)) return;
                if (!stp) {
                    available += level.quantity;
                    continue;
                }
                for (const auto& e : level.queue) {
                    if (e.account != 0 && e.order != 0 && im.stp_peers(account, e.account)) {
                        if (r.stp_mode != "cancel_maker") return;
                        continue;
                    }
                    available += e.quantity;
                }
            }
        };
        buy ? walk(book->ask_levels()) : walk(book->bid_levels());
        may_match = available >= r.quantity;
    }
    bool stp_ended = false;
    while (may_match) {
        const Impl::OrderState& cur = im.orders[index];
        if (cur.order.status == OrderStatus::filled) break;
        const auto best = book->best_price(opposite_ask);
        if (!best) break;
        if (is_limit_priced(r.type) && (buy ? *best > r.price : *best < r.price)) break;
        const std::int64_t want = by_quote ? sc.max_quantity_for(cur.locked, *best)
                                           : cur.order.orig_qty - cur.order.executed_qty;
        if (want <= 0) break;
        // Self-trade prevention: trade only up to the first maker of an STP peer in the queue.
        const auto peer = im.first_stp_peer(*book, opposite_ask, account, r.stp_mode);
        if (peer && peer->ahead == 0) {
            const bool cancel_maker = r.stp_mode != "cancel_taker";
            const bool cancel_taker = r.stp_mode != "cancel_maker";
            if (cancel_maker)
                im.stp_cancel(*book, static_cast<std::size_t>(peer->order - 1), now_ms);
            if (cancel_taker) {
                im.orders[index].order.cancel_reason = "stp_cancel";
                stp_ended = true;
                break;
            }
            continue;
        }
        const auto matches =
            book->take(opposite_ask, peer ? std::min(want, peer->ahead) : want, now_ms);
        im.settle(*book, matches, index, now_ms);
    }

    Impl::OrderState& done = im.orders[index];
    const bool rests = r.type == OrderType::limit || r.type == OrderType::limit_maker;
    if (done.order.status != OrderStatus::filled) {
        if (rests && !stp_ended) {
            done.resting = true;
            book->add_entry(/*ask=*/!buy, r.price, done.key, account,
                            done.order.orig_qty - done.order.executed_qty);
        } else {
            im.finish(*book, index, now_ms);
        }
    } else if (done.locked > 0) {
        im.finish(*book, index, now_ms);
    }
    return im.orders[index].order;
}

std::variant<Order, EngineError> Engine::cancel(std::uint64_t account, const std::string& symbol,
                                                const std::string& order_id,
                                                const std::string& client_order_id,
                                                std::int64_t now_ms) {
    Impl& im = *impl_;
    SymbolBook* book = im.market.find(symbol);
    if (!book) return error(-1121, "Invalid symbol.");
    if (order_id.empty() && client_order_id.empty())
        return error(700004,
                     "Mandatory parameter 'origClientOrderId' or 'orderId' was not sent, was "
                     "empty/null, or malformed.");
    const auto index = im.find_order(account, symbol, order_id, client_order_id);
    if (!index || is_final(im.orders[*index].order.status))
        return error(-2011, "Unknown order sent.");
    Impl::OrderState& st = im.orders[*index];
    if (st.resting) book->remove_entry(/*ask=*/st.order.side == Side::sell, st.order.price, st.key);
    im.finish(*book, *index, now_ms);
    return im.orders[*index].order;
}

std::vector<Order> Engine::cancel_all(std::uint64_t account, const std::string& symbol,
                                      std::int64_t now_ms) {
    std::vector<Order> out;
    Impl& im = *impl_;
    auto acc = im.accounts.find(account);
    if (acc == im.accounts.end() || !im.market.find(symbol)) return out;
    std::vector<std::size_t> open;
    for (std::size_t i : acc->second.open)
        if (im.orders[i].order.symbol == symbol) open.push_back(i);
    for (std::size_t i : open) {
        auto r = cancel(account, symbol, im.orders[i].order.order_id, "", now_ms);
        if (auto* o = std::get_if<Order>(&r)) out.push_back(*o);
    }
    return out;
}

std::variant<Order, EngineError> Engine::query(std::uint64_t account, const std::string& symbol,
                                               const std::string& order_id,
                                               const std::string& client_order_id) const {
    if (!impl_->market.find(symbol)) return error(-1121, "Invalid symbol.");
    const auto index = impl_->find_order(account, symbol, order_id, client_order_id);
    if (!index) return error(-2013, "Order does not exist.");
    return impl_->orders[*index].order;
}

std::vector<Order> Engine::open_orders(std::uint64_t account, const std::string& symbol) const {
    std::vector<Order> out;
    auto acc = impl_->accounts.find(account);
    if (acc == impl_->accounts.end()) return out;
    for (std::size_t i : acc->second.open) {  // indices ascend with placement time
        const Order& o = impl_->orders[i].order;
        if (symbol.empty() || o.symbol == symbol) out.push_back(o);
    }
    return out;
}

std::vector<Order> Engine::all_orders(std::uint64_t account, const std::string& symbol,
                                      std::int64_t start_ms, std::int64_t end_ms,
                                      std::size_t limit) const {
    std::vector<Order> out;
    auto acc = impl_->accounts.find(account);
    if (acc == impl_->accounts.end() || limit == 0) return out;
    // The newest `limit` matching orders, returned oldest first.
    for (auto i = acc->second.orders.rbegin(); i != acc->second.orders.rend() && out.size() < limit;
         ++i) {
        const Order& o = impl_->orders[*i].order;
        if ((symbol.empty() || o.symbol == symbol) && o.time >= start_ms && o.time <= end_ms)
            out.push_back(o);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<Fill> Engine::my_trades(std::uint64_t account, const std::string& symbol,
                                    const std::string& order_id, std::int64_t start_ms,
                                    std::int64_t end_ms, std::size_t limit) const {
    std::vector<Fill> out;
    auto acc = impl_->accounts.find(account);
    if (acc == impl_->accounts.end() || limit == 0) return out;
    const auto& fills = acc->second.fills;
    for (auto f = fills.rbegin(); f != fills.rend() && out.size() < limit; ++f) {
        if (!symbol.empty() && f->symbol != symbol) continue;
        if (!order_id.empty() && f->order_id != order_id) continue;
        if (f->time < start_ms || f->time > end_ms) continue;
        out.push_back(*f);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::map<std::string, Balance> Engine::balances(std::uint64_t account) const {
    auto acc = impl_->accounts.find(account);
    if (acc == impl_->accounts.end()) return {};
    return acc->second.balances;
}

void Engine::step(std::int64_t now_ms) {
    impl_->market.step(now_ms);
}

}  // namespace mexc::sandbox
