#pragma once
// Private WebSocket channels of the sandbox (SPEC §7.5, §8.15–§8.17, §9): which topics exist and
// how the engine's events become protobuf pushes. Sans-io: the server decides who receives a push
// (connections of the event's account subscribed to the topic), these functions what it says.

#include "engine.hpp"
#include "market.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mexc::sandbox {

enum class PrivateTopic : std::uint8_t { account, deals, orders };

inline constexpr std::string_view private_account_topic = "spot@private.account.v3.api.pb";  // 307
inline constexpr std::string_view private_deals_topic = "spot@private.deals.v3.api.pb";      // 306
inline constexpr std::string_view private_orders_topic = "spot@private.orders.v3.api.pb";    // 304

/// One of the three private topics, exactly as spelled in SPEC §7.5; nullopt for anything else.
std::optional<PrivateTopic> parse_private_topic(std::string_view topic) noexcept;
std::string_view to_string(PrivateTopic topic) noexcept;

/// The account an event belongs to and the topic that carries it.
std::uint64_t account_of(const EngineEvent& event) noexcept;
PrivateTopic topic_of(const EngineEvent& event) noexcept;

/// A stable 32-hex id per asset (`coinId`, SPEC §8.15): same asset, same id, across runs.
std::string coin_id(std::string_view asset);

/// Encodes engine events in the order the engine emits them. Stateful only to know which fill
/// triggered the order update that follows it (engine order: Fill → Order, SPEC §9), for
/// `lastDealQuantity` and `isMaker`.
class PrivateEncoder {
public:
    /// Lifetime: `market` must outlive the encoder (it gives each symbol's scales).
    explicit PrivateEncoder(const Market& market) : market_(market) {}

    /// The binary frame (a `PushDataV3ApiWrapper`) for `event`, sent at `send_ms`.
    std::string encode(const EngineEvent& event, std::int64_t send_ms);

private:
    const Market& market_;
    std::optional<Fill> last_fill_;
};

/// Single-event encoders. `trigger` is the fill that caused this order update, if any.
std::string encode_private_order(const Order& order, SymbolScales scales, const Fill* trigger,
                                 std::int64_t send_ms);
std::string encode_private_deal(const Fill& fill, SymbolScales scales, std::int64_t send_ms);
std::string encode_private_account(const BalanceChange& change, std::int64_t send_ms);

}  // namespace mexc::sandbox
