#pragma once
// Client TLS contexts: TLS ≥ 1.2, peer verification against the system store (plus an explicit
// extra CA file), host-name verification and SNI per connection (S01, S02, S04).

#include "mexc/config.hpp"
#include "mexc/error.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace mexc::net {

Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(
    const TlsOptions& options);

/// Error for a failed TLS handshake or read: certificate problems are not retried blindly.
Error tls_error(boost::system::error_code ec);

}  // namespace mexc::net
