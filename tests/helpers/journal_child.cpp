// A trading process for the restart tests (tests/integration/journal_restart_test.cpp), which
// start it with posix_spawn and SIGKILL it in the middle of a command. It builds one MexcExchange
// with the command journal, warms it up (recovery, clock, rules, the tradable symbols: an order
// placed and cancelled), prints "ready", waits for a line on stdin, then sends one command and
// prints its result. Credentials come from MEXC_API_KEY / MEXC_SECRET_KEY, never arguments (S13).
//
// usage: mexc_journal_child <place|cancel> <rest_url> <journal_path> <client_order_id>
//                           <recv_window_ms>

#include "mexc/exchange.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace asio = boost::asio;

namespace {

mexc::OrderRequest resting_buy(std::string client_id) {
    mexc::OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = mexc::Side::buy;
    o.price = mexc::Price::parse("50000.00", 2).value();  // below the market: it rests
    o.quantity = mexc::Quantity::parse("0.001000", 6).value();
    o.client_order_id = std::move(client_id);
    return o;
}

void say(const std::string& line) {
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
}

asio::awaitable<int> run(mexc::MexcExchange& ex, std::string mode, std::string client_id) {
    // Warm-up: after it, the command below sends exactly one request.
    (void)(co_await ex.recover()).value();
    auto warm = (co_await ex.place_order(resting_buy(client_id + "-warm"))).value();
    (void)(co_await ex.cancel_order("BTCUSDT", mexc::rest::OrderRef::by_id(warm.order_id))).value();
    if (mode == "cancel") (void)(co_await ex.place_order(resting_buy(client_id))).value();
    say("ready");
    std::string go;
    if (!std::getline(std::cin, go)) co_return 3;
    if (mode == "place") {
        auto ack = co_await ex.place_order(resting_buy(client_id));
        say(ack ? "acked" : "failed " + ack.error().describe());
    } else {
        auto cancelled =
            co_await ex.cancel_order("BTCUSDT", mexc::rest::OrderRef::by_client_id(client_id));
        say(cancelled ? "cancelled" : "failed " + cancelled.error().describe());
    }
    co_await ex.close();
    co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fputs(
            "usage: mexc_journal_child <place|cancel> <rest_url> <journal_path> "
            "<client_order_id> <recv_window_ms>\n",
            stderr);
        return 2;
    }
    try {
        mexc::Config config;
        config.rest_url = argv[2];
        config.ws_url = "ws://127.0.0.1:9/ws";  // no stream is used
        config.journal_path = argv[3];
        config.recv_window = std::chrono::milliseconds(std::atoll(argv[5]));
        mexc::apply_environment(config);
        asio::io_context ioc{1};
        mexc::MexcExchange ex(ioc.get_executor(), std::move(config));
        int status = 1;
        asio::co_spawn(ioc, run(ex, argv[1], argv[4]), [&](std::exception_ptr e, int s) {
            if (e) std::rethrow_exception(e);
            status = s;
        });
        ioc.run();
        return status;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mexc_journal_child: %s\n", e.what());
        return 1;
    }
}
