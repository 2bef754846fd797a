#include "account/order_journal.hpp"

#include <boost/crc.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <span>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mexc::account {

namespace {

// A file of only resolved records is cut back to its header once it has grown past this.
constexpr long long truncate_after_bytes = 1 << 20;

Error failure(std::string_view what, int err = 0) {
    std::string text = "journal: ";
    text += what;
    if (err != 0) {
        text += ": ";
        text += std::strerror(err);
    }
    return Error(Condition::rejected, Errc::journal_failed).with_venue_message(text);
}

std::uint32_t crc32(std::string_view text) {
    boost::crc_32_type crc;
    crc.process_bytes(text.data(), text.size());
    return crc.checksum();
}

// Printable ASCII but '%' stands for itself; anything else is %XX; the empty string is "%".
void put_field(std::string& out, std::string_view value) {
    constexpr char hex[] = "0123456789ABCDEF";
    out += ' ';
    if (value.empty()) {
        out += '%';
        return;
    }
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c > 0x20 && c < 0x7f && c != '%') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

std::optional<std::string> get_field(std::string_view field) {
    if (field == "%") return std::string();
    std::string out;
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '%') {
            out += field[i];
            continue;
        }
        if (i + 2 >= field.size()) return std::nullopt;
        unsigned value = 0;
        const auto* first = field.data() + i + 1;
        auto [end, ec] = std::from_chars(first, first + 2, value, 16);
        if (ec != std::errc() || end != first + 2) return std::nullopt;
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

template <class Int>
std::optional<Int> get_int(std::string_view field) {
    Int value{};
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
    return value;
}

void put_int(std::string& out, std::int64_t value) {
    out += ' ';
    out += std::to_string(value);
}

template <class Decimal>
std::string decimal_text(const std::optional<Decimal>& value) {
    if (!value) return {};
    char buf[32];
    return std::string(buf, value->format(std::span<char, 32>(buf)));
}

// Read back at the scale it was written with.
template <class Decimal>
std::optional<std::optional<Decimal>> get_decimal(std::string_view text) {
    if (text.empty()) return std::optional<Decimal>();
    const auto dot = text.find('.');
    const auto scale = dot == std::string_view::npos ? 0 : text.size() - dot - 1;
    if (scale > 18) return std::nullopt;
    auto value = Decimal::parse(text, static_cast<std::uint8_t>(scale));
    if (!value) return std::nullopt;
    return std::optional<Decimal>(*value);
}

std::optional<StpMode> parse_stp(std::string_view text) {
    for (auto m :
         {StpMode::none, StpMode::cancel_maker, StpMode::cancel_taker, StpMode::cancel_both})
        if (to_string(m) == text) return m;
    return std::nullopt;
}

std::optional<JournaledCommand> parse_command(std::string_view text) {
    for (auto c : {JournaledCommand::place, JournaledCommand::cancel, JournaledCommand::cancel_all})
        if (to_string(c) == text) return c;
    return std::nullopt;
}

std::optional<JournalOutcome> parse_outcome(std::string_view text) {
    for (auto o : {JournalOutcome::acked, JournalOutcome::rejected, JournalOutcome::not_sent,
                   JournalOutcome::placed, JournalOutcome::not_placed, JournalOutcome::found,
                   JournalOutcome::not_found, JournalOutcome::listed})
        if (to_string(o) == text) return o;
    return std::nullopt;
}

std::string finish(std::string line) {
    char crc[8];
    auto [end, ec] = std::to_chars(crc, crc + sizeof crc, crc32(line), 16);
    (void)ec;  // eight digits always fit a 32-bit value
    const auto digits = static_cast<std::size_t>(end - crc);
    line += ' ';  // then eight hex digits, zero-padded
    line.append(8 - digits, '0');
    line.append(crc, digits);
    line += '\n';
    return line;
}

std::vector<std::string_view> split(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t from = 0;
    for (;;) {
        const auto space = line.find(' ', from);
        out.push_back(line.substr(from, space - from));
        if (space == std::string_view::npos) break;
        from = space + 1;
    }
    return out;
}

struct Parsed {
    bool is_intent = false;
    JournalIntent intent;
    std::uint64_t done_seq = 0;
};

// One line without its '\n'; nullopt when damaged.
std::optional<Parsed> parse_record(std::string_view line) {
    const auto last = line.rfind(' ');
    if (last == std::string_view::npos || line.size() - last != 9) return std::nullopt;
    const auto crc_text = line.substr(last + 1);
    std::uint32_t crc = 0;
    auto [crc_end, crc_ec] =
        std::from_chars(crc_text.data(), crc_text.data() + crc_text.size(), crc, 16);
    if (crc_ec != std::errc() || crc_end != crc_text.data() + crc_text.size()) return std::nullopt;
    if (crc != crc32(line.substr(0, last))) return std::nullopt;
    const auto f = split(line.substr(0, last));
    Parsed out;
    if (f.size() == 4 && f[0] == "done") {
        auto seq = get_int<std::uint64_t>(f[1]);
        if (!seq || !parse_outcome(f[2]) || !get_field(f[3])) return std::nullopt;
        out.done_seq = *seq;
        return out;
    }
    if (f.size() < 6 || f[0] != "intent") return std::nullopt;
    auto seq = get_int<std::uint64_t>(f[1]);
    auto command = parse_command(f[2]);
    auto journaled = get_int<std::int64_t>(f[3]);
    auto expires = get_int<std::int64_t>(f[4]);
    auto symbol = get_field(f[5]);
    if (!seq || !command || !journaled || !expires || !symbol) return std::nullopt;
    out.is_intent = true;
    auto& in = out.intent;
    in.seq = *seq;
    in.command = *command;
    in.journaled_ms = *journaled;
    in.expires_ms = *expires;
    in.symbol = *symbol;
    switch (*command) {
        case JournaledCommand::place: {
            if (f.size() != 13) return std::nullopt;
            auto client_id = get_field(f[6]);
            auto side = parse_side(f[7]);
            auto type = parse_order_type(f[8]);
            auto price_text = get_field(f[9]);
            auto qty_text = get_field(f[10]);
            auto quote_text = get_field(f[11]);
            auto stp_text = get_field(f[12]);
            if (!client_id || !side || !type || !price_text || !qty_text || !quote_text ||
                !stp_text)
                return std::nullopt;
            auto price = get_decimal<Price>(*price_text);
            auto qty = get_decimal<Quantity>(*qty_text);
            auto quote = get_decimal<Quantity>(*quote_text);
            auto stp = parse_stp(*stp_text);
            if (!price || !qty || !quote || !stp) return std::nullopt;
            in.order.symbol = in.symbol;
            in.order.client_order_id = *client_id;
            in.order.side = *side;
            in.order.type = *type;
            in.order.price = *price;
            in.order.quantity = *qty;
            in.order.quote_order_qty = *quote;
            in.order.stp_mode = *stp;
            in.client_order_id = *client_id;
            return out;
        }
        case JournaledCommand::cancel: {
            if (f.size() != 8) return std::nullopt;
            auto order_id = get_field(f[6]);
            auto client_id = get_field(f[7]);
            if (!order_id || !client_id) return std::nullopt;
            in.order_id = *order_id;
            in.client_order_id = *client_id;
            return out;
        }
        case JournaledCommand::cancel_all:
            if (f.size() != 6) return std::nullopt;
            return out;
    }
    return std::nullopt;
}

// write() all of `text`, through short writes and EINTR.
int write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const auto n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace

std::string_view to_string(JournalOutcome outcome) noexcept {
    switch (outcome) {
        case JournalOutcome::acked:
            return "acked";
        case JournalOutcome::rejected:
            return "rejected";
        case JournalOutcome::not_sent:
            return "not_sent";
        case JournalOutcome::placed:
            return "placed";
        case JournalOutcome::not_placed:
            return "not_placed";
        case JournalOutcome::found:
            return "found";
        case JournalOutcome::not_found:
            return "not_found";
        case JournalOutcome::listed:
            return "listed";
    }
    return "unknown";
}

std::string encode_intent(const JournalIntent& intent) {
    std::string line = "intent";
    put_int(line, static_cast<std::int64_t>(intent.seq));
    line += ' ';
    line += to_string(intent.command);
    put_int(line, intent.journaled_ms);
    put_int(line, intent.expires_ms);
    put_field(line, intent.symbol);
    switch (intent.command) {
        case JournaledCommand::place: {
            const auto& o = intent.order;
            put_field(line, o.client_order_id);
            put_field(line, to_string(o.side));
            put_field(line, to_string(o.type));
            put_field(line, decimal_text(o.price));
            put_field(line, decimal_text(o.quantity));
            put_field(line, decimal_text(o.quote_order_qty));
            put_field(line, to_string(o.stp_mode));
            break;
        }
        case JournaledCommand::cancel:
            put_field(line, intent.order_id);
            put_field(line, intent.client_order_id);
            break;
        case JournaledCommand::cancel_all:
            break;
    }
    return finish(std::move(line));
}

std::string encode_done(std::uint64_t seq, JournalOutcome outcome, std::string_view order_id) {
    std::string line = "done";
    put_int(line, static_cast<std::int64_t>(seq));
    line += ' ';
    line += to_string(outcome);
    put_field(line, order_id);
    return finish(std::move(line));
}

Result<JournalContents> parse_journal(std::string_view text) {
    JournalContents out;
    if (text.empty()) return out;
    if (text.size() < journal_header.size()) {
        // A header cut short: the file was being created (compaction writes a temporary file
        // first, so only a file made by hand could look like this).
        if (journal_header.substr(0, text.size()) == text) {
            out.torn_bytes = text.size();
            return out;
        }
        return failure("not a journal (no header)");
    }
    if (text.substr(0, journal_header.size()) != journal_header)
        return failure("not a journal (no header)");
    text.remove_prefix(journal_header.size());
    std::map<std::uint64_t, JournalIntent> intents;
    std::size_t damaged_at = std::string_view::npos;  // offset of the first damaged record
    std::size_t offset = 0;
    while (offset < text.size()) {
        const auto end = text.find('\n', offset);
        if (end == std::string_view::npos) {
            if (damaged_at == std::string_view::npos) damaged_at = offset;  // incomplete tail
            break;
        }
        auto record = parse_record(text.substr(offset, end - offset));
        if (!record) {
            if (damaged_at == std::string_view::npos) damaged_at = offset;
        } else if (damaged_at != std::string_view::npos) {
            return failure("corrupt record before the last");
        } else {
            ++out.records;
            if (record->is_intent) {
                out.next_seq = std::max(out.next_seq, record->intent.seq + 1);
                const auto seq = record->intent.seq;
                intents.insert_or_assign(seq, std::move(record->intent));
            } else {
                out.next_seq = std::max(out.next_seq, record->done_seq + 1);
                intents.erase(record->done_seq);
            }
        }
        offset = end + 1;
    }
    if (damaged_at != std::string_view::npos) out.torn_bytes = text.size() - damaged_at;
    for (auto& [seq, intent] : intents) out.unresolved.push_back(std::move(intent));
    return out;
}

bool is_order_not_found(const Error& error) noexcept {
    if (error.code().category() != venue_category()) return false;
    switch (error.code().value()) {
        case -2013:
        case -2011:
        case 30026:
        case 22222:
            return true;
        default:
            return false;
    }
}

PlacementVerdict judge_placement(const Result<OrderInfo>& query, std::int64_t asked_ms,
                                 std::int64_t expires_ms) noexcept {
    if (query) return PlacementVerdict::placed;
    if (!is_order_not_found(query.error())) return PlacementVerdict::unresolved;
    // Only a query sent after the last moment the venue could take the order proves its absence.
    if (asked_ms > expires_ms + recovery_margin.count()) return PlacementVerdict::not_placed;
    return PlacementVerdict::ask_later;
}

// ---- the file ---------------------------------------------------------------------------------

Result<std::unique_ptr<OrderJournal>> OrderJournal::open(const std::string& path) {
    std::unique_ptr<OrderJournal> j(new OrderJournal());
    j->path_ = path;

    // One process at a time: the lock lives on its own file, since compaction replaces the
    // journal's inode.
    Fd lock{::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)};
    if (lock.fd < 0) return failure("cannot open the lock file", errno);
    if (::flock(lock.fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) return failure("in use by another process");
        return failure("cannot lock", errno);
    }

