// The sandbox's network side: HTTP/1.1 REST and WebSocket on one port, plain or TLS.

#include "sandbox.hpp"

#include "mexc/decimal.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <deque>
#include <map>
#include <unordered_map>

namespace mexc::sandbox {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string decimal(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, format_decimal_units(units, scale, std::span<char, 32>(buf)));
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1 + 1) {
            int v = 0;
            auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
            if (ec == std::errc{} && p == s.data() + i + 3) {
                out.push_back(static_cast<char>(v));
                i += 2;
                continue;
            }
        }
        out.push_back(s[i] == '+' ? ' ' : s[i]);
    }
    return out;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
    std::map<std::string, std::string, std::less<>> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        out[url_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return out;
}

struct Reply {
    http::status status = http::status::ok;
    std::string body;
};

Reply error_reply(http::status status, int code, std::string_view msg) {
    return {status, fmt::format(R"({{"code":{},"msg":"{}"}})", code, msg)};
}

std::string levels_json(const std::vector<LevelUnits>& levels, SymbolScales scales) {
    std::string out = "[";
    for (const auto& l : levels) {
        if (out.size() > 1) out += ',';
        out += fmt::format(R"(["{}","{}"])", decimal(l.price, scales.price), decimal(l.quantity, scales.quantity));
    }
    return out + "]";
}

// ---- subscriptions --------------------------------------------------------------------------

enum class TopicKind { depth, deals };

struct Subscription {
    std::string topic;
    TopicKind kind;
    std::string symbol;
    std::string event_type;
    int interval_ticks = 1;
    std::int64_t next_version = 0;
    std::uint64_t last_trade = 0;
};

// Parses the topics the sandbox serves: aggre depth and aggre deals at 10ms/100ms (SPEC §7.4).
std::optional<Subscription> parse_topic(const std::string& topic, const Market& market, std::chrono::milliseconds tick) {
    static const std::pair<std::string_view, TopicKind> prefixes[] = {
        {"spot@public.aggre.depth.v3.api.pb@", TopicKind::depth},
        {"spot@public.aggre.deals.v3.api.pb@", TopicKind::deals},
    };
    for (const auto& [prefix, kind] : prefixes) {
        if (topic.rfind(prefix, 0) != 0) continue;
        const std::string_view rest = std::string_view(topic).substr(prefix.size());
        const auto at = rest.find('@');
        if (at == std::string_view::npos) return std::nullopt;
        const auto interval = rest.substr(0, at);
        const auto symbol = rest.substr(at + 1);
        if ((interval != "10ms" && interval != "100ms") || !market.find(symbol)) return std::nullopt;
        Subscription s;
        s.topic = topic;
        s.kind = kind;
        s.symbol = std::string(symbol);
        s.event_type = topic.substr(0, topic.size() - symbol.size() - 1);
        const auto period = std::chrono::milliseconds(interval == "10ms" ? 10 : 100);
        s.interval_ticks = std::max<int>(1, static_cast<int>(period / std::max(tick, std::chrono::milliseconds(1))));
        return s;
    }
    return std::nullopt;
}

std::string encode_depth(const Subscription& sub, const SymbolBook& book, std::int64_t from, std::int64_t to) {
    // Aggregate: the last change of a level within the window wins (quantities are absolute).
    std::map<std::pair<bool, std::int64_t>, std::int64_t> latest;
    for (const auto& c : book.changes(from, to)) latest[{c.ask, c.price}] = c.quantity;
    PushDataV3ApiWrapper wrapper;
    wrapper.set_channel(sub.topic);
    wrapper.set_symbol(sub.symbol);
    wrapper.set_sendtime(now_ms());
    auto* body = wrapper.mutable_publicaggredepths();
    const auto scales = book.scales();
    for (const auto& [key, qty] : latest) {
        auto* item = key.first ? body->add_asks() : body->add_bids();
        item->set_price(decimal(key.second, scales.price));
        item->set_quantity(decimal(qty, scales.quantity));
    }
    body->set_eventtype(sub.event_type);
    body->set_fromversion(std::to_string(from));
    body->set_toversion(std::to_string(to));
    return wrapper.SerializeAsString();
}

