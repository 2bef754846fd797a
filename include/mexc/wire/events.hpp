#pragma once
// Push frames → typed market events (mexc/market_events.hpp), sans I/O: for recorded frames and
// raw frame subscriptions. Each decoder takes a decoded wrapper (wire::decode_push), the time the
// frame arrived, the symbols and the event to fill; it reuses the event's storage, so after
// warm-up a push allocates nothing.
//
// Errors, all Condition::bad_data, the event then being unspecified: Errc::unknown_body when the
// body is not the channel's (P04), Errc::unknown_symbol when the symbol is not in the table,
// Errc::missing_field, Errc::malformed_number / precision_exceeded / overflow for a decimal that
// does not read exactly (P06), Errc::bad_version, and the body decoders' protobuf errors (P01).
// Throws only std::bad_alloc, while growing an event's storage.

#include "mexc/market_events.hpp"
#include "mexc/wire/push.hpp"

namespace mexc::wire {

/// 314 (and legacy 301).
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          TradesEvent& out);
/// 308.
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          KlineEvent& out);
/// 303.
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          LimitDepthEvent& out);
/// 315 (and legacy 305).
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          BookTickerEvent& out);
/// 311.
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          BookTickerBatchEvent& out);
/// 309; the zone is the channel's last segment.
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          MiniTickerEvent& out);
/// 310; the zone is the channel's last segment.
Result<void> decode_event(const PushFrame& frame, ReceiveTime received, const SymbolTable& symbols,
                          MiniTickersEvent& out);

}  // namespace mexc::wire
