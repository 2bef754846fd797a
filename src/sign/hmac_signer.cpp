#include "mexc/sign/hmac_signer.hpp"

#include "mexc/config.hpp"

// The one-shot EVP HMAC API duplicates provider contexts (heap) on every init; the low-level
// SHA-256 state is a plain struct we can precompute and copy, which is what signing needs.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>

namespace mexc {
namespace {

struct Keyed {
    SHA256_CTX inner;
    SHA256_CTX outer;
};
static_assert(sizeof(Keyed) <= 256);

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

HmacSigner::HmacSigner(const SecretString& secret) : HmacSigner(secret.reveal()) {}

HmacSigner::HmacSigner(std::string_view secret) {
    unsigned char key[SHA256_CBLOCK] = {};
    if (secret.size() > SHA256_CBLOCK) {
        SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), key);
    } else {
        std::memcpy(key, secret.data(), secret.size());
    }
    unsigned char pad[SHA256_CBLOCK];
    auto* keyed = reinterpret_cast<Keyed*>(state_.data());
    for (std::size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = key[i] ^ 0x36;
    SHA256_Init(&keyed->inner);
    SHA256_Update(&keyed->inner, pad, sizeof pad);
    for (std::size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = key[i] ^ 0x5c;
    SHA256_Init(&keyed->outer);
    SHA256_Update(&keyed->outer, pad, sizeof pad);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(pad, sizeof pad);
}

HmacSigner::~HmacSigner() {
    OPENSSL_cleanse(state_.data(), state_.size());
}

void HmacSigner::sign(std::string_view message, std::span<char, hex_size> out) const noexcept {
    const auto* keyed = reinterpret_cast<const Keyed*>(state_.data());
    SHA256_CTX ctx = keyed->inner;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_Update(&ctx, message.data(), message.size());
    SHA256_Final(digest, &ctx);
    ctx = keyed->outer;
    SHA256_Update(&ctx, digest, sizeof digest);
    SHA256_Final(digest, &ctx);
    for (std::size_t i = 0; i < sizeof digest; ++i) {
        out[2 * i] = hex_digits[digest[i] >> 4];
        out[2 * i + 1] = hex_digits[digest[i] & 0xf];
    }
    OPENSSL_cleanse(&ctx, sizeof ctx);
}

std::string HmacSigner::sign(std::string_view message) const {
    std::string out(hex_size, '\0');
    sign(message, std::span<char, hex_size>(out.data(), hex_size));
    return out;
}

}  // namespace mexc
