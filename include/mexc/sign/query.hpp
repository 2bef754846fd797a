#pragma once
// Query strings exactly as signed and sent (SPEC §2.2): UTF-8 percent-encoding with upper-case
// hex, only A–Z a–z 0–9 - _ . ~ left literal, space as %20.

#include <string>
#include <string_view>

namespace mexc {

class HmacSigner;

/// Appends the percent-encoding of `value` to `out`.
void percent_encode(std::string& out, std::string_view value);

/// Appends `name=encoded(value)`, preceded by '&' unless `out` is empty.
void append_param(std::string& out, std::string_view name, std::string_view value);

/// Appends `&signature=<hex>` over the query as it stands (SPEC §2.1 step 3: signature last).
void append_signature(std::string& query, const HmacSigner& signer);

}  // namespace mexc
