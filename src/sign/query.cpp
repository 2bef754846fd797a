#include "sign/query.hpp"

#include "mexc/sign/hmac_signer.hpp"

#include <charconv>

namespace mexc {

void percent_encode(std::string& out, std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        }
    }
}

void append_param(std::string& out, std::string_view name, std::string_view value) {
    if (!out.empty()) out.push_back('&');
    out.append(name);
    out.push_back('=');
    percent_encode(out, value);
}

void append_signature(std::string& query, const HmacSigner& signer, std::size_t from) {
    char sig[HmacSigner::hex_size];
    signer.sign(std::string_view(query).substr(from), std::span<char, HmacSigner::hex_size>(sig));
    query.append("&signature=");
    query.append(sig, sizeof sig);
}

namespace {

void append_number(std::string& out, std::int64_t v) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace

void write_signed_target(std::string& out, std::string_view path, std::string_view params,
                         std::int64_t recv_window_ms, std::int64_t timestamp_ms,
                         const HmacSigner& signer) {
    out.clear();
    out.reserve(path.size() + params.size() + 144);  // one allocation at most; none once warm
    out.append(path);
    out += '?';
    const std::size_t query = out.size();
    out.append(params);
    out.append(params.empty() ? "recvWindow=" : "&recvWindow=");
    append_number(out, recv_window_ms);
    out.append("&timestamp=");
    append_number(out, timestamp_ms);
    append_signature(out, signer, query);
}

}  // namespace mexc
