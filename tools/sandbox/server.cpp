// The sandbox's network side: HTTP/1.1 REST and WebSocket on one port, plain or TLS.

#include "sandbox.hpp"

#include "admin_api.hpp"
#include "engine.hpp"
#include "fault_proxy.hpp"
#include "faults.hpp"
#include "private_channels.hpp"
#include "public_channels.hpp"
#include "rest_api.hpp"
#include "text.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <charconv>
#include <deque>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>

namespace mexc::sandbox {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
constexpr auto tuple_token = asio::as_tuple(asio::deferred);

// ---- WebSocket peers ---------------------------------------------------------------------------

struct Peer {
    using Clock = std::chrono::steady_clock;
    virtual ~Peer() = default;
    virtual void send(bool binary, std::string data) = 0;
    /// Sends a close frame after what is queued; nothing is pushed or answered afterwards.
    virtual void close(websocket::close_code code, std::string_view reason) = 0;
    virtual void drop() noexcept = 0;
    std::vector<Subscription> subscriptions;
    Clock::time_point connected_at = Clock::now();        // 24 h lifetime (SPEC §7.1)
    Clock::time_point last_message = connected_at;        // idle rule: any client message counts
    Clock::time_point unsubscribed_since = connected_at;  // no-subscription rule
    std::deque<Clock::time_point> recent;  // client messages of the last second (SPEC §6.2)
    bool closing = false;
    // Private connections (`/ws?listenKey=`, SPEC §7.5, §9): the key and its account; the private
    // topics subscribed. A public connection has an empty key.
    std::string listen_key;
    std::uint64_t account = 0;
    std::vector<PrivateTopic> private_topics;
    bool is_private() const noexcept { return !listen_key.empty(); }
    bool has_topics() const noexcept { return !subscriptions.empty() || !private_topics.empty(); }
    std::size_t topics() const noexcept { return subscriptions.size() + private_topics.size(); }
};

namespace {

// A scripted market starts with empty books: every order on them is a test's own.
std::vector<SymbolSpec> scripted_or(const SandboxOptions& options) {
    auto symbols = options.symbols;
    if (options.scripted)
        for (auto& s : symbols) s.levels_per_side = 0;
    return symbols;
}

}  // namespace

struct Sandbox::Impl : std::enable_shared_from_this<Sandbox::Impl> {
    asio::any_io_executor ex;
    SandboxOptions options;
    Market market;
    tcp::acceptor acceptor;
    asio::steady_timer ticker;
    std::shared_ptr<asio::ssl::context> tls;
    std::vector<std::weak_ptr<Peer>> peers;
    std::unordered_map<std::string, std::int64_t> pending_skips;
    std::unordered_map<std::string, bool> frozen_sides;  // symbol → asks (else bids) left out
    SandboxStats stats;
    Engine engine{market};
    RestApi rest{market, stats, options.keys, options.rate_limits};
    std::unordered_map<std::string, VersionInfo>
        version_times;  // when each book reached its version
    PrivateEncoder private_encoder{market};
    std::function<void(const EngineEvent&)> engine_observer;  // Sandbox::observe_engine
    std::uint64_t ticks = 0;
    bool paused = false;
    bool stopped = false;
    Faults faults;                        // FAULTS §2.0: REST rules and public push faults
    std::optional<std::string> last_sni;  // Sandbox::last_sni (S02)
    Sandbox* owner = nullptr;             // for the admin interface; null once the Sandbox is gone
    FaultProxy* proxy = nullptr;          // driven by /sandbox/admin/proxy when attached

    Impl(asio::any_io_executor executor, SandboxOptions opts)
        : ex(executor),
          options(std::move(opts)),
          market(options.seed, scripted_or(options)),
          acceptor(executor),
          ticker(executor) {
        paused = options.scripted;
        for (const auto& account : options.accounts) engine.add_account(account);
        rest.attach_engine(&engine);
        engine.on_event([this](const EngineEvent& e) { on_engine_event(e); });
    }

    // ---- WebSocket control frames ------------------------------------------------------------

