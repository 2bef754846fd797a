#pragma once
// HTTP/1.1 message framing, sans-io: the request head the REST client writes and an incremental
// reader of the response (status, the few headers the client acts on, Content-Length or chunked
// bodies, bodies delimited by the connection's close). Written for the client's needs: no
// allocation beyond the body it fills, caps checked before bytes are kept.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mexc::net::http1 {

using Header = std::pair<std::string, std::string>;

/// True when `text` could break out of a request line or header field (CR, LF or NUL).
bool has_control_breaks(std::string_view text) noexcept;

/// Appends a request head (Host, User-Agent, Accept, the extra headers, and for a body-carrying
/// method Content-Type and Content-Length) and the body to `out`.
void write_request(std::string& out, std::string_view method, std::string_view target,
                   std::string_view host, std::span<const Header> headers, std::string_view body,
                   bool has_body);

enum class Parse : std::uint8_t {
    incomplete,  // read more
    complete,    // the response ends at consumed()
    too_large,   // header or body over its cap
    malformed,   // not an HTTP/1.x response
    truncated,   // the connection ended inside the response
};

/// Reads one response from the bytes received so far. Call feed() with everything received since
/// the response began (the same prefix, growing) after every read; the body is appended to the
/// string given to start() as it is framed. `eof`: the peer closed; `clean`: with a proper end
/// (TLS close_notify), without which a body delimited by the close may be cut (N10).
class ResponseReader {
public:
    void start(std::string& body, std::size_t max_header, std::size_t max_body) noexcept;

    Parse feed(std::string_view data, bool eof, bool clean = true);

    int status() const noexcept { return status_; }
    /// The connection may carry another request: HTTP/1.1 without "Connection: close", or 1.0
    /// with keep-alive, and a framing that cannot be read two ways.
    bool keep_alive() const noexcept { return keep_alive_; }
    /// The Content-Type value: offsets into the data passed to feed().
    std::string_view content_type(std::string_view data) const noexcept {
        return data.substr(type_at_, type_len_);
    }
    std::chrono::milliseconds retry_after() const noexcept { return retry_after_; }
    std::size_t consumed() const noexcept { return pos_; }

private:
    enum class Framing : std::uint8_t { none, length, chunked, until_close };
    Parse parse_head(std::string_view data, bool eof);
    Parse parse_chunks(std::string_view data, bool eof);

    std::string* body_ = nullptr;
    std::size_t max_header_ = 0;
    std::size_t max_body_ = 0;
    std::size_t head_start_ = 0;  // where the current head begins (after skipped 1xx heads)
    std::size_t scanned_ = 0;     // head bytes already searched for the blank line
    std::size_t pos_ = 0;         // next unread byte of the data
    std::size_t remaining_ = 0;   // body bytes still expected (length framing)
    std::size_t body_at_ = 0;     // where the body's framing begins
    std::size_t trailer_bytes_ = 0;
    std::size_t type_at_ = 0, type_len_ = 0;
    std::chrono::milliseconds retry_after_{0};
    int status_ = 0;
    bool head_done_ = false;
    bool keep_alive_ = false;
    bool trailers_ = false;  // past the last chunk, reading trailer fields
    Framing framing_ = Framing::none;
};

}  // namespace mexc::net::http1
