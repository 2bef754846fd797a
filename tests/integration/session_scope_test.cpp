// The session scope against the sandbox (the oracle): open() brings books and the private stream
// up together and rolls back what it started when a part fails; close() deletes the listen key,
// optionally cancels the account's open orders, and is idempotent; order() answers final orders
// from the completed-order cache (FAULTS C12, E15, I7).

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/private_rest.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

namespace {

// The sandbox, one exchange on it (with the demo account's credentials) and another program on
// the same account that looks at the venue's side.
struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox;
    std::optional<mexc::MexcExchange> exchange;
    std::optional<mexc::rest::PrivateRest> other;

    explicit Venue(std::function<void(mexc::Config&)> tweak = {}) : sandbox(ioc.get_executor()) {
        REQUIRE(sandbox.start());
        auto config = mexc::sandbox::client_config(sandbox);
        config.timeouts.subscribe = 5s;
        if (tweak) tweak(config);
        exchange.emplace(ioc.get_executor(), std::move(config));
        other.emplace(ioc.get_executor(), mexc::sandbox::client_config(sandbox));
    }
    ~Venue() {
        run(ioc, exchange->close());
        other->close();
        sandbox.stop();
    }

    std::size_t listen_keys() {
        auto keys = run(ioc, other->listen_keys());
        REQUIRE(keys);
        return keys->size();
    }
    bool venue_has_topic(std::string_view topic) const {
        const auto topics = sandbox.subscribed_topics();
        return std::find(topics.begin(), topics.end(), topic) != topics.end();
    }
};

// Order queries the venue answered so far (GET /api/v3/order, not openOrders).
std::size_t order_queries(const mexc::sandbox::Sandbox& s) {
    return static_cast<std::size_t>(
        std::count_if(s.recent_requests().begin(), s.recent_requests().end(),
                      [](const std::string& r) { return r.starts_with("GET /api/v3/order?"); }));
}

constexpr std::string_view btc_depth = "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT";

mexc::OrderRequest resting_buy() {  // far below the sandbox's market: it rests
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.type = mexc::OrderType::limit;
    o.price = mexc::Price::parse("20000.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    return o;
}

}  // namespace

TEST_CASE("C12 E15 open brings books and the private stream up, close deletes the key once",
          "[integration][session][C12][E15]") {
    Venue v;
    auto opened = run(v.ioc, v.exchange->open({"BTCUSDT", "ETHUSDT", "BTCUSDT"}));
    REQUIRE(opened);
    for (const char* symbol : {"BTCUSDT", "ETHUSDT"}) {
        auto book = v.exchange->book(symbol);
        REQUIRE(book);
        CHECK(book->is_live());
    }
    CHECK(v.exchange->account_live());
    CHECK(v.listen_keys() == 1);
    CHECK(v.exchange->metrics().active_symbols == 2);

    REQUIRE(run(v.ioc, v.exchange->open({"BTCUSDT"})));  // again: nothing new, still one key
    CHECK(v.listen_keys() == 1);

    run(v.ioc, v.exchange->close());
    CHECK(v.listen_keys() == 0);      // deleted with the session (SPEC §9)
    run(v.ioc, v.exchange->close());  // idempotent: returns at once
    auto late = run(v.ioc, v.exchange->open({"BTCUSDT"}));
    REQUIRE_FALSE(late);
    CHECK(late.error().condition() == mexc::Condition::closed);
}

TEST_CASE("C12 a failure half-way through open stops what it started, and open can run again",
          "[integration][session][C12]") {
    Venue v;
    auto failed = run(v.ioc, v.exchange->open({"BTCUSDT", "NOSUCHUSDT"}));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().condition() == mexc::Condition::rejected);  // -1121, the venue's word

    // Rolled back: the book BTCUSDT went Live on the way, and is gone again with its topic; the
    // private stream it started is stopped and its key deleted.
    auto book = v.exchange->book("BTCUSDT");
    REQUIRE_FALSE(book);
    CHECK(book.error().code() == mexc::Errc::not_subscribed);
    CHECK(v.exchange->metrics().active_symbols == 0);
    run_until(
        v.ioc, [&] { return !v.venue_has_topic(btc_depth); }, 5s);
    CHECK_FALSE(v.exchange->account_live());
    CHECK(v.listen_keys() == 0);

    // Nothing stuck: the same session opens cleanly afterwards, with one key.
    REQUIRE(run(v.ioc, v.exchange->open({"BTCUSDT"})));
    CHECK(v.exchange->book("BTCUSDT")->is_live());
    CHECK(v.exchange->account_live());
    CHECK(v.listen_keys() == 1);
}

