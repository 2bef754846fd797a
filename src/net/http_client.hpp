#pragma once
// HTTP/1.1 client over plain TCP or TLS with kept-alive connections reused across requests.
// Every step has a deadline; bodies and headers are capped; redirects are returned, never
// followed (S10). Framing is our own (net/http1.hpp); buffers are kept per connection and
// strings recycled through the client's pool, so a steady request stream allocates nothing.

#include "mexc/config.hpp"
#include "mexc/error.hpp"
#include "mexc/fixed_string.hpp"
#include "net/url.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/container/small_vector.hpp>

#include "net/string_pool.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace mexc::net {

enum class HttpMethod : std::uint8_t { get, post, put, del };

/// Awaited once a connection is ready, just before a request is written: rate admission happens
/// here, so time spent connecting cannot shift requests into the venue's next window.
class SendGate {
public:
    /// True when it had to wait (the connection is then checked again before use).
    virtual boost::asio::awaitable<bool> before_send() = 0;

protected:
    ~SendGate() = default;
};

struct HttpRequest {
    HttpMethod method = HttpMethod::get;
    std::string target;  // path and query
    std::string body;
    /// Extra header fields (owned: a request may outlive the strings it was built from); two fit
    /// without a separate allocation.
    boost::container::small_vector<std::pair<std::string, std::string>, 2> headers;
    /// A non-idempotent command: a failure after its bytes were written is outcome_unknown.
    bool is_command = false;
    /// May be sent once more, unchanged, when a reused connection fails before any answer (N06).
    /// Signed requests leave it off: their callers re-sign every retry (S09).
    bool retry_stale = false;
    std::chrono::milliseconds timeout{0};  // 0: the client default
    SendGate* gate = nullptr;              // not owned; outlives the request() call
};

struct HttpResponse {
    int status = 0;
    std::string body;
    FixedString<63> content_type;  // cut at 63 characters
    std::chrono::milliseconds retry_after{0};
};

struct HttpOptions {
    Timeouts timeouts;
    std::size_t max_body = 16u << 20;
    std::size_t max_header = 8192;
    std::size_t max_idle_connections = 4;
};

class HttpClient {
public:
    HttpClient(boost::asio::any_io_executor ex, Url base,
               std::shared_ptr<boost::asio::ssl::context> tls, HttpOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Sends one request and reads the whole response.
    /// Errors: network (connect, reset, timeout, truncation), outcome_unknown for a command that
    /// failed after being written, bad_data for a response over the caps.
    boost::asio::awaitable<Result<HttpResponse>> request(HttpRequest req);

    /// Closes idle connections; requests in flight finish or fail on their own deadlines.
    void close();

    /// Strings with capacity to build requests in; request() gives its request's strings back,
    /// callers give back response bodies they are done with.
    StringPool& buffers() noexcept;

    const Url& base() const noexcept { return base_; }
    std::size_t connections_opened() const noexcept;

private:
    struct Impl;
    Url base_;
    std::shared_ptr<Impl> impl_;
};

}  // namespace mexc::net
