#include "mexc/credentials.hpp"

#include <openssl/crypto.h>

#include <ostream>

namespace mexc {

SecretString::SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
    other.wipe();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = std::move(other.value_);
        other.wipe();
    }
    return *this;
}

SecretString::~SecretString() {
    wipe();
}

void SecretString::wipe() noexcept {
    // Cleanse the whole buffer, not only size() bytes: a moved-from string is empty but its
    // small-string buffer still holds the old characters (S06). Growing to the capacity does not
    // reallocate and makes every byte of the buffer part of the string.
    value_.resize(value_.capacity());
    OPENSSL_cleanse(value_.data(), value_.size());
    value_.clear();
}

std::ostream& operator<<(std::ostream& os, const SecretString&) {
    return os << "<redacted>";
}

std::string Credentials::masked_key() const {
    if (api_key.size() <= 8) return "…";
    return api_key.substr(0, 4) + "…" + api_key.substr(api_key.size() - 4);
}

std::ostream& operator<<(std::ostream& os, const Credentials& c) {
    return os << "Credentials{api_key=" << c.masked_key() << ", secret_key=<redacted>}";
}

}  // namespace mexc