    void on_ws_text(Peer& peer, std::string_view text, simdjson::ondemand::parser& parser) {
        ++stats.ws_client_messages;
        simdjson::padded_string padded(text);
        simdjson::ondemand::document doc;
        std::string_view method;
        if (parser.iterate(padded).get(doc) || doc["method"].get_string().get(method))
            return;  // ignored, as MEXC does
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
        auto join = [](std::string& list, const std::string& t) {
            list += (list.empty() ? "" : ",") + t;
        };
        if (method == "SUBSCRIPTION") {
            bool duplicate = false;
            for (const auto& t : topics) {
                auto& subs = peer.subscriptions;
                auto& privates = peer.private_topics;
                const std::size_t count = subs.size() + privates.size();
                if (const auto topic = parse_private_topic(t)) {
                    // SPEC §7.5: private topics only on a listen-key connection; "Blocked!"
                    // elsewhere.
                    if (std::find(privates.begin(), privates.end(), *topic) != privates.end()) {
                        duplicate = true;
                    } else if (!peer.is_private() || count >= options.ws_max_topics) {
                        join(refused, t);
                        ++stats.ws_topics_rejected;
                    } else {
                        privates.push_back(*topic);
                        join(accepted, t);
                    }
                    continue;
                }
                if (faults.ignores_subscription(t)) {
                    ++stats.ws_subscriptions_ignored;
                    continue;
                }
                if (std::any_of(subs.begin(), subs.end(),
                                [&](const Subscription& s) { return s.topic == t; })) {
                    duplicate = true;
                    continue;
                }
                // SPEC §6.2: topics beyond the cap are not served; they are answered like unknown
                // ones.
                auto sub = count < options.ws_max_topics ? parse_topic(t, market, options.tick)
                                                         : std::nullopt;
                if (!sub) {
                    join(refused, t);
                    ++stats.ws_topics_rejected;
                    continue;
                }
                if (const SymbolBook* book = market.find(sub->symbol)) {
                    sub->next_version = book->version() + 1;
                    sub->last_trade = book->last_trade_id();
                }
                subs.push_back(std::move(*sub));
                join(accepted, t);
            }
            if (!accepted.empty())
                peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":"{}"}})", id, accepted));
            if (!refused.empty())
                peer.send(false, fmt::format("{{\"id\":{},\"code\":0,\"msg\":\"Not Subscribed "
                                             "successfully! [{}].  Reason： Blocked! \"}}",
                                             id, refused));
            stats.ws_topics_peak_per_connection =
                std::max<std::uint64_t>(stats.ws_topics_peak_per_connection, peer.topics());
            if (duplicate && accepted.empty() && refused.empty())
                peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":""}})", id));
        } else if (method == "UNSUBSCRIPTION") {
            for (const auto& t : topics) {
                auto& subs = peer.subscriptions;
                const bool before = peer.has_topics();
                subs.erase(std::remove_if(subs.begin(), subs.end(),
                                          [&](const Subscription& s) { return s.topic == t; }),
                           subs.end());
                if (const auto topic = parse_private_topic(t))
                    std::erase(peer.private_topics, *topic);
                if (before && !peer.has_topics()) peer.unsubscribed_since = Peer::Clock::now();
                join(accepted, t);
            }
            peer.send(false, fmt::format(R"({{"id":{},"code":0,"msg":"{}"}})", id, accepted));
        }
    }

    // ---- market ticks and pushes
    // ------------------------------------------------------------------

    /// Counts one client message; closes the connection past the rate cap (SPEC §6.2, FAULTS E06).
    /// Returns whether the message is to be handled.
    bool on_ws_message(Peer& peer) {
        const auto now = Peer::Clock::now();
        peer.last_message = now;
        peer.recent.push_back(now);
        while (now - peer.recent.front() >= std::chrono::seconds(1)) peer.recent.pop_front();
        if (peer.recent.size() <= options.ws_max_messages_per_second) return true;
        ++stats.ws_closed_rate_limit;
        peer.close(websocket::close_code::policy_error, "too many messages");
        return false;
    }

    /// Server-side closes of SPEC §7.1, each with a close frame (a choice: MEXC ends these
    /// connections in an orderly way; a reset is what drop_connections() is for).
    void check_lifetime(Peer& peer, Peer::Clock::time_point now) {
        if (peer.closing) return;
        if (peer.is_private() && !rest.listen_key_account(peer.listen_key)) {
            // The key expired or was deleted (SPEC §9, exact MEXC behaviour uncertain): the
            // connection is told as ccxt expects it and closed (docs/sandbox.md, "Private
            // streams").
            ++stats.ws_closed_listen_key;
            refuse_listen_key(peer);
        } else if (now - peer.connected_at >= options.ws_max_lifetime) {
            ++stats.ws_closed_lifetime;
            peer.close(websocket::close_code::going_away, "connection lifetime exceeded");
        } else if (!peer.has_topics() &&
                   now - peer.unsubscribed_since >= options.ws_subscribe_deadline) {
            ++stats.ws_closed_no_subscription;
            peer.close(websocket::close_code::normal, "no valid subscription");
        } else if (now - peer.last_message >= options.ws_idle_timeout) {
            ++stats.ws_closed_idle;
            peer.close(websocket::close_code::normal, "idle");
        }
    }

    // ---- private channels (SPEC §7.5, §9) ------------------------------------------------------

    /// The plain-text frame ccxt treats as fatal (SPEC §7.2, §9), then a close frame.
    static void refuse_listen_key(Peer& peer) {
        peer.send(false, "Invalid listen key");
        peer.close(websocket::close_code::policy_error, "Invalid listen key");
    }

    /// Open (not closing) connections of one listen key.
    std::size_t connections_of(const std::string& key) const {
        std::size_t n = 0;
        for (const auto& weak : peers)
            if (auto peer = weak.lock(); peer && !peer->closing && peer->listen_key == key) ++n;
        return n;
    }

    /// Engine events in the engine's order, each to the connections of its account subscribed to
    /// its topic, at once (not on a tick): a push may beat the REST reply, as on MEXC (FAULTS C02).
    void on_engine_event(const EngineEvent& event) {
        const std::uint64_t account = account_of(event);
        const PrivateTopic topic = topic_of(event);
        // Always encoded: the encoder follows the Fill → Order pairs for lastDealQuantity.
        std::string frame = private_encoder.encode(event, now_ms());
        for (const auto& weak : peers) {
            auto peer = weak.lock();
            if (!peer || peer->closing || peer->account != account || !peer->is_private()) continue;
            const auto& topics = peer->private_topics;
            if (std::find(topics.begin(), topics.end(), topic) == topics.end()) continue;
            // The push faults apply here too (FAULTS §2.0): drop, duplicate, reorder or delay
            // private pushes by topic, e.g. "private.orders".
            for (auto& out : faults.filter_push(static_cast<const void*>(peer.get()),
                                                to_string(topic), frame, Peer::Clock::now())) {
                peer->send(true, std::move(out));
                ++stats.frames_pushed;
                ++stats.private_frames_pushed;
            }
        }
        if (engine_observer) engine_observer(event);
    }

    // ---- market ticks and pushes
    // ------------------------------------------------------------------

    void note_versions(std::int64_t at_ms) {
        for (const auto& book : market.symbols()) {
            auto& known = version_times[book.spec().symbol];
            if (known.version != book.version()) known = {book.version(), at_ms};
        }
    }

    VersionInfo version_info(const SymbolBook& book) const {
        auto it = version_times.find(book.spec().symbol);
        if (it == version_times.end() || it->second.version != book.version())
            return {book.version(), now_ms()};
        return it->second;
    }

    // Levels of a top-N snapshot in one list, to push only when they changed.
    static std::vector<BookLevel> flatten(const DepthSnapshot& top) {
        std::vector<BookLevel> out(top.asks);
        out.push_back({-1, -1});
        out.insert(out.end(), top.bids.begin(), top.bids.end());
        return out;
    }

    void push(Peer& peer, Peer::Clock::time_point now) {
        for (auto& late :
             faults.release_due(static_cast<const void*>(&peer), now)) {  // delay_pushes
            peer.send(true, std::move(late));
            ++stats.frames_pushed;
        }
        for (auto& sub : peer.subscriptions) {
            std::string frame;
            const SymbolBook* book = market.find(sub.symbol);  // null for miniTickers
            switch (sub.kind) {
                case TopicKind::kline:
                case TopicKind::mini_ticker:
                case TopicKind::mini_tickers: {
                    // Time-driven channels: the first push at once, then one per period, market
                    // paused or not.
                    if (sub.next_due && now < *sub.next_due) continue;
                    sub.next_due =
                        now + (sub.kind == TopicKind::kline ? options.kline_period
                                                            : options.mini_ticker_period);
                    if (sub.kind == TopicKind::kline)
                        frame = encode_kline(sub, *book, now_ms());
                    else if (sub.kind == TopicKind::mini_ticker)
                        frame = encode_mini_ticker(sub, *book, now_ms());
                    else
                        frame = encode_mini_tickers(sub, market, now_ms());
                    break;
                }
                case TopicKind::depth: {
                    if (ticks % static_cast<std::uint64_t>(sub.interval_ticks) != 0) continue;
                    if (auto skip = pending_skips.find(sub.symbol); skip != pending_skips.end())
                        sub.next_version += skip->second;
                    if (book->version() < sub.next_version) continue;
                    if (sub.next_version <= book->oldest_version_kept())
                        sub.next_version = book->oldest_version_kept() + 1;
                    const auto frozen = frozen_sides.find(sub.symbol);
                    frame = encode_depth(
                        sub, *book, sub.next_version, book->version(), version_info(*book).time_ms,
                        frozen == frozen_sides.end() ? std::nullopt
                                                     : std::optional<bool>(frozen->second));
                    sub.next_version = book->version() + 1;
                    break;
                }
                case TopicKind::deals: {
                    if (ticks % static_cast<std::uint64_t>(sub.interval_ticks) != 0) continue;
                    if (book->last_trade_id() <= sub.last_trade) continue;
                    frame = encode_deals(sub, *book, sub.last_trade);
                    sub.last_trade = book->last_trade_id();
                    break;
                }
                case TopicKind::limit_depth:
                case TopicKind::book_ticker:
                case TopicKind::book_ticker_batch: {
                    // Snapshot channels: the first push at once, then whenever the levels changed.
                    if (ticks % static_cast<std::uint64_t>(sub.interval_ticks) != 0) continue;
                    const DepthSnapshot top =
                        book->snapshot(sub.kind == TopicKind::limit_depth ? sub.levels : 1);
                    auto levels = flatten(top);
                    if (sub.pushed_once && levels == sub.pushed) continue;
                    frame = sub.kind == TopicKind::limit_depth
                                ? encode_limit_depth(sub, *book, top, version_info(*book))
                                : encode_book_ticker(sub, *book, top, version_info(*book));
                    sub.pushed = std::move(levels);
                    sub.pushed_once = true;
                    break;
                }
            }
            // Push faults (drop, duplicate, reorder, delay) decide what goes out now.
            for (auto& out : faults.filter_push(static_cast<const void*>(&peer), sub.topic,
                                                std::move(frame), now)) {
                peer.send(true, std::move(out));
                ++stats.frames_pushed;
            }
        }
    }

    static asio::awaitable<void> tick_loop(std::shared_ptr<Impl> self) {
        self->note_versions(now_ms());
        while (!self->stopped) {
            self->ticker.expires_after(self->options.tick);
            auto [ec] = co_await self->ticker.async_wait(tuple_token);
            if (ec || self->stopped) break;
            // Paused: no market steps, so no new versions or trades; lifetimes and the time-driven
            // channels (kline, miniTicker) go on.
            ++self->ticks;
            if (!self->paused) {
                const std::int64_t step_ms = now_ms();
                self->engine.step(
                    step_ms);  // synthetic participants act on the shared order queues
                self->note_versions(step_ms);
            }
            std::erase_if(self->peers, [](const std::weak_ptr<Peer>& p) { return p.expired(); });
            const auto now = Peer::Clock::now();
            for (auto& weak : self->peers) {
                auto peer = weak.lock();
                if (!peer) continue;
                self->check_lifetime(*peer, now);
                if (!peer->closing) self->push(*peer, now);
            }
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
        std::optional<websocket::close_reason> close_frame;  // sent once the queue is drained
        bool writing = false;

        void send(bool binary, std::string data) override {
            if (closing) return;
            if (queue.size() > 10000) return drop();  // a consumer that never reads: cut it off
            queue.emplace_back(binary, std::move(data));
            start_writer();
        }
        void close(websocket::close_code code, std::string_view reason) override {
            if (closing) return;
            closing = true;
            subscriptions.clear();
            private_topics.clear();
            close_frame.emplace(code, reason);
            start_writer();
        }
        void start_writer() {
            if (writing) return;
            writing = true;
            asio::co_spawn(ws.get_executor(), drain(this->shared_from_this()),
                           [](std::exception_ptr) {});
        }
        static asio::awaitable<void> drain(std::shared_ptr<WsPeer> self) {
            while (!self->queue.empty()) {
                self->ws.binary(self->queue.front().first);
                auto [ec, n] = co_await self->ws.async_write(
                    asio::buffer(self->queue.front().second), tuple_token);
                self->queue.pop_front();
                if (ec) {
                    self->queue.clear();
                    self->close_frame.reset();
                    break;
                }
            }
            if (self->close_frame) {
                // The reader sees the peer's answering close frame and ends the session; Beast's
                // handshake timeout ends it if the peer never answers.
                const websocket::close_reason reason = *self->close_frame;
                self->close_frame.reset();
                auto [ec] = co_await self->ws.async_close(reason, tuple_token);
                if (ec) self->drop();
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
        admit(*peer, std::string_view(req.target()));
        simdjson::ondemand::parser parser;
        beast::flat_buffer buffer;
        while (!stopped) {
            buffer.clear();
            auto [rec, n] = co_await peer->ws.async_read(buffer, tuple_token);
            if (rec) break;
            if (peer->closing || !on_ws_message(*peer))
                continue;  // awaiting the peer's close frame
            if (peer->ws.got_text())
                on_ws_text(
                    *peer,
                    std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()),
                    parser);
        }
        peer->subscriptions.clear();
        peer->private_topics.clear();
        faults.forget(static_cast<const void*>(static_cast<Peer*>(peer.get())));
        peer->closing = true;  // no longer one of its listen key's connections
    }

    /// `/ws?listenKey=<key>` makes a private connection (SPEC §7.1, §9). The upgrade is accepted
    /// either way; an unknown or expired key gets "Invalid listen key" and a close, a sixth
    /// connection of one key a close 1008 (docs/sandbox.md, "Private streams").
    void admit(Peer& peer, std::string_view target) {
        const auto query_at = target.find('?');
        if (query_at == std::string_view::npos) return;
        const Params query = parse_query(target.substr(query_at + 1));
        const auto key = query.find("listenKey");
        if (key == query.end()) return;  // a public connection
        const auto account = rest.listen_key_account(key->second);
        if (!account) {
            ++stats.ws_refused_listen_key;
            refuse_listen_key(peer);
            return;
        }
        if (connections_of(key->second) >= options.ws_max_connections_per_listen_key) {
            ++stats.ws_refused_listen_key_connections;
            peer.close(websocket::close_code::policy_error,
                       "too many connections for this listen key");
            return;
        }
        peer.listen_key = key->second;
        peer.account = *account;
    }

    template <class Stream>
    asio::awaitable<void> serve(Stream stream) {
        beast::flat_buffer buffer;
        // The peer's address, for API-key IP whitelists (SPEC §2.5, 700006).
        boost::system::error_code peer_ec;
        const std::string client_ip =
            beast::get_lowest_layer(stream).socket().remote_endpoint(peer_ec).address().to_string();
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(1 << 20);
            beast::get_lowest_layer(stream).expires_after(options.rest_idle_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, tuple_token);
            if (ec) break;
            auto req = parser.release();
            if (websocket::is_upgrade(req) && req.target().starts_with("/ws")) {
                // A rule on "/ws" answers the upgrade instead of 101 (FAULTS N04): 429/418 with
                // Retry-After, a WAF 403, a 502 page.
                auto refused = faults.take_rest_fault("GET", req.target());
                if (!refused || !refused->status) {
                    co_await run_ws(std::move(stream), std::move(req));
                    co_return;
                }
                ++stats.ws_upgrades_refused;
                http::response<http::string_body> res{static_cast<http::status>(*refused->status),
                                                      req.version()};
                res.set(http::field::server, "mexc-sandbox");
                res.set(http::field::content_type, "text/html");
                for (const auto& [name, value] : refused->headers) res.set(name, value);
                res.keep_alive(false);
                res.body() = refused->body;
                res.prepare_payload();
                (void)co_await http::async_write(stream, res, tuple_token);
                co_return;
            }
            auto key = req.find("X-MEXC-APIKEY");
            const RestRequest request{
                std::string_view(req.method_string()), std::string_view(req.target()), req.body(),
                key == req.end() ? std::string_view{} : std::string_view(key->value()), client_ip};
            std::optional<RestFault> fault;
            RestReply reply;
            if (options.admin_interface && owner && is_admin_target(request.target)) {
                reply =
                    from_loopback(beast::get_lowest_layer(stream).socket())
                        ? handle_admin(*owner, request)
                        : RestReply{
                              403, R"({"ok":false,"error":"admin interface: loopback only"})", {}};
            } else {
                fault = faults.take_rest_fault(request.method, request.target);
                if (!fault || (fault->apply && !fault->apply_after_delay))
                    reply = rest.handle(request);  // applied: an order IS placed
            }
            if (fault && fault->delay.count() > 0) {
                asio::steady_timer wait(ex);
                wait.expires_after(fault->delay);
                co_await wait.async_wait(tuple_token);
            }
            // Landing late: applied now, whether or not its client is still there.
            if (fault && fault->apply_after_delay) reply = rest.handle(request);
            if (fault && fault->status) reply = {*fault->status, fault->body, fault->headers};
            http::response<http::string_body> res{static_cast<http::status>(reply.status),
                                                  req.version()};
            res.set(http::field::server, "mexc-sandbox");
            res.set(http::field::content_type, "application/json");
            for (const auto& [name, value] : reply.headers)
                res.set(name, value);  // may replace Content-Type
            res.keep_alive(req.keep_alive());
            res.body() = reply.body;
            res.prepare_payload();
            if (fault && fault->ending != RestFault::Ending::answer) {
                co_await misbehave(stream, res, *fault);
                co_return;
            }
            auto [wec, wn] = co_await http::async_write(stream, res, tuple_token);
            if (wec || !res.keep_alive()) break;
        }
        boost::system::error_code ec;
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
    }

    static bool from_loopback(const tcp::socket& socket) {
        boost::system::error_code ec;
        const auto address = socket.remote_endpoint(ec).address();
        if (ec) return false;
        if (address.is_v6() && address.to_v6().is_v4_mapped())
            return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
        return address.is_loopback();
    }

    /// The endings of REST faults other than a normal answer (FAULTS N07, N10, P15, T02).
    template <class Stream>
    asio::awaitable<void> misbehave(Stream& stream, http::response<http::string_body>& res,
                                    const RestFault& fault) {
        auto& lowest = beast::get_lowest_layer(stream);
        boost::system::error_code ec;
        switch (fault.ending) {
            case RestFault::Ending::answer:
                break;
            case RestFault::Ending::hold: {
                // Nothing is answered; the connection stays open until the client gives up
                // (bounded).
                lowest.expires_after(std::chrono::minutes(5));
                std::array<char, 512> sink{};
                for (;;) {
                    auto [rec, n] =
                        co_await lowest.async_read_some(asio::buffer(sink), tuple_token);
                    if (rec) break;
                }
                break;
            }
            case RestFault::Ending::reset:
                lowest.socket().set_option(asio::socket_base::linger(true, 0), ec);
                break;
            case RestFault::Ending::truncate:
            case RestFault::Ending::wrong_length: {
                if (fault.ending == RestFault::Ending::wrong_length) {
                    const auto declared =
                        static_cast<std::int64_t>(res.body().size()) + fault.length_delta;
                    res.set(http::field::content_length,
                            std::to_string(std::max<std::int64_t>(declared, 0)));
                }
                std::ostringstream head;
                head << res.base();
                std::string wire = head.str() + res.body();
                if (fault.ending == RestFault::Ending::truncate)
                    wire.resize(std::min(wire.size(), fault.bytes));
                lowest.expires_after(std::chrono::seconds(10));
                if (!wire.empty())
                    co_await asio::async_write(stream, asio::buffer(wire), tuple_token);
                break;  // closed without TLS close_notify: a truncation (N10)
            }
        }
        lowest.socket().close(ec);
    }

    asio::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        if (!tls) {
            co_await serve(std::move(stream));
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *tls);
        beast::get_lowest_layer(secure).expires_after(std::chrono::seconds(10));
        auto [ec] = co_await secure.async_handshake(asio::ssl::stream_base::server,
                                                    asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
        co_await serve(std::move(secure));
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self) {
        while (!self->stopped) {
            auto [ec, socket] = co_await self->acceptor.async_accept(tuple_token);
            if (ec) break;
            ++self->stats.tcp_connections;
            asio::co_spawn(
                self->ex,
                [](std::shared_ptr<Impl> s, tcp::socket sock) -> asio::awaitable<void> {
                    co_await s->session(std::move(sock));
                }(self, std::move(socket)),
                [](std::exception_ptr) {});
        }
    }
};

