// mexc-sandbox: run the MEXC-compatible sandbox exchange as a process.
//   mexc-sandbox [--config FILE] [--host 127.0.0.1] [--port 0] [--seed 42]
//                [--symbols BTCUSDT,ETHUSDT | --symbols 500] [--tls] [--proxy] [--no-admin]
//                [--scripted]
// A number of symbols serves that many generated ones (S0001USDT, ...), drawn from the seed.
// Flags given after --config override the file. The admin interface (/sandbox/admin/..., loopback
// only) is on unless --no-admin; see docs/sandbox.md, "Fault injection and admin interface".

#include "fault_proxy.hpp"
#include "sandbox.hpp"
#include "sandbox_decimal.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace {
using namespace mexc::sandbox;

[[noreturn]] void fail(const std::string& message) {
    fmt::print(stderr, "mexc-sandbox: {}\n", message);
    std::exit(2);
}

std::vector<SymbolSpec> choose_symbols(const std::vector<std::string>& names) {
    std::vector<SymbolSpec> chosen;
    for (const auto& spec : default_symbols())
        for (const auto& name : names)
            if (spec.symbol == name) chosen.push_back(spec);
    if (chosen.empty()) fail("none of the symbols are known");
    return chosen;
}

// "500": a count of generated symbols; nullopt for anything else (a list of names).
std::optional<std::size_t> symbol_count(std::string_view text) {
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    if (text.size() > 6) fail("at most 100000 generated symbols");
    const std::size_t n = std::stoul(std::string(text));
    if (n == 0 || n > 100000) fail("the number of generated symbols must be 1 to 100000");
    return n;
}

// "1000", "0.5" → units at asset_scale (1e-8), exactly.
std::int64_t asset_units(const std::string& text) {
    const auto parsed = parse_decimal(text, asset_scale);
    if (parsed.fault == DecimalFault::too_many_decimals)
        fail("too many decimals in amount " + text);
    if (!parsed || parsed.units < 0) fail("bad amount " + text);
    return parsed.units;
}

std::vector<std::string> strings(const YAML::Node& node) {
    std::vector<std::string> out;
    if (node && node.IsSequence())
        for (const auto& item : node) out.push_back(item.as<std::string>());
    return out;
}

std::chrono::milliseconds ms(const YAML::Node& node, std::chrono::milliseconds fallback) {
    return node ? std::chrono::milliseconds(node.as<std::int64_t>()) : fallback;
}

struct FileSettings {
    bool tls = false;
    bool proxy = false;
    std::optional<std::chrono::milliseconds> listen_key_validity;
    std::optional<std::size_t> generated_symbols;  // `symbols: 500`
};

// The YAML configuration (docs/sandbox.md). Unknown keys are an error, to catch typos.
FileSettings load_config(const std::string& path, SandboxOptions& options) {
    FileSettings file;
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        fail(fmt::format("cannot read {}: {}", path, e.what()));
    }
    try {
        for (const auto& entry : root) {
            const auto name = entry.first.as<std::string>();
            const YAML::Node& v = entry.second;
            if (name == "host")
                options.host = v.as<std::string>();
            else if (name == "port")
                options.port = v.as<std::uint16_t>();
            else if (name == "seed")
                options.seed = v.as<std::uint64_t>();
            else if (name == "tick_ms")
                options.tick = std::chrono::milliseconds(v.as<std::int64_t>());
            else if (name == "tls")
                file.tls = v.as<bool>();
            else if (name == "proxy")
                file.proxy = v.as<bool>();
            else if (name == "admin")
                options.admin_interface = v.as<bool>();
            else if (name == "scripted")
                options.scripted = v.as<bool>();
            else if (name == "symbols") {
                file.generated_symbols =
                    v.IsScalar() ? symbol_count(v.as<std::string>()) : std::nullopt;
                if (!file.generated_symbols) options.symbols = choose_symbols(strings(v));
            } else if (name == "accounts") {
                options.accounts.clear();
                for (const auto& a : v) {
                    AccountSpec account;
                    account.id = a["id"].as<std::uint64_t>();
                    if (a["deposits"])
                        for (const auto& d : a["deposits"])
                            account.deposits[d.first.as<std::string>()] =
                                asset_units(d.second.as<std::string>());
                    if (a["maker_commission"])
                        account.maker_commission = a["maker_commission"].as<std::int64_t>();
                    if (a["taker_commission"])
                        account.taker_commission = a["taker_commission"].as<std::int64_t>();
                    options.accounts.push_back(std::move(account));
                }
            } else if (name == "api_keys") {
                options.keys.clear();
                for (const auto& k : v) {
                    ApiKey key;
                    key.key = k["key"].as<std::string>();
                    key.secret = k["secret"].as<std::string>();
                    key.account = k["account"] ? k["account"].as<std::uint64_t>() : 1;
                    if (k["permissions"]) key.permissions = strings(k["permissions"]);
                    key.ip_whitelist = strings(k["ip_whitelist"]);
                    key.symbols = strings(k["symbols"]);
                    options.keys.push_back(std::move(key));
                }
            } else if (name == "lifetimes") {
                options.ws_subscribe_deadline =
                    ms(v["ws_subscribe_deadline_ms"], options.ws_subscribe_deadline);
                options.ws_idle_timeout = ms(v["ws_idle_timeout_ms"], options.ws_idle_timeout);
                options.rest_idle_timeout =
                    ms(v["rest_idle_timeout_ms"], options.rest_idle_timeout);
                options.ws_max_lifetime = ms(v["ws_max_lifetime_ms"], options.ws_max_lifetime);
                if (v["listen_key_validity_ms"])
                    file.listen_key_validity = ms(v["listen_key_validity_ms"], {});
            } else {
                fail(fmt::format("{}: unknown key '{}'", path, name));
            }
        }
    } catch (const YAML::Exception& e) {
        // The message names the position, never the value (it may be a secret).
        fail(fmt::format("{}: invalid configuration at line {}", path, e.mark.line + 1));
    }
    return file;
}

}  // namespace

