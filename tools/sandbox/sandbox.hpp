#pragma once
// mexc-sandbox: a local MEXC-compatible venue on loopback speaking the real wire protocol (REST
// JSON, WebSocket JSON control frames and protobuf pushes), so that any MEXC client pointed at its
// URLs works unchanged. Embeddable on a caller's executor (tests, demo, benchmarks) or run as the
// `mexc-sandbox` process. Beast stays inside server.cpp.

#include "certs.hpp"
#include "market.hpp"

#include "mexc/error.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mexc::sandbox {

struct SandboxOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: an ephemeral port
    std::uint64_t seed = 42;
    std::vector<SymbolSpec> symbols = default_symbols();
    std::chrono::milliseconds tick{10};  // one market step per tick; 10ms pushes every tick
    std::optional<CertifiedKey> tls;     // serve HTTPS/WSS with this certificate
};

struct SandboxStats {
    std::uint64_t http_requests = 0;
    std::uint64_t depth_requests = 0;
    std::uint64_t ws_connections = 0;
    std::uint64_t ws_client_messages = 0;
    std::uint64_t frames_pushed = 0;
};

class Sandbox {
public:
    Sandbox(boost::asio::any_io_executor ex, SandboxOptions options = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    /// Binds and starts serving and ticking. Errors: network (bind failed).
    Result<void> start();
    /// Stops accepting, closes every connection, stops the market.
    void stop();

    std::uint16_t port() const noexcept;
    std::string rest_url() const;  // http(s)://host:port
    std::string ws_url() const;    // ws(s)://host:port/ws

    /// The oracle: true books, versions and trades.
    Market& market() noexcept;
    const SandboxStats& stats() const noexcept;
    /// Freezes the market (no steps, no pushes of new versions) for deterministic checks.
    void pause_market(bool paused) noexcept;

    // ---- fault knobs (FAULTS §2.0) ----
    /// The next depth push of `symbol`, on every connection, omits `count` versions (a gap).
    void skip_versions(const std::string& symbol, std::int64_t count);
    /// Resets every WebSocket connection now, without a close frame.
    void drop_connections();
    /// The next REST depth snapshot of `symbol` is served `versions_back` versions old.
    void serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back);

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::sandbox
