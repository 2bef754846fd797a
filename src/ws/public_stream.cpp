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
      wanted_(ex),
      outbox_ready_(ex),
      pacer_(options_.max_messages_per_second) {}

bool PublicStream::holds(std::string_view topic) const noexcept {
    return std::any_of(topics_.begin(), topics_.end(),
                       [&](const Held& h) { return h.topic == topic; });
}

void PublicStream::subscribe(std::string topic) {
    if (holds(topic)) return;
    auto& held = topics_.emplace_back(Held{std::move(topic), 0});
    if (connection_)
        held.request = queue_request(Verb::subscribe, held.topic);
    else
        wanted_.cancel();  // an idle loop connects now
}

std::vector<std::string> PublicStream::topic_names() const {
    std::vector<std::string> out;
    out.reserve(topics_.size());
    for (const auto& h : topics_) out.push_back(h.topic);
    return out;
}

void PublicStream::clear() noexcept {
    topics_.clear();
    outbox_.clear();
    if (connection_) connection_->abort();
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
    return queue_request(Verb::unsubscribe, name);
}

std::uint64_t PublicStream::queue_request(Verb verb, const std::string& topic) {
    // A subscription still waiting takes the topic in: one message however many subscribe. Only
    // the last message may be joined, so requests still leave in the order they were made.
    if (verb == Verb::subscribe && !outbox_.empty() && outbox_.back().id != 0 &&
        outbox_.back().verb == Verb::subscribe) {
        outbox_.back().topics.push_back(topic);
        acks_.extend(outbox_.back().id, topic);
        return outbox_.back().id;
    }
    const auto id = acks_.sent(verb, std::span(&topic, 1));
    outbox_.push_back(Outgoing{verb, id, {topic}});
    outbox_ready_.cancel();
    return id;
}

void PublicStream::queue_ping() {
    outbox_.push_back(Outgoing{});
    outbox_ready_.cancel();
}

void PublicStream::replay() {
    for (auto& h : topics_) h.request = queue_request(Verb::subscribe, h.topic);
}

asio::awaitable<Error> PublicStream::send_loop(net::WsConnection& connection) {
    asio::steady_timer pause(co_await asio::this_coro::executor);
    std::string text;
    for (;;) {
        if (outbox_.empty()) {
            outbox_ready_.expires_at(asio::steady_timer::time_point::max());
            co_await outbox_ready_.async_wait(tuple_token);  // a new message cancels it
        } else if (const auto wait = pacer_.wait(MessagePacer::Clock::now()); wait.count() > 0) {
            pause.expires_after(wait);
            co_await pause.async_wait(tuple_token);
        }
        // The loop ends when the read side does: the awaitable operator cancels it.
        auto state = co_await asio::this_coro::cancellation_state;
        if (state.cancelled() != asio::cancellation_type::none)
            co_return Error(Condition::closed, Errc::closed);
        if (outbox_.empty() || pacer_.wait(MessagePacer::Clock::now()).count() > 0) continue;
        const Outgoing out = std::move(outbox_.front());
        outbox_.pop_front();
        pacer_.record(MessagePacer::Clock::now());
        if (out.id == 0) {
            connection.send_text(R"({"method":"PING"})");
            continue;
        }
        text.clear();
        for (const auto& t : out.topics)
            text += fmt::format("{}\"{}\"", text.empty() ? "" : ",", t);
        connection.send_text(fmt::format(
            R"({{"method":"{}","params":[{}],"id":{}}})",
            out.verb == Verb::subscribe ? "SUBSCRIPTION" : "UNSUBSCRIPTION", text, out.id));
    }
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
        if (options_.connect_pacer) {
            // Spaced out with the owner's other connections; stop() ends the wait.
            backoff_timer_.expires_at(options_.connect_pacer->reserve(ConnectPacer::Clock::now()));
            co_await backoff_timer_.async_wait(tuple_token);
            if (stopping_) break;
        }
        // Raced with stop(): a silent peer cannot hold the loop for the whole connect deadline.
        auto raced = co_await (net::WsConnection::connect(ex_, url_, tls_, options_.ws) ||
                               stopped_.async_wait(asio::as_tuple(asio::use_awaitable)));
        if (stopping_ || raced.index() == 1) break;
        auto& connected = std::get<0>(raced);
        Error why;
        if (connected) {
            connection_ = std::move(*connected);
            connected_at_ = std::chrono::steady_clock::now();
            ++generation_;
            ++connects_;
            handler_.on_connected(id_, generation_);
            acks_.reset();  // what the last connection waited for will never be answered
            outbox_.clear();
            pacer_.reset();
            if (!topics_.empty()) replay();
            auto& conn = *connection_;
            auto ended = co_await (read_loop(conn) || ping_loop() || send_loop(conn));
            why = std::visit([](const Error& e) { return e; }, ended);
            connection_->abort();
            connection_.reset();
            acks_.reset();
            outbox_.clear();
            if (std::chrono::steady_clock::now() - connected_at_ >= options_.healthy_after)
                attempt = 0;
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
        auto delay = std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(
            options_.reconnect_min.count() / 2, cap)(rng_));
        if (why.condition() == Condition::rate_limited) {
            // Refused for rate (429) or banned (418): not before Retry-After, or the cap.
            const auto wait =
                why.retry_after().count() > 0 ? why.retry_after() : options_.reconnect_max;
            delay = std::max(delay, wait);
            if (options_.connect_pacer)
                options_.connect_pacer->hold_until(ConnectPacer::Clock::now() + wait);
        }
        backoff_timer_.expires_after(delay);
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

asio::awaitable<Error> PublicStream::ping_loop() {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(options_.ping_interval);
        auto [ec] = co_await timer.async_wait(tuple_token);
        if (ec) co_return Error(Condition::closed, Errc::closed);
        queue_ping();
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