std::string encode_deals(const Subscription& sub, const SymbolBook& book, std::uint64_t after) {
    PushDataV3ApiWrapper wrapper;
    wrapper.set_channel(sub.topic);
    wrapper.set_symbol(sub.symbol);
    wrapper.set_sendtime(now_ms());
    auto* body = wrapper.mutable_publicaggredeals();
    const auto scales = book.scales();
    for (const auto& t : book.trades()) {
        if (t.id <= after) continue;
        auto* item = body->add_deals();
        item->set_price(decimal(t.price, scales.price));
        item->set_quantity(decimal(t.quantity, scales.quantity));
        item->set_tradetype(t.taker_side);
        item->set_time(t.time_ms);
        item->set_tradeid(fmt::format("{}X0", t.id));
    }
    body->set_eventtype(sub.event_type);
    return wrapper.SerializeAsString();
}

}  // namespace

// ---- WebSocket peers ---------------------------------------------------------------------------

struct Peer {
    virtual ~Peer() = default;
    virtual void send(bool binary, std::string data) = 0;
    virtual void drop() noexcept = 0;
    std::vector<Subscription> subscriptions;
};

struct Sandbox::Impl : std::enable_shared_from_this<Sandbox::Impl> {
    asio::any_io_executor ex;
    SandboxOptions options;
    Market market;
    tcp::acceptor acceptor;
    asio::steady_timer ticker;
    std::shared_ptr<asio::ssl::context> tls;
    std::vector<std::weak_ptr<Peer>> peers;
    std::unordered_map<std::string, std::int64_t> pending_skips;
    std::unordered_map<std::string, std::int64_t> stale_snapshots;
    SandboxStats stats;
    std::uint64_t ticks = 0;
    bool paused = false;
    bool stopped = false;

    Impl(asio::any_io_executor executor, SandboxOptions opts)
        : ex(executor), options(std::move(opts)), market(options.seed, options.symbols), acceptor(executor), ticker(executor) {}

    // ---- REST ---------------------------------------------------------------------------

    Reply exchange_info(const std::map<std::string, std::string, std::less<>>& q) {
        std::vector<const SymbolBook*> chosen;
        auto add = [&](std::string_view name) {
            const SymbolBook* b = market.find(name);
            if (!b) return false;
            chosen.push_back(b);
            return true;
        };
        if (auto it = q.find("symbol"); it != q.end()) {
            if (!add(it->second)) return error_reply(http::status::bad_request, -1121, "Invalid symbol.");
        } else if (auto its = q.find("symbols"); its != q.end()) {
            std::string_view list = its->second;
            while (!list.empty()) {
                const auto comma = list.find(',');
                if (!add(list.substr(0, comma))) return error_reply(http::status::bad_request, -1121, "Invalid symbol.");
                list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
            }
        } else {
            for (const auto& b : market.symbols()) chosen.push_back(&b);
        }
        std::string symbols;
        for (const auto* b : chosen) {
            const auto& s = b->spec();
            if (!symbols.empty()) symbols += ',';
            symbols += fmt::format(
                R"({{"symbol":"{}","status":"1","baseAsset":"{}","baseAssetPrecision":{},"quoteAsset":"{}",)"
                R"("quotePrecision":{},"quoteAssetPrecision":{},"baseCommissionPrecision":{},"quoteCommissionPrecision":{},)"
                R"("orderTypes":["LIMIT","MARKET","LIMIT_MAKER"],"isSpotTradingAllowed":true,"isMarginTradingAllowed":false,)"
                R"("quoteAmountPrecision":"1","baseSizePrecision":"0","permissions":["SPOT"],"filters":[],)"
                R"("maxQuoteAmount":"2000000","makerCommission":"0","takerCommission":"0.0005",)"
                R"("quoteAmountPrecisionMarket":"1","maxQuoteAmountMarket":"100000","fullName":"{}","tradeSideType":1,)"
                R"("contractAddress":"","conceptPlateIds":[],"st":false}})",
                s.symbol, s.base_asset, s.quantity_scale, s.quote_asset, s.price_scale, s.price_scale, s.quantity_scale,
                s.price_scale, s.base_asset);
        }
        return {http::status::ok, fmt::format(R"({{"timezone":"CST","serverTime":{},"rateLimits":[],"exchangeFilters":[],"symbols":[{}]}})",
                                              now_ms(), symbols)};
    }

