#pragma once
// The venue's own request-signature check (SPEC §2.1): HMAC-SHA256 keyed with the secret, as 64
// lower-case hex characters. OpenSSL's one-shot HMAC, apart from the client library's signer, so
// that a signing bug on the client side fails the tests.

#include <string>
#include <string_view>

namespace mexc::sandbox {

/// lowercase_hex(HMAC_SHA256(key, message)): 64 characters.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// Whether `signature` is the signature of `message` under `secret`. Upper-case hex is refused,
/// as MEXC refuses it (SPEC §2.1 "lowercase only").
bool signature_matches(std::string_view secret, std::string_view message,
                       std::string_view signature);

}  // namespace mexc::sandbox
