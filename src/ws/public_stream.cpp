#include "ws/public_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace mexc::ws {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

PublicStream::PublicStream(asio::any_io_executor ex, net::Url url,
                           std::shared_ptr<asio::ssl::context> tls, StreamOptions options,
                           StreamHandler& handler, std::size_t id)
    : ex_(ex),
      url_(std::move(url)),
      tls_(std::move(tls)),
      options_(options),
      handler_(handler),
      id_(id),
      backoff_timer_(ex),
      stopped_(ex, asio::steady_timer::time_point::max()),
      wanted_(ex) {}

bool PublicStream::holds(std::string_view topic) const noexcept {
    return std::any_of(topics_.begin(), topics_.end(),
                       [&](const Held& h) { return h.topic == topic; });
}

void PublicStream::subscribe(std::string topic) {
    if (holds(topic)) return;
    auto& held = topics_.emplace_back(Held{std::move(topic), 0});
    if (connection_)
        held.request = send_request(Verb::subscribe, std::span(&held.topic, 1));
    else
        wanted_.cancel();  // an idle loop connects now
}

std::uint64_t PublicStream::unsubscribe(std::string_view topic) {
    auto it = std::find_if(topics_.begin(), topics_.end(),
                           [&](const Held& h) { return h.topic == topic; });
    if (it == topics_.end()) return 0;
    const std::string name = std::move(it->topic);
    topics_.erase(it);
    if (!connection_) return 0;
    // A connection left without topics is closed here, not by the venue 30 s later, and not
    // reconnected until a topic comes (FAULTS T06). Closing unsubscribes everything at once.
    if (topics_.empty()) {
        connection_->abort();
        return 0;
    }
    return send_request(Verb::unsubscribe, std::span(&name, 1));
}

std::uint64_t PublicStream::send_request(Verb verb, std::span<const std::string> topics) {
    // One request carries many topics, so a full replay is one client message (SPEC §6.2 pacing).
    std::string params;
    for (const auto& t : topics) params += fmt::format("{}\"{}\"", params.empty() ? "" : ",", t);
    const auto id = acks_.sent(verb, topics);
    connection_->send_text(fmt::format(R"({{"method":"{}","params":[{}],"id":{}}})",
                                       verb == Verb::subscribe ? "SUBSCRIPTION" : "UNSUBSCRIPTION",
                                       params, id));
    return id;
}

void PublicStream::replay() {
    std::vector<std::string> names;
    names.reserve(topics_.size());
    for (const auto& h : topics_) names.push_back(h.topic);
    const auto id = send_request(Verb::subscribe, names);
    for (auto& h : topics_) h.request = id;
}

void PublicStream::on_answer(const wire::ControlFrame& frame) {
    // Settled first, reported after: the handler may subscribe or unsubscribe from its callback.
    struct Settled {
        std::string topic;
        bool accepted;
    };
    std::vector<Settled> settled;
    bool unsubscribed = false;
    bool refused = false;
    acks_.answer(frame, [&](const TopicAnswer& a) {
        if (a.verb == Verb::unsubscribe) {
            unsubscribed = true;
            return;
        }
        // Only the answer to the request that subscribes the topic now counts: a late answer to
        // an earlier one never revives a topic removed and added since (FAULTS C09).
        auto it = std::find_if(topics_.begin(), topics_.end(), [&](const Held& h) {
            return h.topic == a.topic && h.request == a.request;
        });
        if (it == topics_.end()) return;
        settled.push_back({std::string(a.topic), a.accepted});
        if (!a.accepted) {
            topics_.erase(it);  // refused: never replayed (E16)
            refused = true;
        }
    });
    // Every topic refused: closed like a connection whose topics were all removed (T06).
    if (refused && topics_.empty() && connection_) connection_->abort();
    for (const auto& s : settled) handler_.on_subscription(id_, s.topic, s.accepted, frame.msg);
    if (unsubscribed) handler_.on_unsubscribed(id_);
}

asio::awaitable<void> PublicStream::run() {
    unsigned attempt = 0;
    while (!stopping_) {
        if (topics_.empty()) {
            wanted_.expires_at(asio::steady_timer::time_point::max());
            co_await wanted_.async_wait(tuple_token);
            continue;
        }
        // Raced with stop(): a silent peer cannot hold the loop for the whole connect deadline.
        auto raced = co_await (net::WsConnection::connect(ex_, url_, tls_, options_.ws) ||
                               stopped_.async_wait(asio::as_tuple(asio::use_awaitable)));
        if (stopping_ || raced.index() == 1) break;
        auto& connected = std::get<0>(raced);
        Error why;
        if (connected) {
            attempt = 0;
            connection_ = std::move(*connected);
            ++generation_;
            ++connects_;
            handler_.on_connected(id_, generation_);
            acks_.reset();  // what the last connection waited for will never be answered
            if (!topics_.empty()) replay();
            auto& conn = *connection_;
            auto ended = co_await (read_loop(conn) || ping_loop(conn));
            why = std::visit([](const Error& e) { return e; }, ended);
            connection_->abort();
            connection_.reset();
            acks_.reset();
        } else {
            why = connected.error();
        }
        handler_.on_disconnected(id_, generation_, why);
        if (stopping_) break;
        // Exponential backoff with full jitter, capped (FAULTS §1.3.5).
        const auto cap =
            std::min<std::int64_t>(options_.reconnect_max.count(), options_.reconnect_min.count()
                                                                       << std::min(attempt, 16u));
        ++attempt;
        const auto delay = std::uniform_int_distribution<std::int64_t>(
            options_.reconnect_min.count() / 2, cap)(rng_);
        backoff_timer_.expires_after(std::chrono::milliseconds(delay));
        co_await backoff_timer_.async_wait(tuple_token);
    }
}

asio::awaitable<Error> PublicStream::read_loop(net::WsConnection& connection) {
    const auto generation = generation_;
    for (;;) {
        auto message = co_await connection.read();
        if (!message) co_return message.error();
        if (message->binary) {
            handler_.on_push(id_, generation, message->data);
        } else if (auto control = json_.control_frame(message->data)) {
            if (control->kind == wire::ControlKind::invalid_listen_key)
                handler_.on_listen_key_invalid(id_);
            else
                on_answer(*control);
        }
    }
}

asio::awaitable<Error> PublicStream::ping_loop(net::WsConnection& connection) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(options_.ping_interval);
        auto [ec] = co_await timer.async_wait(tuple_token);
        if (ec) co_return Error(Condition::closed, Errc::closed);
        connection.send_text(R"({"method":"PING"})");
    }
}

asio::awaitable<void> PublicStream::stop() {
    stopping_ = true;
    backoff_timer_.cancel();
    wanted_.cancel();
    stopped_.expires_at(asio::steady_timer::time_point::min());  // a latch: later waits end now
    if (connection_) {
        asio::steady_timer bound(ex_, options_.close_bound);
        auto* conn = connection_.get();
        co_await (conn->close() || bound.async_wait(asio::use_awaitable));
        if (connection_) connection_->abort();
    }
}

void PublicStream::abort() noexcept {
    stopping_ = true;
    backoff_timer_.cancel();
    wanted_.cancel();
    stopped_.expires_at(asio::steady_timer::time_point::min());  // a latch: later waits end now
    if (connection_) connection_->abort();
}

}  // namespace mexc::ws