Sandbox::Sandbox(asio::any_io_executor ex, SandboxOptions options)
    : impl_(std::make_shared<Impl>(std::move(ex), std::move(options))) {
    impl_->owner = this;
}

Sandbox::~Sandbox() {
    stop();
    impl_->owner = nullptr;
}

boost::system::result<void> Sandbox::start() {
    auto& s = *impl_;
    if (s.options.tls) {
        s.tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
        s.tls->use_certificate_chain(asio::buffer(s.options.tls->certificate_pem));
        s.tls->use_private_key(asio::buffer(s.options.tls->private_key_pem),
                               asio::ssl::context::pem);
        SSL_CTX* ctx = s.tls->native_handle();
        if (s.options.tls_max_version) {
            SSL_CTX_set_max_proto_version(ctx, *s.options.tls_max_version);
            // OpenSSL 3 refuses TLS < 1.2 (SHA-1 signatures) at its default level 1 even when
            // allowed.
            SSL_CTX_set_security_level(ctx, 0);
        }
        // Called for every ClientHello, with or without the SNI extension; the Impl outlives the
        // context's sessions (each holds it).
        SSL_CTX_set_tlsext_servername_callback(
            ctx, +[](SSL* ssl, int*, void* arg) -> int {
                const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
                static_cast<Impl*>(arg)->last_sni = name ? name : "";
                return SSL_TLSEXT_ERR_OK;
            });
        SSL_CTX_set_tlsext_servername_arg(ctx, &s);
    }
    boost::system::error_code ec;
    const tcp::endpoint endpoint(asio::ip::make_address(s.options.host, ec), s.options.port);
    if (ec) return ec;
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return ec;
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
    return fmt::format("{}://{}:{}", impl_->options.tls ? "https" : "http", impl_->options.host,
                       port());
}

