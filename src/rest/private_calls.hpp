#pragma once
// What PrivateRest's methods share, by domain file (private_trading.cpp, private_account.cpp,
// private_user_stream.cpp, private_sub_accounts.cpp, private_wallet.cpp): building queries and
// reading answers. Requests go through the transport (rest/transport.hpp).

#include "mexc/rest/private_rest.hpp"

#include "rest/endpoints.hpp"
#include "rest/transport.hpp"
#include "sign/query.hpp"
#include "wire/json.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::rest {

namespace ep = endpoints;

inline void append_decimal(std::string& query, std::string_view name, const auto& value) {
    char buf[32];
    const auto n = value.format_compact(std::span<char, 32>(buf));
    append_param(query, name, std::string_view(buf, n));
}

inline void append_if(std::string& q, std::string_view name, const std::string& value) {
    if (!value.empty()) append_param(q, name, value);
}

inline void append_if(std::string& q, std::string_view name, std::int64_t value) {
    if (value != 0) append_param(q, name, std::to_string(value));
}

inline std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
    return out;
}

/// Appends the parameters of POST /api/v3/order to `out` (a reused buffer) in SPEC §11.1's order
/// (symbol, side, type, quantity, price), then newClientOrderId and stpMode when set.
void append_order_params(std::string& out, const OrderRequest& o);

/// The order commands as PrivateRest sends them, over `transport`, each attempt signed with a
/// timestamp of at most `latest_stamp` (0: unbounded; Transport::call): MexcExchange's journaled
/// commands. PrivateRest::new_order, cancel_order and cancel_open_orders are these, unbounded.
boost::asio::awaitable<Result<OrderAck>> send_new_order(Transport& transport, OrderRequest order,
                                                        std::int64_t latest_stamp);
boost::asio::awaitable<Result<OrderInfo>> send_cancel_order(Transport& transport,
                                                            std::string symbol, OrderRef ref,
                                                            std::int64_t latest_stamp);
boost::asio::awaitable<Result<std::vector<OrderInfo>>> send_cancel_open_orders(
    Transport& transport, std::string symbol, std::int64_t latest_stamp);

/// The query of a transfer history (`limit_name`: MEXC calls it "limit" or "size").
inline std::string transfer_query_params(const TransferQuery& q, std::string_view limit_name) {
    std::string p;
    append_if(p, "fromAccount", q.from_account);
    append_if(p, "toAccount", q.to_account);
    append_param(p, "fromAccountType", to_string(q.from_type));
    append_param(p, "toAccountType", to_string(q.to_type));
    append_if(p, "startTime", q.start_ms);
    append_if(p, "endTime", q.end_ms);
    append_if(p, "page", q.page);
    append_if(p, limit_name, q.limit);
    return p;
}

/// Adapts a JsonReader member to the parse callback of Transport::parsed.
template <class R>
auto with(R (wire::JsonReader::*read)(std::string_view)) {
    return [read](wire::JsonReader& j, std::string_view body) { return (j.*read)(body); };
}

inline auto text_field(std::string_view name) {
    return [name](wire::JsonReader& j, std::string_view body) { return j.field_text(body, name); };
}

/// The one record a creation answers. An empty answer to a command that was accepted leaves its
/// result unknown (FAULTS §1.2): it may exist without our knowing it.
template <class T>
Result<T> only(Result<std::vector<T>> all, bool is_command = true) {
    if (!all) return all.error();
    if (all->empty())
        return Error(is_command ? Condition::outcome_unknown : Condition::bad_data,
                     Errc::unexpected_json_shape);
    return std::move(all->front());
}

/// Any answer that is not a refusal, for calls whose answer carries nothing else we need.
inline Result<bool> accepted(wire::JsonReader& j, std::string_view body) {
    if (auto refused = refusal_of(j, body)) return *refused;
    return true;
}

}  // namespace mexc::rest
