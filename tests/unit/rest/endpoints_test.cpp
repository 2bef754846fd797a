// The REST endpoint table (src/rest/endpoints.hpp): one entry per method and path, the weights
// SPEC §3 states, commands exactly the state-changing calls, the order bucket exactly the order
// and cancel endpoints (SPEC §6.1), and the limiter's weights taken from it.

#include "rest/endpoints.hpp"

#include "mexc/rest/rate_limiter.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

namespace ep = mexc::rest::endpoints;
using mexc::RateScope;
using mexc::net::HttpMethod;
using mexc::rest::Endpoint;
using mexc::rest::Family;

TEST_CASE("endpoint table: every method and path appears once", "[unit][rest][endpoints]") {
    std::set<std::pair<HttpMethod, std::string>> seen;
    for (const Endpoint* e : ep::all) {
        INFO(std::string(mexc::rest::method_name(e->method)) + " " + std::string(e->path));
        CHECK(e->path.starts_with("/api/v3/"));
        CHECK(seen.emplace(e->method, std::string(e->path)).second);
        CHECK(e->weight >= 1);
    }
    CHECK(seen.size() == ep::all.size());
    CHECK(seen.size() >= 60);  // every method of PublicRest and PrivateRest
}

TEST_CASE("endpoint table: the weights SPEC §3 states", "[unit][rest][endpoints]") {
    CHECK(ep::ping.weight == 1);
    CHECK(ep::time.weight == 1);
    CHECK(ep::exchange_info.weight == 10);  // DOC-2025; DOC-2026's 25 is a config override
    CHECK(ep::depth.weight == 3);           // DOC-2026 (SPEC §3.1, §10.3)
    CHECK(ep::trades.weight == 5);
    CHECK(ep::offline_symbols.weight == 10);
    CHECK(ep::query_order.weight == 2);
    CHECK(ep::open_orders.weight == 3);
    CHECK(ep::all_orders.weight == 10);
    CHECK(ep::account_info.weight == 10);
    CHECK(ep::my_trades.weight == 10);
    CHECK(ep::trade_fee.weight == 20);
    CHECK(ep::create_stp_group.weight == 20);
    CHECK(ep::remove_stp_group_uids.weight == 20);
    CHECK(ep::coins.weight == 10);
    CHECK(ep::deposit_addresses.weight == 10);
    CHECK(ep::create_deposit_address.weight == 1);
    CHECK(ep::convert.weight == 10);
    CHECK(ep::withdraw.weight == 1);
}

TEST_CASE("endpoint table: commands are the state-changing calls, reads never change state",
          "[unit][rest][endpoints]") {
    for (const Endpoint* e : ep::all) {
        INFO(std::string(mexc::rest::method_name(e->method)) + " " + std::string(e->path));
        if (e->method == HttpMethod::get) CHECK_FALSE(e->command);
        if (e->command) CHECK(e->is_signed);
        // Unsigned means public market data, metered per IP; signed calls per account.
        CHECK(e->is_signed == (e->family != Family::market_data));
        CHECK(e->scope == (e->is_signed ? RateScope::uid : RateScope::ip));
        // The shared order rate is for placing and cancelling orders only.
        const bool order_or_cancel = e == &ep::new_order || e == &ep::batch_orders ||
                                     e == &ep::cancel_order || e == &ep::cancel_open_orders;
        CHECK(e->order_bucket == order_or_cancel);
    }
    for (const Endpoint* e :
         {&ep::new_order, &ep::batch_orders, &ep::cancel_order, &ep::cancel_open_orders,
          &ep::create_stp_group, &ep::delete_stp_group, &ep::add_stp_group_uids,
          &ep::remove_stp_group_uids, &ep::create_sub_account, &ep::create_sub_account_api_key,
          &ep::delete_sub_account_api_key, &ep::universal_transfer, &ep::withdraw,
          &ep::cancel_withdraw, &ep::create_deposit_address, &ep::transfer, &ep::convert,
          &ep::internal_transfer, &ep::create_listen_key})
        CHECK(e->command);
    // Safe to send twice: validated only, a flag set to a value, a key's lifetime extended or
    // ended.
    for (const Endpoint* e :
         {&ep::test_order, &ep::set_mx_deduct, &ep::keep_alive_listen_key, &ep::delete_listen_key})
        CHECK_FALSE(e->command);
    CHECK(ep::new_order.family == Family::orders);
    CHECK(ep::my_trades.family == Family::orders);
    CHECK(ep::withdraw.family == Family::account);
    CHECK(ep::listen_keys.family == Family::user_data_stream);
}

TEST_CASE("the limiter weighs an endpoint by the table unless the config overrides it",
          "[unit][rest][endpoints][rate]") {
    mexc::RateLimits limits;
    CHECK(limits.weights.empty());                    // no list of paths besides the table
    limits.weights["GET /api/v3/exchangeInfo"] = 25;  // DOC-2026
    mexc::RateLimiter limiter(limits);
    CHECK(limiter.weight_of("GET", "/api/v3/exchangeInfo") == 25);
    CHECK(limiter.weight_of("GET", "/api/v3/depth") == 3);
    CHECK(limiter.weight_of("GET", "/api/v3/allOrders") == 10);
    CHECK(limiter.weight_of("POST", "/api/v3/capital/convert") == 10);
    CHECK(limiter.weight_of("GET", "/api/v3/capital/convert") == 1);
    CHECK(limiter.weight_of("GET /api/v3/tradeFee") == 20);
    CHECK(limiter.weight_of("GET /api/v3/unknown") == 1);
}