int main(int argc, char** argv) {
    SandboxOptions options;
    options.admin_interface = true;
    bool tls = false;
    bool with_proxy = false;
    std::optional<std::chrono::milliseconds> listen_key_validity;
    std::optional<std::size_t> generated;  // drawn once the seed is known
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) fail(fmt::format("{} needs a value", arg));
            return argv[++i];
        };
        if (arg == "--config") {
            const auto file = load_config(next(), options);
            tls = tls || file.tls;
            with_proxy = with_proxy || file.proxy;
            listen_key_validity = file.listen_key_validity;
            if (file.generated_symbols) generated = file.generated_symbols;
        } else if (arg == "--host")
            options.host = next();
        else if (arg == "--port")
            options.port = static_cast<std::uint16_t>(std::stoi(next()));
        else if (arg == "--seed")
            options.seed = std::stoull(next());
        else if (arg == "--tls")
            tls = true;
        else if (arg == "--proxy")
            with_proxy = true;
        else if (arg == "--no-admin")
            options.admin_interface = false;
        else if (arg == "--scripted")
            options.scripted = true;  // empty books, no synthetic participants
        else if (arg == "--symbols") {
            const std::string value = next();
            generated = symbol_count(value);
            if (!generated) options.symbols = choose_symbols(split_list(value));
        } else if (arg == "--help" || arg == "-h") {
            fmt::print(
                "usage: mexc-sandbox [--config FILE] [--host H] [--port P] [--seed N] [--symbols "
                "A,B | --symbols COUNT] [--tls] [--proxy] [--no-admin] [--scripted]\n");
            return 0;
        } else {
            fail(fmt::format("unknown argument {}", arg));
        }
    }
    if (generated) options.symbols = generated_symbols(*generated, options.seed);
    std::string ca_path;
    if (tls) {
        TestCa ca;
        options.tls = ca.issue({"localhost", options.host});
        ca_path = "mexc-sandbox-ca.pem";
        std::ofstream(ca_path) << ca.certificate_pem();
    }
    boost::asio::io_context ioc{1};
    Sandbox sandbox(ioc.get_executor(), options);
    if (listen_key_validity) sandbox.set_listen_key_validity(*listen_key_validity);
    if (auto started = sandbox.start(); !started) {
        fmt::print(stderr, "mexc-sandbox: {}\n", started.error().message());
        return 1;
    }
    std::unique_ptr<FaultProxy> proxy;
    if (with_proxy) {
        proxy = std::make_unique<FaultProxy>(ioc.get_executor(), options.host, sandbox.port());
        if (auto started = proxy->start(); !started) {
            fmt::print(stderr, "mexc-sandbox: proxy: {}\n", started.error().message());
            return 1;
        }
        sandbox.attach_proxy(proxy.get());
    }
    fmt::print("mexc-sandbox serving {} symbols (seed {})\n", options.symbols.size(), options.seed);
    fmt::print("REST: {}\nWS:   {}\n", sandbox.rest_url(), sandbox.ws_url());
    if (proxy)
        fmt::print("Proxy: REST {} WS {} (fault proxy in front of the sandbox)\n",
                   proxy->url(tls ? "https" : "http"), proxy->url(tls ? "wss" : "ws", "/ws"));
    if (options.admin_interface)
        fmt::print("Admin: {}/sandbox/admin/state (loopback only)\n", sandbox.rest_url());
    if (tls) fmt::print("TLS:  test CA written to {} (pass it as tls.ca_file)\n", ca_path);
    // Sandbox-only credentials of the funded demo account: they exist nowhere else. Keys from a
    // configuration file are never printed.
    const auto demo = demo_api_key();
    const bool demo_served = std::any_of(options.keys.begin(), options.keys.end(),
                                         [&](const ApiKey& k) { return k.key == demo.key; });
    if (demo_served)
        fmt::print("Demo account (sandbox only): MEXC_API_KEY={} MEXC_SECRET_KEY={}\n", demo.key,
                   demo.secret);
    std::fflush(stdout);
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
        fmt::print("mexc-sandbox: shutting down\n");
        if (proxy) proxy->stop();
        sandbox.stop();
        ioc.stop();
    });
    ioc.run();
    return 0;
}