TEST_CASE("C12 a failed open leaves the books and stream that ran before it alone",
          "[integration][session][C12]") {
    Venue v;
    REQUIRE(run(v.ioc, v.exchange->subscribe_book("ETHUSDT")));
    REQUIRE(run(v.ioc, v.exchange->start_account()));

    auto failed = run(v.ioc, v.exchange->open({"ETHUSDT", "BTCUSDT", "NOSUCHUSDT"}));
    REQUIRE_FALSE(failed);
    CHECK(failed.error().condition() == mexc::Condition::rejected);
    CHECK(v.exchange->book("ETHUSDT")->is_live());  // was there before: kept
    CHECK_FALSE(v.exchange->book("BTCUSDT"));       // added by the failed call: removed
    CHECK(v.exchange->account_live());              // started before: kept
    CHECK(v.listen_keys() == 1);
}

TEST_CASE("C12 close cancels the account's open orders when configured, and only then",
          "[integration][session][C12]") {
    for (const bool cancel : {false, true}) {
        CAPTURE(cancel);
        Venue v([&](mexc::Config& c) { c.cancel_orders_on_close = cancel; });
        auto mine = run(v.ioc, v.exchange->place_order(resting_buy()));
        REQUIRE(mine);
        auto theirs = run(v.ioc, v.other->new_order(resting_buy()));  // another program's
        REQUIRE(theirs);

        run(v.ioc, v.exchange->close());
        auto open = run(v.ioc, v.other->open_orders("BTCUSDT"));
        REQUIRE(open);
        CHECK(open->size() == (cancel ? 0u : 2u));
        if (!cancel) REQUIRE(run(v.ioc, v.other->cancel_open_orders("BTCUSDT")));
    }
}

TEST_CASE("I7 order() answers a final tracked order from the cache, as the venue would",
          "[integration][session][I7]") {
    Venue v([](mexc::Config& c) { c.completed_orders = 4; });
    REQUIRE(run(v.ioc, v.exchange->start_account()));
    mexc::OrderRequest buy;
    buy.symbol = "BTCUSDT";
    buy.side = mexc::Side::buy;
    buy.type = mexc::OrderType::market;
    buy.quote_order_qty = mexc::Quantity::parse("100", 0).value();
    auto ack = run(v.ioc, v.exchange->place_order(buy));
    REQUIRE(ack);
    const auto id = ack->order_id;

    // Until the stream reported it final (and its fills), order() asks the venue.
    bool final = false;
    while (!final) {
        auto e = run(v.ioc, v.exchange->next_account_event(), 10s);
        REQUIRE(e);
        if (auto* o = std::get_if<mexc::OrderUpdate>(&*e))
            final = o->order_id == id && mexc::is_final(o->status);
    }
    auto venue = run(v.ioc, v.other->query_order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
    REQUIRE(venue);
    run_until(
        v.ioc, [&] { return v.exchange->metrics().cached_orders == 1; }, 5s);

    const auto queries_before = order_queries(v.sandbox);
    auto cached = run(v.ioc, v.exchange->order("BTCUSDT", mexc::rest::OrderRef::by_id(id)));
    REQUIRE(cached);
    CHECK(order_queries(v.sandbox) == queries_before);  // no request
    CHECK(v.exchange->metrics().order_cache_hits == 1);
    CHECK(cached->status == venue->status);
    CHECK(cached->executed_qty == venue->executed_qty);
    CHECK(cached->cummulative_quote_qty == venue->cummulative_quote_qty);
    CHECK(cached->client_order_id == venue->client_order_id);
    CHECK(cached->update_time >= venue->time);  // the last news of it: a push's or the venue's

    // By client id too; another symbol's reference is not mistaken for it.
    auto by_client =
        run(v.ioc,
            v.exchange->order("BTCUSDT", mexc::rest::OrderRef::by_client_id(ack->client_order_id)));
    REQUIRE(by_client);
    CHECK(by_client->order_id == id);
    CHECK(v.exchange->metrics().order_cache_hits == 2);
    auto wrong = run(v.ioc, v.exchange->order("ETHUSDT", mexc::rest::OrderRef::by_id(id)));
    CHECK(v.exchange->metrics().order_cache_hits == 2);  // asked the venue instead
    CHECK_FALSE(wrong);
}
