// What the Cancellation lines of the public headers promise, over real sockets to the sandbox: a
// terminal cancellation of the awaiting coroutine abandons the request in flight and its
// connection; an order whose bytes were written completes as outcome_unknown (it may exist), a
// read ends by throwing operation_aborted at its next suspension.

#include "client_config.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"

#include "mexc/exchange.hpp"
#include "mexc/rest/public_rest.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>

#include <exception>
#include <optional>

namespace asio = boost::asio;
using mexc::testing::run;
using mexc::testing::run_until;
using namespace std::chrono_literals;

namespace {

struct Venue {
    asio::io_context ioc{1};
    mexc::sandbox::Sandbox sandbox{ioc.get_executor()};
    std::optional<mexc::MexcExchange> exchange;
    Venue() {
        REQUIRE(sandbox.start());
        auto c = mexc::sandbox::client_config(sandbox);
        c.timeouts.request = 20s;  // the cancellation, not a deadline, ends the held request
        exchange.emplace(ioc.get_executor(), std::move(c));
        REQUIRE(run(ioc, exchange->rules("BTCUSDT")));
        REQUIRE(run(ioc, exchange->private_rest().sync_clock()));
    }
    ~Venue() {
        run(ioc, exchange->close());
        sandbox.stop();
    }
    std::uint64_t requests() const { return sandbox.stats().http_requests; }
    std::uint64_t connections() const { return sandbox.stats().tcp_connections; }
};

/// An operation spawned with a cancellation slot: its result, or the exception it ended with.
template <class T>
struct Spawned {
    asio::cancellation_signal signal;
    std::optional<T> result;
    std::exception_ptr failure;
    bool done = false;

    Spawned(asio::io_context& ioc, asio::awaitable<T> task) {
        asio::co_spawn(
            ioc, std::move(task),
            asio::bind_cancellation_slot(signal.slot(), [this](std::exception_ptr e, T value) {
                failure = e;
                if (!e) result.emplace(std::move(value));
                done = true;
            }));
    }
    void cancel() { signal.emit(asio::cancellation_type::terminal); }
};

mexc::OrderRequest resting_buy(std::string client_id) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.price = mexc::Price::parse("50000.00", 2).value();
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    o.client_order_id = std::move(client_id);
    return o;
}

}  // namespace

TEST_CASE(
    "an order cancelled after its bytes were written is outcome_unknown, its connection "
    "dropped",
    "[integration][orders][outcome][cancellation]") {
    Venue v;
    v.sandbox.faults().timeout_after_apply("POST /api/v3/order");
    Spawned<mexc::Result<mexc::OrderAck>> placing(v.ioc,
                                                  v.exchange->place_order(resting_buy("cx-1")));
    run_until(v.ioc, [&] { return v.sandbox.engine().open_orders(1, "BTCUSDT").size() == 1; });
    const auto connections = v.connections();
    placing.cancel();
    run_until(v.ioc, [&] { return placing.done; });

    REQUIRE_FALSE(placing.failure);
    REQUIRE(placing.result);
    REQUIRE_FALSE(*placing.result);
    CHECK(placing.result->error().condition() == mexc::Condition::outcome_unknown);
    CHECK(placing.result->error().code() == asio::error::operation_aborted);

    // Reconciled by the client id, over a new connection: the abandoned one is never reused.
    v.sandbox.faults().clear_rest_faults();
    auto found =
        run(v.ioc, v.exchange->order("BTCUSDT", mexc::rest::OrderRef::by_client_id("cx-1")));
    REQUIRE(found);
    CHECK(found->status == mexc::OrderStatus::new_order);
    CHECK(v.connections() == connections + 1);
    CHECK(v.sandbox.engine().open_orders(1, "BTCUSDT").size() == 1);  // never sent twice
}

TEST_CASE("a read cancelled in flight throws operation_aborted and drops its connection",
          "[integration][rest][cancellation]") {
    Venue v;
    v.sandbox.faults().timeout_after_apply("GET /api/v3/ticker/price");
    const auto before = v.requests();
    Spawned<mexc::Result<std::vector<mexc::TickerPrice>>> reading(
        v.ioc, v.exchange->public_rest().ticker_price("BTCUSDT"));
    run_until(v.ioc, [&] { return v.requests() > before; });
    const auto connections = v.connections();
    const auto requests = v.requests();
    reading.cancel();
    run_until(v.ioc, [&] { return reading.done; });

    REQUIRE(reading.failure);
    try {
        std::rethrow_exception(reading.failure);
    } catch (const boost::system::system_error& e) {
        CHECK(e.code() == asio::error::operation_aborted);
    }
    CHECK(v.requests() == requests);  // not retried after the cancellation

    v.sandbox.faults().clear_rest_faults();
    REQUIRE(run(v.ioc, v.exchange->public_rest().ping()));
    CHECK(v.connections() == connections + 1);
}
