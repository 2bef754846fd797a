#pragma once
// mexc-sandbox: a local MEXC-compatible venue on loopback speaking the real wire protocol (REST
// JSON, WebSocket JSON control frames and protobuf pushes), so that any MEXC client pointed at its
// URLs works unchanged. Embeddable on a caller's executor (tests, demo, benchmarks) or run as the
// `mexc-sandbox` process. Beast stays inside server.cpp.

#include "certs.hpp"
#include "engine.hpp"
#include "faults.hpp"
#include "market.hpp"
#include "rest_api.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::sandbox {

class FaultProxy;

/// The funded demo account's sandbox-only credentials (account 1).
ApiKey demo_api_key();
/// The demo account: 100 000 USDT and some of each base asset.
AccountSpec demo_account();

struct SandboxOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: an ephemeral port
    std::uint64_t seed = 42;
    std::vector<SymbolSpec> symbols = default_symbols();
    std::chrono::milliseconds tick{10};  // one market step per tick; 10ms pushes every tick
    std::optional<CertifiedKey> tls;     // serve HTTPS/WSS with this certificate
    /// Highest TLS version served, an OpenSSL constant such as TLS1_1_VERSION (S04); setting it
    /// also drops the server's security level to 0 so that OpenSSL 3 offers such old versions.
    std::optional<int> tls_max_version;
    /// API keys accepted for signed endpoints; the default is the demo account's key.
    std::vector<ApiKey> keys{demo_api_key()};
    /// Funded accounts; the default is the demo account (id 1).
    std::vector<AccountSpec> accounts{demo_account()};
    RateLimits rate_limits;
    /// Scripted market (FAULTS' deterministic scenarios): empty books and no synthetic
    /// participants; every order on the books is placed by the test (other accounts act as the
    /// counterparties). pause_market(false) would start the synthetic steps anyway.
    bool scripted = false;

    // ---- WebSocket lifecycle (SPEC §6.2, §7.1); tests shorten them (FAULTS T06, T07, T08, E06)
    // ----
    /// A connection without any subscription for this long (from connecting, or from losing its
    /// last topic) is closed.
    std::chrono::milliseconds ws_subscribe_deadline{std::chrono::seconds(30)};
    /// No client message (PING counts) for this long: closed.
    std::chrono::milliseconds ws_idle_timeout{std::chrono::seconds(60)};
    /// A kept-alive REST connection with no request for this long is closed (FIN), as the venue's
    /// front ends do with idle connections.
    std::chrono::milliseconds rest_idle_timeout{std::chrono::seconds(60)};
    /// Every connection is closed this long after it was accepted.
    std::chrono::milliseconds ws_max_lifetime{std::chrono::hours(24)};
    /// More client messages than this within any one second: closed.
    std::size_t ws_max_messages_per_second = 100;
    /// Topics per connection; the next ones are answered "Blocked!".
    std::size_t ws_max_topics = 30;
    /// Open connections per listen key (SPEC §9); the next one is closed with 1008 at once.
    std::size_t ws_max_connections_per_listen_key = 5;

    // ---- push cadences of the channels without an <SPD> (SPEC §7.4) ----
    std::chrono::milliseconds kline_period{1000};        // "current bar about every second"
    std::chrono::milliseconds mini_ticker_period{3000};  // miniTicker(s): "every 3 s"

    /// Serve the admin interface (/sandbox/admin/..., loopback peers only; docs/sandbox.md
    /// "Fault injection and admin interface"). `mexc-sandbox` turns it on.
    bool admin_interface = false;
};

struct SandboxStats {
    std::uint64_t tcp_connections = 0;  // accepted, REST and WebSocket alike
    std::uint64_t http_requests = 0;
    std::uint64_t depth_requests = 0;
    std::uint64_t ws_connections = 0;
    std::uint64_t ws_client_messages = 0;
    std::uint64_t frames_pushed = 0;
    std::uint64_t ws_topics_rejected = 0;        // "Blocked!" answers, counted per topic
    std::uint64_t ws_subscriptions_ignored = 0;  // topics left unanswered (ignore_subscriptions)
    std::uint64_t ws_upgrades_refused = 0;       // upgrades answered by a "/ws" fault rule (N04)
    // Topics (SPEC §6.2, at most ws_max_topics per connection): held now by open connections, by
    // the busiest open connection, and the most any one connection has held at once.
    std::uint64_t ws_topics_current = 0;
    std::uint64_t ws_topics_busiest_connection = 0;
    std::uint64_t ws_topics_peak_per_connection = 0;
    // Server-side closes, one counter per cause (each sends a close frame, see docs/sandbox.md).
    std::uint64_t ws_closed_no_subscription = 0;  // 1000, no valid subscription in time (T06)
    std::uint64_t ws_closed_idle = 0;             // 1000, no client message in time (T07)
    std::uint64_t ws_closed_lifetime = 0;         // 1001, 24 h maximum lifetime (T08)
    std::uint64_t ws_closed_rate_limit = 0;       // 1008, > 100 client messages per second (E06)
    // Private connections (SPEC §9; see docs/sandbox.md, "Private streams").
    std::uint64_t ws_refused_listen_key = 0;  // unknown or expired key at connect: text + 1008
    std::uint64_t ws_refused_listen_key_connections = 0;  // 6th connection of one key: 1008
    std::uint64_t ws_closed_listen_key = 0;   // key expired or deleted while open: text + 1008
    std::uint64_t private_frames_pushed = 0;  // also counted in frames_pushed
};

