// Configuration (include/mexc/config.hpp): YAML keys, validation (E03, S03), environment
// overrides, and secret handling (S06).

#include "mexc/config.hpp"

#include "support/alloc_counter.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <unistd.h>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <type_traits>

using namespace mexc;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view full_yaml = R"(
rest_url: https://127.0.0.1:8443
ws_url: wss://127.0.0.1:8444/ws
recv_window_ms: 6000
depth_interval: 10ms
snapshot_limit: 1000
ws_topics_per_connection: 25
ws_messages_per_second: 40
ws_connects_per_second: 3
ws_rotate_after_ms: 3600000
ping_interval_ms: 25000
stale_after_ms: 15000
reconnect_min_ms: 200
reconnect_max_ms: 30000
ws_max_message_bytes: 1048576
http_max_body_bytes: 2097152
timeouts:
  connect_ms: 1000
  request_ms: 2000
  ws_handshake_ms: 3000
  ws_idle_ms: 4000
  close_ms: 500
  subscribe_ms: 6000
tls:
  ca_file: /etc/mexc/test-ca.pem
  insecure_skip_verify_loopback_only: true
book:
  max_levels_per_side: 500
  max_buffered_frames: 64
credentials:
  api_key: mx0aBYs33eIilxBWC5
  secret_key: 45d0b3c26f2644f19bfb98b07741b2f5
)";

template <class T>
std::string streamed(const T& value) {
    std::ostringstream os;
    os << value;
    return os.str();
}

/// Sets environment variables for one scope and restores them.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old, had_ = true;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (had_)
            ::setenv(name_, old_.c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char* name_;
    std::string old_;
    bool had_ = false;
};

template <class T, class = void>
struct is_streamable : std::false_type {};
template <class T>
struct is_streamable<
    T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

}  // namespace

TEST_CASE("config: every YAML key is parsed", "[unit][config]") {
    auto c = parse_config(full_yaml);
    REQUIRE(c);
    CHECK(c->rest_url == "https://127.0.0.1:8443");
    CHECK(c->ws_url == "wss://127.0.0.1:8444/ws");
    CHECK(c->recv_window == 6000ms);
    CHECK(c->depth_interval == "10ms");
    CHECK(c->snapshot_limit == 1000);
    CHECK(c->ws_topics_per_connection == 25);
    CHECK(c->ws_messages_per_second == 40);
    CHECK(c->ws_connects_per_second == 3);
    CHECK(c->ws_rotate_after == 3600000ms);
    CHECK(c->ping_interval == 25000ms);
    CHECK(c->stale_after == 15000ms);
    CHECK(c->reconnect_min == 200ms);
    CHECK(c->reconnect_max == 30000ms);
    CHECK(c->ws_max_message == 1048576);
    CHECK(c->http_max_body == 2097152);
    CHECK(c->timeouts.connect == 1000ms);
    CHECK(c->timeouts.request == 2000ms);
    CHECK(c->timeouts.ws_handshake == 3000ms);
    CHECK(c->timeouts.ws_idle == 4000ms);
    CHECK(c->timeouts.close == 500ms);
    CHECK(c->timeouts.subscribe == 6000ms);
    CHECK(c->tls.ca_file == "/etc/mexc/test-ca.pem");
    CHECK(c->tls.insecure_skip_verify_loopback_only);
    CHECK(c->book.max_levels_per_side == 500);
    CHECK(c->book.max_buffered_frames == 64);
    REQUIRE(c->credentials);
    CHECK(c->credentials->api_key == "mx0aBYs33eIilxBWC5");
    CHECK(c->credentials->secret_key.reveal() == "45d0b3c26f2644f19bfb98b07741b2f5");
    CHECK(validate(*c));

    // clone() copies everything including the secret.
    const Config copy = c->clone();
    CHECK(copy.rest_url == c->rest_url);
    CHECK(copy.timeouts.subscribe == 6000ms);
    CHECK(copy.book.max_buffered_frames == 64);
    CHECK(copy.ws_topics_per_connection == 25);
    CHECK(copy.ws_messages_per_second == 40);
    CHECK(copy.ws_connects_per_second == 3);
    CHECK(copy.ws_rotate_after == 3600000ms);
    REQUIRE(copy.credentials);
    CHECK(copy.credentials->secret_key.reveal() == c->credentials->secret_key.reveal());
}

TEST_CASE("config: an empty document gives the defaults, which are valid", "[unit][config]") {
    auto c = parse_config("");
    REQUIRE(c);
    CHECK(c->rest_url == "https://api.mexc.com");
    CHECK(c->ws_url == "wss://wbs-api.mexc.com/ws");
    CHECK(c->recv_window == 5000ms);
    CHECK(c->depth_interval == "100ms");
    CHECK(c->snapshot_limit == 5000);
    CHECK_FALSE(c->credentials);
    CHECK(validate(*c));
}

