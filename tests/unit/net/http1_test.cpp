// HTTP/1.1 framing of the REST client (net/http1.hpp) on recorded bytes: every response is fed
// whole and one byte at a time, as reads may split it anywhere.
#include "net/http1.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mexc::net::http1::Parse;
using mexc::net::http1::ResponseReader;

namespace {

struct Outcome {
    Parse parse = Parse::incomplete;
    std::string body;
    int status = 0;
    bool keep_alive = false;
    std::string content_type;
    long long retry_after_ms = 0;
    std::size_t consumed = 0;
    friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// Feeds `bytes` in pieces of `step` bytes; the end of the stream, when there is one, comes as a
/// call of its own with no new bytes, as the client reports it.
Outcome read_all(std::string_view bytes, std::size_t step, bool eof_at_end,
                 std::size_t max_header = 8192, std::size_t max_body = 1u << 20) {
    Outcome o;
    ResponseReader r;
    r.start(o.body, max_header, max_body);
    std::size_t have = 0;
    for (;;) {
        have = std::min(bytes.size(), have + step);
        o.parse = r.feed(bytes.substr(0, have), false);
        if (o.parse != Parse::incomplete) break;
        if (have == bytes.size()) {
            if (eof_at_end) o.parse = r.feed(bytes, true);
            break;
        }
    }
    o.status = r.status();
    o.keep_alive = r.keep_alive();
    o.content_type = std::string(r.content_type(bytes.substr(0, have)));
    o.retry_after_ms = r.retry_after().count();
    o.consumed = r.consumed();
    return o;
}

/// The same outcome whether the bytes arrive at once, one by one, or in pieces of 2, 3, 7 or 64.
Outcome read_both_ways(std::string_view bytes, bool eof_at_end = false,
                       std::size_t max_header = 8192, std::size_t max_body = 1u << 20) {
    const auto whole =
        read_all(bytes, std::max<std::size_t>(bytes.size(), 1), eof_at_end, max_header, max_body);
    for (std::size_t step : {1, 2, 3, 7, 64}) {
        INFO("step " << step);
        const auto split = read_all(bytes, step, eof_at_end, max_header, max_body);
        CHECK(split.parse == whole.parse);
        if (whole.parse == Parse::complete) CHECK(split == whole);  // every field alike
    }
    return whole;
}

}  // namespace

TEST_CASE("http1: a Content-Length response, kept alive", "[http1]") {
    const std::string bytes =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\ncontent-length: 13\r\n"
        "X-Unknown: ignored\r\n\r\n{\"serverTime\"";
    const auto o = read_both_ways(bytes);
    CHECK(o.parse == Parse::complete);
    CHECK(o.status == 200);
    CHECK(o.body == "{\"serverTime\"");
    CHECK(o.keep_alive);
    CHECK(o.content_type == "application/json;charset=UTF-8");
    CHECK(o.consumed == bytes.size());
}

TEST_CASE("http1: chunked bodies with extensions and trailers", "[http1]") {
    const std::string bytes =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;name=x\r\n{\"a\":\r\n"
        "A\r\n1234567890\r\n"
        "1\r\n}\r\n"
        "0\r\nX-Trailer: 1\r\n\r\n";
    const auto o = read_both_ways(bytes);
    CHECK(o.parse == Parse::complete);
    CHECK(o.body == "{\"a\":1234567890}");
    CHECK(o.keep_alive);
    CHECK(o.consumed == bytes.size());
}

TEST_CASE("http1: interim 1xx responses precede the response, within the header cap", "[http1]") {
    const auto o = read_both_ways(
        "HTTP/1.1 100 Continue\r\nContent-Type: text/plain\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n"
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(o.parse == Parse::complete);
    CHECK(o.status == 201);
    CHECK(o.body == "{}");
    CHECK(o.content_type == "application/json");
    std::string flood;
    for (int i = 0; i < 400; ++i) flood += "HTTP/1.1 100 Continue\r\n\r\n";
    CHECK(read_both_ways(flood).parse == Parse::too_large);
    CHECK(read_both_ways("HTTP/1.1 100 Continue\r\n", true).parse == Parse::truncated);
}

TEST_CASE("http1: without framing the body ends with the connection", "[http1]") {
    const std::string bytes =
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n<html>bad gateway</html>";
    CHECK(read_all(bytes, bytes.size(), false).parse == Parse::incomplete);
    const auto o = read_both_ways(bytes, true);
    CHECK(o.parse == Parse::complete);
    CHECK(o.status == 502);
    CHECK(o.body == "<html>bad gateway</html>");
    CHECK_FALSE(o.keep_alive);
    // N10: a close without close_notify may have cut such a body; a framed body is whole anyway.
    std::string body;
    ResponseReader r;
    r.start(body, 8192, 1u << 20);
    CHECK(r.feed(bytes, true, false) == Parse::truncated);
    r.start(body, 8192, 1u << 20);
    CHECK(r.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", true, false) == Parse::complete);
}

TEST_CASE("http1: keep-alive follows the version and Connection header", "[http1]") {
    CHECK_FALSE(read_both_ways("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                    .keep_alive);
    CHECK_FALSE(read_both_ways("HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: "
                               "keep-alive\r\nContent-Length: 0\r\n\r\n")
                    .keep_alive);
    // Both framings at once, or chunked on HTTP/1.0: read as chunked, never reused.
    const auto both = read_both_ways(
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: "
        "chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    CHECK(both.parse == Parse::complete);
    CHECK(both.body == "{}");
    CHECK_FALSE(both.keep_alive);
    CHECK_FALSE(read_both_ways("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: "
                               "chunked\r\n\r\n0\r\n\r\n")
                    .keep_alive);
    CHECK_FALSE(read_both_ways("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keep_alive);
    CHECK(read_both_ways("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")
              .keep_alive);
    // 204 has no body even when a length is announced.
    const auto no_content = read_both_ways("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
    CHECK(no_content.parse == Parse::complete);
    CHECK(no_content.body.empty());
    // Bytes after the response: nothing was pipelined, so the length was wrong (P15).
    CHECK(read_all("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{\"a\":1}", 100, false).parse ==
          Parse::malformed);
    CHECK(read_all("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", 100, false)
              .parse == Parse::malformed);
}

TEST_CASE("http1: Retry-After in seconds (E04)", "[http1]") {
    CHECK(read_both_ways(
              "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\nContent-Length: 0\r\n\r\n")
              .retry_after_ms == 3000);
    CHECK(read_both_ways("HTTP/1.1 429 X\r\nRetry-After: 86401\r\nContent-Length: 0\r\n\r\n")
              .retry_after_ms == 0);
    // An HTTP date is not acted on: the limiter's own minimum pause applies.
    CHECK(read_both_ways("HTTP/1.1 429 X\r\nRetry-After: Wed, 21 Oct 2026 07:28:00 "
                         "GMT\r\nContent-Length: 0\r\n\r\n")
              .retry_after_ms == 0);
}

TEST_CASE("http1: P15 truncated bodies are never complete", "[http1][P15][N10]") {
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\":", true).parse ==
          Parse::truncated);
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n",
                         true)
              .parse == Parse::truncated);
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\"", true)
              .parse == Parse::truncated);
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nContent-Le", true).parse == Parse::truncated);
    CHECK(read_both_ways("", true).parse == Parse::truncated);
    // Cut inside the trailer section.
    CHECK(
        read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", true).parse ==
        Parse::truncated);
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n", true)
              .parse == Parse::truncated);
}

TEST_CASE("http1: P15 bad framing is malformed", "[http1][P15]") {
    const std::vector<std::string> bad{
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",  // conflicting
                                                                                // lengths
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",  // compressed bytes
                                                                                 // as a body
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
        "chunked\r\n\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}",  // whitespace before the colon
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",  // beyond 64 bits
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1FFFFFFFFFFFFFFFF\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",              // not hex
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",  // no CRLF after
                                                                                    // data
        "HTTP/2 200\r\n\r\n",
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\r\n folded: line\r\n\r\n",
    };
    for (const auto& b : bad) {
        INFO(b);
        CHECK(read_both_ways(b, true).parse == Parse::malformed);
    }
}

TEST_CASE("http1: P15 header and body caps", "[http1][P15]") {
    const std::string big_header =
        "HTTP/1.1 200 OK\r\nX-Pad: " + std::string(9000, 'a') + "\r\nContent-Length: 0\r\n\r\n";
    CHECK(read_both_ways(big_header).parse == Parse::too_large);
    CHECK(
        read_both_ways("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", false, 8192, 100).parse ==
        Parse::too_large);
    const std::string chunks = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" +
                               std::string(64, 'x') + "\r\n40\r\n" + std::string(64, 'y') +
                               "\r\n0\r\n\r\n";
    CHECK(read_both_ways(chunks, false, 8192, 100).parse == Parse::too_large);
    CHECK(read_both_ways(chunks, false, 8192, 128).parse == Parse::complete);
    const std::string endless = "HTTP/1.1 200 OK\r\n\r\n" + std::string(101, 'z');
    CHECK(read_both_ways(endless, true, 8192, 100).parse == Parse::too_large);
    // A chunk-size line that never ends, or a long one arriving at once.
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                         std::string(2000, '1'))
              .parse == Parse::malformed);
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" +
                         std::string(2000, 'e') + "\r\nx\r\n0\r\n\r\n")
              .parse == Parse::malformed);
    // Chunk extensions cannot make the framing hold far more than the body: bounded memory.
    std::string padded = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 400; ++i) padded += "1;" + std::string(1000, 'e') + "\r\nx\r\n";
    CHECK(read_all(padded, padded.size(), false, 8192, 100000).parse == Parse::too_large);
    // Trailers count against the header cap.
    std::string trailers = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
    for (int i = 0; i < 200; ++i) trailers += "X-T: " + std::string(100, 't') + "\r\n";
    CHECK(read_both_ways(trailers + "\r\n").parse == Parse::too_large);
    // Exactly at the caps is accepted.
    CHECK(read_both_ways("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'b'),
                         false, 8192, 100)
              .parse == Parse::complete);
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    CHECK(read_both_ways(head, false, head.size()).parse == Parse::complete);
    CHECK(read_both_ways(head, false, head.size() - 1).parse == Parse::too_large);
}

