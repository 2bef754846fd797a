#pragma once
// The venue's own request-signature check (SPEC §2.1): HMAC-SHA256 keyed with the secret, as 64
// lower-case hex characters. OpenSSL's EVP_MAC, apart from the client library's signer, so that a
// signing bug on the client side fails the tests.

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace mexc::sandbox {

/// HMAC-SHA256 under one key. Keyed once; each use re-initialises the keyed state, so checking a
/// request allocates nothing. One thread at a time.
class HmacSha256 {
public:
    /// Throws std::runtime_error if OpenSSL has no HMAC-SHA256.
    explicit HmacSha256(std::string_view key);

    /// lowercase_hex(HMAC_SHA256(key, message)): 64 characters.
    std::string hex(std::string_view message);
    /// Whether `signature` is the signature of `message`. Upper-case hex is refused, as MEXC
    /// refuses it (SPEC §2.1 "lowercase only").
    bool matches(std::string_view message, std::string_view signature);

private:
    static constexpr std::size_t digest_size = 32;
    void digest(std::string_view message, unsigned char (&out)[digest_size]);

    struct Free {
        void operator()(EVP_MAC_CTX* ctx) const noexcept;
    };
    std::unique_ptr<EVP_MAC_CTX, Free> ctx_;
};

/// HmacSha256(key).hex(message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace mexc::sandbox
