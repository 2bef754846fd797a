#pragma once
// One public WebSocket connection carrying up to 30 topics (SPEC §6.2): connects with backoff and
// jitter (and no faster than the owner's ConnectPacer allows), replays its subscriptions after
// every reconnect, keeps the connection alive with the JSON PING (SPEC §7.1), matches the venue's
// answers to its requests (AckMatcher), and hands frames and answers to its handler. A topic the
// venue refused is forgotten: never replayed (E16).
//
// What the client sends is paced (SPEC §6.2: more than 100 messages a second cuts the connection):
// requests wait in an outbox, in order, and leave at most max_messages_per_second in any second.
// Topics subscribed while a SUBSCRIPTION is still waiting there join it, so a burst of subscribes
// (and every replay) is one message.
// Each connection gets a generation number; a generation's frames are all delivered before the next
// generation starts (FAULTS §1.3). The connection loop is a task of the owner's: run() it, stop()
// it, and join it.

#include "mexc/config.hpp"
#include "net/url.hpp"
#include "net/ws_connection.hpp"
#include "wire/json.hpp"
#include "ws/subscription_acks.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace mexc::ws {

/// Receives what the streams of one owner read; `stream` is the id the stream was built with.
class StreamHandler {
public:
    virtual void on_push(std::size_t stream, std::uint64_t generation, std::string_view frame) = 0;
    /// The venue answered the current subscription of `topic` (a late answer to an earlier
    /// request for it is not reported, FAULTS C09); `msg` is the answer's text.
    virtual void on_subscription(std::size_t stream, std::string_view topic, bool accepted,
                                 std::string_view msg) = 0;
    /// Some UNSUBSCRIPTION request was answered (see PublicStream::answered).
    virtual void on_unsubscribed(std::size_t stream) = 0;
    virtual void on_connected(std::size_t stream, std::uint64_t generation) = 0;
    virtual void on_disconnected(std::size_t stream, std::uint64_t generation,
                                 const Error& why) = 0;
    /// A private connection's key is no longer valid ("Invalid listen key", SPEC §9).
    virtual void on_listen_key_invalid(std::size_t /*stream*/) {}

protected:
    ~StreamHandler() = default;
};

/// Spaces out the connection attempts of every stream of one owner: a market of many connections
/// comes up (or back after an outage) at a bounded rate instead of all at once. Sans-io.
class ConnectPacer {
public:
    using Clock = std::chrono::steady_clock;
    explicit ConnectPacer(std::chrono::milliseconds spacing) : spacing_(spacing) {}
    /// Reserves the next attempt slot: when this attempt may start (`now` or later).
    Clock::time_point reserve(Clock::time_point now) noexcept {
        const auto at = std::max(now, next_);
        next_ = at + spacing_;
        return at;
    }
    /// No attempt before `until`: the venue refused a handshake with 429 or 418, which holds
    /// for the address, so for every connection of the owner (E04, E05).
    void hold_until(Clock::time_point until) noexcept { next_ = std::max(next_, until); }

private:
    std::chrono::milliseconds spacing_;
    Clock::time_point next_{};
};

/// At most `limit` messages in any one second: the times of the last `limit` sends. Sans-io.
class MessagePacer {
public:
    using Clock = std::chrono::steady_clock;
    explicit MessagePacer(std::size_t limit) : sent_(std::max<std::size_t>(limit, 1)) {}
    /// 0 when a message may go now, else how long until one may.
    std::chrono::nanoseconds wait(Clock::time_point now) const noexcept {
        if (count_ < sent_.size()) return {};
        const auto free_at = sent_[head_] + std::chrono::seconds(1);
        return free_at > now ? free_at - now : std::chrono::nanoseconds{};
    }
    void record(Clock::time_point now) noexcept {
        if (count_ < sent_.size()) {
            sent_[(head_ + count_++) % sent_.size()] = now;
        } else {
            sent_[head_] = now;
            head_ = (head_ + 1) % sent_.size();
        }
    }
    void reset() noexcept { head_ = count_ = 0; }

private:
    std::vector<Clock::time_point> sent_;  // a ring, oldest at head_
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

struct StreamOptions {
    net::WsOptions ws;
    std::chrono::milliseconds ping_interval{20000};
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{10000};
    /// A connection that lived this long was healthy: the backoff starts over after it. One that
    /// drops sooner (a venue accepting and cutting at once) keeps the backoff growing, so a
    /// flapping venue is not met with a reconnect storm (FAULTS N15).
    std::chrono::milliseconds healthy_after{10000};
    std::chrono::milliseconds close_bound{2000};
    /// Client messages (requests and PINGs) per connection in any second; the venue cuts at 100.
    std::size_t max_messages_per_second = 50;
    /// Shared by the owner's streams; null: connect without waiting.
    ConnectPacer* connect_pacer = nullptr;
};

class PublicStream {
public:
    PublicStream(boost::asio::any_io_executor ex, net::Url url,
                 std::shared_ptr<boost::asio::ssl::context> tls, StreamOptions options,
                 StreamHandler& handler, std::size_t id);
    PublicStream(const PublicStream&) = delete;
    PublicStream& operator=(const PublicStream&) = delete;

