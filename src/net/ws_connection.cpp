#include "net/ws_connection.hpp"

#include "net/connect.hpp"
#include "net/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>

namespace mexc::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

struct WsConnection::Impl : std::enable_shared_from_this<WsConnection::Impl> {
    virtual ~Impl() = default;
    virtual asio::awaitable<Result<WsMessage>> read() = 0;
    virtual void send_text(std::string text) = 0;
    virtual asio::awaitable<void> close() = 0;
    virtual void abort() noexcept = 0;
    virtual bool is_open() const noexcept = 0;
};

namespace {

Error read_error(boost::system::error_code ec) {
    if (ec == websocket::error::message_too_big || ec == websocket::error::buffer_overflow)
        return Error(Condition::bad_data, Errc::response_too_large);
    if (ec == beast::error::timeout) return Error(Condition::network, Errc::timeout);
    return Error(Condition::network, ec);
}

template <class Stream>
class Session final : public WsConnection::Impl {
public:
    explicit Session(Stream stream) : ws_(std::move(stream)), idle_timer_(ws_.get_executor()) {}

    websocket::stream<Stream>& ws() { return ws_; }

    // Beast's own idle timeout re-arms its timer on every read: a cancelled wait and a completion
    // per frame. Counting messages and looking at the count four times per idle period costs the
    // frame path nothing; a peer silent for a whole period (N08) is cut within 1.25 periods.
    void watch_idle(std::chrono::milliseconds idle) {
        idle_check_ = std::max(idle / 4, std::chrono::milliseconds(1));
        arm_idle_check();
    }

    asio::awaitable<Result<WsMessage>> read() override {
        buffer_.clear();
        auto [ec, n] = co_await ws_.async_read(buffer_, tuple_token);
        if (ec) co_return idle_expired_ ? Error(Condition::network, Errc::timeout) : read_error(ec);
        ++messages_;
        co_return WsMessage{
            ws_.got_binary(),
            std::string_view(static_cast<const char*>(buffer_.data().data()), buffer_.size())};
    }

    void send_text(std::string text) override {
        queue_.push_back(std::move(text));
        if (writing_) return;
        writing_ = true;
        asio::co_spawn(ws_.get_executor(), drain(this->shared_from_this()),
                       [](std::exception_ptr) {});
    }

    asio::awaitable<void> close() override {
        if (!ws_.is_open()) co_return;
        if (writing_) {  // one write at a time: a queued write would race the close frame
            abort();
            co_return;
        }
        auto [ec] = co_await ws_.async_close(websocket::close_code::normal, tuple_token);
        if (ec) abort();
        stop_idle_check();
    }

    void abort() noexcept override {
        stop_idle_check();
        boost::system::error_code ec;
        auto& socket = lowest_socket();
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }

    bool is_open() const noexcept override { return ws_.is_open(); }

private:
    tcp::socket& lowest_socket() noexcept {
        if constexpr (std::is_same_v<Stream, tcp::socket>)
            return ws_.next_layer();
        else
            return beast::get_lowest_layer(ws_).socket();
    }

    // The pending check holds the session; abort() and close() end it, so that a closed
    // connection leaves no timer behind on the executor.
    void arm_idle_check() {
        idle_timer_.expires_after(idle_check_);
        idle_timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
            auto* s = static_cast<Session*>(self.get());
            if (ec || !s->ws_.is_open()) return;
            if (s->messages_ != s->messages_at_check_) {
                s->messages_at_check_ = s->messages_;
                s->quiet_checks_ = 0;
            } else if (++s->quiet_checks_ >= 4) {
                s->idle_expired_ = true;
                s->abort();  // the pending read ends with a timeout
                return;
            }
            s->arm_idle_check();
        });
    }

    void stop_idle_check() noexcept {
        try {
            idle_timer_.cancel();
        } catch (...) {  // a timer cancel reports only reactor failures; nothing is left to stop
        }
    }

    // The impl is kept alive by `self` until the queue is drained or a write fails.
    static asio::awaitable<void> drain(std::shared_ptr<WsConnection::Impl> self) {
        auto* s = static_cast<Session*>(self.get());
        while (!s->queue_.empty()) {
            s->ws_.text(true);
            auto [ec, n] =
                co_await s->ws_.async_write(asio::buffer(s->queue_.front()), tuple_token);
            s->queue_.pop_front();
            if (ec) {
                s->queue_.clear();
                s->abort();  // the reader sees the failure
                break;
            }
        }
        s->writing_ = false;
    }

    websocket::stream<Stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    bool writing_ = false;
    asio::steady_timer idle_timer_;
    std::chrono::milliseconds idle_check_{0};
    std::uint64_t messages_ = 0;
    std::uint64_t messages_at_check_ = 0;
    int quiet_checks_ = 0;
    bool idle_expired_ = false;
};

