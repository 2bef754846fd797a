// The command journal, step by step: its records round-trip exactly, a crash mid-write (a torn
// or damaged last record) is tolerated and a damaged record before the last refused, opening
// compacts the file to the unresolved intents and locks it, and a "not found" settles a placement
// only once the venue can no longer take it (FAULTS E10, I8, N07).

#include "account/order_journal.hpp"
#include "support/catch_result.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

using namespace mexc;
using namespace mexc::account;

namespace {

JournalIntent place_intent(std::uint64_t seq, std::string client_id) {
    JournalIntent in;
    in.seq = seq;
    in.command = JournaledCommand::place;
    in.journaled_ms = 1700000000123;
    in.expires_ms = 1700000010123;
    in.symbol = "BTCUSDT";
    in.order.symbol = "BTCUSDT";
    in.order.side = Side::sell;
    in.order.type = OrderType::limit_maker;
    in.order.price = Price::parse("84270.10", 2).value();
    in.order.quantity = Quantity::parse("0.001000", 6).value();
    in.order.client_order_id = client_id;
    in.order.stp_mode = StpMode::cancel_both;
    in.client_order_id = std::move(client_id);
    return in;
}

JournalIntent cancel_intent(std::uint64_t seq) {
    JournalIntent in;
    in.seq = seq;
    in.command = JournaledCommand::cancel;
    in.journaled_ms = 1700000000200;
    in.expires_ms = 1700000010200;
    in.symbol = "ETHUSDT";
    in.order_id = "C02__123";
    return in;
}

JournalIntent cancel_all_intent(std::uint64_t seq) {
    JournalIntent in;
    in.seq = seq;
    in.command = JournaledCommand::cancel_all;
    in.journaled_ms = 1700000000300;
    in.expires_ms = 1700000010300;
    in.symbol = "MXUSDT";
    return in;
}

std::string journal_text(std::initializer_list<std::string> records) {
    std::string text(journal_header);
    for (const auto& r : records) text += r;
    return text;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void append_file(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << text;
}

// A fresh directory under the system's temporary directory, removed at the end.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string templ =
            (std::filesystem::temp_directory_path() / "mexc-journal-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        path = templ;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

Error venue_error(int code) {
    return Error(Condition::rejected, boost::system::error_code(code, venue_category()));
}

}  // namespace

TEST_CASE("journal: intents and ends round-trip exactly, odd bytes in ids included",
          "[unit][journal]") {
    const auto place = place_intent(1, "odd id%\n\xc3\xa9");
    const auto text = journal_text({encode_intent(place), encode_intent(cancel_intent(2)),
                                    encode_intent(cancel_all_intent(3)),
                                    encode_done(2, JournalOutcome::acked, "C02__123")});
    // One record a line: the client id's space, '%' and line break are encoded.
    CHECK(std::count(text.begin(), text.end(), '\n') == 5);
    auto parsed = parse_journal(text);
    REQUIRE(parsed);
    CHECK(parsed->records == 4);
    CHECK(parsed->next_seq == 4);
    CHECK(parsed->torn_bytes == 0);
    REQUIRE(parsed->unresolved.size() == 2);
    const auto& p = parsed->unresolved[0];
    CHECK(p.seq == 1);
    CHECK(p.command == JournaledCommand::place);
    CHECK(p.journaled_ms == 1700000000123);
    CHECK(p.expires_ms == 1700000010123);
    CHECK(p.symbol == "BTCUSDT");
    CHECK(p.client_order_id == "odd id%\n\xc3\xa9");
    CHECK(p.order.client_order_id == "odd id%\n\xc3\xa9");
    CHECK(p.order.symbol == "BTCUSDT");
    CHECK(p.order.side == Side::sell);
    CHECK(p.order.type == OrderType::limit_maker);
    REQUIRE(p.order.price);
    CHECK(p.order.price->units() == 8427010);
    CHECK(p.order.price->scale() == 2);
    REQUIRE(p.order.quantity);
    CHECK(p.order.quantity->units() == 1000);
    CHECK(p.order.quantity->scale() == 6);
    CHECK_FALSE(p.order.quote_order_qty);
    CHECK(p.order.stp_mode == StpMode::cancel_both);
    const auto& all = parsed->unresolved[1];
    CHECK(all.seq == 3);
    CHECK(all.command == JournaledCommand::cancel_all);
    CHECK(all.symbol == "MXUSDT");
}

TEST_CASE("journal: a cancel keeps the order it named by exchange id and by client id",
          "[unit][journal]") {
    auto cancel = cancel_intent(7);
    cancel.client_order_id = "mine-1";
    auto parsed = parse_journal(journal_text({encode_intent(cancel)}));
    REQUIRE(parsed);
    REQUIRE(parsed->unresolved.size() == 1);
    CHECK(parsed->unresolved[0].order_id == "C02__123");
    CHECK(parsed->unresolved[0].client_order_id == "mine-1");
    CHECK(parsed->next_seq == 8);
}

TEST_CASE("journal: a record torn at any byte by a crash is ignored, the ones before it kept",
          "[unit][journal]") {
    const auto kept = encode_intent(place_intent(1, "kept"));
    const auto last = encode_intent(place_intent(2, "torn"));
    for (std::size_t cut = 0; cut < last.size(); ++cut) {
        INFO("cut after " << cut << " bytes");
        auto parsed = parse_journal(journal_text({kept, last.substr(0, cut)}));
        REQUIRE(parsed);
        REQUIRE(parsed->unresolved.size() == 1);
        CHECK(parsed->unresolved[0].client_order_id == "kept");
        CHECK(parsed->torn_bytes == cut);
    }
    // A torn end record leaves its intent unresolved: the next run asks the venue.
    const auto done = encode_done(1, JournalOutcome::acked, "C02__9");
    for (std::size_t cut = 0; cut < done.size(); ++cut) {
        auto parsed = parse_journal(journal_text({kept, done.substr(0, cut)}));
        REQUIRE(parsed);
        CHECK(parsed->unresolved.size() == 1);
    }
}

TEST_CASE("journal: a damaged last record is ignored, a damaged one before the last is refused",
          "[unit][journal]") {
    const auto first = encode_intent(place_intent(1, "a"));
    auto damaged = encode_intent(place_intent(2, "b"));
    damaged[12] ^= 0x01;  // a bit flipped: the CRC no longer matches
    const auto third = encode_intent(place_intent(3, "c"));
    auto tail = parse_journal(journal_text({first, damaged}));
    REQUIRE(tail);
    CHECK(tail->unresolved.size() == 1);
    CHECK(tail->torn_bytes == damaged.size());
    auto zeros = parse_journal(journal_text({first, std::string(40, '\0')}));  // power loss
    REQUIRE(zeros);
    CHECK(zeros->unresolved.size() == 1);
    auto middle = parse_journal(journal_text({first, damaged, third}));
    REQUIRE_FALSE(middle);
    CHECK(middle.error().code() == Errc::journal_failed);
    CHECK(middle.error().condition() == Condition::rejected);
}

TEST_CASE("journal: a file that is not a journal is refused, an empty one is a new journal",
          "[unit][journal]") {
    CHECK(parse_journal(""));
    CHECK(parse_journal(journal_header.substr(0, 5)));  // a header cut short
    auto other = parse_journal("api_key: mx0...\nsecret: ...\n");
    REQUIRE_FALSE(other);
    CHECK(other.error().code() == Errc::journal_failed);
}

TEST_CASE("journal: a file keeps unresolved intents across reopening and compacts to them",
          "[unit][journal]") {
    TempDir dir;
    const auto path = (dir.path / "orders.journal").string();
    {
        auto j = OrderJournal::open(path);
        REQUIRE(j);
        CHECK((*j)->take_recovered().empty());
        auto a = (*j)->append_intent(place_intent(0, "a"));
        auto b = (*j)->append_intent(place_intent(0, "b"));
        auto c = (*j)->append_intent(cancel_intent(0));
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(c);
        CHECK(*a == 1);
        CHECK(*b == 2);
        CHECK(*c == 3);
        REQUIRE((*j)->append_done(*a, JournalOutcome::acked, "C02__1"));
        REQUIRE((*j)->append_done(*c, JournalOutcome::rejected));
        CHECK((*j)->unresolved() == 1);
        CHECK(read_file(path).find("done 1 acked C02__1") != std::string::npos);
    }
    append_file(path, "intent 9 pla");  // a crash in the middle of a write
    {
        auto j = OrderJournal::open(path);
        REQUIRE(j);
        auto recovered = (*j)->take_recovered();
        REQUIRE(recovered.size() == 1);
        CHECK(recovered[0].seq == 2);
        CHECK(recovered[0].client_order_id == "b");
        // Compacted: the header and the one unresolved intent, nothing torn, nothing resolved.
        CHECK(read_file(path) == journal_text({encode_intent(recovered[0])}));
        auto next = (*j)->append_intent(place_intent(0, "d"));
        REQUIRE(next);
        CHECK(*next == 4);  // seqs go on above every seq the file held
    }
    CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("journal: a second exchange cannot open a journal in use", "[unit][journal]") {
    TempDir dir;
    const auto path = (dir.path / "orders.journal").string();
    auto first = OrderJournal::open(path);
    REQUIRE(first);
    auto second = OrderJournal::open(path);
    REQUIRE_FALSE(second);
    CHECK(second.error().code() == Errc::journal_failed);
    CHECK(second.error().venue_message().find("in use") != std::string_view::npos);
    first->reset();  // the lock goes with it
    CHECK(OrderJournal::open(path));
}

TEST_CASE("journal: a path that cannot hold a journal fails with journal_failed",
          "[unit][journal]") {
    TempDir dir;
    auto missing_dir = OrderJournal::open((dir.path / "no-such-dir" / "j").string());
    REQUIRE_FALSE(missing_dir);
    CHECK(missing_dir.error().code() == Errc::journal_failed);
    const auto foreign = dir.path / "config.yaml";
    append_file(foreign, "rest_url: https://api.mexc.com\n");
    auto not_journal = OrderJournal::open(foreign.string());
    REQUIRE_FALSE(not_journal);
    CHECK(read_file(foreign) == "rest_url: https://api.mexc.com\n");  // left untouched
}

TEST_CASE("journal: records hold order fields only, never a secret or a signed query",
          "[unit][journal][security]") {
    const auto text = encode_intent(place_intent(1, "id")) + encode_intent(cancel_intent(2)) +
                      encode_done(1, JournalOutcome::placed, "C02__5");
    for (const char* secret : {"signature", "timestamp=", "recvWindow", "listenKey", "apiKey"})
        CHECK(text.find(secret) == std::string::npos);
}

TEST_CASE("E10 I8 a placement not found is settled only once the venue can no longer take it",
          "[unit][journal][E10]") {
    const std::int64_t expires = 1'000'000;
    const auto margin = recovery_margin.count();
    OrderInfo found;
    found.status = OrderStatus::new_order;
    CHECK(judge_placement(Result<OrderInfo>(found), 0, expires) == PlacementVerdict::placed);
    CHECK(judge_placement(Result<OrderInfo>(found), expires * 2, expires) ==
          PlacementVerdict::placed);
    const Result<OrderInfo> missing = venue_error(-2013);
    CHECK(judge_placement(missing, expires - 5000, expires) == PlacementVerdict::ask_later);
    CHECK(judge_placement(missing, expires + margin, expires) == PlacementVerdict::ask_later);
    CHECK(judge_placement(missing, expires + margin + 1, expires) == PlacementVerdict::not_placed);
    CHECK(judge_placement(venue_error(22222), expires + margin + 1, expires) ==
          PlacementVerdict::not_placed);
    // Anything else proves nothing: the intent stays unresolved, the order is never resent.
    const Result<OrderInfo> down = Error(Condition::network, Errc::timeout);
    CHECK(judge_placement(down, expires + margin + 1, expires) == PlacementVerdict::unresolved);
    CHECK(judge_placement(venue_error(700003), expires + margin + 1, expires) ==
          PlacementVerdict::unresolved);
}