    std::string text;
    {
        Fd in{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
        if (in.fd < 0 && errno != ENOENT) return failure("cannot open", errno);
        if (in.fd >= 0) {
            struct stat st {};
            if (::fstat(in.fd, &st) != 0) return failure("cannot stat", errno);
            if (!S_ISREG(st.st_mode)) return failure("not a regular file");
            char buf[65536];
            for (;;) {
                const auto n = ::read(in.fd, buf, sizeof buf);
                if (n < 0) {
                    if (errno == EINTR) continue;
                    return failure("cannot read", errno);
                }
                if (n == 0) break;
                text.append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    auto contents = parse_journal(text);
    if (!contents) return contents.error();

    // Compaction: the unresolved intents alone, in a new file that replaces the old at once.
    std::string compact(journal_header);
    for (const auto& intent : contents->unresolved) compact += encode_intent(intent);
    const std::string temp = path + ".tmp";
    {
        Fd out{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
        if (out.fd < 0) return failure("cannot create the compacted file", errno);
        if (int err = write_all(out.fd, compact)) return failure("cannot write", err);
        if (::fsync(out.fd) != 0) return failure("cannot flush", errno);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) return failure("cannot replace", errno);
    {
        Fd dir{::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
        if (dir.fd < 0 || ::fsync(dir.fd) != 0) return failure("cannot flush the directory", errno);
    }
    Fd file{::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC)};
    if (file.fd < 0) return failure("cannot open for appending", errno);

    j->size_ = static_cast<long long>(compact.size());
    j->next_seq_ = contents->next_seq;
    for (const auto& intent : contents->unresolved) j->unresolved_.insert(intent.seq);
    j->recovered_ = std::move(contents->unresolved);
    j->fd_ = file.release();
    j->lock_fd_ = lock.release();
    return j;
}

OrderJournal::~OrderJournal() {
    if (fd_ >= 0) ::close(fd_);
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

Result<void> OrderJournal::append(std::string_view line) {
    if (broken_) return failure("a previous write failed");
    int err = write_all(fd_, line);
    if (err == 0 && ::fdatasync(fd_) != 0) err = errno;
    if (err == 0) {
        size_ += static_cast<long long>(line.size());
        return {};
    }
    // Undo a partial record, so that no damaged record is ever followed by another.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0 || ::fdatasync(fd_) != 0) broken_ = true;
    return failure("cannot append", err);
}

Result<std::uint64_t> OrderJournal::append_intent(JournalIntent intent) {
    intent.seq = next_seq_;
    if (auto ok = append(encode_intent(intent)); !ok) return ok.error();
    ++next_seq_;
    unresolved_.insert(intent.seq);
    return intent.seq;
}

Result<void> OrderJournal::append_done(std::uint64_t seq, JournalOutcome outcome,
                                       std::string_view order_id) {
    if (auto ok = append(encode_done(seq, outcome, order_id)); !ok) return ok;
    unresolved_.erase(seq);
    if (unresolved_.empty() && size_ > truncate_after_bytes) {
        // Nothing left to resolve: the records can go. A crash meanwhile leaves either the old
        // file (every intent resolved) or the header alone.
        const auto header = static_cast<off_t>(journal_header.size());
        if (::ftruncate(fd_, header) == 0 && ::fdatasync(fd_) == 0) {
            size_ = header;
        } else {
            broken_ = true;
        }
    }
    return {};
}

}  // namespace mexc::account