std::string Sandbox::ws_url() const {
    return fmt::format("{}://{}:{}/ws", impl_->options.tls ? "wss" : "ws", impl_->options.host,
                       port());
}

Market& Sandbox::market() noexcept {
    return impl_->market;
}
Engine& Sandbox::engine() noexcept {
    return impl_->engine;
}
std::uint64_t Sandbox::rate_limited() const noexcept {
    return impl_->rest.rate_limited();
}
const std::deque<std::string>& Sandbox::recent_requests() const noexcept {
    return impl_->rest.recent_requests();
}
const SandboxStats& Sandbox::stats() const noexcept {
    // The topics held now, counted when asked: connections end in many ways.
    SandboxStats& stats = impl_->stats;
    stats.ws_topics_current = 0;
    stats.ws_topics_busiest_connection = 0;
    for (const auto& weak : impl_->peers) {
        const auto peer = weak.lock();
        if (!peer || peer->closing) continue;
        stats.ws_topics_current += peer->topics();
        stats.ws_topics_busiest_connection =
            std::max<std::uint64_t>(stats.ws_topics_busiest_connection, peer->topics());
    }
    return stats;
}
std::vector<std::string> Sandbox::subscribed_topics() const {
    std::vector<std::string> out;
    for (const auto& weak : impl_->peers)
        if (const auto peer = weak.lock(); peer && !peer->closing)
            for (const auto& s : peer->subscriptions) out.push_back(s.topic);
    std::sort(out.begin(), out.end());
    return out;
}
const std::optional<std::string>& Sandbox::last_sni() const noexcept {
    return impl_->last_sni;
}
void Sandbox::pause_market(bool paused) noexcept {
    impl_->paused = paused;
}

