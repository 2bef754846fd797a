#include "net/http_client.hpp"

#include "net/http1.hpp"
#include "net/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <variant>

#include <sys/socket.h>

namespace mexc::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

namespace {

std::string_view method_text(HttpMethod m) {
    switch (m) {
        case HttpMethod::get:
            return "GET";
        case HttpMethod::post:
            return "POST";
        case HttpMethod::put:
            return "PUT";
        case HttpMethod::del:
            return "DELETE";
    }
    return "GET";
}

/// Received bytes, kept between responses of a connection (no zero-filling on growth).
struct ReadBuffer {
    std::unique_ptr<char[]> data;
    std::size_t size = 0;
    std::size_t capacity = 0;

    /// Room for at least `min_free` more bytes.
    void reserve_free(std::size_t min_free) {
        if (capacity - size >= min_free) return;
        const auto grown = std::max(capacity * 2, size + std::max<std::size_t>(min_free, 16384));
        auto bigger = std::make_unique_for_overwrite<char[]>(grown);
        if (size > 0) std::memcpy(bigger.get(), data.get(), size);
        data = std::move(bigger);
        capacity = grown;
    }
    std::string_view view() const noexcept { return {data.get(), size}; }
};

/// One kept-alive connection. Its deadline is watched by one timer that is re-armed only when it
/// fires early or a shorter deadline comes: requests do not pay a timer update each.
struct Connection : std::enable_shared_from_this<Connection> {
    using TlsStream = asio::ssl::stream<tcp::socket>;

    explicit Connection(const asio::any_io_executor& ex)
        : stream(std::in_place_type<tcp::socket>, ex), watchdog(ex) {}

    std::variant<tcp::socket, TlsStream> stream;
    asio::steady_timer watchdog;
    Clock::time_point deadline = Clock::time_point::max();  // of the exchange in progress
    Clock::time_point watching = Clock::time_point::max();  // when the armed wait fires
    std::uint64_t generation = 0;  // of the armed wait; older waits are ignored
    bool timed_out = false;
    std::string out;  // the request being written
    ReadBuffer in;

    tcp::socket& socket() {
        return std::visit(
            [](auto& s) -> tcp::socket& {
                if constexpr (std::is_same_v<std::decay_t<decltype(s)>, tcp::socket>)
                    return s;
                else
                    return s.next_layer();
            },
            stream);
    }

    void arm(std::chrono::milliseconds timeout) {
        timed_out = false;
        deadline = Clock::now() + timeout;
        if (watching <= deadline) return;  // the armed wait fires first and re-arms itself
        watch(deadline);
    }
    void disarm() noexcept { deadline = Clock::time_point::max(); }

    void watch(Clock::time_point at) {
        watching = at;
        watchdog.expires_at(at);
        watchdog.async_wait(
            [self = weak_from_this(), gen = ++generation](boost::system::error_code) {
                if (auto c = self.lock(); c && c->generation == gen) c->on_watchdog();
            });
    }

    void on_watchdog() {
        watching = Clock::time_point::max();
        if (deadline == Clock::time_point::max()) return;  // idle
        if (Clock::now() < deadline) return watch(deadline);
        timed_out = true;
        boost::system::error_code ignored;
        socket().close(ignored);  // fails the operation in progress
    }

    /// Whether an idle connection can carry a request: the peer has not closed it (FIN or TLS
    /// close_notify) and sent nothing unasked. A command on a connection the server already
    /// dropped would otherwise end as outcome_unknown although it never arrived.
    bool still_open() {
        auto& s = socket();
        if (!s.is_open()) return false;
        if (auto* tls = std::get_if<TlsStream>(&stream);
            tls && SSL_pending(tls->native_handle()) > 0)
            return false;
        char byte = 0;
        const auto n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }

