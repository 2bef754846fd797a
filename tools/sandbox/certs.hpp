#pragma once
// Test certificates made with OpenSSL at run time: a test CA and leaves it signs, or self-signed
// leaves. For the sandbox's TLS mode and the TLS verification tests (S01, S02). Never for
// production.

#include <chrono>
#include <string>
#include <vector>

namespace mexc::sandbox {

struct CertifiedKey {
    std::string certificate_pem;
    std::string private_key_pem;
};

class TestCa {
public:
    TestCa();  // generates a fresh CA key and certificate
    const std::string& certificate_pem() const noexcept { return ca_.certificate_pem; }
    /// A leaf for the given DNS names and IP addresses, valid from now+`not_before` (default
    /// now-1h) until now+`days`. A negative `days` makes it expired, a positive `not_before` not
    /// yet valid (S01 c, d).
    CertifiedKey issue(const std::vector<std::string>& names, int days = 30,
                       std::chrono::seconds not_before = std::chrono::hours(-1)) const;

private:
    CertifiedKey ca_;
};

/// A self-signed leaf (not trusted by anyone).
CertifiedKey self_signed(const std::vector<std::string>& names);

}  // namespace mexc::sandbox
