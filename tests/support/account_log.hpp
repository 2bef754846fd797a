#pragma once
// What an exchange's account events said, collected by a reader task until the exchange closes:
// the stream statuses in order, the last update of each order (by order id) and how many times
// each fill (by trade id) was reported.

#include "mexc/account_events.hpp"
#include "mexc/exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace mexc::testing {

struct AccountLog {
    std::vector<StreamStatus> statuses;
    std::map<std::string, OrderUpdate> orders;
    std::map<std::string, int> fills;  // reports per trade id

    /// Starts reading `exchange`'s events on `ioc`; the reader ends when the exchange closes.
    /// Lifetime: this log outlives the exchange's close.
    void start(boost::asio::io_context& ioc, MexcExchange& exchange) {
        boost::asio::co_spawn(
            ioc,
            [this, &exchange]() -> boost::asio::awaitable<void> {
                for (;;) {
                    auto e = co_await exchange.next_account_event();
                    if (!e) break;
                    if (const auto* s = std::get_if<StreamStatus>(&*e)) statuses.push_back(*s);
                    if (const auto* o = std::get_if<OrderUpdate>(&*e))
                        if (!o->order_id.empty()) orders[o->order_id.str()] = *o;
                    if (const auto* f = std::get_if<Fill>(&*e)) ++fills[f->trade_id.str()];
                }
            },
            boost::asio::detached);
    }
    int count(StreamStatus s) const {
        int n = 0;
        for (auto x : statuses) n += x == s;
        return n;
    }
};

}  // namespace mexc::testing
