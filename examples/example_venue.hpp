#pragma once
// Where an example runs, and how: the embedded sandbox (with its demo account, for examples that
// trade) or the endpoints of a config file (credentials from MEXC_API_KEY and MEXC_SECRET_KEY);
// then one session on one exchange, the sandbox stopped when it ends.

#include "sandbox.hpp"

#include "mexc/mexc.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <string>

namespace examples {

struct Venue {
    std::optional<mexc::sandbox::Sandbox> sandbox;
    mexc::Config config;
};

/// The configured endpoints when `config_path` is given, else a started embedded sandbox.
/// False after printing why when the file does not load or the sandbox does not start.
inline bool open_venue(boost::asio::io_context& ioc, const std::optional<std::string>& config_path,
                       bool demo_account, Venue& venue) {
    if (config_path) {
        auto loaded = mexc::load_config(*config_path);
        if (!loaded) {
            fmt::print(stderr, "config: {}\n", loaded.error().describe());
            return false;
        }
        venue.config = std::move(*loaded);
        return true;
    }
    venue.sandbox.emplace(ioc.get_executor());
    if (auto started = venue.sandbox->start(); !started) {
        fmt::print(stderr, "sandbox: {}\n", started.error().message());
        return false;
    }
    venue.config.rest_url = venue.sandbox->rest_url();
    venue.config.ws_url = venue.sandbox->ws_url();
    if (demo_account) {
        const auto demo = mexc::sandbox::demo_api_key();  // valid on the sandbox only
        venue.config.credentials.emplace(demo.key, mexc::SecretString(demo.secret));
    }
    return true;
}

/// Runs `session(exchange)` (an awaitable<int>: the exit code) to its end on `ioc`.
template <class Session>
int run_session(boost::asio::io_context& ioc, Venue& venue, Session session) {
    mexc::MexcExchange exchange(ioc.get_executor(), std::move(venue.config));
    int exit_code = 1;
    boost::asio::co_spawn(ioc, session(exchange), [&](std::exception_ptr e, int code) {
        exit_code = e ? 1 : code;
        if (venue.sandbox) venue.sandbox->stop();
    });
    ioc.run();
    return exit_code;
}

/// The whole main() of an example that trades: `--config FILE`, or the sandbox's demo account.
template <class Session>
int trading_main(int argc, char** argv, Session session) {
    boost::asio::io_context ioc{1};
    std::optional<std::string> config_path;
    if (argc == 3 && std::string_view(argv[1]) == "--config") config_path = argv[2];
    Venue venue;
    if (!open_venue(ioc, config_path, /*demo_account=*/true, venue)) return 1;
    return run_session(ioc, venue, std::move(session));
}

}  // namespace examples