void Sandbox::skip_versions(const std::string& symbol, std::int64_t count) {
    impl_->pending_skips[symbol] += count;
}

void Sandbox::freeze_depth_side(const std::string& symbol, bool asks) {
    impl_->frozen_sides[symbol] = asks;
}

void Sandbox::thaw_depth_side(const std::string& symbol) {
    impl_->frozen_sides.erase(symbol);
}

void Sandbox::drop_connections() {
    for (auto& weak : impl_->peers)
        if (auto peer = weak.lock()) peer->drop();
}

std::size_t Sandbox::drop_connections_with(std::string_view topic) {
    std::size_t dropped = 0;
    for (auto& weak : impl_->peers) {
        auto peer = weak.lock();
        if (!peer || peer->closing) continue;
        const auto& subs = peer->subscriptions;
        if (std::none_of(subs.begin(), subs.end(),
                         [&](const Subscription& s) { return s.topic == topic; }))
            continue;
        peer->drop();
        ++dropped;
    }
    return dropped;
}

Faults& Sandbox::faults() noexcept {
    return impl_->faults;
}

void Sandbox::close_connections(int code, std::string reason) {
    for (auto& weak : impl_->peers) {
        auto peer = weak.lock();
        if (!peer) continue;
        if (code == 1006)
            peer->drop();  // "abnormal closure" is never sent: a reset
        else
            peer->close(static_cast<websocket::close_code>(code), reason);
    }
}

