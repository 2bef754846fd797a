#pragma once
// Configuration: endpoints, credentials, timeouts, TLS and book options. Loaded from YAML with
// credentials overridable from the environment (MEXC_API_KEY, MEXC_SECRET_KEY).

#include "mexc/book/book_options.hpp"
#include "mexc/credentials.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/rate_limits.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mexc {

/// TLS of the REST and WebSocket connections.
struct TlsOptions {
    /// Extra trust anchors (PEM) in addition to the system store; explicit, for test CAs.
    std::string ca_file;
    /// Verification can be switched off only for loopback hosts, and never silently (S03).
    bool insecure_skip_verify_loopback_only = false;
};

/// Deadlines of the network steps.
struct Timeouts {
    /// Name resolution, TCP connect (per address) and the TLS handshake.
    std::chrono::milliseconds connect{5000};
    /// One REST attempt, from writing the request to the end of its answer (see RestOptions).
    std::chrono::milliseconds request{10000};
    std::chrono::milliseconds ws_handshake{10000};
    /// No frame (data or PONG) for this long closes the connection (N08).
    std::chrono::milliseconds ws_idle{60000};
    /// Bound of MexcExchange::close() (close frames and joining its tasks).
    std::chrono::milliseconds close{2000};
    /// A subscription that has no Live book after this long reports a failure.
    std::chrono::milliseconds subscribe{20000};
};

/// The timeout and read-retry budget of one family of REST endpoints.
struct RestFamilyOptions {
    /// Deadline of one attempt, from writing the request to the end of its answer (connecting
    /// has Timeouts::connect); 0: Timeouts::request.
    std::chrono::milliseconds timeout{0};
    /// Further attempts of a read that failed on the network or with a 5xx (0..10). Commands are
    /// never sent twice whatever this says.
    int read_retries = 2;
};

/// REST endpoints by family: public market data; account, wallet and sub-account calls; order
/// placement, cancels and order/trade queries; listen keys of the user data stream.
struct RestOptions {
    RestFamilyOptions market_data;
    RestFamilyOptions account;
    RestFamilyOptions orders;
    RestFamilyOptions user_data_stream;
};

/// Everything an exchange or client is made from. Move-only (it holds the secret): clone()
/// copies it explicitly.
struct Config {
    std::string rest_url = "https://api.mexc.com";
    std::string ws_url = "wss://wbs-api.mexc.com/ws";
    std::optional<Credentials> credentials;
    std::chrono::milliseconds recv_window{5000};
    TlsOptions tls;
    Timeouts timeouts;
    RestOptions rest;

