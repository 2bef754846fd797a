#include "net/url.hpp"

#include <boost/asio/ip/address.hpp>

namespace mexc::net {

std::string Url::host_header() const {
    const bool default_port = (tls && port == "443") || (!tls && port == "80");
    const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return default_port ? h : h + ":" + port;
}

Result<Url> parse_url(std::string_view text) {
    const auto bad = make_error(Condition::rejected, Errc::bad_url);
    Url u;
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) return bad;
    u.scheme = std::string(text.substr(0, sep));
    if (u.scheme == "https" || u.scheme == "wss")
        u.tls = true;
    else if (u.scheme != "http" && u.scheme != "ws")
        return bad;
    std::string_view rest = text.substr(sep + 3);
    const auto slash = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (!u.target.empty() && u.target.front() == '?') u.target.insert(0, "/");
    if (authority.empty() || authority.find('@') != std::string_view::npos) return bad;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return bad;
        u.host = std::string(authority.substr(1, close - 1));
        authority = authority.substr(close + 1);
        if (!authority.empty()) {
            if (authority.front() != ':') return bad;
            u.port = std::string(authority.substr(1));
        }
    } else {
        const auto colon = authority.find(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) u.port = std::string(authority.substr(colon + 1));
    }
    if (u.host.empty()) return bad;
    if (u.port.empty()) u.port = u.tls ? "443" : "80";
    for (char c : u.port)
        if (c < '0' || c > '9') return bad;
    return u;
}

bool is_ip_literal(std::string_view host) noexcept {
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(host), ec);
    return !ec;
}

bool is_loopback_host(std::string_view host) noexcept {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(std::string(host), ec);
    return !ec && addr.is_loopback();
}

}  // namespace mexc::net
