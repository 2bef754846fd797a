#include "account/journaled_commands.hpp"

#include "rest/transport.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>

#include <algorithm>

namespace mexc::account {
namespace asio = boost::asio;

namespace {

constexpr auto tuple_token = asio::as_tuple(asio::deferred);

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Error closed() {
    return Error(Condition::closed, Errc::closed);
}

}  // namespace

JournaledCommands::JournaledCommands(asio::any_io_executor ex,
                                     std::unique_ptr<OrderJournal> journal,
                                     rest::Transport& transport, rest::PrivateRest& rest,
                                     std::chrono::milliseconds recv_window)
    : ex_(std::move(ex)),
      journal_(std::move(journal)),
      transport_(transport),
      rest_(rest),
      recv_window_(recv_window) {
    auto pending = journal_->take_recovered();
    to_recover_.assign(std::make_move_iterator(pending.begin()),
                       std::make_move_iterator(pending.end()));
}

// ---- waiting -----------------------------------------------------------------------------------

asio::awaitable<void> JournaledCommands::park(asio::steady_timer& timer) {
    struct Registered {  // unregistered however the wait ends, a cancellation's throw included
        std::vector<asio::steady_timer*>& timers;
        asio::steady_timer* timer;
        ~Registered() { std::erase(timers, timer); }
    } registered{timers_, &timer};
    timers_.push_back(&timer);
    co_await timer.async_wait(tuple_token);
}

void JournaledCommands::wake() noexcept {
    for (auto* t : timers_) t->cancel();
}

void JournaledCommands::abort() noexcept {
    closing_ = true;
    wake();
}

asio::awaitable<bool> JournaledCommands::wait_past(std::int64_t server_ms) {
    while (!closing_) {
        const auto now = transport_.stamp_now();
        if (now > server_ms) co_return true;
        asio::steady_timer timer(ex_, std::chrono::milliseconds(server_ms - now + 1));
        co_await park(timer);
    }
    co_return false;
}

asio::awaitable<Result<void>> JournaledCommands::synced_clock() {
    if (transport_.clock_synced()) co_return Result<void>{};
    co_return co_await transport_.sync_clock(3);
}

// ---- recovery ----------------------------------------------------------------------------------

asio::awaitable<Result<std::vector<RecoveredCommand>>> JournaledCommands::recover() {
    for (;;) {
        if (recovered_all_) co_return recovered_;
        if (closing_) co_return closed();
        if (!running_) break;
        // Another call runs it: share its answer.
        const auto round = round_;
        while (running_ && round_ == round && !closing_) {
            asio::steady_timer timer(ex_, asio::steady_timer::time_point::max());
            co_await park(timer);
        }
        if (recovered_all_) co_return recovered_;
        if (closing_) co_return closed();
        if (round_ != round && last_failure_) co_return *last_failure_;
        // That run was abandoned (its caller cancelled): run it here.
    }
    struct Running {  // ends the run however it ends, a cancellation's throw included
        JournaledCommands& self;
        bool failed = false;
        ~Running() {
            self.running_ = false;
            ++self.round_;
            if (!failed) self.last_failure_.reset();
            self.wake();
        }
    } running{*this};
    running_ = true;
    auto done = co_await resolve_all();
    if (!done) {
        last_failure_ = done.error();
        running.failed = true;
        co_return done.error();
    }
    recovered_all_ = true;
    co_return recovered_;
}

asio::awaitable<Result<void>> JournaledCommands::resolve_all() {
    while (!to_recover_.empty()) {
        if (closing_) co_return closed();
        const JournalIntent& intent = to_recover_.front();
        auto resolved = co_await resolve(intent);
        if (!resolved) co_return resolved.error();
        JournalOutcome outcome = JournalOutcome::listed;
        switch (resolved->outcome) {
            case RecoveryOutcome::placed:
                outcome = JournalOutcome::placed;
                break;
            case RecoveryOutcome::not_placed:
                outcome = JournalOutcome::not_placed;
                break;
            case RecoveryOutcome::found:
                outcome = JournalOutcome::found;
                break;
            case RecoveryOutcome::not_found:
                outcome = JournalOutcome::not_found;
                break;
            case RecoveryOutcome::listed:
                break;
        }
        const auto order_id = resolved->order ? resolved->order->order_id.view() : "";
        // Resolved once it is recorded: if that fails, the next run asks the venue again.
        if (auto written = journal_->append_done(intent.seq, outcome, order_id); !written)
            co_return written.error();
        if (on_recovered_) {
            if (resolved->order) on_recovered_(*resolved->order);
            for (const auto& o : resolved->open_orders) on_recovered_(o);
        }
        recovered_.push_back(std::move(*resolved));
        to_recover_.pop_front();
    }
    co_return Result<void>{};
}

asio::awaitable<Result<RecoveredCommand>> JournaledCommands::resolve(const JournalIntent& intent) {
    if (auto synced = co_await synced_clock(); !synced) co_return synced.error();
    RecoveredCommand out;
    out.command = intent.command;
    out.symbol = intent.symbol;
    out.journaled_ms = intent.journaled_ms;
    const auto settled = intent.expires_ms + recovery_margin.count();
    switch (intent.command) {
        case JournaledCommand::place: {
            out.request = intent.order;
            for (;;) {
                const auto asked = transport_.stamp_now();
                auto order = co_await rest_.query_order(
                    intent.symbol, rest::OrderRef::by_client_id(intent.order.client_order_id));
                switch (judge_placement(order, asked, intent.expires_ms)) {
                    case PlacementVerdict::placed:
                        out.outcome = RecoveryOutcome::placed;
                        out.order = std::move(*order);
                        co_return out;
                    case PlacementVerdict::not_placed:
                        out.outcome = RecoveryOutcome::not_placed;
                        co_return out;
                    case PlacementVerdict::unresolved:
                        co_return order.error();
                    case PlacementVerdict::ask_later:
                        // A request of the last run may still land: ask again once it cannot.
                        if (!co_await wait_past(settled)) co_return closed();
                        break;
                }
            }
        }
        case JournaledCommand::cancel: {
            out.cancel_order_id = OrderId(intent.order_id);
            out.cancel_client_order_id = OrderId(intent.client_order_id);
            // The order's state is final with respect to the cancel only once it cannot land.
            if (!co_await wait_past(settled)) co_return closed();
            auto ref = !intent.order_id.empty()
                           ? rest::OrderRef::by_id(OrderId(intent.order_id))
                           : rest::OrderRef::by_client_id(OrderId(intent.client_order_id));
            auto order = co_await rest_.query_order(intent.symbol, ref);
            if (order) {
                out.outcome = RecoveryOutcome::found;
                out.order = std::move(*order);
                co_return out;
            }
            if (!is_order_not_found(order.error())) co_return order.error();
            out.outcome = RecoveryOutcome::not_found;
            co_return out;
        }
        case JournaledCommand::cancel_all: {
            if (!co_await wait_past(settled)) co_return closed();
            auto open = co_await rest_.open_orders(intent.symbol);
            if (!open) co_return open.error();
            out.outcome = RecoveryOutcome::listed;
            out.open_orders = std::move(*open);
            co_return out;
        }
    }
    co_return Error(Condition::bad_data, Errc::invalid_argument);
}

// ---- commands ----------------------------------------------------------------------------------

asio::awaitable<Result<JournaledCommands::Ticket>> JournaledCommands::begin(JournalIntent intent) {
    if (auto recovered = co_await recover(); !recovered) co_return recovered.error();
    // The bound is set on the server clock: sync it first (a read; nothing is sent on failure).
    if (auto synced = co_await synced_clock(); !synced) co_return synced.error();
    if (closing_) co_return closed();
    Ticket ticket;
    // One recvWindow to sign it in (the first attempt signs at once; a 700003 retry resyncs and
    // signs again), and the venue may take it for one recvWindow after its timestamp.
    ticket.latest_stamp = transport_.stamp_now() + recv_window_.count();
    intent.expires_ms = ticket.latest_stamp + recv_window_.count();
    intent.journaled_ms = wall_ms();
    auto seq = journal_->append_intent(std::move(intent));
    if (!seq) co_return seq.error();
    ticket.seq = *seq;
    co_return ticket;
}

void JournaledCommands::answered(const Ticket& ticket, std::string_view order_id) {
    // Not recorded (a full disk): the next run finds the order by its client id.
    (void)journal_->append_done(ticket.seq, JournalOutcome::acked, order_id);
}

void JournaledCommands::failed(const Ticket& ticket, const Error& error) {
    switch (error.condition()) {
        case Condition::rejected:
        case Condition::auth:
        case Condition::clock_skew:
            // The venue proved non-acceptance, or it was refused before sending (FAULTS §1.2).
            (void)journal_->append_done(ticket.seq, JournalOutcome::rejected, {});
            break;
        case Condition::network:
            // A command fails on the network only before its bytes left (else outcome_unknown).
            (void)journal_->append_done(ticket.seq, JournalOutcome::not_sent, {});
            break;
        case Condition::outcome_unknown:
        case Condition::rate_limited:  // 429 on a command: probably not processed, undocumented
        case Condition::bad_data:
        case Condition::closed:
            break;  // the next run resolves it by client order id
    }
}

}  // namespace mexc::account