TEST_CASE("config: malformed YAML and mistyped values are config_invalid", "[unit][config]") {
    for (const char* yaml : {"recv_window_ms: [1, 2]", "snapshot_limit: lots", "- a\n- b",
                             "tls: {insecure_skip_verify_loopback_only: maybe}", "rest_url: [",
                             "book:\n  max_levels_per_side: -x"}) {
        INFO(yaml);
        auto c = parse_config(yaml);
        REQUIRE_FALSE(c);
        CHECK(c.error().code() == Errc::config_invalid);
        CHECK(c.error().condition() == Condition::rejected);
    }
}

TEST_CASE("config: REST timeouts and read retries per endpoint family", "[unit][config]") {
    auto defaults = parse_config("timeouts: {request_ms: 4000}");
    REQUIRE(defaults);
    // No `rest` section: every family uses timeouts.request (0) and two read retries.
    for (const auto* f : {&defaults->rest.market_data, &defaults->rest.account,
                          &defaults->rest.orders, &defaults->rest.user_data_stream}) {
        CHECK(f->timeout == 0ms);
        CHECK(f->read_retries == 2);
    }
    CHECK(defaults->timeouts.request == 4000ms);

    auto c = parse_config(R"(
rest:
  market_data: {timeout_ms: 15000, read_retries: 4}
  account: {timeout_ms: 8000}
  orders: {timeout_ms: 1500, read_retries: 0}
  user_data_stream: {read_retries: 1}
)");
    REQUIRE(c);
    CHECK(c->rest.market_data.timeout == 15000ms);
    CHECK(c->rest.market_data.read_retries == 4);
    CHECK(c->rest.account.timeout == 8000ms);
    CHECK(c->rest.account.read_retries == 2);
    CHECK(c->rest.orders.timeout == 1500ms);
    CHECK(c->rest.orders.read_retries == 0);
    CHECK(c->rest.user_data_stream.timeout == 0ms);
    CHECK(c->rest.user_data_stream.read_retries == 1);
    CHECK(validate(*c));
    const Config copy = c->clone();
    CHECK(copy.rest.orders.timeout == 1500ms);
    CHECK(copy.rest.market_data.read_retries == 4);

    for (const char* bad :
         {"rest: {orders: {timeout_ms: -1}}", "rest: {account: {read_retries: -1}}",
          "rest: {market_data: {read_retries: 11}}"}) {
        INFO(bad);
        auto parsed = parse_config(bad);
        REQUIRE(parsed);
        auto valid = validate(*parsed);
        REQUIRE_FALSE(valid);
        CHECK(valid.error().code() == Errc::config_invalid);
    }
    CHECK_FALSE(parse_config("rest: {orders: {timeout_ms: soon}}"));
}

TEST_CASE("E03 recv_window above 60000 ms is refused locally", "[unit][config][E03][S11]") {
    Config c;
    c.recv_window = 60001ms;
    auto r = validate(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::config_invalid);
    c.recv_window = 60000ms;
    CHECK(validate(c));
    c.recv_window = 0ms;
    CHECK_FALSE(validate(c));
    auto parsed = parse_config("recv_window_ms: 70000");
    REQUIRE(parsed);
    CHECK_FALSE(validate(*parsed));
}

TEST_CASE("config: other ranges are validated", "[unit][config]") {
    {
        Config c;
        c.depth_interval = "1s";
        CHECK_FALSE(validate(c));
    }
    {
        Config c;
        c.snapshot_limit = 5001;
        CHECK_FALSE(validate(c));
    }
    {
        Config c;
        c.rest_url = "ftp://api.mexc.com";
        CHECK_FALSE(validate(c));
    }
    {
        Config c;  // SPEC §6.2: the venue serves 30 topics and 100 messages a second
        CHECK(c.ws_topics_per_connection == 20);
        c.ws_topics_per_connection = 31;
        CHECK_FALSE(validate(c));
        c.ws_topics_per_connection = 30;
        CHECK(validate(c));
        c.ws_messages_per_second = 101;
        CHECK_FALSE(validate(c));
        c.ws_messages_per_second = 100;
        c.ws_connects_per_second = 0;
        CHECK_FALSE(validate(c));
    }
    {
        Config c;
        c.credentials.emplace("key-without-secret", SecretString());
        CHECK_FALSE(validate(c));
    }
}