TEST_CASE("http1: the request head", "[http1]") {
    std::string out;
    const std::vector<mexc::net::http1::Header> headers{{"X-MEXC-APIKEY", "key"}};
    mexc::net::http1::write_request(out, "POST", "/api/v3/order?symbol=BTCUSDT", "api.mexc.com",
                                    headers, "", true);
    CHECK(out ==
          "POST /api/v3/order?symbol=BTCUSDT HTTP/1.1\r\nHost: api.mexc.com\r\nUser-Agent: "
          "mexcpp/0.1\r\n"
          "Accept: application/json\r\nX-MEXC-APIKEY: key\r\nContent-Type: "
          "application/json\r\nContent-Length: 0\r\n\r\n");
    out.clear();
    mexc::net::http1::write_request(out, "GET", "/api/v3/ping", "127.0.0.1:8080", {}, "", false);
    CHECK(out ==
          "GET /api/v3/ping HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: mexcpp/0.1\r\nAccept: "
          "application/json\r\n\r\n");
    CHECK(mexc::net::http1::has_control_breaks("a\r\nX-Evil: 1"));
    CHECK(mexc::net::http1::has_control_breaks(std::string_view("a\0b", 3)));
    CHECK_FALSE(mexc::net::http1::has_control_breaks("/api/v3/order?a=b%0D%0A"));
}
