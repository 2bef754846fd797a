#pragma once
// The command journal (Config::journal_path): an append-only text file in which every order
// command is written and flushed (write + fdatasync) before it is sent, and its end recorded once
// it is definite, so that a program started again knows which commands may have reached the venue
// without its knowing the outcome. One record a line, its fields separated by spaces and
// percent-encoded, a CRC-32 last:
//
//   mexc-order-journal 1
//   intent <seq> place <journaled_ms> <expires_ms> <symbol> <client_id> <side> <type> <price>
//          <quantity> <quote_quantity> <stp_mode> <crc>
//   intent <seq> cancel <journaled_ms> <expires_ms> <symbol> <order_id> <client_id> <crc>
//   intent <seq> cancel_all <journaled_ms> <expires_ms> <symbol> <crc>
//   done <seq> <outcome> <order_id> <crc>
//
// `expires_ms` is server time: the command is signed with a timestamp of at most expires_ms -
// recvWindow, so the venue cannot take it after expires_ms (SPEC §1.5). Nothing secret is ever
// written: no key, signature, query string or listen key.
//
// The text is read and written by pure functions (tested step by step); OrderJournal is the thin
// POSIX file around them. A crash mid-write leaves an incomplete or damaged last record, which
// load ignores (its command was never sent: sending waits for the flush); a damaged record before
// the last is refused as corruption. Opening compacts the file to its unresolved intents (temp
// file, fsync, rename, fsync of the directory) and locks it (flock on "<path>.lock") for the
// exchange's lifetime.

#include "mexc/error.hpp"
#include "mexc/order.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::account {

/// A command as journaled before it was sent.
struct JournalIntent {
    std::uint64_t seq = 0;
    JournaledCommand command = JournaledCommand::place;
    std::int64_t journaled_ms = 0;  ///< local wall clock
    std::int64_t expires_ms = 0;    ///< server time after which the venue cannot take it
    std::string symbol;
    OrderRequest order;           ///< place: the order, its client order id included
    std::string order_id;         ///< cancel: the order named by exchange id, or empty
    std::string client_order_id;  ///< cancel: the order named by client id, or empty
};

/// How a command ended, as its `done` record says.
enum class JournalOutcome : std::uint8_t {
    acked,       ///< the venue answered it
    rejected,    ///< the venue refused it (definitive), or it was refused before sending
    not_sent,    ///< it failed before its bytes left (network)
    placed,      ///< recovered: the order exists
    not_placed,  ///< recovered: the order does not exist and can no longer arrive
    found,       ///< recovered cancel: the order was queried
    not_found,   ///< recovered cancel: no such order
    listed,      ///< recovered cancel_all: the open orders were listed
};
std::string_view to_string(JournalOutcome outcome) noexcept;

/// The first line of every journal.
inline constexpr std::string_view journal_header = "mexc-order-journal 1\n";

/// One record's line, '\n' included.
std::string encode_intent(const JournalIntent& intent);
std::string encode_done(std::uint64_t seq, JournalOutcome outcome, std::string_view order_id);

/// What a journal's text holds.
struct JournalContents {
    std::vector<JournalIntent> unresolved;  ///< intents without a done record, by seq
    std::uint64_t next_seq = 1;             ///< above every seq seen
    std::size_t records = 0;                ///< complete, valid records read
    std::size_t torn_bytes = 0;             ///< bytes of a damaged or incomplete tail, ignored
};
/// Reads a journal's text; "" is an empty journal. Errors: rejected/journal_failed when the text
/// does not start with journal_header, or a damaged record is followed by a valid one.
Result<JournalContents> parse_journal(std::string_view text);

/// MEXC's "no such order" codes (SPEC §5.4: -2013 query, -2011 cancel, 30026, 22222).
bool is_order_not_found(const Error& error) noexcept;

/// How long after `expires_ms` (server time) a "not found" is taken as final: the offset estimate
/// of the clock that judges it is off by up to half a round trip, and the venue's books may show
/// an order a little after taking it (FAULTS E10).
inline constexpr std::chrono::milliseconds recovery_margin{2000};

/// What a query by client order id says of a journaled placement, asked at server time
/// `asked_ms` (taken before the query was sent).
enum class PlacementVerdict : std::uint8_t {
    placed,      ///< found
    not_placed,  ///< not found, asked after expires_ms + recovery_margin
    ask_later,   ///< not found, but the order could still arrive: ask again after that
    unresolved,  ///< the query failed otherwise: keep the intent
};
PlacementVerdict judge_placement(const Result<OrderInfo>& query, std::int64_t asked_ms,
                                 std::int64_t expires_ms) noexcept;

/// The journal file. Not thread-safe: one executor.
class OrderJournal {
public:
    /// Opens `path` (creating it), locks it, reads it and compacts it to its unresolved intents.
    /// Errors: rejected/journal_failed, the message naming the step: locked by another process,
    /// unreadable, not a journal, corrupt, or the compaction failed.
    static Result<std::unique_ptr<OrderJournal>> open(const std::string& path);
    ~OrderJournal();
    OrderJournal(const OrderJournal&) = delete;
    OrderJournal& operator=(const OrderJournal&) = delete;

    /// The intents previous runs left unresolved, by seq (handed out once).
    std::vector<JournalIntent> take_recovered() { return std::move(recovered_); }

    /// Gives `intent` the next seq, appends it and flushes it to disk. Errors:
    /// rejected/journal_failed (the file is as before, or the journal refuses every later write).
    Result<std::uint64_t> append_intent(JournalIntent intent);
    /// Records how the intent `seq` ended. Errors: as append_intent.
    Result<void> append_done(std::uint64_t seq, JournalOutcome outcome,
                             std::string_view order_id = {});

    /// Intents without a done record (recovered ones included).
    std::size_t unresolved() const noexcept { return unresolved_.size(); }
    /// A write failed and could not be undone: every later write fails.
    bool broken() const noexcept { return broken_; }
    const std::string& path() const noexcept { return path_; }

private:
    OrderJournal() = default;
    Result<void> append(std::string_view line);

    std::string path_;
    int fd_ = -1;
    int lock_fd_ = -1;
    long long size_ = 0;  // bytes of whole records in the file
    std::uint64_t next_seq_ = 1;
    bool broken_ = false;
    std::set<std::uint64_t> unresolved_;
    std::vector<JournalIntent> recovered_;
};

}  // namespace mexc::account
