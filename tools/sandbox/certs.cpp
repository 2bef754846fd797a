#include "certs.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio/ip/address.hpp>

#include <memory>
#include <stdexcept>

namespace mexc::sandbox {
namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

Key make_key() {
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "key generation");
    return key;
}

std::string pem_of(X509* cert) {
    std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* key) {
    std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
               int days, const std::vector<std::string>& names, bool is_ca,
               std::chrono::seconds not_before = std::chrono::hours(-1)) {
    static long serial = 1;
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before.count()));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * days);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509* signer = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    if (is_ca) {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        std::string san;
        for (const auto& n : names) {
            boost::system::error_code ec;
            boost::asio::ip::make_address(n, ec);
            san += (san.empty() ? "" : ",") + std::string(ec ? "DNS:" : "IP:") + n;
        }
        if (!san.empty()) add_ext(cert.get(), signer, NID_subject_alt_name, san);
    }
    check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign");
    return cert;
}

}  // namespace

TestCa::TestCa() {
    Key key = make_key();
    Cert cert = make_cert(key.get(), "mexcpp sandbox test CA", nullptr, nullptr, 30, {}, true);
    ca_ = {pem_of(cert.get()), pem_of(key.get())};
}

CertifiedKey TestCa::issue(const std::vector<std::string>& names, int days,
                           std::chrono::seconds not_before) const {
    std::unique_ptr<BIO, Free> cb(
        BIO_new_mem_buf(ca_.certificate_pem.data(), static_cast<int>(ca_.certificate_pem.size())));
    std::unique_ptr<BIO, Free> kb(
        BIO_new_mem_buf(ca_.private_key_pem.data(), static_cast<int>(ca_.private_key_pem.size())));
    Cert ca_cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    Key ca_key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
    check(ca_cert && ca_key, "reading the CA");
    Key key = make_key();
    Cert cert = make_cert(key.get(), names.empty() ? "sandbox" : names.front(), ca_cert.get(),
                          ca_key.get(), days, names, false, not_before);
    return {pem_of(cert.get()), pem_of(key.get())};
}

CertifiedKey self_signed(const std::vector<std::string>& names) {
    Key key = make_key();
    Cert cert = make_cert(key.get(), names.empty() ? "sandbox" : names.front(), nullptr, nullptr,
                          30, names, false);
    return {pem_of(cert.get()), pem_of(key.get())};
}

}  // namespace mexc::sandbox
