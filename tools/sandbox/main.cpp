// mexc-sandbox: run the MEXC-compatible sandbox exchange as a process.
//   mexc-sandbox [--host 127.0.0.1] [--port 0] [--seed 42] [--symbols BTCUSDT,ETHUSDT] [--tls]

#include "sandbox.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
    using namespace mexc::sandbox;
    SandboxOptions options;
    bool tls = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                fmt::print(stderr, "mexc-sandbox: {} needs a value\n", arg);
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--host") options.host = next();
        else if (arg == "--port") options.port = static_cast<std::uint16_t>(std::stoi(next()));
        else if (arg == "--seed") options.seed = std::stoull(next());
        else if (arg == "--tls") tls = true;
        else if (arg == "--symbols") {
            const std::string list = next();
            std::vector<SymbolSpec> chosen;
            for (const auto& spec : default_symbols())
                if (("," + list + ",").find("," + spec.symbol + ",") != std::string::npos) chosen.push_back(spec);
            if (chosen.empty()) {
                fmt::print(stderr, "mexc-sandbox: none of the symbols are known\n");
                return 2;
            }
            options.symbols = chosen;
        } else if (arg == "--help" || arg == "-h") {
            fmt::print("usage: mexc-sandbox [--host H] [--port P] [--seed N] [--symbols A,B] [--tls]\n");
            return 0;
        } else {
            fmt::print(stderr, "mexc-sandbox: unknown argument {}\n", arg);
            return 2;
        }
    }
    std::string ca_path;
    if (tls) {
        TestCa ca;
        options.tls = ca.issue({"localhost", options.host});
        ca_path = "mexc-sandbox-ca.pem";
        std::ofstream(ca_path) << ca.certificate_pem();
    }
    boost::asio::io_context ioc{1};
    Sandbox sandbox(ioc.get_executor(), options);
    if (auto started = sandbox.start(); !started) {
        fmt::print(stderr, "mexc-sandbox: {}\n", started.error().describe());
        return 1;
    }
    fmt::print("mexc-sandbox serving {} symbols (seed {})\n", options.symbols.size(), options.seed);
    fmt::print("REST: {}\nWS:   {}\n", sandbox.rest_url(), sandbox.ws_url());
    if (tls) fmt::print("TLS:  test CA written to {} (pass it as tls.ca_file)\n", ca_path);
    // Sandbox-only credentials of the funded demo account: they exist nowhere else.
    const auto demo = demo_api_key();
    fmt::print("Demo account (sandbox only): MEXC_API_KEY={} MEXC_SECRET_KEY={}\n", demo.key, demo.secret);
    std::fflush(stdout);
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
        fmt::print("mexc-sandbox: shutting down\n");
        sandbox.stop();
        ioc.stop();
    });
    ioc.run();
    return 0;
}