class Sandbox {
public:
    Sandbox(boost::asio::any_io_executor ex, SandboxOptions options = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    /// Binds and starts serving and ticking. Errors: the address's or the bind's error code.
    boost::system::result<void> start();
    /// Stops accepting, closes every connection, stops the market.
    void stop();

    std::uint16_t port() const noexcept;
    std::string rest_url() const;  // http(s)://host:port
    std::string ws_url() const;    // ws(s)://host:port/ws

    /// The oracle: true books, versions and trades; true orders, fills and balances.
    Market& market() noexcept;
    Engine& engine() noexcept;
    const SandboxStats& stats() const noexcept;
    /// Sub-accounts, STP groups, transfers, deposits and withdrawals (SPEC §3.4–§3.6).
    Custody& custody() noexcept;
    /// A deposit arriving on chain: credited at once (DEPOSIT balance push) and recorded with
    /// status 5 SUCCESS; `amount` in units of 10^-8.
    void deposit(std::uint64_t account, const std::string& coin, const std::string& network,
                 std::int64_t amount);
    /// REST requests answered 429 or 418 so far (G12: a well-behaved client causes none).
    std::uint64_t rate_limited() const noexcept;
    /// The last REST requests exactly as received ("METHOD /path?query"), oldest first.
    const std::deque<std::string>& recent_requests() const noexcept;
    /// The SNI host name of the last TLS ClientHello (S02): nullopt before any, "" when the
    /// client sent none.
    const std::optional<std::string>& last_sni() const noexcept;
    /// Freezes the market (no steps, no pushes of new versions) for deterministic checks.
    void pause_market(bool paused) noexcept;

    // ---- fault knobs (FAULTS §2.0) ----
    /// The next depth push of `symbol`, on every connection, omits `count` versions (a gap).
    void skip_versions(const std::string& symbol, std::int64_t count);
    /// From now on the depth pushes of `symbol` leave out every change of one side (`asks`, or
    /// the bids) while their versions go on chaining: a frozen side no version reveals. Trades,
    /// snapshots and the other side stay true. thaw_depth_side ends it.
    void freeze_depth_side(const std::string& symbol, bool asks);
    void thaw_depth_side(const std::string& symbol);
    /// Listen keys (SPEC §9): validity (60 minutes on MEXC) and the oracle's view.
    void set_listen_key_validity(std::chrono::milliseconds validity);
    bool listen_key_valid(const std::string& key) const;
    /// Open WebSocket connections of a listen key (closing ones excluded).
    std::size_t listen_key_connections(const std::string& key) const;
    /// Called after each engine event has been pushed to the private streams, in the engine's
    /// order: the oracle's view of what was pushed. One observer; a new one replaces the last.
    /// (Do not call engine().on_event on a sandbox: that would unplug the private streams.)
    void observe_engine(std::function<void(const EngineEvent&)> observer);
    /// The server clock runs `offset` ahead of the host clock (negative: behind).
    void set_clock_offset(std::chrono::milliseconds offset);
    /// The topics held by open public connections, one entry per connection holding it, sorted.
    std::vector<std::string> subscribed_topics() const;
    /// Resets every WebSocket connection now, without a close frame.
    void drop_connections();
    /// Resets the public connections holding `topic` now; returns how many.
    std::size_t drop_connections_with(std::string_view topic);
    /// The next REST depth snapshot of `symbol` is served `versions_back` versions old.
    void serve_stale_snapshot(const std::string& symbol, std::int64_t versions_back);
    /// Lists `symbol` in GET /api/v3/symbol/offline: `state` 2 suspended, 3 delisted, anything
    /// else lists it no more; `offline_time_ms` 0 omits offlineTime. Trading is not affected.
    void set_offline_symbol(const std::string& symbol, int state, std::int64_t offline_time_ms = 0);

    // ---- fault injection (FAULTS §2.0; docs/sandbox.md "Fault injection and admin interface")
    // ----
    /// REST fault rules and public push faults.
    Faults& faults() noexcept;
    /// Closes every WebSocket connection with this close code and reason; 1006 resets instead
    /// (1006 is never sent on the wire).
    void close_connections(int code, std::string reason);
    /// The admin interface also drives this proxy (`/sandbox/admin/proxy`); null detaches it.
    void attach_proxy(FaultProxy* proxy) noexcept;
    FaultProxy* proxy() const noexcept;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::sandbox