    Reply depth(const std::map<std::string, std::string, std::less<>>& q) {
        ++stats.depth_requests;
        auto it = q.find("symbol");
        if (it == q.end()) return error_reply(http::status::bad_request, 700004, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        const SymbolBook* book = market.find(it->second);
        if (!book) return error_reply(http::status::bad_request, -1121, "Invalid symbol.");
        std::size_t limit = 100;
        if (auto l = q.find("limit"); l != q.end()) {
            int v = 0;
            auto [p, ec] = std::from_chars(l->second.data(), l->second.data() + l->second.size(), v);
            if (ec != std::errc{} || v <= 0) return error_reply(http::status::bad_request, 33333, "Parameter error");
            limit = static_cast<std::size_t>(std::min(v, 5000));
        }
        std::optional<DepthSnapshot> snap;
        if (auto stale = stale_snapshots.find(book->spec().symbol); stale != stale_snapshots.end()) {
            snap = book->snapshot_at(book->version() - stale->second, limit);
            stale_snapshots.erase(stale);
        }
        if (!snap) snap = book->snapshot(limit);
        return {http::status::ok, fmt::format(R"({{"lastUpdateId":{},"bids":{},"asks":{},"timestamp":{}}})", snap->last_update_id,
                                              levels_json(snap->bids, book->scales()), levels_json(snap->asks, book->scales()), now_ms())};
    }

    Reply route(const http::request<http::string_body>& req) {
        ++stats.http_requests;
        const std::string_view target = req.target();
        const auto qmark = target.find('?');
        const std::string_view path = target.substr(0, qmark);
        const auto query = parse_query(qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1));
        if (req.method() == http::verb::get) {
            if (path == "/api/v3/ping") return {http::status::ok, "{}"};
            if (path == "/api/v3/time") return {http::status::ok, fmt::format(R"({{"serverTime":{}}})", now_ms())};
            if (path == "/api/v3/exchangeInfo") return exchange_info(query);
            if (path == "/api/v3/depth") return depth(query);
        }
        return error_reply(http::status::not_found, 404, "Not Found");
    }

    // ---- WebSocket control frames ------------------------------------------------------------

