#pragma once
// Query strings exactly as signed and sent (SPEC §2.2): UTF-8 percent-encoding with upper-case
// hex, only A–Z a–z 0–9 - _ . ~ left literal, space as %20.

#include <cstdint>
#include <string>
#include <string_view>

namespace mexc {

class HmacSigner;

/// Appends the percent-encoding of `value` to `out`.
void percent_encode(std::string& out, std::string_view value);

/// Appends `name=encoded(value)`, preceded by '&' unless `out` is empty.
void append_param(std::string& out, std::string_view name, std::string_view value);

/// Appends `&signature=<hex>` over the query as it stands (SPEC §2.1 step 3: signature last);
/// over `query[from..]` when the string starts with something unsigned (a path and '?').
void append_signature(std::string& query, const HmacSigner& signer, std::size_t from = 0);

/// The target of a signed request in one pass, into `out` (cleared; its capacity is reused):
/// `path?params&recvWindow=<ms>&timestamp=<ms>&signature=<hex>`, signed over the query only.
void write_signed_target(std::string& out, std::string_view path, std::string_view params,
                         std::int64_t recv_window_ms, std::int64_t timestamp_ms,
                         const HmacSigner& signer);

}  // namespace mexc
