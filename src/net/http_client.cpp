#include "net/http_client.hpp"

#include "net/connect.hpp"
#include "net/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <charconv>
#include <variant>

namespace mexc::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

struct Connection {
    std::variant<PlainStream, TlsStream> stream;
    beast::flat_buffer buffer;

    beast::tcp_stream& lowest() {
        return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream);
    }
};

http::verb verb_of(HttpMethod m) {
    switch (m) {
    case HttpMethod::get: return http::verb::get;
    case HttpMethod::post: return http::verb::post;
    case HttpMethod::put: return http::verb::put;
    case HttpMethod::del: return http::verb::delete_;
    }
    return http::verb::get;
}

std::chrono::milliseconds parse_retry_after(std::string_view v) {
    long long seconds = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (ec != std::errc{} || seconds < 0) return std::chrono::milliseconds(0);
    return std::chrono::seconds(seconds);
}

Error timeout_or(boost::system::error_code ec, Condition c) {
    if (ec == beast::error::timeout) return Error(c, Errc::timeout);
    return Error(c, ec);
}

}  // namespace

struct HttpClient::Impl {
    asio::any_io_executor ex;
    Url base;
    std::shared_ptr<asio::ssl::context> tls;
    HttpOptions options;
    std::vector<std::unique_ptr<Connection>> idle;
    std::size_t opened = 0;
    bool closed = false;

    asio::awaitable<Result<std::unique_ptr<Connection>>> connect() {
        tcp::resolver resolver(ex);
        auto [rec, endpoints] = co_await resolver.async_resolve(base.host, base.port, tuple_token);
        if (rec) co_return Error(Condition::network, rec);
        auto conn = std::make_unique<Connection>(Connection{PlainStream(ex), {}});
        if (base.tls) conn->stream.emplace<TlsStream>(PlainStream(ex), *tls);
        auto& lowest = conn->lowest();
        if (auto c = co_await connect_any(lowest, endpoints, options.timeouts.connect); !c) co_return c.error();
        if (auto* s = std::get_if<TlsStream>(&conn->stream)) {
            // SNI carries names only (RFC 6066); verification checks the name or IP (RFC 6125).
            if (!is_ip_literal(base.host)) SSL_set_tlsext_host_name(s->native_handle(), base.host.c_str());
            s->set_verify_callback(asio::ssl::host_name_verification(base.host));
            lowest.expires_after(options.timeouts.connect);
            auto [hec] = co_await s->async_handshake(asio::ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
            if (hec) co_return hec == beast::error::timeout ? Error(Condition::network, Errc::timeout) : tls_error(hec);
        }
        ++opened;
        co_return conn;
    }

    template <class Stream>
    asio::awaitable<Result<HttpResponse>> exchange(Stream& stream, Connection& conn, const HttpRequest& req,
                                                   bool& written, bool& keep_alive) {
        http::request<http::string_body> msg{verb_of(req.method), req.target, 11};
        msg.set(http::field::host, base.host_header());
        msg.set(http::field::user_agent, "mexcpp/0.1");
        msg.set(http::field::accept, "application/json");
        for (auto& [name, value] : req.headers) msg.set(name, value);
        if (req.method != HttpMethod::get) {
            // SPEC §1.3: MEXC clients send application/json even with form-style bodies.
            msg.set(http::field::content_type, "application/json");
            msg.body() = req.body;  // copied: the request stays whole for a retry
            msg.prepare_payload();
        }
        msg.keep_alive(true);
        const auto timeout = req.timeout.count() > 0 ? req.timeout : options.timeouts.request;
        auto& lowest = conn.lowest();
        lowest.expires_after(timeout);
        written = true;  // from here on, the venue may have seen the request
        auto [wec, wn] = co_await http::async_write(stream, msg, tuple_token);
        if (wec) co_return timeout_or(wec, Condition::network);
        http::response_parser<http::string_body> parser;
        parser.body_limit(options.max_body);
        parser.header_limit(static_cast<std::uint32_t>(options.max_header));
        auto [rec, rn] = co_await http::async_read(stream, conn.buffer, parser, tuple_token);
        if (rec) {
            if (rec == http::error::body_limit || rec == http::error::header_limit)
                co_return Error(Condition::bad_data, Errc::response_too_large);
            co_return timeout_or(rec, Condition::network);
        }
        auto& res = parser.get();
        keep_alive = res.keep_alive();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        out.body = std::move(res.body());
        if (auto it = res.find(http::field::content_type); it != res.end()) out.content_type = std::string(it->value());
        if (auto it = res.find(http::field::retry_after); it != res.end()) out.retry_after = parse_retry_after(it->value());
        co_return out;
    }
};

HttpClient::HttpClient(asio::any_io_executor ex, Url base, std::shared_ptr<asio::ssl::context> tls,
                       HttpOptions options)
    : base_(base), impl_(std::make_shared<Impl>(Impl{std::move(ex), std::move(base), std::move(tls), options, {}, 0, false})) {}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
    impl_->closed = true;
    for (auto& c : impl_->idle) {
        boost::system::error_code ec;
        c->lowest().socket().close(ec);
    }
    impl_->idle.clear();
}

std::size_t HttpClient::connections_opened() const noexcept { return impl_->opened; }

asio::awaitable<Result<HttpResponse>> HttpClient::request(HttpRequest req) {
    auto impl = impl_;  // keeps the state alive across suspension
    if (impl->closed) co_return Error(Condition::closed, Errc::closed);
    // A reused keep-alive connection may have been closed by the server in the meantime; an
    // idempotent request gets one more try on a fresh connection (N06).
    const int attempts = req.is_command ? 1 : 2;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        std::unique_ptr<Connection> conn;
        bool reused = false;
        if (!impl->idle.empty()) {
            conn = std::move(impl->idle.back());
            impl->idle.pop_back();
            reused = true;
        } else {
            auto c = co_await impl->connect();
            if (!c) co_return c.error();
            conn = std::move(*c);
        }
        if (req.before_send) co_await req.before_send();
        bool written = false, keep_alive = false;
        auto result = co_await std::visit(
            [&](auto& s) { return impl->exchange(s, *conn, req, written, keep_alive); }, conn->stream);
        if (result) {
            if (keep_alive && !impl->closed && impl->idle.size() < impl->options.max_idle_connections)
                impl->idle.push_back(std::move(conn));
            co_return result;
        }
        if (req.is_command && written && result.error().condition() == Condition::network)
            co_return Error(Condition::outcome_unknown, result.error().code());
        if (!reused) co_return result;
    }
    co_return Error(Condition::network, Errc::connection_lost);
}

}  // namespace mexc::net
