#pragma once
// WebSocket control frames as the tests write and expect them (SPEC §7.3), and reads that skip
// the other kind of frame. Shared by the public, private and protocol WebSocket tests.

#include "net/ws_connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace mexc::testing {

inline std::string joined(const std::vector<std::string>& topics) {
    std::string out;
    for (const auto& t : topics) out += (out.empty() ? "" : ",") + t;
    return out;
}

/// {"method":..,"params":[..],"id":..}
inline std::string request(const char* method, const std::vector<std::string>& topics, int id) {
    std::string params;
    for (const auto& t : topics) params += (params.empty() ? "\"" : ",\"") + t + "\"";
    return "{\"method\":\"" + std::string(method) + "\",\"params\":[" + params +
           "],\"id\":" + std::to_string(id) + "}";
}

/// MEXC's acknowledgement: code 0 and the accepted topics (or the reason) in msg.
inline std::string ack(int id, const std::string& msg) {
    return "{\"id\":" + std::to_string(id) + ",\"code\":0,\"msg\":\"" + msg + "\"}";
}

/// The rejection MEXC sends for unknown or forbidden topics (still code 0).
inline std::string blocked(int id, const std::vector<std::string>& topics) {
    return ack(id, "Not Subscribed successfully! [" + joined(topics) + "].  Reason： Blocked! ");
}

/// The next text frame, skipping binary pushes.
inline boost::asio::awaitable<std::string> next_text(net::WsConnection& c) {
    for (;;) {
        auto m = (co_await c.read()).value();
        if (!m.binary) co_return std::string(m.data);
    }
}

/// The next binary push, skipping text frames.
inline boost::asio::awaitable<std::string> next_binary(net::WsConnection& c) {
    for (;;) {
        auto m = (co_await c.read()).value();
        if (m.binary) co_return std::string(m.data);
    }
}

/// SUBSCRIPTION of `topics`; the answer's text.
inline boost::asio::awaitable<std::string> subscribe(net::WsConnection& c,
                                                     std::vector<std::string> topics, int id) {
    c.send_text(request("SUBSCRIPTION", topics, id));
    co_return co_await next_text(c);
}

/// One topic (GCC 12 rejects a braced list inside a co_await expression).
inline boost::asio::awaitable<std::string> subscribe(net::WsConnection& c, std::string topic,
                                                     int id) {
    c.send_text(request("SUBSCRIPTION", {topic}, id));
    co_return co_await next_text(c);
}

}  // namespace mexc::testing
