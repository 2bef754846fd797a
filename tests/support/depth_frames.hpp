#pragma once
// Builds protobuf push frames by hand for book and wire tests: a tiny protobuf writer, and
// PushDataV3ApiWrapper frames carrying a PublicAggreDepthsV3Api body (SPEC §8.2, §8.5).
// Hand-written on purpose, so that the tests do not share an encoder with the code under test.

#include "mexc/market.hpp"
#include "mexc/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::testing {

/// Appends protobuf fields to a byte string in the order they are written.
class ProtoWriter {
public:
    ProtoWriter& varint_field(std::uint32_t number, std::uint64_t value);
    ProtoWriter& string_field(std::uint32_t number, std::string_view value);  // also submessages
    ProtoWriter& fixed32_field(std::uint32_t number, std::uint32_t value);
    ProtoWriter& fixed64_field(std::uint32_t number, std::uint64_t value);
    ProtoWriter& raw(std::string_view bytes);

    const std::string& bytes() const noexcept { return out_; }
    std::string take() { return std::move(out_); }

    static void put_varint(std::string& out, std::uint64_t v);

private:
    std::string out_;
};

/// One level as text, exactly as MEXC would send it.
struct TextLevel {
    std::string price;
    std::string quantity;
};

inline constexpr std::string_view aggre_depth_event_type =
    "spot@public.aggre.depth.v3.api.pb@100ms";

/// A PublicAggreDepthsV3Api body in canonical field order.
std::string aggre_depth_body(const std::vector<TextLevel>& asks, const std::vector<TextLevel>& bids,
                             std::string_view from_version, std::string_view to_version,
                             std::int64_t last_order_create_time = 0);

/// A wrapper frame: channel, symbol, sendTime, then the aggre depth body (field 313).
std::string aggre_depth_frame(std::string_view symbol, std::int64_t from_version,
                              std::int64_t to_version, const std::vector<TextLevel>& asks,
                              const std::vector<TextLevel>& bids,
                              std::int64_t send_time = 1736411507002);

/// A wrapper frame around any body bytes.
std::string wrap_body(std::string_view channel, std::string_view symbol, std::uint32_t body_field,
                      std::string_view body, std::int64_t send_time = 0);

/// A REST depth snapshot in units (levels best first).
DepthSnapshot depth_snapshot(std::int64_t last_update_id, std::vector<LevelUnits> bids,
                             std::vector<LevelUnits> asks);

}  // namespace mexc::testing
