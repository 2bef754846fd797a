#include "rest/http_errors.hpp"

#include <algorithm>

namespace mexc::rest {

Condition condition_of_venue_code(std::int64_t code) noexcept {
    switch (code) {
        // SPEC §5.4 auth
        case 400:
        case 401:
        case 403:
        case 602:
        case 10001:
        case 10072:
        case 700001:
        case 700002:
        case 700006:
        case 700007:
        case 730706:
        case 730707:
        case 140002:
            return Condition::auth;
        case 700003:
            return Condition::clock_skew;
        case 429:
            return Condition::rate_limited;
        case 500:
        case 503:
        case 504:
        case 20002:
        case 730000:
        case 10219:
        case 10200:                             // "transfer in progress": it may still complete
            return Condition::outcome_unknown;  // SYS: the command's effect is unknown
        default:
            return Condition::rejected;  // balance, symbol, trading rules, parameters, not found
    }
}

std::optional<Error> refusal_of(wire::JsonReader& json, std::string_view body) {
    const auto v = json.venue_error(body);
    if (!v.present || v.code == 0 || v.code == 200) return std::nullopt;
    Error e(Condition::rejected,
            boost::system::error_code(static_cast<int>(v.code), venue_category()));
    e.with_venue_message(v.msg);
    return e;
}

Error classify_http_error(const net::HttpResponse& response, wire::JsonReader& json,
                          bool is_command) {
    const int status = response.status;
    Error e;
    const auto venue = json.venue_error(response.body);
    if (status == 429 || status == 418) {
        e = Error(Condition::rate_limited, Errc::http_status);
    } else if (status >= 300 && status < 400) {
        e = Error(Condition::rejected, Errc::redirect_refused);  // S10: never followed
    } else if (status >= 500) {
        e = Error(is_command ? Condition::outcome_unknown : Condition::network, Errc::http_status);
    } else if (venue.present) {
        Condition c = condition_of_venue_code(venue.code);
        if (c == Condition::outcome_unknown && !is_command) c = Condition::network;
        e = Error(c, boost::system::error_code(static_cast<int>(venue.code), venue_category()));
    } else if (status == 403) {
        e = Error(Condition::network, Errc::waf_blocked);  // a firewall page: back off (E13)
    } else if (status == 401) {
        e = Error(Condition::auth, Errc::http_status);  // a bare 401 (SPEC §5.1)
    } else {
        e = Error(Condition::rejected, Errc::http_status);
    }
    e.with_http_status(status).with_retry_after(response.retry_after);
    if (venue.present && !venue.msg.empty()) {
        e.with_venue_message(venue.msg);
    } else if (!response.body.empty()) {
        e.with_venue_message(
            std::string_view(response.body).substr(0, 100));  // sanitised snippet (P14)
    }
    return e;
}

}  // namespace mexc::rest
