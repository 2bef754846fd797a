#pragma once
// Configuration: endpoints, credentials, timeouts, TLS and book options. Loaded from YAML with
// credentials overridable from the environment (MEXC_API_KEY, MEXC_SECRET_KEY).

#include "mexc/book/book_options.hpp"
#include "mexc/credentials.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/rate_limiter.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mexc {

struct TlsOptions {
    /// Extra trust anchors (PEM) in addition to the system store; explicit, for test CAs.
    std::string ca_file;
    /// Verification can be switched off only for loopback hosts, and never silently (S03).
    bool insecure_skip_verify_loopback_only = false;
};

struct Timeouts {
    std::chrono::milliseconds connect{5000};
    std::chrono::milliseconds request{10000};
    std::chrono::milliseconds ws_handshake{10000};
    /// No frame (data or PONG) for this long closes the connection (N08).
    std::chrono::milliseconds ws_idle{60000};
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
    /// JSON PING cadence (SPEC §7.1: the server drops after 60 s without traffic).
    std::chrono::milliseconds ping_interval{20000};
    /// A Live book with no update for this long is reported Stale (FAULTS §1.4).
    std::chrono::milliseconds stale_after{10000};
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{10000};
    std::size_t ws_max_message = 4u << 20;
    std::size_t http_max_body = 16u << 20;
    /// Client-side request budget (SPEC §6.1); one limiter serves all of an exchange's clients.
    RateLimits rate_limits;
    BookOptions book;
    /// How long balances() and exchange-info rules are served from cache.
    std::chrono::milliseconds balance_ttl{1000};
    std::chrono::milliseconds rules_ttl{std::chrono::minutes(10)};
    /// Refuse orders locally when exchangeInfo says isSpotTradingAllowed: false. Off by default:
    /// MEXC says so of pairs its API trades (BTCUSDT, SPEC §11.6); the key's selfSymbols and
    /// defaultSymbols and the symbol's status decide.
    bool refuse_when_spot_trading_not_allowed = false;

    Config() = default;
    Config(Config&&) noexcept = default;
    Config& operator=(Config&&) noexcept = default;
    Config clone() const;
};

/// Checks ranges and combinations (recvWindow ≤ 60000, insecure TLS only for loopback, URLs).
Result<void> validate(const Config& config);

/// Parses YAML text; see docs/configuration.md for keys. Does not read the environment.
Result<Config> parse_config(std::string_view yaml);

/// Reads a YAML file, then applies environment overrides, then validates.
Result<Config> load_config(const std::string& path);

/// MEXC_API_KEY and MEXC_SECRET_KEY, when both set, replace the configured credentials.
void apply_environment(Config& config);

}  // namespace mexc
