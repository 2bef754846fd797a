#pragma once
// The one REST request path of an exchange: one HTTP client (one TLS context, one connection pool
// to the host), one rate limiter, one server clock and the signer, shared by PublicRest and
// PrivateRest. Every call names its endpoint from rest/endpoints.hpp, whose entry decides the
// metering, signing, timeout, retries and what a failure means:
//  - admission waits for the weight budget of the endpoint's scope and, for orders and cancels,
//    the shared order rate (SPEC §6.1); a 429/418 pauses the scope until Retry-After;
//  - signed calls are stamped and signed afresh for every attempt (S09), after a clock sync before
//    the first one; 700003 resyncs and re-signs once (E02);
//  - reads are retried within their family's budget (rest/read_retry.hpp); commands never are: a
//    failure after the write, or an answer that cannot be read, is outcome_unknown (P15);
//  - a refusal under HTTP 200 is classified like any venue code (P16).
// Setup errors (validate(), URL, TLS) never throw: every call returns them.

#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/rest/rate_limiter.hpp"
#include "mexc/sign/hmac_signer.hpp"
#include "net/http_client.hpp"
#include "rest/endpoints.hpp"
#include "rest/http_errors.hpp"
#include "rest/read_retry.hpp"
#include "rest/server_clock.hpp"
#include "wire/json.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace mexc::rest {

class Transport {
public:
    /// `limiter`: shared with other transports of the same account and IP; a private one when
    /// null. Never throws: a configuration that cannot make a client is kept as setup_error().
    Transport(boost::asio::any_io_executor ex, const Config& config,
              std::shared_ptr<RateLimiter> limiter = nullptr);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    /// Why no call can be made (every call returns it), or nothing.
    const std::optional<Error>& setup_error() const noexcept { return setup_error_; }
    /// The TLS context of its connections, made from Config::tls; null after a setup error. The
    /// exchange's WebSocket connections share it: one trust configuration per exchange.
    const std::shared_ptr<boost::asio::ssl::context>& tls_context() const noexcept { return tls_; }

    /// One call of `endpoint`; `params` is its query without recvWindow, timestamp and signature
    /// (taken from buffer() for the allocation-free path; given back to the pool). The answer is
    /// an HTTP 200; its body goes back to the pool through recycle() when done with. `sent_ms`,
    /// when given, receives the local time at which the last attempt was admitted.
    /// `latest_stamp`, when not 0, bounds the timestamp any attempt is signed with: an attempt
    /// that would be stamped later is not sent (network/timeout, or the clock_skew refusal of the
    /// attempt before), so the venue cannot take the request after latest_stamp + recvWindow
    /// (SPEC §1.5) — what the command journal relies on.
    boost::asio::awaitable<Result<net::HttpResponse>> call(Endpoint endpoint, std::string params,
                                                           std::int64_t* sent_ms = nullptr,
                                                           std::int64_t latest_stamp = 0);

    /// call(), then `parse(json, body)`. An unexpected shape that is a venue refusal is that
    /// refusal; a command whose answer cannot be read has an unknown outcome.
    template <class T, class Parse>
    boost::asio::awaitable<Result<T>> parsed(Endpoint endpoint, std::string params, Parse parse,
                                             std::int64_t latest_stamp = 0);

    /// GET /api/v3/time, its round trip added to the server clock as one sample (SPEC §1.6).
    boost::asio::awaitable<Result<std::int64_t>> server_time();
    /// `samples` server_time() round trips.
    boost::asio::awaitable<Result<void>> sync_clock(int samples);
    /// Server time minus local time, as estimated.
    std::chrono::milliseconds clock_offset() const noexcept;
    /// Whether signed requests are stamped from a synced (or fixed) clock.
    bool clock_synced() const noexcept { return fixed_clock_ || clock_.synced(); }
    /// The timestamp a signed request would carry now: the server time as estimated (ms).
    std::int64_t stamp_now() const { return stamp(); }
    /// Stamps signed requests with `now_ms` instead of the server clock (no sync then).
    void set_fixed_clock(std::function<std::int64_t()> now_ms) { fixed_clock_ = std::move(now_ms); }

    /// A string with capacity to build parameters in, from the connection pool's strings.
    std::string buffer() { return http_ ? http_->buffers().take() : std::string{}; }
    void recycle(std::string s) {
        if (http_) http_->buffers().give(std::move(s));
    }
    wire::JsonReader& json() noexcept { return json_; }

    /// Closes idle connections: every client of this transport is closed.
    void close();

private:
    struct Budget {
        std::chrono::milliseconds timeout;  // 0: the HTTP client's default
        int attempts;                       // of a read
    };
    int weight(const Endpoint& endpoint) const;
    std::int64_t stamp() const;

    std::shared_ptr<RateLimiter> limiter_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::unique_ptr<net::HttpClient> http_;
    std::optional<Error> setup_error_;
    std::optional<HmacSigner> signer_;
    std::string api_key_;
    std::chrono::milliseconds recv_window_;
    std::array<Budget, 4> budgets_{};  // by Family
    ServerClock clock_;
    std::function<std::int64_t()> fixed_clock_;
    ReadRetry retry_;
    wire::JsonReader json_;
};

template <class T, class Parse>
boost::asio::awaitable<Result<T>> Transport::parsed(Endpoint endpoint, std::string params,
                                                    Parse parse, std::int64_t latest_stamp) {
    auto res = co_await call(endpoint, std::move(params), nullptr, latest_stamp);
    if (!res) co_return res.error();
    auto value = parse(json_, res->body);
    if (value) {
        recycle(std::move(res->body));
        co_return value;
    }
    auto code = value.error().code();
    std::string msg(value.error().venue_message());
    if (code.category() != venue_category()) {
        // Not the expected shape: perhaps {"code":..,"msg":..} under HTTP 200 (P16, SPEC §5.2).
        if (auto refused = refusal_of(json_, res->body)) {
            code = refused->code();
            msg.assign(refused->venue_message());
        }
    }
    if (code.category() == venue_category()) {
        // A refusal under HTTP 200: classified like any venue code; it proves non-acceptance.
        Condition c = condition_of_venue_code(code.value());
        if (c == Condition::outcome_unknown && !endpoint.command) c = Condition::network;
        Error e(c, code);
        e.with_http_status(200).with_venue_message(msg);
        co_return e;
    }
    // A command whose answer cannot be read did execute or not: its outcome is unknown.
    if (endpoint.command) co_return Error(Condition::outcome_unknown, code);
    co_return value;
}

}  // namespace mexc::rest
