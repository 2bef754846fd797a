#include "account/order_tracker.hpp"

#include "account/amounts.hpp"

#include <algorithm>

namespace mexc::account {
namespace {

// NEW < PARTIALLY_FILLED < final; a pending order (no venue answer) is below all of them.
int rank(const OrderUpdate& o) noexcept {
    if (o.pending) return 0;
    if (is_final(o.status)) return 3;
    return o.status == OrderStatus::partially_filled ? 2 : 1;
}

int rank_of(OrderStatus s) noexcept {
    OrderUpdate o;
    o.status = s;
    return rank(o);
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

OrderTracker::OrderTracker(TrackerOptions options) : options_(options) {}

// ---- indexes ---------------------------------------------------------------------------------

TrackedOrder* OrderTracker::find(std::string_view order_id, std::string_view client_order_id) {
    if (!order_id.empty())
        if (auto it = by_order_id_.find(order_id); it != by_order_id_.end()) return &*it->second;
    if (!client_order_id.empty())
        if (auto it = by_client_id_.find(client_order_id); it != by_client_id_.end())
            return &*it->second;
    return nullptr;
}

const TrackedOrder* OrderTracker::by_order_id(std::string_view order_id) const {
    auto it = by_order_id_.find(order_id);
    return it == by_order_id_.end() ? nullptr : &*it->second;
}

const TrackedOrder* OrderTracker::by_client_id(std::string_view client_order_id) const {
    auto it = by_client_id_.find(client_order_id);
    return it == by_client_id_.end() ? nullptr : &*it->second;
}

// Every tracked order is indexed by at least one of its ids: its list node is found in O(1).
OrderTracker::Orders::iterator OrderTracker::node(const TrackedOrder& o) {
    if (!o.state.order_id.empty())
        if (auto it = by_order_id_.find(o.state.order_id.view()); it != by_order_id_.end())
            return it->second;
    return by_client_id_.find(o.state.client_order_id.view())->second;
}

void OrderTracker::index(Orders&, Orders::iterator it) {
    const auto& s = it->state;
    note_symbol(s.symbol.view());
    if (!s.order_id.empty()) by_order_id_.insert_or_assign(std::string(s.order_id.view()), it);
    if (!s.client_order_id.empty())
        by_client_id_.insert_or_assign(std::string(s.client_order_id.view()), it);
}

void OrderTracker::note_symbol(std::string_view symbol) {
    if (!symbol.empty() && std::find(symbols_.begin(), symbols_.end(), symbol) == symbols_.end())
        symbols_.emplace_back(symbol);
}

void OrderTracker::unindex(const TrackedOrder& order) {
    const auto& s = order.state;
    if (auto it = by_order_id_.find(s.order_id.view());
        it != by_order_id_.end() && &*it->second == &order)
        by_order_id_.erase(it);
    if (auto it = by_client_id_.find(s.client_order_id.view());
        it != by_client_id_.end() && &*it->second == &order)
        by_client_id_.erase(it);
    watched_.erase(&order);
}

std::vector<const TrackedOrder*> OrderTracker::open_orders() const {
    std::vector<const TrackedOrder*> out;
    for (const auto& o : active_)
        if (!is_final(o.state.status) || o.state.pending) out.push_back(&o);
    return out;
}

// ---- placements ------------------------------------------------------------------------------

void OrderTracker::placing(const OrderRequest& order, Events& out) {
    TrackedOrder t;
    auto& s = t.state;
    s.symbol = order.symbol;
    s.client_order_id = order.client_order_id;
    s.side = order.side;
    s.type = order.type;
    s.status = OrderStatus::new_order;
    s.pending = true;
    if (order.price) s.price = *order.price;
    if (order.quantity) s.quantity = *order.quantity;
    s.filled = Quantity::from_units(0, s.quantity.scale());
    s.filled_quote = Quantity::from_units(0, 0);
    s.source = EventSource::local;
    t.fills_sum = s.filled;
    active_.push_back(std::move(t));
    index(active_, std::prev(active_.end()));
    out.orders.push_back(active_.back().state);
}

void OrderTracker::place_rejected(std::string_view client_order_id, std::int64_t time,
                                  Events& out) {
    auto* o = find({}, client_order_id);
    if (!o || !o->state.pending) return;  // the venue spoke of it already: its word stands
    o->state.pending = false;
    o->outcome_unknown = false;
    o->state.status = OrderStatus::rejected;
    o->state.time = time;
    o->state.source = EventSource::local;
    watched_.erase(o);
    out.orders.push_back(o->state);
    retire_if_final(*o);
}

void OrderTracker::place_unknown(std::string_view client_order_id) {
    auto* o = find({}, client_order_id);
    if (!o || !o->state.pending) return;
    o->outcome_unknown = true;
    // First due after the grace period: "not found" right after sending is weak evidence.
    const auto now = Clock::now();
    watched_[o] = Watch{FetchReason::unresolved, now, now + options_.grace};
}

// ---- observations ----------------------------------------------------------------------------

Result<void> OrderTracker::observe(const OrderObservation& obs, Clock::time_point now,
                                   Events& out) {
    if (obs.order_id.empty() && obs.client_order_id.empty())
        return Error(Condition::bad_data, Errc::unexpected_json_shape);
    const OrderStatus status = obs.status.value_or(OrderStatus::new_order);
    TrackedOrder* o = find(obs.order_id, obs.client_order_id);
    if (!o) {
        TrackedOrder t;
        auto& s = t.state;
        s.symbol = obs.symbol;
        s.order_id = obs.order_id;
        s.client_order_id = obs.client_order_id;
        s.side = obs.side;
        s.type = obs.type;
        s.status = status;
        s.price = obs.price;
        s.quantity = obs.quantity;
        s.filled = obs.filled;
        s.filled_quote = obs.filled_quote;
        s.time = obs.time;
        s.source = obs.source;
        s.external = true;  // not placed through this client (or before it started)
        t.fills_sum = Quantity::from_units(0, obs.filled.scale());
        active_.push_back(std::move(t));
        index(active_, std::prev(active_.end()));
        o = &active_.back();
        out.orders.push_back(o->state);
        adopt_orphans(*o, now, out);
        check_agreement(*o, now);
        retire_if_final(*o);
        return {};
    }

    auto& s = o->state;
    // The first answer naming the order's id links the two keys (C02: push before the ack).
    bool linked = false;
    if (s.order_id.empty() && !obs.order_id.empty()) {
        s.order_id = obs.order_id;
        by_order_id_.insert_or_assign(std::string(obs.order_id), node(*o));
        linked = true;
    }
    if (s.client_order_id.empty() && !obs.client_order_id.empty()) {
        s.client_order_id = obs.client_order_id;
        by_client_id_.insert_or_assign(std::string(obs.client_order_id), node(*o));
    }
    const int more = compare(obs.filled, s.filled);
    const bool forward = more > 0 || (more == 0 && rank_of(status) > rank(s) &&
                                      (obs.status || s.pending));  // an ack only ends pending
    if (forward) {
        s.pending = false;
        o->outcome_unknown = false;
        s.status = status;
        s.filled = obs.filled;
        s.filled_quote = obs.filled_quote;
        if (obs.quantity.units() != 0) s.quantity = obs.quantity;
        if (obs.price.units() != 0) s.price = obs.price;
        if (obs.time != 0) s.time = obs.time;
        s.source = obs.source;
        if (auto w = watched_.find(o);
            w != watched_.end() && w->second.reason == FetchReason::unresolved)
            watched_.erase(w);
        out.orders.push_back(s);
    }
    if (linked) adopt_orphans(*o, now, out);
    check_agreement(*o, now);
    retire_if_final(*o);
    return {};
}

Result<void> OrderTracker::observe(const Fill& fill, Clock::time_point now, Events& out) {
    if (TrackedOrder* o = find(fill.order_id.view(), fill.client_order_id.view())) {
        if (o->state.order_id.empty() && !fill.order_id.empty()) {
            // A fill named the order before any order answer did (C03).
            o->state.order_id = fill.order_id;
            by_order_id_.insert_or_assign(std::string(fill.order_id.view()), node(*o));
        }
        auto applied = apply_fill(*o, fill, now, out);
        retire_if_final(*o);
        return applied;
    }
    // A self-trade is two fills with one trade id, one per order (both sides are the account's):
    // a repeat is the same trade id of the same order.
    for (const auto& f : orphans_)
        if (f.trade_id == fill.trade_id && f.order_id == fill.order_id &&
            f.client_order_id == fill.client_order_id)
            return {};
    if (orphans_.size() >= options_.orphan_capacity) {
        // Bounded (I7): the oldest orphan goes; its order's fetch brings its trades back.
        orphans_.erase(orphans_.begin());
    }
    orphans_.push_back(fill);
    const std::string key(!fill.order_id.empty() ? fill.order_id.view()
                                                 : fill.client_order_id.view());
    if (!key.empty()) orphan_orders_.try_emplace(key, now);
    return {};
}

Result<void> OrderTracker::apply_fill(TrackedOrder& o, const Fill& fill, Clock::time_point now,
                                      Events& out) {
    if (contains(o.trade_ids, fill.trade_id.view())) return {};  // seen (C04, C11)
    auto sum = add(o.fills_sum, fill.quantity);
    if (!sum) return sum.error();
    if (o.state.quantity.units() != 0 && compare(*sum, o.state.quantity) > 0) {
        // More filled than ordered: one of the two is wrong; ask the venue (the fill is held back).
        watched_.insert_or_assign(&o, Watch{FetchReason::state_behind, now, now});
        return Error(Condition::bad_data, Errc::unexpected_json_shape)
            .with_venue_message("fills exceed the order quantity");
    }
    o.fills_sum = *sum;
    o.trade_ids.emplace_back(fill.trade_id.view());
    // A fill proves the order exists: an unknown placement outcome is resolved (I8: not resent).
    o.outcome_unknown = false;
    Fill reported = fill;
    if (reported.order_id.empty()) reported.order_id = o.state.order_id;
    if (reported.client_order_id.empty()) reported.client_order_id = o.state.client_order_id;
    if (reported.symbol.empty()) reported.symbol = o.state.symbol;
    out.fills.push_back(reported);
    check_agreement(o, now);
    return {};
}

void OrderTracker::adopt_orphans(TrackedOrder& o, Clock::time_point now, Events& out) {
    const auto matches = [&](const Fill& f) {
        return (!f.order_id.empty() && f.order_id == o.state.order_id) ||
               (!f.client_order_id.empty() && f.client_order_id == o.state.client_order_id);
    };
    for (auto it = orphans_.begin(); it != orphans_.end();) {
        if (matches(*it)) {
            (void)apply_fill(o, *it, now, out);
            it = orphans_.erase(it);
        } else {
            ++it;
        }
    }
    for (std::string_view id : {o.state.order_id.view(), o.state.client_order_id.view()})
        if (auto it = orphan_orders_.find(id); it != orphan_orders_.end()) orphan_orders_.erase(it);
}

// ---- agreement and retirement ----------------------------------------------------------------

void OrderTracker::check_agreement(TrackedOrder& o, Clock::time_point now) {
    auto w = watched_.find(&o);
    if (w != watched_.end() && w->second.reason == FetchReason::unresolved && o.state.pending)
        return;
    const int c = o.state.pending ? 0 : compare(o.fills_sum, o.state.filled);
    if (c == 0 && !(o.state.pending && !o.trade_ids.empty())) {
        if (w != watched_.end()) watched_.erase(w);
        return;
    }
    // A pending order with fills exists: its state is behind.
    const auto reason = c < 0 ? FetchReason::fills_behind : FetchReason::state_behind;
    if (w == watched_.end() || w->second.reason != reason)
        watched_.insert_or_assign(&o, Watch{reason, now, now + options_.grace});
}

void OrderTracker::retire_if_final(TrackedOrder& o) {
    if (o.completed || o.state.pending || !is_final(o.state.status) || watched_.contains(&o))
        return;
    o.completed = true;
    completed_.splice(completed_.end(), active_, node(o));
    while (completed_.size() > options_.completed_capacity) {
        unindex(completed_.front());
        completed_.pop_front();
    }
}

std::vector<FetchRequest> OrderTracker::due_fetches(Clock::time_point now) {
    std::vector<FetchRequest> out;
    for (auto& [order, watch] : watched_) {
        if (now < watch.next_due) continue;
        watch.next_due = now + options_.grace;
        const auto& s = order->state;
        out.push_back({std::string(s.symbol.view()), std::string(s.order_id.view()),
                       std::string(s.client_order_id.view()), watch.reason});
    }
    for (auto& [id, since] : orphan_orders_) {
        if (now - since < options_.grace) continue;
        since = now;  // due again after another grace period
        for (const auto& f : orphans_)
            if (f.order_id == id || f.client_order_id == id) {
                out.push_back({std::string(f.symbol.view()), std::string(f.order_id.view()),
                               std::string(f.client_order_id.view()), FetchReason::unknown_order});
                break;
            }
    }
    return out;
}

}  // namespace mexc::account
