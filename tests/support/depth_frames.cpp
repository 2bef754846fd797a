#include "depth_frames.hpp"

#include <string>

namespace mexc::testing {

void ProtoWriter::put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

ProtoWriter& ProtoWriter::varint_field(std::uint32_t number, std::uint64_t value) {
    put_varint(out_, (static_cast<std::uint64_t>(number) << 3) | 0);
    put_varint(out_, value);
    return *this;
}

ProtoWriter& ProtoWriter::string_field(std::uint32_t number, std::string_view value) {
    put_varint(out_, (static_cast<std::uint64_t>(number) << 3) | 2);
    put_varint(out_, value.size());
    out_.append(value);
    return *this;
}

ProtoWriter& ProtoWriter::fixed32_field(std::uint32_t number, std::uint32_t value) {
    put_varint(out_, (static_cast<std::uint64_t>(number) << 3) | 5);
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return *this;
}

ProtoWriter& ProtoWriter::fixed64_field(std::uint32_t number, std::uint64_t value) {
    put_varint(out_, (static_cast<std::uint64_t>(number) << 3) | 1);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return *this;
}

ProtoWriter& ProtoWriter::raw(std::string_view bytes) {
    out_.append(bytes);
    return *this;
}

namespace {
std::string level(const TextLevel& l) {
    ProtoWriter w;
    w.string_field(1, l.price).string_field(2, l.quantity);
    return w.take();
}
}  // namespace

std::string aggre_depth_body(const std::vector<TextLevel>& asks, const std::vector<TextLevel>& bids,
                             std::string_view from_version, std::string_view to_version,
                             std::int64_t last_order_create_time) {
    ProtoWriter w;
    for (const auto& a : asks) w.string_field(1, level(a));
    for (const auto& b : bids) w.string_field(2, level(b));
    w.string_field(3, aggre_depth_event_type);
    w.string_field(4, from_version);
    w.string_field(5, to_version);
    if (last_order_create_time != 0)
        w.varint_field(6, static_cast<std::uint64_t>(last_order_create_time));
    return w.take();
}

std::string wrap_body(std::string_view channel, std::string_view symbol, std::uint32_t body_field,
                      std::string_view body, std::int64_t send_time) {
    ProtoWriter w;
    w.string_field(1, channel);
    if (!symbol.empty()) w.string_field(3, symbol);
    if (send_time != 0) w.varint_field(6, static_cast<std::uint64_t>(send_time));
    w.string_field(body_field, body);
    return w.take();
}

std::string aggre_depth_frame(std::string_view symbol, std::int64_t from_version,
                              std::int64_t to_version, const std::vector<TextLevel>& asks,
                              const std::vector<TextLevel>& bids, std::int64_t send_time) {
    const std::string channel = std::string(aggre_depth_event_type) + "@" + std::string(symbol);
    return wrap_body(
        channel, symbol, 313,
        aggre_depth_body(asks, bids, std::to_string(from_version), std::to_string(to_version)),
        send_time);
}

DepthSnapshot depth_snapshot(std::int64_t last_update_id, std::vector<LevelUnits> bids,
                             std::vector<LevelUnits> asks) {
    DepthSnapshot s;
    s.last_update_id = last_update_id;
    s.bids = std::move(bids);
    s.asks = std::move(asks);
    return s;
}

}  // namespace mexc::testing
