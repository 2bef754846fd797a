#pragma once
// A client WebSocket over plain TCP or TLS. One reader at a time; writes are queued and sent in
// order by an internal writer, so any coroutine may send. Beast stays inside ws_connection.cpp.

#include "mexc/error.hpp"
#include "net/url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace mexc::net {

struct WsOptions {
    std::chrono::milliseconds connect{5000};
    std::chrono::milliseconds handshake{10000};
    std::chrono::milliseconds idle{60000};  // no inbound frame for this long: timeout (N08)
    std::size_t max_message = 4u << 20;     // P11
};

struct WsMessage {
    bool binary = false;
    std::string_view data;  // valid until the next read()
};

class WsConnection {
public:
    /// Resolves, connects, runs TLS (verifying peer and host) and the upgrade, each with a
    /// deadline. Errors: network; handshake_rejected with the HTTP status when the upgrade is
    /// refused (N04).
    static boost::asio::awaitable<Result<std::unique_ptr<WsConnection>>> connect(
        boost::asio::any_io_executor ex, Url url, std::shared_ptr<boost::asio::ssl::context> tls,
        WsOptions options);

    ~WsConnection();
    WsConnection(const WsConnection&) = delete;
    WsConnection& operator=(const WsConnection&) = delete;

    /// Next complete message. Errors: network (closed, reset, idle timeout), bad_data (too big).
    boost::asio::awaitable<Result<WsMessage>> read();

    /// Queues a text message; a write failure surfaces on the reader as a lost connection.
    void send_text(std::string text);

    /// Sends a close frame and waits for the peer's, bounded by the handshake timeout.
    boost::asio::awaitable<void> close();

    /// Drops the connection at once; a pending read completes with an error.
    void abort() noexcept;

    bool is_open() const noexcept;

    struct Impl;

private:
    explicit WsConnection(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::net