TEST_CASE("config: journal_path is parsed, cloned and must name a file",
          "[unit][config][journal]") {
    auto c = parse_config("journal_path: /var/lib/bot/orders.journal\n");
    REQUIRE(c);
    CHECK(c->journal_path == "/var/lib/bot/orders.journal");
    CHECK(validate(*c));
    CHECK(c->clone().journal_path == "/var/lib/bot/orders.journal");
    CHECK(parse_config("")->journal_path.empty());  // off by default
    for (std::string bad : {std::string("/var/lib/bot/"), std::string("orders\njournal"),
                            std::string("a\0b", 3), std::string(4001, 'j')}) {
        Config invalid;
        invalid.journal_path = bad;
        auto refused = validate(invalid);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code() == Errc::config_invalid);
    }
}

TEST_CASE("S03 insecure TLS is refused for api.mexc.com and allowed for loopback",
          "[unit][config][security][S03]") {
    Config remote;
    remote.tls.insecure_skip_verify_loopback_only = true;
    auto r = validate(remote);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == Errc::insecure_tls_refused);

    Config mixed;
    mixed.tls.insecure_skip_verify_loopback_only = true;
    mixed.rest_url = "https://127.0.0.1:8443";  // ws_url still wbs-api.mexc.com
    CHECK_FALSE(validate(mixed));

    Config loopback;
    loopback.tls.insecure_skip_verify_loopback_only = true;
    loopback.rest_url = "https://127.0.0.1:8443";
    loopback.ws_url = "wss://127.0.0.1:8444/ws";
    CHECK(validate(loopback));

    // The same YAML against the real host is refused by load_config too.
    auto parsed = parse_config("tls:\n  insecure_skip_verify_loopback_only: true\n");
    REQUIRE(parsed);
    auto v = validate(*parsed);
    REQUIRE_FALSE(v);
    CHECK(v.error().code() == Errc::insecure_tls_refused);
}

TEST_CASE("config: MEXC_API_KEY and MEXC_SECRET_KEY override the configured credentials",
          "[unit][config]") {
    auto c = parse_config(full_yaml);
    REQUIRE(c);
    {
        ScopedEnv key("MEXC_API_KEY", "envTestKey0000001234");
        ScopedEnv secret("MEXC_SECRET_KEY", "env-secret-value");
        apply_environment(*c);
    }
    REQUIRE(c->credentials);
    CHECK(c->credentials->api_key == "envTestKey0000001234");
    CHECK(c->credentials->secret_key.reveal() == "env-secret-value");

    // Only one of the two set: nothing changes.
    auto d = parse_config(full_yaml);
    REQUIRE(d);
    {
        ScopedEnv key("MEXC_API_KEY", "mx0vONLYKEY");
        ScopedEnv secret("MEXC_SECRET_KEY", nullptr);
        apply_environment(*d);
    }
    CHECK(d->credentials->api_key == "mx0aBYs33eIilxBWC5");
}

TEST_CASE("config: load_config reads the file, applies the environment and validates",
          "[unit][config]") {
    char path[] = "/tmp/mexc_config_test_XXXXXX";
    const int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    {
        std::ofstream out(path);
        out << full_yaml;
    }
    {
        ScopedEnv key("MEXC_API_KEY", "envTestKey99998888");
        ScopedEnv secret("MEXC_SECRET_KEY", "s3cr3t");
        auto c = load_config(path);
        REQUIRE(c);
        CHECK(c->credentials->api_key == "envTestKey99998888");
        CHECK(c->recv_window == 6000ms);
    }
    {
        std::ofstream out(path);
        out << "recv_window_ms: 60001\n";
    }
    auto bad = load_config(path);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code() == Errc::config_invalid);
    ::unlink(path);
    auto missing = load_config("/nonexistent/mexc.yaml");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::config_invalid);
}

TEST_CASE("S06 Credentials and SecretString print redacted, the key masked to first and last four",
          "[unit][config][security][S06]") {
    const Credentials c{"mx0aBYs33eIilxBWC5",
                        SecretString(std::string("45d0b3c26f2644f19bfb98b07741b2f5"))};
    CHECK(c.masked_key() == "mx0a…BWC5");
    const std::string printed = streamed(c);
    CHECK(printed.find("45d0b3c26f2644f19bfb98b07741b2f5") == std::string::npos);
    CHECK(printed.find("mx0aBYs33eIilxBWC5") == std::string::npos);
    CHECK(printed.find("mx0a…BWC5") != std::string::npos);
    CHECK(printed.find("<redacted>") != std::string::npos);
    CHECK(streamed(c.secret_key) == "<redacted>");

    // Short keys reveal nothing.
    const Credentials short_key{"abcdefgh", SecretString(std::string("x"))};
    CHECK(short_key.masked_key().find("abcd") == std::string::npos);

    // A secret is not copyable.
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<SecretString>);
    STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<SecretString>);
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<Credentials>);
    STATIC_REQUIRE(is_streamable<SecretString>::value);  // only through the redacting operator<<
}

