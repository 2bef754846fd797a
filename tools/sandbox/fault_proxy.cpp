#include "fault_proxy.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <random>
#include <vector>

namespace mexc::sandbox {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
namespace {
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

void close_socket(tcp::socket& s, bool reset) {
    boost::system::error_code ec;
    if (!s.is_open()) return;
    if (reset) s.set_option(asio::socket_base::linger(true, 0), ec);
    s.close(ec);
}
}  // namespace

struct FaultProxy::Impl : std::enable_shared_from_this<FaultProxy::Impl> {
    struct Link {
        explicit Link(asio::any_io_executor ex) : client(ex), server(ex) {}
        tcp::socket client;
        tcp::socket server;
        std::size_t forwarded = 0;  // bytes sent to the client
        int halves_done = 0;
        bool closed = false;
        void close(bool reset) {
            closed = true;
            close_socket(client, reset);
            close_socket(server, reset);
        }
    };

    asio::any_io_executor ex;
    std::string target_host;
    std::uint16_t target_port;
    std::string listen_host;
    std::uint16_t listen_port;
    tcp::acceptor acceptor;
    std::vector<std::weak_ptr<Link>> links;
    FaultProxyStats stats;
    std::minstd_rand random{12345};
    std::chrono::milliseconds latency{0};
    std::chrono::milliseconds jitter{0};
    std::size_t bandwidth = 0;
    std::size_t cut = 0;
    bool blackhole = false;
    bool refusing = false;
    bool stopped = false;

    Impl(asio::any_io_executor e, std::string th, std::uint16_t tp, std::string lh,
         std::uint16_t lp)
        : ex(e),
          target_host(std::move(th)),
          target_port(tp),
          listen_host(std::move(lh)),
          listen_port(lp),
          acceptor(e) {}

    boost::system::result<void> listen() {
        boost::system::error_code ec;
        const tcp::endpoint endpoint(asio::ip::make_address(listen_host, ec), listen_port);
        if (ec) return ec;
        acceptor.open(endpoint.protocol(), ec);
        if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor.bind(endpoint, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            boost::system::error_code ignored;
            acceptor.close(ignored);
            return ec;
        }
        listen_port = acceptor.local_endpoint(ec).port();  // the same port when listening again
        asio::co_spawn(ex, accept_loop(shared_from_this()), [](std::exception_ptr) {});
        return {};
    }

    std::chrono::milliseconds chunk_delay() {
        auto d = latency;
        if (jitter.count() > 0)
            d += std::chrono::milliseconds(
                std::uniform_int_distribution<std::int64_t>(0, jitter.count())(random));
        return d;
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
        while (!self->stopped && self->acceptor.is_open()) {
            auto [ec, socket] = co_await self->acceptor.async_accept(tuple_token);
            if (ec) break;
            ++self->stats.connections;
            auto link = std::make_shared<Link>(self->ex);
            link->client = std::move(socket);
            std::erase_if(self->links, [](const std::weak_ptr<Link>& l) { return l.expired(); });
            self->links.push_back(link);
            asio::co_spawn(self->ex, open_link(self, link), [](std::exception_ptr) {});
        }
    }

    static asio::awaitable<void> open_link(std::shared_ptr<Impl> self, std::shared_ptr<Link> link) {
        if (self->blackhole) {
            // Half-open: the client's bytes go nowhere and nothing ever comes back.
            co_await discard(link);
            co_return;
        }
        boost::system::error_code ec;
        auto address = asio::ip::make_address(
            self->target_host == "localhost" ? "127.0.0.1" : self->target_host, ec);
        if (ec) {
            link->close(false);
            co_return;
        }
        auto [cec] = co_await link->server.async_connect(tcp::endpoint(address, self->target_port),
                                                         tuple_token);
        if (cec || link->closed) {
            link->close(false);
            co_return;
        }
        asio::co_spawn(self->ex, pump(self, link, true), [](std::exception_ptr) {});
        co_await pump(self, link, false);
    }

    static asio::awaitable<void> discard(std::shared_ptr<Link> link) {
        std::vector<char> buf(4096);
        for (;;) {
            auto [ec, n] = co_await link->client.async_read_some(asio::buffer(buf), tuple_token);
            if (ec) break;
        }
        link->close(false);
    }

