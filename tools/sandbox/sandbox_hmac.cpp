#include "sandbox_hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

namespace mexc::sandbox {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

void HmacSha256::Free::operator()(EVP_MAC_CTX* ctx) const noexcept {
    EVP_MAC_CTX_free(ctx);
}

HmacSha256::HmacSha256(std::string_view key) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac) ctx_.reset(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);  // the context holds its own reference
    char sha256[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, sha256, 0),
                                 OSSL_PARAM_construct_end()};
    // A non-null pointer for an empty key: a null key would mean "keep the current one".
    static const unsigned char empty = 0;
    const auto* bytes = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
    if (!ctx_ || !EVP_MAC_init(ctx_.get(), bytes, key.size(), params))
        throw std::runtime_error("HMAC-SHA256 is not available");
}

void HmacSha256::digest(std::string_view message, unsigned char (&out)[digest_size]) {
    std::size_t size = 0;
    // A null key re-initialises with the key already set (OpenSSL 3 HMAC).
    if (!EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) ||
        !EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(message.data()),
                        message.size()) ||
        !EVP_MAC_final(ctx_.get(), out, &size, digest_size) || size != digest_size)
        throw std::runtime_error("HMAC-SHA256 failed");
}

std::string HmacSha256::hex(std::string_view message) {
    unsigned char d[digest_size];
    digest(message, d);
    std::string out(2 * digest_size, '\0');
    for (std::size_t i = 0; i < digest_size; ++i) {
        out[2 * i] = hex_digits[d[i] >> 4];
        out[2 * i + 1] = hex_digits[d[i] & 0x0f];
    }
    return out;
}

bool HmacSha256::matches(std::string_view message, std::string_view signature) {
    if (signature.size() != 2 * digest_size) return false;
    unsigned char d[digest_size];
    digest(message, d);
    for (std::size_t i = 0; i < digest_size; ++i)
        if (signature[2 * i] != hex_digits[d[i] >> 4] ||
            signature[2 * i + 1] != hex_digits[d[i] & 0x0f])
            return false;
    return true;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    return HmacSha256(key).hex(message);
}

}  // namespace mexc::sandbox
