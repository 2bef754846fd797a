// mexc-cli: smoke tests, recording and replay; output is JSON lines.
//
//   mexc-cli book SYMBOL [--seconds N] [--config FILE | --sandbox]
//   mexc-cli record --topics T1,T2 --out FILE [--seconds N] [--config FILE | --sandbox]
//   mexc-cli replay --snapshot FILE --frames FILE [--levels all|N] [--symbol S]
//                   [--price-scale N --quantity-scale N]
//
// Without --config the real MEXC endpoints are used; --sandbox embeds the sandbox exchange.
// Credentials, when needed, come only from the environment or the config file (S13).

#include "frame_file.hpp"
#include "net/tls.hpp"
#include "net/url.hpp"
#include "net/ws_connection.hpp"
#include "replay.hpp"
#include "sandbox.hpp"

#include "mexc/mexc.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
    std::string command;
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    bool has(const std::string& k) const { return options.contains(k); }
    std::string get(const std::string& k, std::string fallback = {}) const {
        auto it = options.find(k);
        return it == options.end() ? fallback : it->second;
    }
};

int usage() {
    fmt::print(stderr,
               "usage: mexc-cli book SYMBOL [--seconds N] [--config FILE | --sandbox]\n"
               "       mexc-cli record --topics T1,T2 --out FILE [--seconds N] [--config FILE | --sandbox]\n"
               "       mexc-cli replay --snapshot FILE --frames FILE [--levels all|N] [--symbol S]\n");
    return 2;
}

int fail(std::string_view what, const mexc::Error& e) {
    fmt::print("{{\"error\":\"{}\",\"condition\":\"{}\",\"detail\":\"{}\"}}\n", what, mexc::to_string(e.condition()),
               e.describe());
    return 1;
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string text(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, mexc::format_decimal_units(units, scale, std::span<char, 32>(buf)));
}

// The environment the command talks to: a config file, the embedded sandbox, or real MEXC.
struct Target {
    std::optional<mexc::sandbox::Sandbox> sandbox;
    mexc::Config config;
};

std::unique_ptr<Target> make_target(const Args& args, asio::io_context& ioc) {
    auto target = std::make_unique<Target>();
    Target& t = *target;
    if (args.has("config")) {
        auto loaded = mexc::load_config(args.get("config"));
        if (!loaded) {
            fail("config", loaded.error());
            return nullptr;
        }
        t.config = std::move(*loaded);
    } else {
        mexc::apply_environment(t.config);
    }
    if (args.has("sandbox")) {
        t.sandbox.emplace(ioc.get_executor());
        if (auto started = t.sandbox->start(); !started) {
            fail("sandbox", started.error());
            return nullptr;
        }
        t.config.rest_url = t.sandbox->rest_url();
        t.config.ws_url = t.sandbox->ws_url();
    }
    return target;
}

asio::awaitable<int> book_command(mexc::MexcExchange& ex, std::string symbol, int seconds) {
    auto view = co_await ex.subscribe_book(symbol);
    if (!view) {
        const int rc = fail("subscribe", view.error());
        co_await ex.close();
        co_return rc;
    }
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < end) {
        auto v = co_await ex.next_book_update();
        if (!v) break;
        const auto s = v->scales();
        const auto bid = v->best_bid();
        const auto ask = v->best_ask();
        fmt::print(R"({{"ts":{},"symbol":"{}","state":"{}","version":{},"bid":"{}","bid_qty":"{}","ask":"{}","ask_qty":"{}"}})"
                   "\n",
                   now_ns() / 1000000, v->symbol(), mexc::to_string(v->state()), v->version(),
                   bid ? text(bid->price, s.price) : "", bid ? text(bid->quantity, s.quantity) : "",
                   ask ? text(ask->price, s.price) : "", ask ? text(ask->quantity, s.quantity) : "");
    }
    co_await ex.close();
    co_return 0;
}

