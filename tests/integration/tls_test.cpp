// TLS over real sockets: verification (S01, S02), SNI (S02), the TLS 1.2 floor (S04), and stalled
// or silent peers (N02, N03). Certificates are made by the test with OpenSSL.

#include "net/tls.hpp"
#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/public_rest.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using mexc::testing::run;
using mexc::testing::run_until;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr auto tuple_token = asio::as_tuple(asio::deferred);

struct TlsSandbox {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;

    explicit TlsSandbox(mexc::sandbox::CertifiedKey cert,
                        std::optional<int> max_version = std::nullopt)
        : sandbox(ioc.get_executor(), [&] {
              mexc::sandbox::SandboxOptions o;
              o.tls = std::move(cert);
              o.tls_max_version = max_version;
              return o;
          }()) {
        REQUIRE(sandbox.start());
    }
    ~TlsSandbox() { sandbox.stop(); }

    mexc::Result<void> ping(const std::string& host, const std::string& ca_file) {
        mexc::Config c;
        c.rest_url = "https://" + host + ":" + std::to_string(sandbox.port());
        c.tls.ca_file = ca_file;
        mexc::rest::PublicRest rest(ioc.get_executor(), c);
        return run(ioc, rest.ping());
    }
};

std::string write_temp(const std::string& pem) {
    char name[] = "/tmp/mexc-test-ca-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(name) << pem;
    return name;
}

// A peer on loopback that accepts one connection, reads what the client sends first (for TLS,
// its ClientHello), optionally answers `reply`, and then falls silent with the socket open. It
// notes when the client closes its end: a client that gave up must not leak the socket.
class SilentPeer {
public:
    struct State {
        std::size_t first_read = 0;
        unsigned char first_byte = 0;
        bool closed_by_client = false;
    };

    SilentPeer(asio::io_context& ioc, std::string reply = {})
        : acceptor_(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          state_(std::make_shared<State>()) {
        // The coroutine owns the state and the socket, so it may outlive this object safely.
        asio::co_spawn(ioc, serve(acceptor_, state_, std::move(reply)), asio::detached);
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    const State& state() const { return *state_; }

private:
    static asio::awaitable<void> serve(tcp::acceptor& acceptor, std::shared_ptr<State> state,
                                       std::string reply) {
        auto [aec, socket] = co_await acceptor.async_accept(tuple_token);
        if (aec) co_return;
        std::array<unsigned char, 4096> buf{};
        auto [rec, n] = co_await socket.async_read_some(asio::buffer(buf), tuple_token);
        if (rec) co_return;
        state->first_read = n;
        state->first_byte = buf[0];
        if (!reply.empty()) {
            auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(reply), tuple_token);
            if (wec) co_return;
        }
        for (;;) {  // silent from here on; anything more the client sends is swallowed
            auto [ec, m] = co_await socket.async_read_some(asio::buffer(buf), tuple_token);
            if (ec) {
                state->closed_by_client =
                    ec == asio::error::eof || ec == asio::error::connection_reset;
                co_return;
            }
        }
    }

    tcp::acceptor acceptor_;
    std::shared_ptr<State> state_;
};

constexpr unsigned char tls_handshake_record = 0x16;

// The start of a ServerHello record that announces 64 bytes and delivers 4: the handshake stalls
// after the server has begun to answer.
std::string partial_server_hello() {
    return std::string("\x16\x03\x03\x00\x40\x02\x00\x00\x3c", 9);
}

// A TLS handshake with the sandbox by a client that allows only `version` and checks nothing:
// the negotiated version, or 0 when the handshake failed.
int legacy_handshake(TlsSandbox& s, int version) {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), version);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), version);
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    ctx.set_verify_mode(asio::ssl::verify_none);
    return run(s.ioc,
               [](asio::io_context& ioc, asio::ssl::context& c,
                  std::uint16_t port) -> asio::awaitable<int> {
                   asio::ssl::stream<tcp::socket> stream(ioc, c);
                   const tcp::endpoint to(asio::ip::make_address("127.0.0.1"), port);
                   auto [cec] = co_await stream.next_layer().async_connect(to, tuple_token);
                   if (cec) co_return 0;
                   auto [hec] = co_await stream.async_handshake(
                       asio::ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
                   if (hec) co_return 0;
                   const int negotiated = SSL_version(stream.native_handle());
                   boost::system::error_code ignored;
                   stream.next_layer().close(ignored);
                   co_return negotiated;
               }(s.ioc, ctx, s.sandbox.port()));
}

}  // namespace

