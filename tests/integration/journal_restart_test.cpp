// Surviving a restart: a trading process killed in the middle of an order command leaves its
// intent in the command journal (Config::journal_path); an exchange started again on the journal
// resolves it by client order id before it sends anything new, so the crash ends neither in a
// duplicate nor in a forgotten order (FAULTS I1, I8, N07, C10). The process is a real one
// (tests/helpers/journal_child.cpp, started with posix_spawn, killed with SIGKILL); the sandbox,
// in this process, is the oracle.

#include "account/order_journal.hpp"
#include "client_config.hpp"
#include "fault_proxy.hpp"
#include "rest/private_calls.hpp"
#include "rest/transport.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

namespace {

// One run of mexc_journal_child: its stdin and stdout are pipes; SIGKILLed when not done.
class Child {
public:
    explicit Child(const std::vector<std::string>& args) {
        int in[2], out[2];
        REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        // The credentials travel in the environment, never in arguments (S13).
        std::vector<std::string> env_strings;
        for (char** e = environ; *e; ++e) {
            const std::string_view entry(*e);
            if (!entry.starts_with("MEXC_API_KEY=") && !entry.starts_with("MEXC_SECRET_KEY="))
                env_strings.emplace_back(entry);
        }
        env_strings.push_back("MEXC_API_KEY=" + mexc::sandbox::demo_api_key().key);
        env_strings.push_back("MEXC_SECRET_KEY=" + mexc::sandbox::demo_api_key().secret);
        std::vector<char*> envp;
        for (auto& e : env_strings) envp.push_back(e.data());
        envp.push_back(nullptr);
        const int spawned =
            ::posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        to_child_ = in[1];
        from_child_ = out[0];
        REQUIRE(spawned == 0);
        REQUIRE(::fcntl(from_child_, F_SETFL, O_NONBLOCK) == 0);
    }
    ~Child() {
        kill_now();
        ::close(to_child_);
        ::close(from_child_);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    /// Whether it has printed `text` so far.
    bool printed(std::string_view text) {
        char buf[512];
        for (;;) {
            const auto n = ::read(from_child_, buf, sizeof buf);
            if (n <= 0) break;
            out_.append(buf, static_cast<std::size_t>(n));
        }
        return out_.find(text) != std::string::npos;
    }
    void say(std::string_view line) {
        const std::string text = std::string(line) + "\n";
        REQUIRE(::write(to_child_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    }
    /// SIGKILL, then reaped: the process is gone, its journal lock released.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == 0) return true;
        pid_ = -1;  // ended (and reaped) on its own
        return false;
    }

private:
    pid_t pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
    std::string out_;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

mexc::OrderRequest resting_buy(std::string client_id) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.price = mexc::Price::parse("50000.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    o.client_order_id = std::move(client_id);
    return o;
}

// The `timestamp=` a logged request was signed with.
std::int64_t signed_timestamp(std::string_view request) {
    const auto at = request.find("timestamp=");
    if (at == std::string_view::npos) return 0;
    std::int64_t value = 0;
    const auto* first = request.data() + at + 10;
    std::from_chars(first, request.data() + request.size(), value);
    return value;
}

// A venue, a journal in a fresh directory, and the trading process that uses it.
struct Restart {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::filesystem::path dir;
    std::string journal;

    Restart() {
        REQUIRE(sandbox.start());
        std::string templ =
            (std::filesystem::temp_directory_path() / "mexc-restart-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        dir = templ;
        journal = (dir / "orders.journal").string();
    }
    ~Restart() {
        sandbox.stop();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    mexc::Config config(std::chrono::milliseconds recv_window) {
        auto c = mexc::sandbox::client_config(sandbox);
        c.journal_path = journal;
        c.recv_window = recv_window;
        return c;
    }

    /// Starts the process against `rest_url` and waits until it is warmed up.
    std::unique_ptr<Child> start(std::string mode, std::string rest_url, std::string client_id,
                                 std::chrono::milliseconds recv_window) {
        auto child = std::make_unique<Child>(std::vector<std::string>{
            MEXC_JOURNAL_CHILD, std::move(mode), std::move(rest_url), journal, std::move(client_id),
            std::to_string(recv_window.count())});
        run_until(ioc, [&] { return child->printed("ready\n") || !child->running(); });
        REQUIRE(child->printed("ready\n"));
        return child;
    }

    /// The journal's unresolved intent naming `client_id`, if any.
    std::optional<mexc::account::JournalIntent> intent_for(std::string_view client_id) {
        auto contents = mexc::account::parse_journal(read_file(journal));
        if (!contents) return std::nullopt;
        for (auto& intent : contents->unresolved)
            if (intent.client_order_id == client_id) return intent;
        return std::nullopt;
    }

    /// Orders of the demo account the venue holds with this client id, whatever their state.
    std::size_t venue_orders(std::string_view client_id) {
        std::size_t n = 0;
        for (const auto& o : sandbox.engine().all_orders(1, "BTCUSDT", 0, INT64_MAX, 1000))
            n += o.client_order_id == client_id ? 1 : 0;
        return n;
    }

    /// Positions in the venue's request log of the requests containing `text`.
    std::vector<std::size_t> requests_with(std::string_view method, std::string_view text) {
        std::vector<std::size_t> at;
        const auto& log = sandbox.recent_requests();
        for (std::size_t i = 0; i < log.size(); ++i)
            if (log[i].starts_with(method) && log[i].find(text) != std::string::npos)
                at.push_back(i);
        return at;
    }
};

}  // namespace

TEST_CASE(
    "N07 C10 a process killed while the venue held its order's answer finds the order once after "
    "the restart, before any new order is sent",
    "[integration][journal][N07][C10]") {
    Restart r;
    auto child = r.start("place", r.sandbox.rest_url(), "held-1", 5000ms);
    r.sandbox.faults().timeout_after_apply("POST /api/v3/order");
    child->say("go");
    // The order is on the venue, its answer held: the process dies before it knows the outcome.
    run_until(r.ioc, [&] { return r.venue_orders("held-1") == 1 && r.intent_for("held-1"); });
    child->kill_now();
    CHECK_FALSE(child->printed("acked"));
    r.sandbox.faults().clear_rest_faults();

    // S07: the journal holds order fields only.
    const auto text = read_file(r.journal);
    CHECK(text.find(mexc::sandbox::demo_api_key().key) == std::string::npos);
    CHECK(text.find(mexc::sandbox::demo_api_key().secret) == std::string::npos);
    CHECK(text.find("signature") == std::string::npos);

    mexc::MexcExchange exchange(r.ioc.get_executor(), r.config(5000ms));
    // The new order waits for the recovery, which finds the old one and does not resend it.
    auto next = run(r.ioc, exchange.place_order(resting_buy("held-2")));
    REQUIRE(next);
    auto recovered = run(r.ioc, exchange.recover());
    REQUIRE(recovered);
    REQUIRE(recovered->size() == 1);
    const auto& c = recovered->front();
    CHECK(c.command == mexc::JournaledCommand::place);
    CHECK(c.outcome == mexc::RecoveryOutcome::placed);
    REQUIRE(c.request);
    CHECK(c.request->client_order_id == "held-1");
    CHECK(c.request->price->units() == 5000000);
    REQUIRE(c.order);
    CHECK(c.order->client_order_id == "held-1");
    CHECK(c.order->status == mexc::OrderStatus::new_order);
    CHECK(c.journaled_ms > 0);
    CHECK(r.venue_orders("held-1") == 1);  // I8: exactly once
    CHECK(r.venue_orders("held-2") == 1);
    const auto query = r.requests_with("GET /api/v3/order?", "origClientOrderId=held-1&");
    const auto placed = r.requests_with("POST /api/v3/order?", "newClientOrderId=held-2&");
    REQUIRE(query.size() == 1);
    REQUIRE(placed.size() == 1);
    CHECK(query[0] < placed[0]);  // resolved before anything new was sent
    // Everything in the journal is resolved now.
    auto contents = mexc::account::parse_journal(read_file(r.journal));
    REQUIRE(contents);
    CHECK(contents->unresolved.empty());
    run(r.ioc, exchange.close());
}

TEST_CASE(
    "N02 an order journaled but lost on the way before a crash is not placed, settled only once "
    "the venue could no longer take it",
    "[integration][journal][N02]") {
    Restart r;
    mexc::sandbox::FaultProxy proxy(r.ioc.get_executor(), "127.0.0.1", r.sandbox.port());
    REQUIRE(proxy.start());
    auto child = r.start("place", proxy.url(), "lost-1", 1000ms);
    proxy.set_blackhole(true);  // nothing the process sends arrives any more
    child->say("go");
    run_until(r.ioc, [&] { return r.intent_for("lost-1").has_value(); });
    child->kill_now();
    const auto expires = r.intent_for("lost-1")->expires_ms;

    mexc::MexcExchange exchange(r.ioc.get_executor(), r.config(1000ms));
    auto recovered = run(r.ioc, exchange.recover());
    REQUIRE(recovered);
    REQUIRE(recovered->size() == 1);
    const auto& c = recovered->front();
    CHECK(c.outcome == mexc::RecoveryOutcome::not_placed);
    REQUIRE(c.request);
    CHECK(c.request->client_order_id == "lost-1");
    CHECK_FALSE(c.order);
    CHECK(r.venue_orders("lost-1") == 0);
    // The query that settled it was signed after the bound the journal recorded.
    const auto queries = r.requests_with("GET /api/v3/order?", "origClientOrderId=lost-1&");
    REQUIRE_FALSE(queries.empty());
    const auto settled_at = signed_timestamp(r.sandbox.recent_requests()[queries.back()]);
    CHECK(settled_at > expires + mexc::account::recovery_margin.count());
    // Trading goes on.
    REQUIRE(run(r.ioc, exchange.place_order(resting_buy("lost-2"))));
    CHECK(r.venue_orders("lost-2") == 1);
    run(r.ioc, exchange.close());
}

TEST_CASE(
    "C10 N13 an order still on its way at the crash lands after the restart and recovery waits out "
    "its recvWindow to report it placed once",
    "[integration][journal][C10][N13]") {
    Restart r;
    auto child = r.start("place", r.sandbox.rest_url(), "late-1", 5000ms);
    // Received, then held 2.5 s before the venue takes it (inside its 5 s recvWindow).
    r.sandbox.faults().delay_then_apply("POST /api/v3/order", 2500ms);
    child->say("go");
    run_until(r.ioc, [&] {
        return r.sandbox.faults().stats().rest_faults_applied == 1 && r.intent_for("late-1");
    });
    child->kill_now();
    REQUIRE(r.venue_orders("late-1") == 0);  // not landed yet

    mexc::MexcExchange exchange(r.ioc.get_executor(), r.config(5000ms));
    auto recovered = run(r.ioc, exchange.recover());
    REQUIRE(recovered);
    REQUIRE(recovered->size() == 1);
    CHECK(recovered->front().outcome == mexc::RecoveryOutcome::placed);
    REQUIRE(recovered->front().order);
    CHECK(recovered->front().order->client_order_id == "late-1");
    CHECK(r.venue_orders("late-1") == 1);  // I8
    // The first query found nothing; the order landed while the recovery waited; a later query
    // found it. Settling at the first "not found" would have reported it not placed.
    const auto queries = r.requests_with("GET /api/v3/order?", "origClientOrderId=late-1&");
    const auto landed = r.requests_with("POST /api/v3/order?", "newClientOrderId=late-1&");
    REQUIRE(queries.size() >= 2);
    REQUIRE(landed.size() == 1);
    CHECK(queries.front() < landed[0]);
    CHECK(landed[0] < queries.back());
    run(r.ioc, exchange.close());
}

TEST_CASE(
    "N07 a cancel whose answer the venue held at the crash is reported with the order cancelled "
    "once the cancel could no longer land",
    "[integration][journal][N07]") {
    Restart r;
    auto child = r.start("cancel", r.sandbox.rest_url(), "cxl-1", 1000ms);
    REQUIRE(r.venue_orders("cxl-1") == 1);
    r.sandbox.faults().timeout_after_apply("DELETE /api/v3/order");
    child->say("go");
    run_until(r.ioc, [&] {
        return r.sandbox.engine().open_orders(1, "BTCUSDT").empty() && r.intent_for("cxl-1");
    });
    child->kill_now();
    r.sandbox.faults().clear_rest_faults();

    mexc::MexcExchange exchange(r.ioc.get_executor(), r.config(1000ms));
    auto recovered = run(r.ioc, exchange.recover());
    REQUIRE(recovered);
    REQUIRE(recovered->size() == 1);
    const auto& c = recovered->front();
    CHECK(c.command == mexc::JournaledCommand::cancel);
    CHECK(c.outcome == mexc::RecoveryOutcome::found);
    CHECK(c.cancel_client_order_id == "cxl-1");
    REQUIRE(c.order);
    CHECK(c.order->status == mexc::OrderStatus::canceled);
    CHECK(r.venue_orders("cxl-1") == 1);
    run(r.ioc, exchange.close());
}

TEST_CASE(
    "E12 a recovery whose query fails keeps the intent and refuses new orders with its "
    "error until it succeeds",
    "[integration][journal][E12]") {
    Restart r;
    {
        auto child = r.start("place", r.sandbox.rest_url(), "wait-1", 1000ms);
        r.sandbox.faults().timeout_after_apply("POST /api/v3/order");
        child->say("go");
        run_until(r.ioc, [&] { return r.venue_orders("wait-1") == 1 && r.intent_for("wait-1"); });
        child->kill_now();
        r.sandbox.faults().clear_rest_faults();
    }
    auto c = r.config(1000ms);
    c.timeouts.request = 300ms;
    c.rest.orders.read_retries = 0;
    mexc::MexcExchange exchange(r.ioc.get_executor(), std::move(c));
    REQUIRE(run(r.ioc, exchange.rules("BTCUSDT")));
    r.sandbox.faults().respond_instead("GET /api/v3/order", 503, R"({"code":503,"msg":"busy"})");
    auto refused = run(r.ioc, exchange.place_order(resting_buy("wait-2")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().condition() == mexc::Condition::network);
    CHECK(r.venue_orders("wait-2") == 0);  // nothing new was sent
    CHECK(r.intent_for("wait-1"));         // still unresolved, never resent
    CHECK(r.venue_orders("wait-1") == 1);
    r.sandbox.faults().clear_rest_faults();
    REQUIRE(run(r.ioc, exchange.place_order(resting_buy("wait-2"))));
    CHECK(r.venue_orders("wait-2") == 1);
    auto recovered = run(r.ioc, exchange.recover());
    REQUIRE(recovered);
    REQUIRE(recovered->size() == 1);
    CHECK(recovered->front().outcome == mexc::RecoveryOutcome::placed);
    run(r.ioc, exchange.close());
}

TEST_CASE("journal: a command that cannot be signed within its journaled bound is not sent",
          "[integration][journal]") {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    REQUIRE(sandbox.start());
    auto config = mexc::sandbox::client_config(sandbox);
    mexc::rest::Transport transport(ioc.get_executor(), config);
    REQUIRE(run(ioc, transport.sync_clock(3)));
    const auto past = transport.stamp_now() - 1;
    auto late = run(ioc, mexc::rest::send_new_order(transport, resting_buy("bound-1"), past));
    REQUIRE_FALSE(late);
    CHECK(late.error().condition() == mexc::Condition::network);  // not sent: safe to retry
    CHECK(sandbox.engine().open_orders(1, "BTCUSDT").empty());
    auto in_time = run(ioc, mexc::rest::send_new_order(transport, resting_buy("bound-2"),
                                                       transport.stamp_now() + 5000));
    REQUIRE(in_time);
    CHECK(sandbox.engine().open_orders(1, "BTCUSDT").size() == 1);
    transport.close();
    sandbox.stop();
}

TEST_CASE("journal: a second exchange on a journal in use is refused at construction",
          "[integration][journal]") {
    Restart r;
    mexc::MexcExchange first(r.ioc.get_executor(), r.config(5000ms));
    try {
        mexc::MexcExchange second(r.ioc.get_executor(), r.config(5000ms));
        FAIL("a second exchange opened the journal");
    } catch (const mexc::Exception& e) {
        CHECK(e.error().code() == mexc::Errc::journal_failed);
    }
    run(r.ioc, first.close());
}
