#pragma once
// Views over MEXC's binary push frames (SPEC §8): one `PushDataV3ApiWrapper` per WebSocket binary
// message. Every view points into the frame's bytes, which must outlive it; nothing allocates.
// decode_* functions validate the whole message once, so iterating a view afterwards cannot fail.
// Errors of every Result-returning decode_*: bad_data with the cause: truncated or
// malformed_varint (broken framing), bad_wire_type (a known field of another wire type),
// missing_field (a required field, named at each body), bad_version (a version that is not a
// non-negative int64, or from > to). Unknown fields are skipped (SPEC §8.1).

#include "mexc/detail/proto_reader.hpp"
#include "mexc/error.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace mexc::wire {

/// Wrapper oneof field numbers (SPEC §8.2).
enum class BodyKind : std::uint16_t {
    none = 0,
    public_deals = 301,
    public_increase_depths = 302,
    public_limit_depths = 303,
    private_orders = 304,
    public_book_ticker = 305,
    private_deals = 306,
    private_account = 307,
    public_spot_kline = 308,
    public_mini_ticker = 309,
    public_mini_tickers = 310,
    public_book_ticker_batch = 311,
    public_increase_depths_batch = 312,
    public_aggre_depths = 313,
    public_aggre_deals = 314,
    public_aggre_book_ticker = 315,
};

/// The body's schema name ("publicAggreDepths", ...); "none", or "unknown" for other values.
std::string_view to_string(BodyKind k) noexcept;

/// The decoded wrapper. `body` holds the body message's raw bytes for the typed decoders below.
struct PushFrame {
    std::string_view channel;
    std::string_view symbol;  // empty when absent (account pushes)
    std::string_view symbol_id;
    std::int64_t create_time = 0;  // 0 when absent
    std::int64_t send_time = 0;
    BodyKind kind = BodyKind::none;
    std::string_view body;
    std::uint32_t unknown_fields = 0;  // skipped, counted (P03)
};

/// Decodes and validates the wrapper: `channel` and a known body are required (P02); of several
/// bodies the last wins, as protobuf's oneof. Errors: missing_field without a channel,
/// unknown_body without a body of 301..315.
Result<PushFrame> decode_push(std::string_view frame) noexcept;

/// A repeated message field, iterated lazily; `Decode` turns one item's bytes into `Item`. A
/// forward range over the bytes of a validated message; size() is counted at validation.
template <class Item, Item (*Decode)(std::string_view) noexcept>
class Repeated {
public:
    Repeated() = default;
    Repeated(std::string_view message, std::uint32_t field, std::uint32_t count) noexcept
        : message_(message), field_(field), count_(count) {}

    class iterator {
    public:
        using value_type = Item;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        iterator(std::string_view rest, std::uint32_t field) noexcept
            : reader_(rest), field_(field) {
            advance();
        }
        Item operator*() const noexcept { return Decode(current_); }
        iterator& operator++() noexcept {
            advance();
            return *this;
        }
        void operator++(int) noexcept { advance(); }
        bool operator==(const iterator& o) const noexcept {
            return done_ == o.done_ && (done_ || current_.data() == o.current_.data());
        }

    private:
        void advance() noexcept {
            ProtoField f;
            Errc e{};
            while (!reader_.at_end() && reader_.next(f, e)) {
                if (f.number == field_ && f.type == WireType::length_delimited) {
                    current_ = f.bytes;
                    return;
                }
            }
            done_ = true;
        }
        ProtoReader reader_{std::string_view{}};
        std::string_view current_;
        std::uint32_t field_ = 0;
        bool done_ = false;
    };

    /// The items in wire order; size() of them.
    iterator begin() const noexcept { return iterator(message_, field_); }
    iterator end() const noexcept {
        iterator it;
        it.operator++();  // an exhausted iterator
        return it;
    }
    std::uint32_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }

private:
    std::string_view message_;
    std::uint32_t field_ = 0;
    std::uint32_t count_ = 0;
};

// ---- item types ------------------------------------------------------------------------------

/// Depth level: absolute quantity at a price; "0" removes the level (SPEC §8.5).
struct DepthLevel {
    std::string_view price;
    std::string_view quantity;
};
/// Item decoders: bytes already validated by the body's decode_*, so they cannot fail.
DepthLevel decode_depth_level(std::string_view bytes) noexcept;
using DepthLevels = Repeated<DepthLevel, &decode_depth_level>;

/// One trade; price, quantity and time are required.
struct Deal {
    std::string_view price;
    std::string_view quantity;
    std::int32_t trade_type = 0;  // 1 buy, 2 sell (taker side)
    std::int64_t time = 0;        // ms
    std::string_view trade_id;    // aggre deals only (2026)
};
Deal decode_deal(std::string_view bytes) noexcept;
using Deals = Repeated<Deal, &decode_deal>;

/// Best bid and ask as decimal text.
struct BookTicker {
    std::string_view bid_price, bid_quantity, ask_price, ask_quantity;
};
BookTicker decode_book_ticker_item(std::string_view bytes) noexcept;
using BookTickers = Repeated<BookTicker, &decode_book_ticker_item>;

