#pragma once
// HMAC-SHA256 request signing (SPEC §2.1). The key is absorbed once into precomputed inner and
// outer SHA-256 states; each signature copies those states, so signing neither re-keys nor
// allocates. The raw secret is not kept.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace mexc {

class SecretString;

/// A keyed HMAC-SHA256. Not copyable; its key state is wiped on destruction. Thread-safe for
/// concurrent sign() calls (they only read it).
class HmacSigner {
public:
    /// Characters of a signature: 32 bytes in lower-case hex.
    static constexpr std::size_t hex_size = 64;

    /// Absorbs the key (a key longer than 64 bytes is hashed first, RFC 2104). Never fails.
    explicit HmacSigner(const SecretString& secret);
    explicit HmacSigner(std::string_view secret);
    ~HmacSigner();
    HmacSigner(const HmacSigner&) = delete;
    HmacSigner& operator=(const HmacSigner&) = delete;

    /// Writes the lower-case hex HMAC-SHA256 of `message` (SPEC §2.1 step 2). Never fails or
    /// allocates.
    void sign(std::string_view message, std::span<char, hex_size> out) const noexcept;
    /// The same in a new string (allocates).
    std::string sign(std::string_view message) const;

private:
    // Opaque storage for two SHA256_CTX states (OpenSSL's struct is 112 bytes).
    alignas(8) std::array<unsigned char, 256> state_{};
};

}  // namespace mexc
