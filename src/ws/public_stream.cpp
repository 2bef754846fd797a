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

void PublicStream::subscribe(std::string topic) {
    if (std::find(topics_.begin(), topics_.end(), topic) != topics_.end()) return;
    topics_.push_back(topic);
    if (connection_)
        send_request("SUBSCRIPTION", {std::move(topic)});
    else
        wanted_.cancel();  // an idle loop connects now
}

void PublicStream::unsubscribe(std::string_view topic) {
    auto it = std::find(topics_.begin(), topics_.end(), topic);
    if (it == topics_.end()) return;
    topics_.erase(it);
    if (!connection_) return;
    // A connection left without topics is closed here, not by the venue 30 s later, and not
    // reconnected until a topic comes (FAULTS T06).
    if (topics_.empty())
        connection_->abort();
    else
        send_request("UNSUBSCRIPTION", {std::string(topic)});
}

void PublicStream::send_request(const char* method, const std::vector<std::string>& topics) {
    // One request carries many topics, so a full replay is one client message (SPEC §6.2 pacing).
    std::string params;
    for (const auto& t : topics) params += fmt::format("{}\"{}\"", params.empty() ? "" : ",", t);
    connection_->send_text(fmt::format(R"({{"method":"{}","params":[{}],"id":{}}})", method, params,
                                       next_request_id_++));
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
            if (!topics_.empty()) send_request("SUBSCRIPTION", topics_);
            auto& conn = *connection_;
            auto ended = co_await (read_loop(conn) || ping_loop(conn));
            why = std::visit([](const Error& e) { return e; }, ended);
            connection_->abort();
            connection_.reset();
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
            handler_.on_control(id_, generation, *control);
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