template <class Stream>
void configure(websocket::stream<Stream>& ws, const WsOptions& options) {
    if constexpr (!std::is_same_v<Stream, tcp::socket>)
        beast::get_lowest_layer(ws).expires_never();  // the websocket's own timeouts take over
    websocket::stream_base::timeout t{};
    t.handshake_timeout = options.handshake;
    t.idle_timeout = websocket::stream_base::none();  // Session::watch_idle instead
    t.keep_alive_pings = false;  // MEXC's keepalive is the JSON PING (SPEC §7.1)
    ws.set_option(t);
    ws.read_message_max(options.max_message);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(http::field::user_agent, "mexcpp/0.1"); }));
}

}  // namespace

WsConnection::WsConnection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsConnection::~WsConnection() {
    if (impl_) impl_->abort();
}

asio::awaitable<Result<std::unique_ptr<WsConnection>>> WsConnection::connect(
    asio::any_io_executor ex, Url url, std::shared_ptr<asio::ssl::context> tls, WsOptions options) {
    tcp::resolver resolver(ex);
    auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, tuple_token);
    if (rec) co_return Error(Condition::network, rec);
    beast::tcp_stream tcp_stream(ex);
    if (auto c = co_await connect_any(tcp_stream, endpoints, options.connect); !c)
        co_return c.error();

    auto upgrade = [&](auto& session) -> asio::awaitable<Result<void>> {
        auto& ws = session.ws();
        configure(ws, options);
        websocket::response_type res;
        auto [hec] = co_await ws.async_handshake(res, url.host_header(), url.target, tuple_token);
        if (hec == websocket::error::upgrade_declined ||
            (hec && res.result_int() != 0 && res.result_int() != 101)) {
            // 429 and 418 are the venue's rate limit and ban, as on REST (E04, E05).
            const auto status = static_cast<int>(res.result_int());
            Error e(status == 429 || status == 418 ? Condition::rate_limited : Condition::network,
                    Errc::handshake_rejected);
            e.with_http_status(status);
            if (auto it = res.find(http::field::retry_after); it != res.end()) {
                e.with_retry_after(
                    std::chrono::seconds(std::atoi(std::string(it->value()).c_str())));
            }
            co_return e;
        }
        if (hec)
            co_return hec == beast::error::timeout ? Error(Condition::network, Errc::timeout)
                                                   : Error(Condition::network, hec);
        co_return Result<void>{};
    };

    if (!url.tls) {
        // The bare socket: beast::tcp_stream's own timer machinery costs every read, and the
        // websocket's timeouts and watch_idle cover everything after the connect.
        auto session = std::make_shared<Session<tcp::socket>>(tcp_stream.release_socket());
        if (auto r = co_await upgrade(*session); !r) co_return r.error();
        if (options.idle.count() > 0) session->watch_idle(options.idle);
        co_return std::unique_ptr<WsConnection>(new WsConnection(std::move(session)));
    }
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    auto session = std::make_shared<Session<TlsStream>>(TlsStream(std::move(tcp_stream), *tls));
    auto& tls_stream = session->ws().next_layer();
    if (!is_ip_literal(url.host))
        SSL_set_tlsext_host_name(tls_stream.native_handle(), url.host.c_str());
    tls_stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
    beast::get_lowest_layer(tls_stream).expires_after(options.handshake);
    auto [tec] = co_await tls_stream.async_handshake(asio::ssl::stream_base::client,
                                                     asio::as_tuple(asio::use_awaitable));
    if (tec)
        co_return tec == beast::error::timeout ? Error(Condition::network, Errc::timeout)
                                               : tls_error(tec);
    if (auto r = co_await upgrade(*session); !r) co_return r.error();
    if (options.idle.count() > 0) session->watch_idle(options.idle);
    co_return std::unique_ptr<WsConnection>(new WsConnection(std::move(session)));
}

// The coroutine frames hold the impl, so an operation in flight outlives this handle safely.
asio::awaitable<Result<WsMessage>> WsConnection::read() {
    auto impl = impl_;
    co_return co_await impl->read();
}
void WsConnection::send_text(std::string text) {
    impl_->send_text(std::move(text));
}
asio::awaitable<void> WsConnection::close() {
    auto impl = impl_;
    co_await impl->close();
}
void WsConnection::abort() noexcept {
    impl_->abort();
}
bool WsConnection::is_open() const noexcept {
    return impl_->is_open();
}

}  // namespace mexc::net