    Error failure(boost::system::error_code ec) const {
        if (timed_out) return Error(Condition::network, Errc::timeout);
        return Error(Condition::network, ec);
    }
};

bool is_end_of_stream(boost::system::error_code ec) {
    // A TLS peer that closes without close_notify: the framing decides whether anything is missing.
    return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

struct HttpClient::Impl {
    asio::any_io_executor ex;
    Url base;
    std::string host_header;
    std::shared_ptr<asio::ssl::context> tls;
    HttpOptions options;
    std::vector<std::shared_ptr<Connection>> idle;
    StringPool pool;
    std::size_t opened = 0;
    bool closed = false;

    asio::awaitable<Result<std::shared_ptr<Connection>>> connect() {
        // Name resolution is bounded by the connect deadline too: a silent resolver cannot hold
        // a request past every timeout. Shared state: the timer's handler may run after we resume.
        auto resolver = std::make_shared<tcp::resolver>(ex);
        auto resolve_timed_out = std::make_shared<bool>(false);
        asio::steady_timer resolve_deadline(ex, options.timeouts.connect);
        resolve_deadline.async_wait([resolver, resolve_timed_out](boost::system::error_code ec) {
            if (ec) return;
            *resolve_timed_out = true;
            resolver->cancel();
        });
        auto [rec, endpoints] = co_await resolver->async_resolve(base.host, base.port, tuple_token);
        resolve_deadline.cancel();
        if (*resolve_timed_out) co_return Error(Condition::network, Errc::timeout);
        if (rec) co_return Error(Condition::network, rec);
        auto conn = std::make_shared<Connection>(ex);
        boost::system::error_code last = asio::error::host_not_found;
        bool connected = false;
        // Each address gets its own deadline; a silent one does not stop the next from being tried.
        for (const auto& entry : endpoints) {
            auto& socket = conn->socket();
            boost::system::error_code ignored;
            if (socket.is_open()) socket.close(ignored);
            conn->arm(options.timeouts.connect);
            auto [ec] = co_await socket.async_connect(entry.endpoint(), tuple_token);
            conn->disarm();
            if (!ec && !conn->timed_out) {
                connected = true;
                break;
            }
            last = conn->timed_out ? asio::error::timed_out : ec;
        }
        if (!connected) {
            if (last == asio::error::timed_out) co_return Error(Condition::network, Errc::timeout);
            co_return Error(Condition::network, last);
        }
        boost::system::error_code option_ec;
        conn->socket().set_option(tcp::no_delay(true), option_ec);
        if (option_ec) co_return Error(Condition::network, option_ec);
        if (base.tls) {
            tcp::socket plain = std::move(conn->socket());
            auto& s = conn->stream.emplace<Connection::TlsStream>(std::move(plain), *tls);
            // SNI carries names only (RFC 6066); verification checks the name or IP (RFC 6125).
            if (!is_ip_literal(base.host))
                SSL_set_tlsext_host_name(s.native_handle(), base.host.c_str());
            s.set_verify_callback(asio::ssl::host_name_verification(base.host));
            conn->arm(options.timeouts.connect);
            auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::client, tuple_token);
            conn->disarm();
            if (conn->timed_out) co_return Error(Condition::network, Errc::timeout);
            if (hec) co_return tls_error(hec);
        }
        ++opened;
        co_return conn;
    }

    template <class Stream>
    asio::awaitable<Result<HttpResponse>> exchange(Stream& stream, Connection& conn,
                                                   const HttpRequest& req, bool& written,
                                                   bool& answered, bool& keep_alive) {
        conn.out.clear();
        http1::write_request(conn.out, method_text(req.method), req.target, host_header,
                             req.headers, req.body, req.method != HttpMethod::get);
        conn.arm(req.timeout.count() > 0 ? req.timeout : options.timeouts.request);
        written = true;  // from here on, the venue may have seen the request
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(conn.out), tuple_token);
        if (wec) co_return conn.failure(wec);

        HttpResponse out;
        out.body = pool.take();
        http1::ResponseReader reader;
        reader.start(out.body, options.max_header, options.max_body);
        conn.in.size = 0;
        for (;;) {
            conn.in.reserve_free(4096);
            auto [rec, n] = co_await stream.async_read_some(
                asio::buffer(conn.in.data.get() + conn.in.size, conn.in.capacity - conn.in.size),
                tuple_token);
            conn.in.size += n;
            answered = answered || conn.in.size > 0;
            const bool eof = rec && is_end_of_stream(rec) && !conn.timed_out;
            if (rec && !eof) {
                pool.give(std::move(out.body));
                co_return conn.failure(rec);
            }
            const auto parsed =
                reader.feed(conn.in.view(), eof, rec != asio::ssl::error::stream_truncated);
            if (parsed == http1::Parse::incomplete) continue;
            if (parsed != http1::Parse::complete) {
                pool.give(std::move(out.body));
                if (parsed == http1::Parse::too_large)
                    co_return Error(Condition::bad_data, Errc::response_too_large);
                if (parsed == http1::Parse::truncated)
                    co_return Error(Condition::network, Errc::connection_lost);
                co_return Error(Condition::network, Errc::malformed_http);
            }
            break;
        }
        conn.disarm();
        keep_alive = reader.keep_alive();
        out.status = reader.status();
        out.content_type.assign(reader.content_type(conn.in.view()));
        out.retry_after = reader.retry_after();
        if (conn.in.capacity > (1u << 20))
            conn.in = ReadBuffer{};  // one huge answer does not pin its memory
        co_return out;
    }

