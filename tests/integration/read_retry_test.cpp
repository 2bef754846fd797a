// Reads are retried, bounded, with jittered backoff, and wait out a Retry-After the venue sends;
// commands never are (FAULTS §1.2, E12). Against the sandbox, whose log shows every attempt.

#include "rest/read_retry.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>

namespace asio = boost::asio;
using mexc::testing::run;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct Market {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::optional<mexc::rest::PublicRest> rest;
    Market() {
        REQUIRE(sandbox.start());
        mexc::Config c;
        c.rest_url = sandbox.rest_url();
        rest.emplace(ioc.get_executor(), c);
    }
    ~Market() { sandbox.stop(); }

    /// Ping attempts that reached the venue: those it answered (its log) and those a fault rule
    /// answered instead (every rule of these tests is on the ping).
    std::size_t pings_seen() {
        const auto& log = sandbox.recent_requests();
        return static_cast<std::size_t>(std::count(log.begin(), log.end(), "GET /api/v3/ping")) +
               static_cast<std::size_t>(sandbox.faults().stats().rest_faults_applied);
    }
};

}  // namespace

TEST_CASE("E12 a read answered 503 is retried and succeeds, the retries are bounded",
          "[integration][rest][retry]") {
    Market m;
    m.sandbox.faults().respond_instead("GET /api/v3/ping", 503, "busy").times(2);
    CHECK(run(m.ioc, m.rest->ping()));
    CHECK(m.pings_seen() == 3);  // two 503s, then the answer

    m.sandbox.faults().respond_instead("GET /api/v3/ping", 503, "busy");  // every time
    auto failed = run(m.ioc, m.rest->ping());
    m.sandbox.faults().clear_rest_faults();
    REQUIRE_FALSE(failed);
    CHECK(failed.error().condition() == mexc::Condition::network);
    CHECK(failed.error().http_status() == 503);
    CHECK(m.pings_seen() == 3 + mexc::rest::ReadRetry::max_attempts);
}

TEST_CASE("E12 a Retry-After on a 503 is waited out before the retry, a long one ends the call",
          "[integration][rest][retry]") {
    Market m;
    m.sandbox.faults()
        .respond_instead("GET /api/v3/ping", 503, "busy", {{"Retry-After", "1"}})
        .times(1);
    const auto start = Clock::now();
    CHECK(run(m.ioc, m.rest->ping()));
    CHECK(Clock::now() - start >= 1s);
    CHECK(m.pings_seen() == 2);

    m.sandbox.faults()
        .respond_instead("GET /api/v3/ping", 503, "busy", {{"Retry-After", "30"}})
        .times(1);
    auto long_wait = run(m.ioc, m.rest->ping());
    REQUIRE_FALSE(long_wait);
    CHECK(long_wait.error().retry_after() == 30s);  // the caller decides; nothing was retried
    CHECK(m.pings_seen() == 3);
}

TEST_CASE("a 4xx refusal of a read is not retried", "[integration][rest][retry]") {
    Market m;
    m.sandbox.faults()
        .respond_instead("GET /api/v3/ping", 400, R"({"code":700007,"msg":"No permission"})")
        .times(1);
    REQUIRE_FALSE(run(m.ioc, m.rest->ping()));
    CHECK(m.pings_seen() == 1);
}
