#pragma once
// API credentials: a secret that cannot be printed or copied by accident, and a key that prints
// masked (STYLE §9, FAULTS S06).

#include <iosfwd>
#include <string>
#include <string_view>

namespace mexc {

/// A secret that cannot be printed, formatted or copied, and is wiped when destroyed (S06).
class SecretString {
public:
    /// Empty, or holding `value` (a string the caller passed by copy is the caller's to wipe).
    SecretString() = default;
    explicit SecretString(std::string value) noexcept : value_(std::move(value)) {}
    SecretString(SecretString&& other) noexcept;
    SecretString& operator=(SecretString&& other) noexcept;
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;
    ~SecretString();

    /// Moves wipe the source. Copies only through clone().
    bool empty() const noexcept { return value_.empty(); }
    /// The only way to read it; used by the signer at start-up.
    std::string_view reveal() const noexcept { return value_; }
    /// An explicit copy, for a Config::clone().
    SecretString clone() const { return SecretString(value_); }
    /// Overwrites its whole buffer (OPENSSL_cleanse, also the unused capacity) and empties it.
    void wipe() noexcept;

    friend std::ostream& operator<<(std::ostream& os, const SecretString&);  // "<redacted>"

private:
    std::string value_;
};

/// An API key and its secret. Copies only through clone(); printing masks the key and redacts
/// the secret.
struct Credentials {
    std::string api_key;
    SecretString secret_key;

    Credentials() = default;
    Credentials(std::string key, SecretString secret)
        : api_key(std::move(key)), secret_key(std::move(secret)) {}
    Credentials(Credentials&&) noexcept = default;
    Credentials& operator=(Credentials&&) noexcept = default;
    Credentials clone() const { return {api_key, secret_key.clone()}; }

    /// "mx0v…3f2a": the first four and last four characters, never more; "…" for a key of 8
    /// characters or fewer.
    std::string masked_key() const;
    friend std::ostream& operator<<(std::ostream& os,
                                    const Credentials& c);  // key masked, secret redacted
};

}  // namespace mexc
