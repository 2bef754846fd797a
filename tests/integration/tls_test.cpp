// TLS verification over real sockets (S01, S02): certificates made by the test with OpenSSL.

#include "net/ws_connection.hpp"
#include "net/tls.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/rest/public_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace asio = boost::asio;
using mexc::testing::run;

namespace {

struct TlsSandbox {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;

    explicit TlsSandbox(mexc::sandbox::CertifiedKey cert)
        : sandbox(ioc.get_executor(), [&] {
              mexc::sandbox::SandboxOptions o;
              o.tls = std::move(cert);
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

}  // namespace

TEST_CASE("S01 a self-signed certificate is refused by default", "[integration][tls]") {
    TlsSandbox s(mexc::sandbox::self_signed({"localhost", "127.0.0.1"}));
    auto r = s.ping("127.0.0.1", "");
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    CHECK(r.error().code().category().name() != std::string("mexc"));  // the TLS layer's own cause
}

TEST_CASE("S01 a certificate from an unknown CA is refused; the same CA passed explicitly is accepted",
          "[integration][tls]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}));
    CHECK_FALSE(s.ping("127.0.0.1", ""));
    const auto ca_file = write_temp(ca.certificate_pem());
    CHECK(s.ping("127.0.0.1", ca_file));
    CHECK(s.ping("localhost", ca_file));
    std::remove(ca_file.c_str());
}

TEST_CASE("S02 a trusted certificate for another host name is refused", "[integration][tls]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"other.test"}));
    const auto ca_file = write_temp(ca.certificate_pem());
    auto r = s.ping("127.0.0.1", ca_file);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    std::remove(ca_file.c_str());
}

TEST_CASE("S01 the WebSocket connection verifies the peer too", "[integration][tls]") {
    TlsSandbox s(mexc::sandbox::self_signed({"localhost", "127.0.0.1"}));
    auto url = mexc::net::parse_url(s.sandbox.ws_url());
    REQUIRE(url);
    auto ctx = mexc::net::make_client_tls_context({});
    REQUIRE(ctx);
    auto r = run(s.ioc, mexc::net::WsConnection::connect(s.ioc.get_executor(), *url, *ctx, {}));
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
}

TEST_CASE("S01 an expired certificate from the trusted CA is refused", "[integration][tls]") {
    mexc::sandbox::TestCa ca;
    TlsSandbox s(ca.issue({"localhost", "127.0.0.1"}, /*days=*/-1));  // notAfter lies in the past
    const auto ca_file = write_temp(ca.certificate_pem());
    auto r = s.ping("127.0.0.1", ca_file);
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == mexc::Condition::network);
    std::remove(ca_file.c_str());
}

TEST_CASE("S03 switching verification off is refused for a non-loopback host", "[integration][tls]") {
    mexc::Config c;
    c.rest_url = "https://api.mexc.com";
    c.tls.insecure_skip_verify_loopback_only = true;
    auto ok = mexc::validate(c);
    REQUIRE_FALSE(ok);
    CHECK(ok.error().code() == mexc::Errc::insecure_tls_refused);
}
