#include "mexc/error.hpp"

#include <fmt/format.h>

// boost::system::error_category has a protected non-virtual destructor by design.
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"

#include <algorithm>

namespace mexc {
namespace {

class MexcCategory final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "mexc"; }
    std::string message(int ev) const override {
        switch (static_cast<Errc>(ev)) {
            case Errc::malformed_number:
                return "malformed decimal number";
            case Errc::precision_exceeded:
                return "more fractional digits than the scale allows";
            case Errc::overflow:
                return "number out of range";
            case Errc::truncated:
                return "message truncated";
            case Errc::malformed_varint:
                return "malformed protobuf varint";
            case Errc::bad_wire_type:
                return "unexpected protobuf wire type";
            case Errc::missing_field:
                return "required field missing";
            case Errc::bad_version:
                return "malformed book version";
            case Errc::unknown_body:
                return "push body missing or not recognised";
            case Errc::malformed_json:
                return "malformed JSON";
            case Errc::unexpected_json_shape:
                return "JSON does not have the expected shape";
            case Errc::sequence_gap:
                return "book version gap";
            case Errc::crossed_book:
                return "crossed book";
            case Errc::snapshot_too_old:
                return "snapshot older than the stream";
            case Errc::timeout:
                return "operation timed out";
            case Errc::bad_url:
                return "malformed URL";
            case Errc::http_status:
                return "unexpected HTTP status";
            case Errc::response_too_large:
                return "response larger than the configured cap";
            case Errc::handshake_rejected:
                return "WebSocket upgrade rejected";
            case Errc::redirect_refused:
                return "HTTP redirect refused";
            case Errc::waf_blocked:
                return "blocked by the web application firewall";
            case Errc::subscription_rejected:
                return "subscription rejected";
            case Errc::connection_lost:
                return "connection lost";
            case Errc::malformed_http:
                return "malformed HTTP response";
            case Errc::config_invalid:
                return "invalid configuration";
            case Errc::insecure_tls_refused:
                return "disabling TLS verification is refused for this host";
            case Errc::unknown_symbol:
                return "unknown symbol";
            case Errc::symbol_not_tradable:
                return "symbol not tradable through the API";
            case Errc::filter_violation:
                return "order violates the symbol's filters";
            case Errc::not_subscribed:
                return "not subscribed";
            case Errc::closed:
                return "closed";
            case Errc::invalid_argument:
                return "invalid argument";
            case Errc::frames_dropped:
                return "frames dropped: the delivery queue was full";
            case Errc::no_data:
                return "no data within the first-data deadline";
            case Errc::journal_failed:
                return "the command journal could not be read or written";
        }
        return "unknown mexc error";
    }
};

class VenueCategory final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "mexc.venue"; }
    std::string message(int ev) const override { return fmt::format("MEXC code {}", ev); }
};

}  // namespace

const boost::system::error_category& mexc_category() noexcept {
    static const MexcCategory c;
    return c;
}

const boost::system::error_category& venue_category() noexcept {
    static const VenueCategory c;
    return c;
}

std::string_view to_string(Condition c) noexcept {
    switch (c) {
        case Condition::network:
            return "network";
        case Condition::rate_limited:
            return "rate_limited";
        case Condition::auth:
            return "auth";
        case Condition::clock_skew:
            return "clock_skew";
        case Condition::rejected:
            return "rejected";
        case Condition::outcome_unknown:
            return "outcome_unknown";
        case Condition::bad_data:
            return "bad_data";
        case Condition::closed:
            return "closed";
    }
    return "unknown";
}

Error& Error::with_venue_message(std::string_view text) noexcept {
    std::size_t n = 0;
    for (char ch : text) {
        if (n == message_.size()) break;
        const auto u = static_cast<unsigned char>(ch);
        message_[n++] = (u < 0x20 || u == 0x7f) ? '?' : ch;
    }
    message_size_ = static_cast<std::uint8_t>(n);
    return *this;
}

std::string Error::describe() const {
    std::string out = fmt::format("{}: {}:{} ({})", to_string(condition_), code_.category().name(),
                                  code_.value(), code_.message());
    if (http_status_ != 0) out += fmt::format(" http={}", http_status_);
    if (retry_after_.count() > 0) out += fmt::format(" retry_after={}ms", retry_after_.count());
    if (lost_ != 0) out += fmt::format(" lost={}", lost_);
    if (message_size_ != 0) out += fmt::format(" msg=\"{}\"", venue_message());
    return out;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw Exception(e);
}

}  // namespace mexc