    void on_ws_text(Peer& peer, std::string_view text, simdjson::ondemand::parser& parser) {
        ++stats.ws_client_messages;
        simdjson::padded_string padded(text);
        simdjson::ondemand::document doc;
        std::string_view method;
        if (parser.iterate(padded).get(doc) || doc["method"].get_string().get(method)) return;  // ignored, as MEXC does
        std::int64_t id = 0;
        if (doc["id"].get_int64().get(id)) id = 0;
        if (method == "PING") {
            peer.send(false, R"({"id":0,"code":0,"msg":"PONG"})");
            return;
        }
        std::vector<std::string> topics;
        simdjson::ondemand::array params;
        if (!doc["params"].get_array().get(params)) {
            for (auto p : params) {
                std::string_view t;
                if (!p.get_string().get(t)) topics.emplace_back(t);
            }
        }
        std::string accepted, refused;
        auto join = [](std::string& list, const std::string& t) { list += (list.empty() ? "" : ",") + t; };
        if (method == "SUBSCRIPTION") {
            bool duplicate = false;
            for (const auto& t : topics) {
                auto& subs = peer.subscriptions;
                if (std::any_of(subs.begin(), subs.end(), [&](const Subscription& s) { return s.topic == t; })) {
                    duplicate = true;
                    continue;
                }
                auto sub = subs.size() < 30 ? parse_topic(t, market, options.tick) : std::nullopt;  // SPEC §6.2 cap
                if (!sub) {
                    join(refused, t);
                    continue;
                }
                const SymbolBook* book = market.find(sub->symbol);
                sub->next_version = book->version() + 1;
                sub->last_trade = book->last_trade_id();
                subs.push_back(std::move(*sub));
                join(accepted, t);
            }
            if (!accepted.empty()) peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":"{}"}})", id, accepted));
            if (!refused.empty())
                peer.send(false, fmt::format("{{\"id\":{},\"code\":0,\"msg\":\"Not Subscribed successfully! [{}].  Reason： Blocked! \"}}", id, refused));
            if (duplicate && accepted.empty() && refused.empty()) peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":""}})", id));
        } else if (method == "UNSUBSCRIPTION") {
            for (const auto& t : topics) {
                auto& subs = peer.subscriptions;
                subs.erase(std::remove_if(subs.begin(), subs.end(), [&](const Subscription& s) { return s.topic == t; }), subs.end());
                join(accepted, t);
            }
            peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":"{}"}})", id, accepted));
        }
    }

    // ---- market ticks and pushes ------------------------------------------------------------------

    void push(Peer& peer) {
        for (auto& sub : peer.subscriptions) {
            if (ticks % static_cast<std::uint64_t>(sub.interval_ticks) != 0) continue;
            const SymbolBook* book = market.find(sub.symbol);
            if (sub.kind == TopicKind::depth) {
                if (auto skip = pending_skips.find(sub.symbol); skip != pending_skips.end()) sub.next_version += skip->second;
                if (book->version() < sub.next_version) continue;
                if (sub.next_version <= book->oldest_version_kept()) sub.next_version = book->oldest_version_kept() + 1;
                peer.send(true, encode_depth(sub, *book, sub.next_version, book->version()));
                sub.next_version = book->version() + 1;
            } else {
                if (book->last_trade_id() <= sub.last_trade) continue;
                peer.send(true, encode_deals(sub, *book, sub.last_trade));
                sub.last_trade = book->last_trade_id();
            }
            ++stats.frames_pushed;
        }
    }

    static asio::awaitable<void> tick_loop(std::shared_ptr<Impl> self) {
        while (!self->stopped) {
            self->ticker.expires_after(self->options.tick);
            auto [ec] = co_await self->ticker.async_wait(tuple_token);
            if (ec || self->stopped) break;
            if (self->paused) continue;
            ++self->ticks;
            self->market.step(now_ms());
            std::erase_if(self->peers, [](const std::weak_ptr<Peer>& p) { return p.expired(); });
            for (auto& weak : self->peers)
                if (auto peer = weak.lock()) self->push(*peer);
            // A skip applies once to the next push of every subscription of that symbol.
            std::erase_if(self->pending_skips, [&](const auto& entry) {
                for (auto& weak : self->peers)
                    if (auto peer = weak.lock())
                        for (auto& sub : peer->subscriptions)
                            if (sub.symbol == entry.first && sub.kind == TopicKind::depth &&
                                self->ticks % static_cast<std::uint64_t>(sub.interval_ticks) != 0)
                                return false;
                return true;
            });
        }
    }

    // ---- connections --------------------------------------------------------------------------

    template <class Stream>
    struct WsPeer final : Peer, std::enable_shared_from_this<WsPeer<Stream>> {
        explicit WsPeer(Stream&& s) : ws(std::move(s)) {}
        websocket::stream<Stream> ws;
        std::deque<std::pair<bool, std::string>> queue;
        bool writing = false;

        void send(bool binary, std::string data) override {
            if (queue.size() > 10000) return drop();  // a consumer that never reads: cut it off
            queue.emplace_back(binary, std::move(data));
            if (writing) return;
            writing = true;
            asio::co_spawn(ws.get_executor(), drain(this->shared_from_this()), [](std::exception_ptr) {});
        }
        static asio::awaitable<void> drain(std::shared_ptr<WsPeer> self) {
            while (!self->queue.empty()) {
                self->ws.binary(self->queue.front().first);
                auto [ec, n] = co_await self->ws.async_write(asio::buffer(self->queue.front().second), tuple_token);
                self->queue.pop_front();
                if (ec) {
                    self->queue.clear();
                    break;
                }
            }
            self->writing = false;
        }
        void drop() noexcept override {
            boost::system::error_code ec;
            beast::get_lowest_layer(ws).socket().close(ec);
        }
    };

    template <class Stream>
    asio::awaitable<void> run_ws(Stream stream, http::request<http::string_body> req) {
        auto peer = std::make_shared<WsPeer<Stream>>(std::move(stream));
        beast::get_lowest_layer(peer->ws).expires_never();
        peer->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        peer->ws.read_message_max(1 << 20);
        auto [ec] = co_await peer->ws.async_accept(req, tuple_token);
        if (ec) co_return;
        ++stats.ws_connections;
        peers.push_back(peer);
        simdjson::ondemand::parser parser;
        beast::flat_buffer buffer;
        while (!stopped) {
            buffer.clear();
            auto [rec, n] = co_await peer->ws.async_read(buffer, tuple_token);
            if (rec) break;
            if (peer->ws.got_text())
                on_ws_text(*peer, std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()), parser);
        }
        peer->subscriptions.clear();
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream stream) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(1 << 20);
            beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(60));
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, tuple_token);
            if (ec) break;
            auto req = parser.release();
            if (websocket::is_upgrade(req) && req.target().starts_with("/ws")) {
                co_await run_ws(std::move(stream), std::move(req));
                co_return;
            }
            const Reply reply = route(req);
            http::response<http::string_body> res{reply.status, req.version()};
            res.set(http::field::server, "mexc-sandbox");
            res.set(http::field::content_type, "application/json");
            res.keep_alive(req.keep_alive());
            res.body() = reply.body;
            res.prepare_payload();
            auto [wec, wn] = co_await http::async_write(stream, res, tuple_token);
            if (wec || !res.keep_alive()) break;
        }
        boost::system::error_code ec;
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
    }

    asio::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        if (!tls) {
            co_await serve(std::move(stream));
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *tls);
        beast::get_lowest_layer(secure).expires_after(std::chrono::seconds(10));
        auto [ec] = co_await secure.async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        co_await serve(std::move(secure));
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
        while (!self->stopped) {
            auto [ec, socket] = co_await self->acceptor.async_accept(tuple_token);
            if (ec) break;
            asio::co_spawn(self->ex, [](std::shared_ptr<Impl> s, tcp::socket sock) -> asio::awaitable<void> {
                co_await s->session(std::move(sock));
            }(self, std::move(socket)), [](std::exception_ptr) {});
        }
    }
};

