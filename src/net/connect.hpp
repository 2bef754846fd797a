#pragma once
// Connects a Beast TCP stream to the first reachable resolved endpoint, each attempt bounded.
// (Beast's range overload does not accept asio::deferred in Boost 1.81.)

#include "mexc/error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>

namespace mexc::net {

inline boost::asio::awaitable<Result<void>> connect_any(
    boost::beast::tcp_stream& stream, const boost::asio::ip::tcp::resolver::results_type& endpoints,
    std::chrono::milliseconds timeout) {
    boost::system::error_code last = boost::asio::error::host_not_found;
    for (const auto& entry : endpoints) {
        stream.expires_after(timeout);
        auto [ec] = co_await stream.async_connect(entry.endpoint(),
                                                  boost::asio::as_tuple(boost::asio::deferred));
        if (!ec) {
            stream.socket().set_option(boost::asio::ip::tcp::no_delay(true));
            co_return Result<void>{};
        }
        last = ec;
        if (ec == boost::beast::error::timeout) co_return Error(Condition::network, Errc::timeout);
    }
    co_return Error(Condition::network, last);
}

}  // namespace mexc::net