    static asio::awaitable<void> pump(std::shared_ptr<Impl> self, std::shared_ptr<Link> link,
                                      bool upstream) {
        tcp::socket& from = upstream ? link->client : link->server;
        tcp::socket& to = upstream ? link->server : link->client;
        std::vector<char> buf(16384);
        asio::steady_timer timer(self->ex);
        auto wait = [&](std::chrono::milliseconds d) -> asio::awaitable<void> {
            if (d.count() <= 0) co_return;
            timer.expires_after(d);
            co_await timer.async_wait(tuple_token);
        };
        boost::system::error_code ec;
        for (;;) {
            std::size_t cap = buf.size();
            if (self->bandwidth)
                cap =
                    std::clamp<std::size_t>(self->bandwidth / 20, 1, buf.size());  // ~50 ms slices
            auto [rec, n] =
                co_await from.async_read_some(asio::buffer(buf.data(), cap), tuple_token);
            ec = rec;
            if (ec || link->closed) break;
            if (self->blackhole) continue;  // swallowed
            co_await wait(self->chunk_delay());
            if (link->closed) break;
            std::size_t send = n;
            bool cut_now = false;
            if (self->cut && !upstream) {
                const std::size_t allowed =
                    self->cut > link->forwarded ? self->cut - link->forwarded : 0;
                if (send >= allowed) {
                    send = allowed;
                    cut_now = true;
                }
            }
            if (send) {
                auto [wec, wn] =
                    co_await asio::async_write(to, asio::buffer(buf.data(), send), tuple_token);
                if (wec) {
                    ec = wec;
                    break;
                }
                if (!upstream) link->forwarded += wn;  // what cut_after counts
                self->stats.bytes_forwarded += wn;
            }
            if (cut_now) {
                ++self->stats.connections_cut;
                link->close(false);
                co_return;
            }
            if (self->bandwidth)
                co_await wait(std::chrono::milliseconds(
                    static_cast<std::int64_t>(send * 1000 / self->bandwidth)));
        }
        if (link->closed) co_return;
        if (ec == asio::error::eof && ++link->halves_done < 2) {
            boost::system::error_code ignored;
            to.shutdown(tcp::socket::shutdown_send, ignored);  // pass the half-close on
            co_return;
        }
        link->close(ec != asio::error::eof);  // a reset is passed on as a reset
    }
};

FaultProxy::FaultProxy(boost::asio::any_io_executor ex, std::string target_host,
                       std::uint16_t target_port, std::string listen_host,
                       std::uint16_t listen_port)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(target_host), target_port,
                                   std::move(listen_host), listen_port)) {}

FaultProxy::~FaultProxy() {
    stop();
}

boost::system::result<void> FaultProxy::start() {
    return impl_->listen();
}

void FaultProxy::stop() {
    auto& s = *impl_;
    if (s.stopped) return;
    s.stopped = true;
    boost::system::error_code ec;
    s.acceptor.close(ec);
    for (auto& weak : s.links)
        if (auto link = weak.lock()) link->close(false);
}

std::uint16_t FaultProxy::port() const noexcept {
    return impl_->listen_port;
}

std::string FaultProxy::url(std::string_view scheme, std::string_view path) const {
    return fmt::format("{}://{}:{}{}", scheme, impl_->listen_host, port(), path);
}

void FaultProxy::set_latency(std::chrono::milliseconds latency, std::chrono::milliseconds jitter) {
    impl_->latency = latency;
    impl_->jitter = jitter;
}

void FaultProxy::set_bandwidth(std::size_t bytes_per_second) {
    impl_->bandwidth = bytes_per_second;
}

void FaultProxy::cut_after(std::size_t bytes) {
    impl_->cut = bytes;
}

void FaultProxy::reset_now() {
    for (auto& weak : impl_->links)
        if (auto link = weak.lock(); link && !link->closed) {
            ++impl_->stats.connections_reset;
            link->close(true);
        }
}

void FaultProxy::set_blackhole(bool on) {
    impl_->blackhole = on;
}

void FaultProxy::set_refuse(bool on) {
    auto& s = *impl_;
    if (on == s.refusing || s.stopped) return;
    s.refusing = on;
    boost::system::error_code ec;
    if (on)
        s.acceptor.close(ec);
    else
        (void)s.listen();
}

const FaultProxyStats& FaultProxy::stats() const noexcept {
    return impl_->stats;
}

std::string FaultProxy::describe() const {
    const auto& s = *impl_;
    return fmt::format(
        R"({{"port":{},"latency_ms":{},"jitter_ms":{},"bandwidth":{},"cut_after":{},"blackhole":{},"refuse":{},)"
        R"("connections":{},"bytes_forwarded":{},"connections_cut":{},"connections_reset":{}}})",
        s.listen_port, s.latency.count(), s.jitter.count(), s.bandwidth, s.cut, s.blackhole,
        s.refusing, s.stats.connections, s.stats.bytes_forwarded, s.stats.connections_cut,
        s.stats.connections_reset);
}

}  // namespace mexc::sandbox