    asio::awaitable<Result<HttpResponse>> send(const HttpRequest& req) {
        // Our own strings only reach here, but a CR or LF would split the request (smuggling).
        bool breaks = http1::has_control_breaks(req.target);
        for (const auto& [name, value] : req.headers)
            breaks = breaks || http1::has_control_breaks(name) || http1::has_control_breaks(value);
        if (breaks) co_return Error(Condition::rejected, Errc::invalid_argument);
        bool admitted = false;
        // A reused connection the server dropped without our noticing earlier may fail before any
        // answer; a request marked retry_stale gets one more try on a fresh connection (N06).
        for (int attempt = 0;; ++attempt) {
            if (closed) co_return Error(Condition::closed, Errc::closed);
            auto conn = attempt == 0 ? take_idle() : nullptr;
            const bool reused = conn != nullptr;
            if (!conn) {
                auto c = co_await connect();
                if (!c) co_return c.error();
                conn = std::move(*c);
            }
            if (req.gate && !admitted) {
                const bool waited = co_await req.gate->before_send();
                admitted = true;
                // After a wait the connection is checked again (and replaced if the server closed
                // it meanwhile), so an order is never written into a dead one.
                if (waited && reused && !conn->still_open()) {
                    auto c = co_await connect();
                    if (!c) co_return c.error();
                    conn = std::move(*c);
                }
            }
            bool written = false, answered = false, keep_alive = false;
            auto result = co_await std::visit(
                [&](auto& s) { return exchange(s, *conn, req, written, answered, keep_alive); },
                conn->stream);
            if (result) {
                if (keep_alive && !conn->timed_out && !closed &&
                    idle.size() < options.max_idle_connections)
                    idle.push_back(std::move(conn));
                co_return result;
            }
            // Whatever failed after a command's bytes left, the venue may have acted on it.
            if (req.is_command && written)
                co_return Error(Condition::outcome_unknown, result.error().code());
            const bool stale = reused && !answered && !conn->timed_out &&
                               result.error().condition() == Condition::network;
            if (attempt > 0 || !req.retry_stale || !stale) co_return result;
        }
    }

    /// An idle connection that is still open, or null.
    std::shared_ptr<Connection> take_idle() {
        while (!idle.empty()) {
            auto conn = std::move(idle.back());
            idle.pop_back();
            if (conn->still_open()) return conn;
        }
        return nullptr;
    }
};

HttpClient::HttpClient(asio::any_io_executor ex, Url base, std::shared_ptr<asio::ssl::context> tls,
                       HttpOptions options)
    : base_(base), impl_(std::make_shared<Impl>()) {
    impl_->ex = std::move(ex);
    impl_->host_header = base.host_header();
    impl_->base = std::move(base);
    impl_->tls = std::move(tls);
    impl_->options = options;
}

HttpClient::~HttpClient() {
    close();
}

void HttpClient::close() {
    impl_->closed = true;
    for (auto& c : impl_->idle) {
        boost::system::error_code ec;
        c->socket().close(ec);
        c->watchdog.cancel();
    }
    impl_->idle.clear();
}

std::size_t HttpClient::connections_opened() const noexcept {
    return impl_->opened;
}

StringPool& HttpClient::buffers() noexcept {
    return impl_->pool;
}

asio::awaitable<Result<HttpResponse>> HttpClient::request(HttpRequest req) {
    auto impl = impl_;  // keeps the state alive across suspension
    auto result = co_await impl->send(req);
    // The request's strings go back to the pool for the next request to build in.
    impl->pool.give(std::move(req.target));
    impl->pool.give(std::move(req.body));
    for (auto& [name, value] : req.headers) impl->pool.give(std::move(value));
    co_return result;
}

}  // namespace mexc::net