TEST_CASE("S01 a self-signed certificate is refused by default", "[integration][tls][S01]") {
    TlsSandbox s(mexc::sandbox::self_signed({"localhost", "127.0.0.1"}));
    auto r = s.ping("127.0.0.1", "");
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    CHECK(r.error().code().category().name() != std::string("mexc"));  // the TLS layer's own cause
}

TEST_CASE(
    "S01 a certificate from an unknown CA is refused, the same CA passed explicitly is accepted",
    "[integration][tls][S01][S02]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}));
    CHECK_FALSE(s.ping("127.0.0.1", ""));
    const auto ca_file = write_temp(ca.certificate_pem());
    CHECK(s.ping("127.0.0.1", ca_file));
    CHECK(s.ping("localhost", ca_file));
    std::remove(ca_file.c_str());
}

TEST_CASE("S02 a trusted certificate for another host name is refused", "[integration][tls][S02]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"other.test"}));
    const auto ca_file = write_temp(ca.certificate_pem());
    auto r = s.ping("127.0.0.1", ca_file);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    std::remove(ca_file.c_str());
}

TEST_CASE("S01 the WebSocket connection verifies the peer too", "[integration][tls][S01]") {
    TlsSandbox s(mexc::sandbox::self_signed({"localhost", "127.0.0.1"}));
    auto url = mexc::net::parse_url(s.sandbox.ws_url());
    REQUIRE(url);
    auto ctx = mexc::net::make_client_tls_context({});
    REQUIRE(ctx);
    auto r = run(s.ioc, mexc::net::WsConnection::connect(s.ioc.get_executor(), *url, *ctx, {}));
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
}

TEST_CASE("S01 an expired certificate from the trusted CA is refused", "[integration][tls][S01]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}, /*days=*/-1));  // notAfter lies in the past
    const auto ca_file = write_temp(ca.certificate_pem());
    auto r = s.ping("127.0.0.1", ca_file);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    std::remove(ca_file.c_str());
}

TEST_CASE("S03 switching verification off is refused for a non-loopback host",
          "[integration][tls][S03]") {
    mexc::Config c;
    c.rest_url = "https://api.mexc.com";
    c.tls.insecure_skip_verify_loopback_only = true;
    auto ok = mexc::validate(c);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().code() == mexc::Errc::insecure_tls_refused);
    // Every client checks it too, not only the facade: none of them silently verifies nothing.
    asio::io_context ioc;
    mexc::rest::PublicRest rest(ioc.get_executor(), c);
    auto ping = run(ioc, rest.ping());
    REQUIRE_FALSE(ping);
    CHECK(ping.error().code() == mexc::Errc::insecure_tls_refused);
}

TEST_CASE("S01 a not-yet-valid certificate from the trusted CA is refused",
          "[integration][tls][S01]") {
    mexc::sandbox::TestCa ca;
    const auto ca_file = write_temp(ca.certificate_pem());
    {
        TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}, /*days=*/30,
                              /*not_before=*/std::chrono::hours(24)));
        auto r = s.ping("127.0.0.1", ca_file);
        REQUIRE_FALSE(r);
        CHECK(r.error().condition() == mexc::Condition::network);
        CHECK(r.error().code().category().name() !=
              std::string("mexc"));  // the TLS layer's own cause
    }
    {  // control: the same CA and names, already valid
        TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}));
        CHECK(s.ping("127.0.0.1", ca_file));
    }
    std::remove(ca_file.c_str());
}

TEST_CASE("S02 the client sends the host name as SNI, and none for an IP address",
          "[integration][tls][S02]") {
    mexc::sandbox::TestCa ca;
    const auto ca_file = write_temp(ca.certificate_pem());
    TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}));
    CHECK_FALSE(s.sandbox.last_sni().has_value());

    REQUIRE(s.ping("localhost", ca_file));
    REQUIRE(s.sandbox.last_sni().has_value());
    CHECK(*s.sandbox.last_sni() == "localhost");

    // RFC 6066 §3: literal IP addresses are not permitted in SNI.
    REQUIRE(s.ping("127.0.0.1", ca_file));
    REQUIRE(s.sandbox.last_sni().has_value());
    CHECK(s.sandbox.last_sni()->empty());

    // The WebSocket connection sends it too.
    auto url = mexc::net::parse_url("wss://localhost:" + std::to_string(s.sandbox.port()) + "/ws");
    REQUIRE(url);
    mexc::TlsOptions options;
    options.ca_file = ca_file;
    auto ctx = mexc::net::make_client_tls_context(options);
    REQUIRE(ctx);
    const mexc::net::WsOptions ws_options;
    auto c =
        run(s.ioc, mexc::net::WsConnection::connect(s.ioc.get_executor(), *url, *ctx, ws_options));
    REQUIRE(c);
    (*c)->abort();
    REQUIRE(s.sandbox.last_sni().has_value());
    CHECK(*s.sandbox.last_sni() == "localhost");
    std::remove(ca_file.c_str());
}

