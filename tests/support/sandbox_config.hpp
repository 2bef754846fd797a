#pragma once
// The client configuration of the market-data tests: the sandbox's URLs, the 10 ms depth stream,
// and quick reconnects so that reconnect scenarios finish in test time.

#include "mexc/config.hpp"
#include "sandbox.hpp"

#include <chrono>

namespace mexc::testing {

inline Config config_for(const sandbox::Sandbox& sandbox) {
    Config c;
    c.rest_url = sandbox.rest_url();
    c.ws_url = sandbox.ws_url();
    c.depth_interval = "10ms";
    c.reconnect_min = std::chrono::milliseconds(20);
    c.reconnect_max = std::chrono::milliseconds(200);
    return c;  // Timeouts::close 2 s, Timeouts::request 10 s
}

}  // namespace mexc::testing