/// One symbol's rolling statistics as decimal text; `symbol` is required.
struct MiniTicker {
    std::string_view symbol, price, rate, zoned_rate, high, low, volume, quantity;
    std::string_view last_close_rate, last_close_zoned_rate, last_close_high, last_close_low;
};
MiniTicker decode_mini_ticker_item(std::string_view bytes) noexcept;
using MiniTickers = Repeated<MiniTicker, &decode_mini_ticker_item>;

// ---- bodies ----------------------------------------------------------------------------------

/// 313: aggregated depth increment covering versions [from_version, to_version]; both
/// versions are required.
struct AggreDepth {
    DepthLevels asks, bids;
    std::string_view event_type;
    std::int64_t from_version = 0;
    std::int64_t to_version = 0;
    std::int64_t last_order_create_time = 0;
};
Result<AggreDepth> decode_aggre_depth(std::string_view body) noexcept;

/// 302: legacy increment with a single version (required).
struct IncreaseDepth {
    DepthLevels asks, bids;
    std::string_view event_type;
    std::int64_t version = 0;
};
Result<IncreaseDepth> decode_increase_depth(std::string_view body) noexcept;

/// 312: batch of legacy increments, each validated as 302.
IncreaseDepth decode_increase_depth_item(std::string_view bytes) noexcept;
struct IncreaseDepthBatch {
    Repeated<IncreaseDepth, &decode_increase_depth_item> items;
    std::string_view event_type;
};
Result<IncreaseDepthBatch> decode_increase_depth_batch(std::string_view body) noexcept;

/// 303: top-N snapshot; replaces, never merges (SPEC §10.3). The version is required.
struct LimitDepth {
    DepthLevels asks, bids;
    std::string_view event_type;
    std::int64_t version = 0;
    std::int64_t last_order_create_time = 0;
};
Result<LimitDepth> decode_limit_depth(std::string_view body) noexcept;

/// 301 and 314: trades in one interval, each validated as Deal.
struct DealsBody {
    Deals deals;
    std::string_view event_type;
};
Result<DealsBody> decode_deals(std::string_view body) noexcept;

/// 305 and 315 (315 adds a version in the depth version space; 0 when absent).
struct AggreBookTicker {
    BookTicker ticker;
    std::int64_t version = 0;
    std::int64_t last_order_create_time = 0;
};
Result<AggreBookTicker> decode_book_ticker(std::string_view body) noexcept;

/// 311: several book tickers and an optional version.
struct BookTickerBatch {
    BookTickers items;
    std::int64_t version = 0;
    std::int64_t last_order_create_time = 0;
};
Result<BookTickerBatch> decode_book_ticker_batch(std::string_view body) noexcept;

/// 308: window times are seconds (SPEC §12.5); interval and window start are required.
struct Kline {
    std::string_view interval;
    std::int64_t window_start = 0;
    std::string_view opening_price, closing_price, highest_price, lowest_price, volume, amount;
    std::int64_t window_end = 0;
};
Result<Kline> decode_kline(std::string_view body) noexcept;

/// 309 (one symbol, `symbol` required) and 310 (all symbols).
Result<MiniTicker> decode_mini_ticker(std::string_view body) noexcept;
Result<MiniTickers> decode_mini_tickers(std::string_view body) noexcept;

/// 307: a balance change of the user data stream; `asset` is required.
struct AccountUpdate {
    std::string_view asset, coin_id, free, free_change, locked, locked_change, change_type;
    std::int64_t time = 0;
};
Result<AccountUpdate> decode_private_account(std::string_view body) noexcept;

/// 306: an own trade; trade id, order id, price and quantity are required.
struct PrivateDeal {
    std::string_view price, quantity, amount;
    std::int32_t trade_type = 0;
    bool is_maker = false;
    bool is_self_trade = false;
    std::string_view trade_id, client_order_id, order_id, fee_amount, fee_currency;
    std::int64_t time = 0;
};
Result<PrivateDeal> decode_private_deal(std::string_view body) noexcept;

/// 304: an own order's update; id and status are required.
struct PrivateOrder {
    std::string_view id, client_id, price, quantity, amount, avg_price;
    std::int32_t order_type = 0;
    std::int32_t trade_type = 0;
    bool is_maker = false;
    std::string_view remain_amount, remain_quantity;
    std::string_view last_deal_quantity;  // optional
    bool has_last_deal_quantity = false;
    std::string_view cumulative_quantity, cumulative_amount;
    std::int32_t status = 0;
    std::int64_t create_time = 0;
    std::string_view market;
    std::int32_t trigger_type = 0;
    std::string_view trigger_price;
    std::int32_t state = 0;
    std::string_view oco_id, route_factor, symbol_id, market_id, market_currency_id, currency_id;
};
Result<PrivateOrder> decode_private_order(std::string_view body) noexcept;

}  // namespace mexc::wire