asio::awaitable<int> record_command(mexc::Config config, std::string topics, std::string out_path, int seconds) {
    auto ex = co_await asio::this_coro::executor;
    auto url = mexc::net::parse_url(config.ws_url);
    if (!url) co_return fail("url", url.error());
    auto tls = mexc::net::make_client_tls_context(config.tls);
    if (!tls) co_return fail("tls", tls.error());
    auto conn = co_await mexc::net::WsConnection::connect(ex, *url, *tls, {});
    if (!conn) co_return fail("connect", conn.error());
    std::string params;
    for (std::size_t start = 0; start <= topics.size();) {
        const auto comma = std::min(topics.find(',', start), topics.size());
        if (comma > start) params += fmt::format("{}\"{}\"", params.empty() ? "" : ",", topics.substr(start, comma - start));
        start = comma + 1;
    }
    (*conn)->send_text(fmt::format(R"({{"method":"SUBSCRIPTION","params":[{}],"id":1}})", params));
    mexc::cli::FrameWriter writer(out_path);
    if (!writer.ok()) co_return fail("output", mexc::Error(mexc::Condition::rejected, mexc::Errc::invalid_argument));
    std::size_t count = 0;
    auto reader = [&]() -> asio::awaitable<void> {
        for (;;) {
            auto m = co_await (*conn)->read();
            if (!m) co_return;
            writer.write(now_ns(), m->binary, m->data);
            ++count;
        }
    };
    asio::steady_timer timer(ex, std::chrono::seconds(seconds));
    co_await (reader() || timer.async_wait(asio::use_awaitable));
    co_await (*conn)->close();
    fmt::print(R"({{"recorded":{},"file":"{}"}})" "\n", count, out_path);
    co_return 0;
}

int replay_command(const Args& args) {
    std::ifstream snap(args.get("snapshot"), std::ios::binary);
    if (!snap) return fail("snapshot", mexc::Error(mexc::Condition::rejected, mexc::Errc::invalid_argument));
    const std::string snapshot((std::istreambuf_iterator<char>(snap)), std::istreambuf_iterator<char>());
    auto frames = mexc::cli::read_frames(args.get("frames"));
    if (!frames) return fail("frames", frames.error());
    std::optional<mexc::SymbolScales> scales;
    if (args.has("price-scale") && args.has("quantity-scale"))
        scales = mexc::SymbolScales{static_cast<std::uint8_t>(std::stoi(args.get("price-scale"))),
                                    static_cast<std::uint8_t>(std::stoi(args.get("quantity-scale")))};
    auto result = mexc::cli::replay(snapshot, *frames, scales, args.get("symbol"));
    if (!result) return fail("replay", result.error());
    const std::string levels = args.get("levels", "20");
    fmt::print("{}\n", mexc::cli::book_json(*result, levels == "all" ? 0 : std::stoul(levels)));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    Args args;
    args.command = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0) {
            const std::string key = a.substr(2);
            if (key == "api-key" || key == "secret-key" || key == "secret") {
                // S13: secrets in arguments end up in process lists and shell history.
                fmt::print(stderr, "mexc-cli: credentials are never taken from arguments; set MEXC_API_KEY and "
                                   "MEXC_SECRET_KEY or use a config file readable only by you\n");
                return 2;
            }
            if (key == "sandbox") args.options[key] = "1";
            else if (i + 1 < argc) args.options[key] = argv[++i];
            else return usage();
        } else {
            args.positional.push_back(a);
        }
    }
    if (args.command == "replay") {
        if (!args.has("snapshot") || !args.has("frames")) return usage();
        return replay_command(args);
    }
    if (args.command != "book" && args.command != "record") return usage();

    asio::io_context ioc{1};
    auto target = make_target(args, ioc);
    if (!target) return 1;
    const int seconds = std::stoi(args.get("seconds", "5"));
    int rc = 1;
    std::optional<mexc::MexcExchange> exchange;
    auto done = [&](std::exception_ptr e, int code) {
        rc = e ? 1 : code;
        if (target->sandbox) target->sandbox->stop();
    };
    if (args.command == "book") {
        if (args.positional.empty()) return usage();
        exchange.emplace(ioc.get_executor(), target->config.clone());
        asio::co_spawn(ioc, book_command(*exchange, args.positional.front(), seconds), done);
    } else {
        if (!args.has("topics") || !args.has("out")) return usage();
        asio::co_spawn(ioc, record_command(target->config.clone(), args.get("topics"), args.get("out"), seconds), done);
    }
    ioc.run();
    return rc;
}
