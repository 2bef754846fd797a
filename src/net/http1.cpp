#include "net/http1.hpp"

#include <algorithm>
#include <charconv>

namespace mexc::net::http1 {
namespace {

constexpr std::string_view crlf = "\r\n";
constexpr std::size_t max_chunk_line = 1024;  // size, extensions and CRLF

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view v) noexcept {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

/// Whether a comma-separated header value lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) noexcept {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

bool parse_decimal(std::string_view v, std::uint64_t& out) noexcept {
    if (v.empty()) return false;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc{} && p == v.data() + v.size();
}

}  // namespace

bool has_control_breaks(std::string_view text) noexcept {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

void write_request(std::string& out, std::string_view method, std::string_view target,
                   std::string_view host, std::span<const Header> headers, std::string_view body,
                   bool has_body) {
    out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
    out.append("\r\nUser-Agent: mexcpp/0.1\r\nAccept: application/json\r\n");
    for (const auto& [name, value] : headers)
        out.append(name).append(": ").append(value).append(crlf);
    if (has_body) {
        // SPEC §1.3: MEXC clients send application/json even with form-style bodies.
        char digits[24];
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, body.size());
        out.append("Content-Type: application/json\r\nContent-Length: ")
            .append(digits, end)
            .append(crlf);
    }
    out.append(crlf);
    if (has_body) out.append(body);
}

void ResponseReader::start(std::string& body, std::size_t max_header,
                           std::size_t max_body) noexcept {
    *this = ResponseReader{};
    body_ = &body;
    max_header_ = max_header;
    max_body_ = max_body;
}

Parse ResponseReader::feed(std::string_view data, bool eof, bool clean) {
    if (!head_done_) {
        if (auto p = parse_head(data, eof); p != Parse::complete) return p;
    }
    switch (framing_) {
        case Framing::none:
            break;
        case Framing::length: {
            const auto take = std::min(remaining_, data.size() - pos_);
            body_->append(data.substr(pos_, take));
            pos_ += take;
            remaining_ -= take;
            if (remaining_ > 0) return eof ? Parse::truncated : Parse::incomplete;
            break;
        }
        case Framing::chunked:
            if (auto p = parse_chunks(data, eof); p != Parse::complete) return p;
            break;
        case Framing::until_close:
            if (data.size() - pos_ + body_->size() > max_body_) return Parse::too_large;
            body_->append(data.substr(pos_));
            pos_ = data.size();
            if (!eof) return Parse::incomplete;
            if (!clean)
                return Parse::truncated;  // only a clean close ends a body that has no length
            break;
    }
    // Bytes past the response: nothing was pipelined, so the framing is wrong (P15).
    if (pos_ != data.size()) return Parse::malformed;
    return Parse::complete;
}

Parse ResponseReader::parse_head(std::string_view data, bool eof) {
    for (;;) {
        const auto from = std::max(scanned_, head_start_ + 3) - 3;
        const auto end = data.find("\r\n\r\n", from);
        // Interim (1xx) heads count against the same cap as the final one.
        if (end == std::string_view::npos) {
            scanned_ = data.size();
            if (data.size() > max_header_) return Parse::too_large;
            return eof ? Parse::truncated : Parse::incomplete;
        }
        const auto head_end = end + 4;
        if (head_end > max_header_) return Parse::too_large;
        std::string_view head = data.substr(head_start_, end - head_start_);

        // Status line: HTTP/1.x SP 3DIGIT [SP reason]
        const auto line_end = head.find(crlf);
        const auto line = head.substr(0, line_end);
        if (line.size() < 12 || !line.starts_with("HTTP/1.") ||
            (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
            (line.size() > 12 && line[12] != ' '))
            return Parse::malformed;
        std::uint64_t code = 0;
        if (!parse_decimal(line.substr(9, 3), code) || code < 100) return Parse::malformed;
        status_ = static_cast<int>(code);
        bool keep_alive = line[7] == '1', close = false;
        bool chunked = false, has_length = false;
        std::uint64_t length = 0;
        type_at_ = type_len_ = 0;
        retry_after_ = std::chrono::milliseconds(0);

        std::string_view fields =
            line_end == std::string_view::npos ? std::string_view{} : head.substr(line_end + 2);
        while (!fields.empty()) {
            const auto next = fields.find(crlf);
            const auto field = fields.substr(0, next);
            fields = next == std::string_view::npos ? std::string_view{} : fields.substr(next + 2);
            const auto colon = field.find(':');
            const auto name = field.substr(0, colon);
            // No name, a folded line, or whitespace inside the name (RFC 9112 §5.1).
            if (colon == std::string_view::npos || colon == 0 ||
                name.find_first_of(" \t") != std::string_view::npos)
                return Parse::malformed;
            const auto value = trim(field.substr(colon + 1));
            if (iequals(name, "content-length")) {
                std::uint64_t n = 0;
                if (!parse_decimal(value, n) || (has_length && n != length))
                    return Parse::malformed;
                has_length = true;
                length = n;
            } else if (iequals(name, "transfer-encoding")) {
                if (chunked || !iequals(value, "chunked"))
                    return Parse::malformed;  // no other coding is accepted
                chunked = true;
            } else if (iequals(name, "connection")) {
                if (lists_token(value, "close"))
                    close = true;
                else if (lists_token(value, "keep-alive"))
                    keep_alive = true;
            } else if (iequals(name, "content-type")) {
                type_at_ = static_cast<std::size_t>(value.data() - data.data());
                type_len_ = value.size();
            } else if (iequals(name, "retry-after")) {
                std::uint64_t seconds = 0;
                if (parse_decimal(value, seconds) && seconds <= 86400)
                    retry_after_ = std::chrono::seconds(static_cast<std::int64_t>(seconds));
            }
        }
        if (status_ < 200) {  // an interim response (100 Continue): the real one follows
            head_start_ = scanned_ = head_end;
            continue;
        }
        // Close wins; both framings at once, or chunked on 1.0, are faulty: never reuse (RFC 9112
        // §6).
        keep_alive_ = keep_alive && !close && !(chunked && (has_length || line[7] == '0'));
        head_done_ = true;
        body_at_ = head_end;
        pos_ = head_end;
        if (status_ == 204 || status_ == 304) {
            framing_ = Framing::none;
        } else if (chunked) {
            framing_ = Framing::chunked;  // wins over Content-Length (RFC 9112 §6.3)
        } else if (has_length) {
            if (length > max_body_) return Parse::too_large;
            framing_ = Framing::length;
            remaining_ = static_cast<std::size_t>(length);
        } else {
            framing_ = Framing::until_close;
            keep_alive_ = false;
        }
        return Parse::complete;
    }
}

Parse ResponseReader::parse_chunks(std::string_view data, bool eof) {
    const Parse short_read = eof ? Parse::truncated : Parse::incomplete;
    for (;;) {
        // What the framing keeps in memory is bounded whatever the chunking: at most twice the
        // body cap plus a header's worth (chunk lines, extensions, trailers).
        if (data.size() - body_at_ > 2 * max_body_ + max_header_) return Parse::too_large;
        const auto line_end = data.find(crlf, pos_);
        if (line_end == std::string_view::npos)
            return data.size() - pos_ > max_chunk_line ? Parse::malformed : short_read;
        const auto line = data.substr(pos_, line_end - pos_);
        if (line.size() > max_chunk_line) return Parse::malformed;
        if (trailers_) {
            pos_ = line_end + 2;
            if (line.empty()) return Parse::complete;
            trailer_bytes_ += line.size() + 2;
            if (trailer_bytes_ > max_header_) return Parse::too_large;
            continue;
        }
        const auto size_text = trim(line.substr(0, line.find(';')));
        std::uint64_t size = 0;
        auto [p, ec] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (size_text.empty() || ec != std::errc{} || p != size_text.data() + size_text.size())
            return Parse::malformed;
        if (size == 0) {
            pos_ = line_end + 2;
            trailers_ = true;
            continue;
        }
        if (size > max_body_ - body_->size())
            return Parse::too_large;  // body_ never exceeds max_body_
        const auto data_at = line_end + 2;
        if (data.size() - data_at < size + 2) return short_read;
        if (data.substr(data_at + size, 2) != crlf) return Parse::malformed;
        body_->append(data.substr(data_at, size));
        pos_ = data_at + size + 2;
    }
}

}  // namespace mexc::net::http1
