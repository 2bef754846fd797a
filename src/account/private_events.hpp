#pragma once
// The account's news from either source in the tracker's terms: private pushes (SPEC §8.15–§8.17,
// numeric enums of §4.8) and REST answers (orders, trades, balances) used by reconciliation.
// Decimals are read exactly at the scale MEXC wrote them. Views in an observation point into the
// frame or answer it came from.

#include "account/order_tracker.hpp"
#include "mexc/account.hpp"
#include "mexc/account_events.hpp"
#include "mexc/error.hpp"
#include "mexc/order.hpp"
#include "mexc/wire/push.hpp"

namespace mexc::account {

/// 304. Errors: bad_data (a decimal that does not read, P06).
Result<OrderObservation> observation_of(const wire::PushFrame& frame,
                                        const wire::PrivateOrder& order);
/// 306. Errors: bad_data.
Result<Fill> fill_of(const wire::PushFrame& frame, const wire::PrivateDeal& deal);
/// 307. Errors: bad_data.
Result<BalanceUpdate> balance_of(const wire::AccountUpdate& update);

/// A queried or listed order (GET /api/v3/order, openOrders, allOrders).
OrderObservation observation_of(const OrderInfo& order);
/// A placement ack: no status (SPEC §3.2), so it only ends PendingNew and names the order.
OrderObservation observation_of(const OrderAck& ack);
/// An own trade (GET /api/v3/myTrades).
Fill fill_of(const TradeInfo& trade);

/// §4.8 numeric enums; values this library does not know are `unknown`.
Side side_of_trade_type(std::int32_t trade_type) noexcept;
OrderType order_type_of(std::int32_t order_type) noexcept;
OrderStatus order_status_of(std::int32_t status) noexcept;

}  // namespace mexc::account