    /// Depth stream aggregation: "10ms" or "100ms" (SPEC §7.4).
    std::string depth_interval = "100ms";
    /// REST snapshot depth (SPEC §10.1 uses 5000).
    int snapshot_limit = 5000;
    /// REST depth snapshots in flight at once (1..64); the others wait their turn, resyncs of
    /// books in use before first loads, instead of all waiting inside the rate limiter.
    int snapshot_concurrency = 4;
    /// Topics per public connection (1..30). MEXC serves 30 (SPEC §6.2), but clients report
    /// refusals near the cap and run about 20, the default.
    std::size_t ws_topics_per_connection = 20;
    /// Client messages per connection in any second (1..100; SPEC §6.2 cuts above 100). Requests
    /// beyond wait their turn, in order; subscriptions waiting together leave as one message.
    std::size_t ws_messages_per_second = 50;
    /// New public connections opened per second at most, reconnects included (1..100): a whole
    /// market comes up, or back after an outage, without a storm of handshakes.
    int ws_connects_per_second = 10;
    /// A public connection older than this is replaced, make-before-break: a new connection takes
    /// its topics over, each once its data joins up with the old one's, and then the old one
    /// closes. MEXC cuts connections at 24 h (SPEC §7.1). At least 1 s.
    std::chrono::milliseconds ws_rotate_after{std::chrono::hours(23)};
    /// JSON PING cadence (SPEC §7.1: the server drops after 60 s without traffic).
    std::chrono::milliseconds ping_interval{20000};
    /// A Live book with no update for this long is reported Stale (FAULTS §1.4).
    std::chrono::milliseconds stale_after{10000};
    /// With the symbol's trades subscribed too (subscribe_trades), a trade the book's maker side
    /// has not shown after this long, while its other side moved on, means that side is frozen:
    /// the book resyncs (ExchangeMetrics::frozen_sides). 0 turns the check off.
    std::chrono::milliseconds frozen_side_after{3000};
    /// Every this long one Live book (round robin) is compared with a REST snapshot (depth 100,
    /// weight 3, behind resyncs and first loads): a shadow book bridged from it takes the same
    /// increments until it holds the book's version, then their top book_check_levels levels must
    /// agree; a disagreement is counted (ExchangeMetrics::book_check_disagreements) and resyncs
    /// the book. 0 (the default) turns the checks off.
    std::chrono::milliseconds book_check_interval{0};
    /// Levels per side a book check compares (1..50).
    std::size_t book_check_levels = 20;
    /// A topic the venue acknowledged but pushed nothing for within this long is reported to its
    /// subscribers as network/no_data (the subscription stays); 0 turns the check off.
    std::chrono::milliseconds first_data_timeout{30000};
    /// Reconnect back-off bounds of the WebSocket streams.
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{10000};
    /// Largest WebSocket message (a larger one ends the connection, which reconnects) and REST
    /// answer body (a larger one is bad_data/response_too_large) accepted.
    std::size_t ws_max_message = 4u << 20;
    std::size_t http_max_body = 16u << 20;
    /// Client-side request budget (SPEC §6.1); one limiter serves all of an exchange's clients.
    RateLimits rate_limits;
    BookOptions book;
    /// How long balances() and exchange-info rules are served from cache.
    std::chrono::milliseconds balance_ttl{1000};
    std::chrono::milliseconds rules_ttl{std::chrono::minutes(10)};
    /// Listen-key keepalive (PUT) cadence; MEXC keeps a key 60 min after the last one (SPEC §9).
    std::chrono::milliseconds listen_key_keepalive{std::chrono::minutes(30)};
    /// Account events held for the program at most; beyond, a loss is reported (FAULTS C13).
    std::size_t account_event_queue = 65536;
    /// Final orders the private stream tracked, kept to answer order() without a request (at
    /// least 1); the oldest is evicted first (FAULTS I7).
    std::size_t completed_orders = 1000;
    /// MexcExchange::close() first cancels every open order of the account (a kill switch for a
    /// program that owns its account). Off by default: orders outlive the session.
    bool cancel_orders_on_close = false;
    /// Refuse orders locally when exchangeInfo says isSpotTradingAllowed: false. Off by default:
    /// MEXC says so of pairs its API trades (BTCUSDT, SPEC §11.6); the key's selfSymbols and
    /// defaultSymbols and the symbol's status decide.
    bool refuse_when_spot_trading_not_allowed = false;
    /// The command journal, empty for none: every order command (place, cancel, cancel all) of a
    /// MexcExchange is appended and flushed to this file before it is sent, and a program started
    /// again on the same file resolves what the last one left unresolved, by client order id,
    /// before it sends anything new (MexcExchange::recover()). One exchange uses a file at a time.
    std::string journal_path;

    Config() = default;
    Config(Config&&) noexcept = default;
    Config& operator=(Config&&) noexcept = default;
    /// A deep copy, secret included.
    Config clone() const;
};

/// Checks ranges and combinations: recv_window in 1..60000 ms (SPEC §1.5), depth_interval,
/// snapshot_limit in 1..5000, snapshot_concurrency in 1..64, ws_topics_per_connection in 1..30,
/// ws_messages_per_second and ws_connects_per_second in 1..100, parsable URLs, REST timeouts ≥ 0
/// and read_retries in 0..10, credentials with both parts, a journal_path naming a file (not ending
/// in '/', no NUL or line break, at most 4000 bytes). Errors: rejected/config_invalid, its
/// text naming the rule; rejected/insecure_tls_refused when verification is off for a non-loopback
/// TLS host (S03).
Result<void> validate(const Config& config);

/// Parses YAML text; see docs/configuration.md for keys. Does not read the environment and does
/// not validate. Errors: rejected/config_invalid with the YAML error's text (syntax, a value of
/// the wrong type, a top level that is not a mapping).
Result<Config> parse_config(std::string_view yaml);

/// Reads a YAML file, then applies environment overrides, then validates. Errors:
/// rejected/config_invalid when the file cannot be opened; those of parse_config and validate.
Result<Config> load_config(const std::string& path);

/// MEXC_API_KEY and MEXC_SECRET_KEY, when both set and non-empty, replace the configured
/// credentials. Never fails.
void apply_environment(Config& config);

}  // namespace mexc