void Sandbox::attach_proxy(FaultProxy* proxy) noexcept {
    impl_->proxy = proxy;
}
FaultProxy* Sandbox::proxy() const noexcept {
    return impl_->proxy;
}

void Sandbox::set_clock_offset(std::chrono::milliseconds offset) {
    impl_->rest.set_clock_offset(offset);
}

Custody& Sandbox::custody() noexcept {
    return impl_->rest.custody();
}

void Sandbox::deposit(std::uint64_t account, const std::string& coin, const std::string& network,
                      std::int64_t amount) {
    impl_->rest.deposit(account, coin, network, amount);
}

void Sandbox::set_listen_key_validity(std::chrono::milliseconds validity) {
    impl_->rest.set_listen_key_validity(validity);
}

bool Sandbox::listen_key_valid(const std::string& key) const {
    return impl_->rest.listen_key_account(key).has_value();
}

std::size_t Sandbox::listen_key_connections(const std::string& key) const {
    return impl_->connections_of(key);
}

void Sandbox::observe_engine(std::function<void(const EngineEvent&)> observer) {
    impl_->engine_observer = std::move(observer);
}

AccountSpec demo_account() {
    AccountSpec a;
    a.id = 1;
    constexpr std::int64_t unit = 100000000;  // 1.0 at asset_scale
    a.deposits = {{"USDT", 100000 * unit},
                  {"BTC", 2 * unit},
                  {"ETH", 20 * unit},
                  {"SOL", 200 * unit},
                  {"MX", 5000 * unit}};
    return a;
}

ApiKey demo_api_key() {
    // Sandbox-only credentials, printed by `mexc-sandbox` at start-up; never valid on MEXC.
    ApiKey k;
    k.key = "sandboxDemoKey0001";
    k.secret = "sandboxDemoSecret000000000000001";
    k.account = 1;
    return k;
}

void Sandbox::serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back) {
    impl_->rest.serve_stale_snapshot(symbol, versions_back);
}

void Sandbox::set_offline_symbol(const std::string& symbol, int state,
                                 std::int64_t offline_time_ms) {
    impl_->rest.set_offline_symbol(symbol, state, offline_time_ms);
}

}  // namespace mexc::sandbox
