#pragma once
// The facade's order commands when a journal is configured (Config::journal_path): before any new
// command, the commands a previous run left unresolved are resolved from the venue's answers (by
// client order id; never resent); each command is then journaled and flushed before it is sent,
// signed with a bounded timestamp, and its end recorded once it is definite.
//
// Why the bound: MEXC takes a signed request until its timestamp + recvWindow (SPEC §1.5). A
// command journaled with `expires_ms` = latest timestamp + recvWindow cannot reach the book after
// expires_ms, so a query by client order id sent after that (and recovery_margin) that finds
// nothing proves the order was never placed. Before then, "not found" proves nothing: a request
// of the crashed process may still be on its way (FAULTS E10, I8).

#include "account/order_journal.hpp"
#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace mexc::rest {
class Transport;
}

namespace mexc::account {

class JournaledCommands {
public:
    /// Lifetime: `transport` and `rest` outlive this object.
    JournaledCommands(boost::asio::any_io_executor ex, std::unique_ptr<OrderJournal> journal,
                      rest::Transport& transport, rest::PrivateRest& rest,
                      std::chrono::milliseconds recv_window);
    JournaledCommands(const JournaledCommands&) = delete;
    JournaledCommands& operator=(const JournaledCommands&) = delete;

    /// Told each order the recovery found (placed, or named by a cancel), before recover()
    /// returns it: the account stream tracks it.
    void on_recovered(std::function<void(const OrderInfo&)> observer) {
        on_recovered_ = std::move(observer);
    }

    /// Resolves the recovered intents once (see MexcExchange::recover()); concurrent callers share
    /// one run and its answer. Errors: the queries' (the rest stays for the next call);
    /// rejected/journal_failed; closed.
    [[nodiscard]] boost::asio::awaitable<Result<std::vector<RecoveredCommand>>> recover();

    /// A command that may be sent: its seq in the journal, and the latest timestamp it may be
    /// signed with.
    struct Ticket {
        std::uint64_t seq = 0;
        std::int64_t latest_stamp = 0;
    };
    /// Recovery first, then a synced clock, then the intent appended and flushed. Errors: those
    /// of recover(); the clock sync's (network...); rejected/journal_failed. Nothing is sent on
    /// any of them.
    [[nodiscard]] boost::asio::awaitable<Result<Ticket>> begin(JournalIntent intent);
    /// The venue answered the command.
    void answered(const Ticket& ticket, std::string_view order_id);
    /// The command failed: a refusal or a failure before sending is recorded as its end; an
    /// outcome that is not definite (outcome_unknown, rate_limited, closed, bad_data) leaves the
    /// intent for the next run's recovery.
    void failed(const Ticket& ticket, const Error& error);

    /// Intents without an end (recovered ones included).
    std::size_t unresolved() const noexcept { return journal_->unresolved(); }

    /// The exchange is closing: waits end, recover() and begin() answer closed.
    void abort() noexcept;

private:
    boost::asio::awaitable<Result<void>> resolve_all();
    boost::asio::awaitable<Result<RecoveredCommand>> resolve(const JournalIntent& intent);
    boost::asio::awaitable<Result<void>> synced_clock();
    // Waits until the server clock passes `server_ms`; false when closing.
    boost::asio::awaitable<bool> wait_past(std::int64_t server_ms);
    boost::asio::awaitable<void> park(boost::asio::steady_timer& timer);
    void wake() noexcept;

    boost::asio::any_io_executor ex_;
    std::unique_ptr<OrderJournal> journal_;
    rest::Transport& transport_;
    rest::PrivateRest& rest_;
    std::chrono::milliseconds recv_window_;
    std::function<void(const OrderInfo&)> on_recovered_;

    std::deque<JournalIntent> to_recover_;
    std::vector<RecoveredCommand> recovered_;
    bool recovered_all_ = false;
    bool running_ = false;
    std::uint64_t round_ = 0;            // recovery runs ended
    std::optional<Error> last_failure_;  // of the last run, when it failed (not aborted)
    bool closing_ = false;
    std::vector<boost::asio::steady_timer*> timers_;  // every wait, woken by wake()
};

}  // namespace mexc::account