TEST_CASE("S06 a moved-from SecretString is empty and keeps no byte of the secret",
          "[unit][config][security][S06]") {
    // Short enough to live inside the std::string object (small-string buffer).
    const std::string text = "Zq7#Kp2!";
    SecretString a{std::string(text)};
    SecretString b(std::move(a));
    CHECK(a.empty());
    CHECK(a.reveal().empty());
    CHECK(b.reveal() == text);
    // Scan the moved-from object's own bytes for any 4-byte run of the secret.
    const auto* raw = reinterpret_cast<const unsigned char*>(&a);
    const std::string repr(reinterpret_cast<const char*>(raw), sizeof a);
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
        INFO("run " << text.substr(i, 4));
        CHECK(repr.find(text.substr(i, 4)) == std::string::npos);
    }

    SecretString c{std::string("another-secret-value-long-enough-for-the-heap")};
    c = std::move(b);
    CHECK(b.empty());
    CHECK(c.reveal() == text);
    const std::string repr_b(reinterpret_cast<const char*>(&b), sizeof b);
    for (std::size_t i = 0; i + 4 <= text.size(); ++i)
        CHECK(repr_b.find(text.substr(i, 4)) == std::string::npos);

    c.wipe();
    CHECK(c.empty());
}

TEST_CASE("S06 a destroyed or reassigned SecretString leaves its heap buffer zeroed",
          "[unit][config][security][S06]") {
    const std::string canary = "CANARY-9f8e7d6c5b4a-SECRET-0123456789";  // heap-allocated
    {
        // Positive control: a plain std::string leaves the canary in freed memory.
        mexc::testing::FreedMemoryScanner scan(canary);
        { std::string plain = std::string(canary); }
        CHECK(scan.hits() == 1);
    }
    {
        mexc::testing::FreedMemoryScanner scan(canary);
        { SecretString s{std::string(canary)}; }
        CHECK(scan.hits() == 0);
    }
    {
        mexc::testing::FreedMemoryScanner scan(canary);
        SecretString s{std::string(canary)};
        s = SecretString(std::string("replacement"));
        CHECK(scan.hits() == 0);
    }
    {
        mexc::testing::FreedMemoryScanner scan(canary);
        { Credentials cred{"mx0aBYs33eIilxBWC5", SecretString(std::string(canary))}; }
        CHECK(scan.hits() == 0);
    }
}

TEST_CASE("E08 refuse_when_spot_trading_not_allowed is off by default, parsed and cloned",
          "[unit][config]") {
    auto defaults = parse_config("");
    REQUIRE(defaults);
    CHECK_FALSE(defaults->refuse_when_spot_trading_not_allowed);
    auto on = parse_config("refuse_when_spot_trading_not_allowed: true\n");
    REQUIRE(on);
    CHECK(on->refuse_when_spot_trading_not_allowed);
    CHECK(on->clone().refuse_when_spot_trading_not_allowed);
    CHECK_FALSE(parse_config("refuse_when_spot_trading_not_allowed: maybe\n"));
}

TEST_CASE("session, order cache and book check keys: defaults, parsed, cloned and validated",
          "[unit][config]") {
    auto defaults = parse_config("");
    REQUIRE(defaults);
    CHECK(defaults->completed_orders == 1000);
    CHECK_FALSE(defaults->cancel_orders_on_close);
    CHECK(defaults->frozen_side_after == 3000ms);
    CHECK(defaults->book_check_interval == 0ms);  // off
    CHECK(defaults->book_check_levels == 20);

    auto set = parse_config(
        "completed_orders: 16\ncancel_orders_on_close: true\nfrozen_side_after_ms: 0\n"
        "book_check_interval_ms: 60000\nbook_check_levels: 50\n");
    REQUIRE(set);
    const auto copy = set->clone();
    for (const Config* c : {static_cast<const Config*>(&*set), &copy}) {
        CHECK(c->completed_orders == 16);
        CHECK(c->cancel_orders_on_close);
        CHECK(c->frozen_side_after == 0ms);
        CHECK(c->book_check_interval == 60000ms);
        CHECK(c->book_check_levels == 50);
        CHECK(validate(*c));
    }

    for (const char* bad :
         {"completed_orders: 0\n", "frozen_side_after_ms: -1\n", "book_check_interval_ms: -5\n",
          "book_check_levels: 0\n", "book_check_levels: 51\n"}) {
        CAPTURE(bad);
        auto c = parse_config(bad);
        REQUIRE(c);
        auto valid = validate(*c);
        REQUIRE_FALSE(valid);
        CHECK(valid.error().code() == Errc::config_invalid);
    }
}
