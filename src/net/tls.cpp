#include "net/tls.hpp"

#include <openssl/ssl.h>

namespace mexc::net {

Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(
    const TlsOptions& options) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (!options.ca_file.empty()) {
        ctx->load_verify_file(options.ca_file, ec);
        if (ec)
            return Error(Condition::rejected, Errc::config_invalid)
                .with_venue_message("cannot load tls.ca_file");
    }
    ctx->set_verify_mode(options.insecure_skip_verify_loopback_only ? ssl::verify_none
                                                                    : ssl::verify_peer);
    return ctx;
}

Error tls_error(boost::system::error_code ec) {
    return Error(Condition::network, ec);
}

}  // namespace mexc::net