TEST_CASE("S04 a sandbox limited to TLS 1.1 is refused, TLS 1.2 and the default are accepted",
          "[integration][tls][S04]") {
    // The floor is the client context's own setting, not OpenSSL's build-time default.
    auto ctx = mexc::net::make_client_tls_context({});
    REQUIRE(ctx);
    CHECK(SSL_CTX_get_min_proto_version((*ctx)->native_handle()) == TLS1_2_VERSION);

    mexc::sandbox::TestCa ca;
    const auto ca_file = write_temp(ca.certificate_pem());
    {
        TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}), TLS1_1_VERSION);
        // A legacy client does get TLS 1.1 from this sandbox: the refusal below is the client's.
        CHECK(legacy_handshake(s, TLS1_1_VERSION) == TLS1_1_VERSION);
        auto r = s.ping("127.0.0.1", ca_file);
        REQUIRE_FALSE(r);
        CHECK(r.error().condition() == mexc::Condition::network);
        CHECK(r.error().code().category().name() !=
              std::string("mexc"));  // the TLS layer's own cause
        // Refused over the version, not over the certificate.
        const int reason = ERR_GET_REASON(static_cast<unsigned long>(r.error().code().value()));
        CHECK(
            (reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION || reason == SSL_R_UNSUPPORTED_PROTOCOL));
    }
    {  // control: the same configuration at TLS 1.2
        TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}), TLS1_2_VERSION);
        CHECK(s.ping("127.0.0.1", ca_file));
    }
    {  // control: no restriction (TLS 1.3)
        TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}));
        CHECK(s.ping("127.0.0.1", ca_file));
    }
    std::remove(ca_file.c_str());
}

namespace {

// A ping of a silent peer: the result and how long it took. Only the connect (and TLS handshake)
// deadline is short; the request deadline stays at its default so that it cannot be what fires.
struct TimedPing {
    mexc::Result<void> result;
    std::chrono::milliseconds elapsed;
};

TimedPing ping_silent_peer(asio::io_context& ioc, const std::string& scheme, std::uint16_t port,
                           std::chrono::milliseconds connect, std::chrono::milliseconds request) {
    mexc::Config c;
    c.rest_url = scheme + "://127.0.0.1:" + std::to_string(port);
    c.timeouts.connect = connect;
    c.timeouts.request = request;
    mexc::rest::PublicRest rest(ioc.get_executor(), c);
    const auto start = Clock::now();
    auto r = run(ioc, rest.ping(), 5s);
    return {r, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
}

}  // namespace

TEST_CASE(
    "N03 a TLS handshake that stalls is ended by the handshake deadline, and the socket closed",
    "[integration][tls][faults][stall][N03]") {
    asio::io_context ioc{1};
    const bool partial = GENERATE(false, true);
    INFO((partial ? "the server sent part of a ServerHello"
                  : "the server never answered the ClientHello"));
    SilentPeer peer(ioc, partial ? partial_server_hello() : std::string());
    auto [r, elapsed] = ping_silent_peer(ioc, "https", peer.port(), 300ms, 10s);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    CHECK(r.error().code() == mexc::Errc::timeout);
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 2s);
    CHECK(peer.state().first_byte == tls_handshake_record);  // it did get as far as the ClientHello
    run_until(
        ioc, [&] { return peer.state().closed_by_client; }, 1s);
}

