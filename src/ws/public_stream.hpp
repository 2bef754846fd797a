#pragma once
// One public WebSocket connection carrying up to 30 topics (SPEC §6.2): connects with backoff and
// jitter, replays its subscriptions after every reconnect, keeps the connection alive with the
// JSON PING (SPEC §7.1), and hands frames to its handler. Each connection gets a generation
// number; a generation's frames are all delivered before the next generation starts (FAULTS §1.3).
// The connection loop is a task of the owner's: run() it, stop() it, and join it.

#include "mexc/config.hpp"
#include "net/url.hpp"
#include "net/ws_connection.hpp"
#include "wire/json.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace mexc::ws {

/// Receives what the streams of one owner read; `stream` is the id the stream was built with.
class StreamHandler {
public:
    virtual void on_push(std::size_t stream, std::uint64_t generation, std::string_view frame) = 0;
    virtual void on_control(std::size_t stream, std::uint64_t generation,
                            const wire::ControlFrame& frame) = 0;
    virtual void on_connected(std::size_t stream, std::uint64_t generation) = 0;
    virtual void on_disconnected(std::size_t stream, std::uint64_t generation,
                                 const Error& why) = 0;

protected:
    ~StreamHandler() = default;
};

struct StreamOptions {
    net::WsOptions ws;
    std::chrono::milliseconds ping_interval{20000};
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{10000};
    std::chrono::milliseconds close_bound{2000};
};

class PublicStream {
public:
    static constexpr std::size_t max_topics = 30;

    PublicStream(boost::asio::any_io_executor ex, net::Url url,
                 std::shared_ptr<boost::asio::ssl::context> tls, StreamOptions options,
                 StreamHandler& handler, std::size_t id);
    PublicStream(const PublicStream&) = delete;
    PublicStream& operator=(const PublicStream&) = delete;

    /// Remembers the topic and subscribes now if connected.
    void subscribe(std::string topic);
    /// Forgets the topic and unsubscribes now if connected; the last one closes the connection,
    /// which stays closed until subscribe() gives it a topic again (FAULTS T06).
    void unsubscribe(std::string_view topic);
    std::size_t topic_count() const noexcept { return topics_.size(); }
    bool connected() const noexcept { return connection_ != nullptr; }
    std::uint64_t generation() const noexcept { return generation_; }
    std::uint64_t connects() const noexcept { return connects_; }

    std::size_t id() const noexcept { return id_; }

    /// The connection loop: connects, reads, reconnects, until stopped. Spawned once by the owner,
    /// who keeps this object alive until it returns.
    boost::asio::awaitable<void> run();
    /// Closes with a close frame (bounded by options.close_bound) and tells the loop to end; the
    /// owner joins the loop. A connect in progress is abandoned.
    boost::asio::awaitable<void> stop();
    /// Stops at once without a close frame (destructor path).
    void abort() noexcept;

private:
    boost::asio::awaitable<Error> read_loop(net::WsConnection& connection);
    boost::asio::awaitable<Error> ping_loop(net::WsConnection& connection);
    void send_request(const char* method, const std::vector<std::string>& topics);

    boost::asio::any_io_executor ex_;
    net::Url url_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    StreamOptions options_;
    StreamHandler& handler_;
    std::size_t id_;
    std::vector<std::string> topics_;
    std::unique_ptr<net::WsConnection> connection_;
    boost::asio::steady_timer backoff_timer_;
    boost::asio::steady_timer stopped_;  // expires when stopped: interrupts a connect
    boost::asio::steady_timer wanted_;   // cancelled when a topic comes to an idle loop
    wire::JsonReader json_;
    std::minstd_rand rng_{std::random_device{}()};
    std::uint64_t generation_ = 0;
    std::uint64_t connects_ = 0;
    std::uint64_t next_request_id_ = 1;
    bool stopping_ = false;
};

}  // namespace mexc::ws
