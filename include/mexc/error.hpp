#pragma once
// Errors: one model chosen by what the caller must do next (STYLE §5).

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace mexc {

/// What the caller must do next. Exactly one per error.
enum class Condition : std::uint8_t {
    network = 1,   ///< Transport failed on a read, or before a command was sent: back off, retry.
    rate_limited,  ///< 429/418: wait retry_after().
    auth,          ///< Key, signature, permission, IP whitelist: fix the config, do not retry.
    clock_skew,    ///< 700003: resync the clock; one re-signed retry is safe.
    rejected,      ///< Nothing happened (local validation or venue refusal): amend and resend.
    outcome_unknown,  ///< A command may have executed: reconcile by client order id, never resend.
    bad_data,         ///< Malformed or out-of-sequence data: the stream resyncs on its own.
    closed,           ///< The exchange or client is closing or closed (not cancellation).
};

/// "network", "rate_limited", ...: the enumerator's name.
std::string_view to_string(Condition c) noexcept;

/// The library's own failure causes (category "mexc").
enum class Errc : int {
    // numbers and text
    malformed_number = 1,
    precision_exceeded,
    overflow,
    // wire decoding
    truncated,
    malformed_varint,
    bad_wire_type,
    missing_field,
    bad_version,
    unknown_body,
    malformed_json,
    unexpected_json_shape,
    // order book
    sequence_gap,
    crossed_book,
    snapshot_too_old,
    // network and protocol
    timeout,
    bad_url,
    http_status,
    response_too_large,
    handshake_rejected,
    redirect_refused,
    waf_blocked,  // HTTP 403 without a MEXC body: a firewall page (E13), not an auth failure
    subscription_rejected,
    connection_lost,
    malformed_http,  // a response that is not HTTP/1.x framing
    // configuration and use
    config_invalid,
    insecure_tls_refused,
    unknown_symbol,
    symbol_not_tradable,  // status, tradeSideType, API permission (checked before sending)
    filter_violation,     // precision, minimum or maximum notional, missing price/quantity
    not_subscribed,
    closed,
    invalid_argument,
    frames_dropped,  // a bounded delivery queue was full: frames were lost, delivery goes on
    no_data,         // a subscribed topic delivered nothing within Config::first_data_timeout
    journal_failed,  // the command journal (Config::journal_path) could not be read or written
};

}  // namespace mexc

template <>
struct boost::system::is_error_code_enum<mexc::Errc> : std::true_type {};

namespace mexc {

/// The category of Errc; its messages describe each cause.
const boost::system::error_category& mexc_category() noexcept;
/// MEXC's numeric `code` values travel verbatim in this category.
const boost::system::error_category& venue_category() noexcept;

/// An Errc as an error_code of mexc_category() (found by ADL; Errc converts implicitly).
inline boost::system::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), mexc_category()};
}

/// Small, copyable, allocation-free and safe to log: it never holds a key, signature or query.
class Error {
public:
    Error() = default;  // boost::system::result needs it; network with no code
    Error(Condition condition, boost::system::error_code code) noexcept
        : code_(code), condition_(condition) {}
    Error(Condition condition, Errc code) noexcept : Error(condition, make_error_code(code)) {}

    /// What to do next.
    Condition condition() const noexcept { return condition_; }
    /// The exact cause: an Errc (mexc_category()), MEXC's `code` (venue_category()), or an
    /// Asio/SSL/system code.
    boost::system::error_code code() const noexcept { return code_; }
    /// The HTTP status of the answer that failed; 0 when none was read.
    int http_status() const noexcept { return http_status_; }
    /// The server's Retry-After (429/418, E04); 0 when absent.
    std::chrono::milliseconds retry_after() const noexcept { return retry_after_; }
    /// MEXC's `msg` (or a server text), control characters escaped, truncated to fit.
    std::string_view venue_message() const noexcept { return {message_.data(), message_size_}; }
    /// Errc::frames_dropped: how many pushes were lost at the place reported; 0 otherwise.
    std::uint64_t lost() const noexcept { return lost_; }

    /// Builders for the fields above; they return *this.
    Error& with_http_status(int status) noexcept {
        http_status_ = status;
        return *this;
    }
    Error& with_retry_after(std::chrono::milliseconds d) noexcept {
        retry_after_ = d;
        return *this;
    }
    Error& with_lost(std::uint64_t count) noexcept {
        lost_ = count;
        return *this;
    }
    /// Untrusted text is sanitised (S08): control characters become '?', the length is capped
    /// at 110 bytes (cut, never allocated).
    Error& with_venue_message(std::string_view text) noexcept;

    /// One line for logs: condition, category:value (message), status, retry-after, sanitised
    /// text. Allocates.
    std::string describe() const;

private:
    boost::system::error_code code_{};
    std::chrono::milliseconds retry_after_{0};
    std::uint64_t lost_ = 0;
    std::int32_t http_status_ = 0;
    Condition condition_ = Condition::network;
    std::uint8_t message_size_ = 0;
    std::array<char, 110> message_{};
};

/// What every fallible public operation returns; value() throws mexc::Exception on an error.
template <class T>
using Result = boost::system::result<T, Error>;

/// Thrown only by Result::value() on an error, and for API misuse.
class Exception : public std::runtime_error {
public:
    /// what() is e.describe(); error() is `e`.
    explicit Exception(const Error& e) : std::runtime_error(e.describe()), error_(e) {}
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

/// Throws mexc::Exception(e). Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

/// Shorthand for the common "our own cause" error.
inline Error make_error(Condition c, Errc e) noexcept {
    return Error{c, e};
}

}  // namespace mexc