TEST_CASE("N03 a stalled TLS handshake of the WebSocket connection is ended by its deadline",
          "[integration][tls][faults][stall][N03]") {
    asio::io_context ioc{1};
    SilentPeer peer(ioc);
    auto url = mexc::net::parse_url("wss://127.0.0.1:" + std::to_string(peer.port()) + "/ws");
    REQUIRE(url);
    auto ctx = mexc::net::make_client_tls_context({});
    REQUIRE(ctx);
    mexc::net::WsOptions options;
    options.connect = 300ms;
    options.handshake = 300ms;
    options.idle = 10s;
    const auto start = Clock::now();
    auto c =
        run(ioc, mexc::net::WsConnection::connect(ioc.get_executor(), *url, *ctx, options), 5s);
    const auto elapsed = Clock::now() - start;
    REQUIRE_FALSE(c);
    CHECK(c.error().condition() == mexc::Condition::network);
    CHECK(c.error().code() == mexc::Errc::timeout);
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 2s);
    CHECK(peer.state().first_byte == tls_handshake_record);
    run_until(
        ioc, [&] { return peer.state().closed_by_client; }, 1s);
}

TEST_CASE(
    "N02 a peer that accepts and never answers: the request deadline fires with a typed timeout",
    "[integration][faults][stall][N02][N08]") {
    // sandbox_faults_test covers the proxy blackhole's timing; this pins the error type as well.
    asio::io_context ioc{1};
    SilentPeer peer(ioc);
    auto [r, elapsed] = ping_silent_peer(ioc, "http", peer.port(), 300ms, 300ms);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    CHECK(r.error().code() == mexc::Errc::timeout);
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 2s);
    CHECK(peer.state().first_read > 0);  // the request was written into the void
    run_until(
        ioc, [&] { return peer.state().closed_by_client; }, 1s);
}

namespace {

// A TLS peer that answers one request with a body delimited only by the connection's end, then
// ends it with close_notify (clean) or by closing the TCP socket under the TLS layer (truncated).
asio::awaitable<void> answer_until_close(tcp::acceptor& acceptor,
                                         std::shared_ptr<asio::ssl::context> ctx, bool clean) {
    auto [aec, socket] = co_await acceptor.async_accept(tuple_token);
    if (aec) co_return;
    asio::ssl::stream<tcp::socket> tls(std::move(socket), *ctx);
    auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::server, tuple_token);
    if (hec) co_return;
    std::array<char, 4096> buf{};
    auto [rec, n] = co_await tls.async_read_some(asio::buffer(buf), tuple_token);
    if (rec) co_return;
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"orderId\":\"12";
    auto [wec, wn] = co_await asio::async_write(tls, asio::buffer(answer), tuple_token);
    if (wec) co_return;
    if (clean) {
        co_await tls.async_shutdown(tuple_token);
    } else {
        boost::system::error_code ignored;
        tls.next_layer().close(ignored);
    }
}

mexc::Result<mexc::net::HttpResponse> get_until_close(bool clean) {
    asio::io_context ioc{1};
    mexc::sandbox::TestCa ca;
    const auto leaf = ca.issue({"127.0.0.1"});
    auto server_ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    server_ctx->use_certificate_chain(asio::buffer(leaf.certificate_pem));
    server_ctx->use_private_key(asio::buffer(leaf.private_key_pem), asio::ssl::context::pem);
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    asio::co_spawn(ioc, answer_until_close(acceptor, server_ctx, clean), asio::detached);

    const auto ca_file = write_temp(ca.certificate_pem());
    mexc::TlsOptions tls;
    tls.ca_file = ca_file;
    auto client_ctx = mexc::net::make_client_tls_context(tls);
    std::remove(ca_file.c_str());
    REQUIRE(client_ctx);
    mexc::net::HttpOptions options;
    options.timeouts.request = 5s;
    const auto url = mexc::net::parse_url("https://127.0.0.1:" +
                                          std::to_string(acceptor.local_endpoint().port()));
    mexc::net::HttpClient http(ioc.get_executor(), url.value(), *client_ctx, options);
    mexc::net::HttpRequest req;
    req.target = "/api/v3/order";
    return run(ioc, http.request(std::move(req)));
}

}  // namespace

TEST_CASE("N10 a body delimited by the connection's end is whole only after close_notify",
          "[integration][tls][N10]") {
    const auto clean = get_until_close(true);
    REQUIRE(clean);
    CHECK(clean->status == 200);
    CHECK(clean->body == "{\"orderId\":\"12");
    // The same bytes, then the TCP connection closed under TLS: possibly cut, never a success.
    const auto cut = get_until_close(false);
    REQUIRE_FALSE(cut);
    CHECK(cut.error().condition() == mexc::Condition::network);
    CHECK(cut.error().code() == mexc::Errc::connection_lost);
}