    /// Remembers the topic and subscribes now if connected; the answer comes to
    /// on_subscription().
    void subscribe(std::string topic);
    /// Forgets the topic and unsubscribes now if connected; returns the request's id for
    /// answered(), or 0 when there is nothing to wait for: not connected, not held, or the last
    /// topic, which closes the connection instead; it stays closed until subscribe() gives it a
    /// topic again (FAULTS T06).
    std::uint64_t unsubscribe(std::string_view topic);
    /// Whether request `id` was answered, or can no longer be (its connection is gone).
    bool answered(std::uint64_t id) const noexcept { return !acks_.pending(id); }
    bool holds(std::string_view topic) const noexcept;
    /// Whether an UNSUBSCRIPTION of `topic` is still unanswered (or not yet sent): pushes of the
    /// topic may then come from the subscription being removed.
    bool unsubscribing(std::string_view topic) const noexcept {
        return acks_.waiting(Verb::unsubscribe, topic);
    }
    std::size_t topic_count() const noexcept { return topics_.size(); }
    /// The topics held, in the order they were subscribed.
    std::vector<std::string> topic_names() const;
    /// When the current connection was established; nullopt while not connected.
    std::optional<std::chrono::steady_clock::time_point> connected_since() const noexcept {
        return connection_ ? std::optional(connected_at_) : std::nullopt;
    }
    /// Forgets every topic without UNSUBSCRIPTION and drops the connection: the stream idles
    /// until subscribe() gives it a topic again, on a fresh connection (rotation, FAULTS T08).
    void clear() noexcept;
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
    boost::asio::awaitable<Error> ping_loop();
    boost::asio::awaitable<Error> send_loop(net::WsConnection& connection);
    /// Queues a request; a subscription joins one still waiting in the outbox. Returns its id.
    std::uint64_t queue_request(Verb verb, const std::string& topic);
    void queue_ping();
    void replay();
    void on_answer(const wire::ControlFrame& frame);

    /// A message waiting to be sent: a request (id != 0) or a PING.
    struct Outgoing {
        Verb verb = Verb::subscribe;
        std::uint64_t id = 0;
        std::vector<std::string> topics;
    };

    struct Held {
        std::string topic;
        std::uint64_t request = 0;  // the SUBSCRIPTION that subscribes it now; 0: not yet sent
    };

    boost::asio::any_io_executor ex_;
    net::Url url_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    StreamOptions options_;
    StreamHandler& handler_;
    std::size_t id_;
    std::vector<Held> topics_;
    AckMatcher acks_;
    std::unique_ptr<net::WsConnection> connection_;
    boost::asio::steady_timer backoff_timer_;
    boost::asio::steady_timer stopped_;       // expires when stopped: interrupts a connect
    boost::asio::steady_timer wanted_;        // cancelled when a topic comes to an idle loop
    boost::asio::steady_timer outbox_ready_;  // cancelled when the outbox gets a message
    std::deque<Outgoing> outbox_;             // in order; emptied when the connection goes
    MessagePacer pacer_;
    wire::JsonReader json_;
    std::minstd_rand rng_{std::random_device{}()};
    std::uint64_t generation_ = 0;
    std::uint64_t connects_ = 0;
    std::chrono::steady_clock::time_point connected_at_{};
    bool stopping_ = false;
};

}  // namespace mexc::ws
