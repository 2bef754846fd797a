#pragma once
// A TCP fault proxy (FAULTS §2.0 "fault proxy inside the sandbox"; N01, N02, N05, N06, N08, N11,
// N12, N13): listens on loopback, forwards every connection to a target port and degrades the
// bytes on the way. Plain TCP, so it serves HTTP, WebSocket and TLS alike. Every knob may be
// changed while connections run; they apply from the next chunk. Single-threaded: use it from its
// executor.

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace mexc::sandbox {

struct FaultProxyStats {
    std::uint64_t connections = 0;        // accepted
    std::uint64_t bytes_forwarded = 0;    // both directions
    std::uint64_t connections_cut = 0;    // by cut_after
    std::uint64_t connections_reset = 0;  // by reset_now
};

class FaultProxy {
public:
    FaultProxy(boost::asio::any_io_executor ex, std::string target_host, std::uint16_t target_port,
               std::string listen_host = "127.0.0.1", std::uint16_t listen_port = 0);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    /// Binds and starts accepting. Errors: the address's or the bind's error code.
    boost::system::result<void> start();
    /// Closes the listener and every connection.
    void stop();

    std::uint16_t port() const noexcept;
    /// `scheme://host:port` plus `path` ("http", "ws" with "/ws", ...).
    std::string url(std::string_view scheme = "http", std::string_view path = "") const;

    /// Every chunk, in each direction, waits `latency` plus a uniform 0..`jitter` (order kept).
    void set_latency(std::chrono::milliseconds latency, std::chrono::milliseconds jitter = {});
    /// At most this many bytes per second in each direction of each connection; 0: unlimited.
    void set_bandwidth(std::size_t bytes_per_second);
    /// Each connection is closed once it has forwarded this many bytes to the client (the server's
    /// answers; what the client sends is not counted); 0: never. The last chunk is cut exactly.
    void cut_after(std::size_t bytes);
    /// Resets (RST) every current connection now.
    void reset_now();
    /// On: connections are accepted but nothing is forwarded or answered (a half-open peer).
    /// Applies to current connections as well.
    void set_blackhole(bool on);
    /// On: the listener is closed, so connecting is refused; off: listening again on the same port.
    void set_refuse(bool on);

    const FaultProxyStats& stats() const noexcept;
    std::string describe() const;  // knobs and stats as JSON

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::sandbox
