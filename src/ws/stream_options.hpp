#pragma once
// The WebSocket connection options of a Config, for every connection an exchange opens.

#include "mexc/config.hpp"
#include "ws/public_stream.hpp"

namespace mexc::ws {

inline StreamOptions stream_options(const Config& config) {
    StreamOptions o;
    o.ws.connect = config.timeouts.connect;
    o.ws.handshake = config.timeouts.ws_handshake;
    o.ws.idle = config.timeouts.ws_idle;
    o.ws.max_message = config.ws_max_message;
    o.ping_interval = config.ping_interval;
    o.reconnect_min = config.reconnect_min;
    o.reconnect_max = config.reconnect_max;
    o.close_bound = config.timeouts.close;
    o.max_messages_per_second = config.ws_messages_per_second;
    return o;
}

}  // namespace mexc::ws
