#pragma once
// A client configuration aimed at an embedded sandbox: its REST and WebSocket URLs and an API
// key's credentials (the demo key unless another is given). For tests, benchmarks and examples.
// The client-side adapter (target mexc_sandbox_client), not part of the venue: the one sandbox
// header that includes the client library's.

#include "sandbox.hpp"

#include "mexc/config.hpp"

#include <string>
#include <utility>

namespace mexc::sandbox {

/// `venue`: a Sandbox or a SandboxThread (anything with rest_url() and ws_url()).
template <class Venue>
Config client_config(const Venue& venue, std::string key = demo_api_key().key,
                     std::string secret = demo_api_key().secret) {
    Config c;
    c.rest_url = venue.rest_url();
    c.ws_url = venue.ws_url();
    c.credentials.emplace(std::move(key), SecretString(std::move(secret)));
    return c;
}

}  // namespace mexc::sandbox