Sandbox::Sandbox(asio::any_io_executor ex, SandboxOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(options))) {}

Sandbox::~Sandbox() { stop(); }

Result<void> Sandbox::start() {
    auto& s = *impl_;
    if (s.options.tls) {
        s.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        s.tls->use_certificate_chain(asio::buffer(s.options.tls->certificate_pem));
        s.tls->use_private_key(asio::buffer(s.options.tls->private_key_pem), asio::ssl::context::pem);
    }
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(s.options.host, ec), s.options.port);
    if (ec) return Error(Condition::rejected, ec);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Error(Condition::network, ec);
    asio::co_spawn(s.ex, Impl::accept_loop(impl_), [](std::exception_ptr) {});
    asio::co_spawn(s.ex, Impl::tick_loop(impl_), [](std::exception_ptr) {});
    return {};
}

void Sandbox::stop() {
    auto& s = *impl_;
    if (s.stopped) return;
    s.stopped = true;
    boost::system::error_code ec;
    s.acceptor.close(ec);
    s.ticker.cancel();
    drop_connections();
}

std::uint16_t Sandbox::port() const noexcept {
    boost::system::error_code ec;
    return impl_->acceptor.local_endpoint(ec).port();
}

std::string Sandbox::rest_url() const {
    return fmt::format("{}://{}:{}", impl_->options.tls ? "https" : "http", impl_->options.host, port());
}

std::string Sandbox::ws_url() const {
    return fmt::format("{}://{}:{}/ws", impl_->options.tls ? "wss" : "ws", impl_->options.host, port());
}

Market& Sandbox::market() noexcept { return impl_->market; }
const SandboxStats& Sandbox::stats() const noexcept { return impl_->stats; }
void Sandbox::pause_market(bool paused) noexcept { impl_->paused = paused; }

void Sandbox::skip_versions(const std::string& symbol, std::int64_t count) { impl_->pending_skips[symbol] += count; }

void Sandbox::drop_connections() {
    for (auto& weak : impl_->peers)
        if (auto peer = weak.lock()) peer->drop();
}

void Sandbox::serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back) {
    impl_->stale_snapshots[symbol] = versions_back;
}

}  // namespace mexc::sandbox
