#pragma once
// Public WebSocket channels of the sandbox: which topics exist (SPEC §7.4) and how each push is
// encoded (protobuf, SPEC §8).

#include "market.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mexc::sandbox {

enum class TopicKind { depth, deals };

/// One subscribed topic on one connection, with its push cursor.
struct Subscription {
    std::string topic;
    TopicKind kind;
    std::string symbol;
    std::string event_type;
    int interval_ticks = 1;          // pushes every N market ticks
    std::int64_t next_version = 0;   // depth: first version not yet pushed
    std::uint64_t last_trade = 0;    // deals: last trade id pushed
};

/// A served topic, or nullopt for anything MEXC would answer "Blocked!".
std::optional<Subscription> parse_topic(const std::string& topic, const Market& market, std::chrono::milliseconds tick);

/// Aggregated depth increment for versions [from, to] (last change of a level wins).
std::string encode_depth(const Subscription& sub, const SymbolBook& book, std::int64_t from, std::int64_t to);
/// Aggregated deals with trade id greater than `after`.
std::string encode_deals(const Subscription& sub, const SymbolBook& book, std::uint64_t after);

}  // namespace mexc::sandbox
