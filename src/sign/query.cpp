#include "mexc/sign/query.hpp"

#include "mexc/sign/hmac_signer.hpp"

namespace mexc {

void percent_encode(std::string& out, std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
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

void append_signature(std::string& query, const HmacSigner& signer) {
    char sig[HmacSigner::hex_size];
    signer.sign(query, std::span<char, HmacSigner::hex_size>(sig));
    query.append("&signature=");
    query.append(sig, sizeof sig);
}

}  // namespace mexc
