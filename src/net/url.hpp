#pragma once
// URLs of the endpoints we talk to: http(s) and ws(s) only.

#include "mexc/error.hpp"

#include <string>
#include <string_view>

namespace mexc::net {

struct Url {
    std::string scheme;  // http, https, ws, wss
    bool tls = false;
    std::string host;  // without brackets for IPv6
    std::string port;
    std::string target;  // path and query, at least "/"

    /// Host header value: host, plus ":port" when not the scheme's default.
    std::string host_header() const;
};

Result<Url> parse_url(std::string_view text);
bool is_loopback_host(std::string_view host) noexcept;
bool is_ip_literal(std::string_view host) noexcept;

}  // namespace mexc::net
