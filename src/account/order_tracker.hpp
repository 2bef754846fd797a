#pragma once
// The state of every order of the account the client has seen, sans-io: orders placed through
// the client (from the moment they are sent), and orders of other programs seen on the private
// stream or in a reconciliation (FAULTS C14). Fed observations from any source in any order, it
// answers the events a program should see, exactly once:
//
// - State never moves backwards (FAULTS C05): an observation is taken only when it has more
//   filled, or the same filled and a later status (NEW < PARTIALLY_FILLED < final). A late or
//   repeated push, or the status-less placement ack, changes nothing once the order moved on (C02).
// - Fills are deduplicated by trade id, whichever source repeats them (C04, C11), and attach to
//   their order by order id or, before the ack named it, by client order id (C02, C03).
// - Σ fills of an order never exceeds its quantity; when Σ fills and the order's cumulative
//   quantity disagree for longer than a grace period (pushes on the two topics arrive in either
//   order, SPEC §9), or a fill names an order never seen, the order is reported as needing a
//   targeted fetch (its state, its trades) until the two agree again (I1).
// - Final orders move to a bounded store of completed orders, oldest evicted first (I7).

#include "mexc/account_events.hpp"
#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "string_hash.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mexc::account {

/// What one source says of an order: a push (304), a REST order, or a placement ack.
struct OrderObservation {
    std::string_view symbol;
    std::string_view order_id;
    std::string_view client_order_id;
    Side side = Side::buy;
    OrderType type = OrderType::limit;
    /// nullopt: the source carries no status (the placement ack, SPEC §3.2): NEW unless known.
    std::optional<OrderStatus> status;
    Price price;
    Quantity quantity;
    Quantity filled;
    Quantity filled_quote;
    std::int64_t time = 0;
    EventSource source = EventSource::rest;
};

/// Why an order needs a targeted fetch.
enum class FetchReason : std::uint8_t {
    fills_behind,   ///< cumulative quantity ahead of the fills seen: fetch its trades
    state_behind,   ///< fills ahead of the cumulative quantity: fetch the order
    unknown_order,  ///< a fill of an order never seen: fetch the order
    unresolved,     ///< a placement whose outcome is unknown: query it by client order id
};

struct FetchRequest {
    std::string symbol;
    std::string order_id;         ///< empty when only the client order id is known
    std::string client_order_id;  ///< empty when none
    FetchReason reason = FetchReason::state_behind;
};

struct TrackerOptions {
    /// How long Σ fills and the cumulative quantity may disagree before a fetch is asked for.
    std::chrono::milliseconds grace{2000};
    /// Final orders kept for queries (FAULTS I7); the oldest is evicted first.
    std::size_t completed_capacity = 1000;
    /// Fills of orders not seen yet, kept until their order shows up.
    std::size_t orphan_capacity = 1000;
};

/// One tracked order.
struct TrackedOrder {
    OrderUpdate state;
    /// Trade ids of the fills applied, and their sum.
    std::vector<std::string> trade_ids;
    Quantity fills_sum;
    bool outcome_unknown = false;  ///< placement outcome unknown: never resend, resolve by id
    bool completed = false;        ///< final and settled: kept among the completed orders
};

class OrderTracker {
public:
    using Clock = std::chrono::steady_clock;

    struct Events {
        std::vector<OrderUpdate> orders;
        std::vector<Fill> fills;
        void clear() noexcept {
            orders.clear();
            fills.clear();
        }
    };

    explicit OrderTracker(TrackerOptions options = {});

    /// An order is about to be sent with this client order id (PendingNew). Its events are those
    /// of a local order; its first update is this one.
    void placing(const OrderRequest& order, Events& out);
    /// The venue refused it (definitive, FAULTS §1.2): final, status REJECTED.
    void place_rejected(std::string_view client_order_id, std::int64_t time, Events& out);
    /// Its outcome is unknown: it stays pending and is listed by due_fetches() until an
    /// observation resolves it.
    void place_unknown(std::string_view client_order_id);

    /// Takes an observation of an order. Errors: bad_data when it names neither an order id nor a
    /// client order id, or its quantities are not comparable with what is known (overflow).
    Result<void> observe(const OrderObservation& order, Clock::time_point now, Events& out);
    /// Takes a fill, once per trade id. Errors: bad_data when it would take the order's fills past
    /// its quantity (the fill is not applied, the order is listed for a fetch).
    Result<void> observe(const Fill& fill, Clock::time_point now, Events& out);

    /// Orders to fetch now: disagreements older than the grace period, fills of unknown orders,
    /// unresolved placements. Each is listed again at every grace period until resolved.
    std::vector<FetchRequest> due_fetches(Clock::time_point now);

    const TrackedOrder* by_order_id(std::string_view order_id) const;
    const TrackedOrder* by_client_id(std::string_view client_order_id) const;
    /// Orders not final (open, pending), for reconciliation.
    std::vector<const TrackedOrder*> open_orders() const;

    /// Every symbol an order was tracked on, first seen first (reconciliation reads their recent
    /// orders). As bounded as the symbols the account trades.
    const std::vector<std::string>& symbols() const noexcept { return symbols_; }

    std::size_t active_count() const noexcept { return active_.size(); }
    std::size_t completed_count() const noexcept { return completed_.size(); }
    std::size_t orphan_count() const noexcept { return orphans_.size(); }

private:
    using Orders = std::list<TrackedOrder>;
    using Index = std::unordered_map<std::string, Orders::iterator, StringHash, std::equal_to<>>;

    TrackedOrder* find(std::string_view order_id, std::string_view client_order_id);
    Orders::iterator node(const TrackedOrder& order);
    void index(Orders& list, Orders::iterator it);
    void note_symbol(std::string_view symbol);
    void unindex(const TrackedOrder& order);
    void check_agreement(TrackedOrder& order, Clock::time_point now);
    void retire_if_final(TrackedOrder& order);
    void adopt_orphans(TrackedOrder& order, Clock::time_point now, Events& out);
    Result<void> apply_fill(TrackedOrder& order, const Fill& fill, Clock::time_point now,
                            Events& out);

    struct Watch {
        FetchReason reason;
        Clock::time_point since;
        Clock::time_point next_due;
    };

    TrackerOptions options_;
    Orders active_;     // not final
    Orders completed_;  // final, oldest first
    Index by_order_id_;
    Index by_client_id_;
    std::unordered_map<const TrackedOrder*, Watch> watched_;
    std::vector<std::string> symbols_;
    std::vector<Fill> orphans_;  // fills of orders not seen yet, oldest first
    std::unordered_map<std::string, Clock::time_point, StringHash, std::equal_to<>>
        orphan_orders_;  // order id → first orphan fill seen
};

}  // namespace mexc::account
