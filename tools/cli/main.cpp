// mexc-cli: smoke tests, recording and replay; output is JSON lines.
//
//   mexc-cli book SYMBOL [--seconds N] [--config FILE | --sandbox]
//   mexc-cli record --topics T1,T2 --out FILE [--seconds N] [--config FILE | --sandbox]
//   mexc-cli stream KIND SYMBOL... [--speed 10ms|100ms] [--interval Min1..Month1] [--levels
//   5|10|20]
//                   [--zone UTC+8|24H|...] [--count N] [--seconds N] [--config FILE | --sandbox]
//   mexc-cli books --symbols N --until-live [--seconds LIMIT] [--config FILE | --sandbox
//                  [--sandbox-symbols N]]
//   mexc-cli replay --snapshot FILE --frames FILE [--levels all|N] [--symbol S]
//                   [--price-scale N --quantity-scale N]
//
// Without --config the real MEXC endpoints are used; --sandbox embeds the sandbox exchange.
// Credentials, when needed, come only from the environment or the config file (S13).

#include "books.hpp"
#include "frame_file.hpp"
#include "json_out.hpp"
#include "replay.hpp"
#include "sandbox.hpp"
#include "stream.hpp"
#include "watch.hpp"

#include "mexc/mexc.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>

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
    fmt::print(
        stderr,
        "usage: mexc-cli book SYMBOL [--seconds N] [--config FILE | --sandbox]\n"
        "       mexc-cli record --topics T1,T2 --out FILE [--seconds N] [--config FILE | "
        "--sandbox]\n"
        "       mexc-cli stream {} SYMBOL... [--speed 10ms|100ms] [--interval Min1..Month1]\n"
        "                       [--levels 5|10|20] [--zone UTC+8|24H|...] [--count N] [--seconds "
        "N]\n"
        "       mexc-cli books --symbols N --until-live [--seconds LIMIT] [--sandbox-symbols N]\n"
        "       mexc-cli watch [orders] [fills] [balances] [--count N] [--seconds N]\n"
        "       mexc-cli replay --snapshot FILE --frames FILE [--levels all|N] [--symbol S]\n"
        "       mexc-cli time | exchange-info [SYMBOL] | balances | trades SYMBOL [--order-id ID]\n"
        "       mexc-cli order place SYMBOL BUY|SELL TYPE [--price P] [--quantity Q] [--quote-qty "
        "A] [--client-id C]\n"
        "       mexc-cli order cancel|get SYMBOL (--id ID | --client-id C)\n"
        "       mexc-cli order open [SYMBOL]\n"
        "  common: [--config FILE | --sandbox] [--credentials FILE]; credentials come from "
        "MEXC_API_KEY and\n"
        "  MEXC_SECRET_KEY, a config file or --credentials (a YAML file readable only by its "
        "owner), never\n"
        "  from arguments\n",
        mexc::cli::stream_kinds);
    return 2;
}

int fail(std::string_view what, const mexc::Error& e) {
    return mexc::cli::print_error(what, e);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string text(std::int64_t units, std::uint8_t scale) {
    char buf[32];
    return std::string(buf, mexc::format_decimal_units(units, scale, std::span<char, 32>(buf)));
}

// S13: a credentials file must be readable by its owner only.
bool load_credentials_file(const std::string& path, mexc::Config& config) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        fmt::print(stderr, "mexc-cli: cannot read the credentials file\n");
        return false;
    }
    if ((st.st_mode & 077) != 0) {
        fmt::print(
            stderr,
            "mexc-cli: refusing a credentials file readable by others; run: chmod 600 FILE\n");
        return false;
    }
    try {
        const YAML::Node n = YAML::LoadFile(path);
        config.credentials.emplace(n["api_key"].as<std::string>(),
                                   mexc::SecretString(n["secret_key"].as<std::string>()));
    } catch (const YAML::Exception&) {
        fmt::print(stderr, "mexc-cli: the credentials file needs api_key and secret_key\n");
        return false;
    }
    return true;
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
    if (args.has("credentials") && !load_credentials_file(args.get("credentials"), t.config))
        return nullptr;
    if (args.has("sandbox")) {
        mexc::sandbox::SandboxOptions options;
        if (args.has("sandbox-symbols"))  // generated symbols with live markets, as mexc-sandbox
            options.symbols = mexc::sandbox::generated_symbols(
                std::stoul(args.get("sandbox-symbols")), options.seed);
        t.sandbox.emplace(ioc.get_executor(), std::move(options));
        if (!t.config.credentials) {  // the sandbox's own demo account, valid nowhere else
            const auto demo = mexc::sandbox::demo_api_key();
            t.config.credentials.emplace(demo.key, mexc::SecretString(demo.secret));
        }
        if (auto started = t.sandbox->start(); !started) {
            fail("sandbox", mexc::Error(mexc::Condition::network, started.error()));
            return nullptr;
        }
        t.config.rest_url = t.sandbox->rest_url();
        t.config.ws_url = t.sandbox->ws_url();
    }
    return target;
}

std::string order_json(const mexc::OrderInfo& o) {
    return fmt::format(
        R"({{"symbol":"{}","order_id":"{}","client_order_id":"{}","side":"{}","type":"{}","status":"{}","price":"{}",)"
        R"("orig_qty":"{}","executed_qty":"{}","cummulative_quote_qty":"{}","time":{},"update_time":{}}})",
        o.symbol, o.order_id, o.client_order_id, mexc::to_string(o.side), mexc::to_string(o.type),
        mexc::to_string(o.status), o.price.to_string(), o.orig_qty.to_string(),
        o.executed_qty.to_string(), o.cummulative_quote_qty.to_string(), o.time, o.update_time);
}

std::optional<mexc::OrderRequest> order_request(const Args& args) {
    if (args.positional.size() < 4) return std::nullopt;  // place SYMBOL SIDE TYPE
    mexc::OrderRequest o;
    o.symbol = args.positional[1];
    auto side = mexc::parse_side(args.positional[2]);
    auto type = mexc::parse_order_type(args.positional[3]);
    if (!side || !type) return std::nullopt;
    o.side = *side;
    o.type = *type;
    auto decimal = [&](const std::string& key, auto& out) {
        if (!args.has(key)) return true;
        const auto text = args.get(key);
        auto v =
            std::remove_reference_t<decltype(*out)>::parse(text, mexc::fractional_digits(text));
        if (!v) return false;
        out = *v;
        return true;
    };
    if (!decimal("price", o.price) || !decimal("quantity", o.quantity) ||
        !decimal("quote-qty", o.quote_order_qty))
        return std::nullopt;
    o.client_order_id = args.get("client-id");
    return o;
}

mexc::rest::OrderRef order_ref(const Args& args) {
    return args.has("id") ? mexc::rest::OrderRef::by_id(args.get("id"))
                          : mexc::rest::OrderRef::by_client_id(args.get("client-id"));
}

// time, exchange-info, balances, trades and order ...: one request, its answer as JSON lines.
asio::awaitable<int> trading_command(mexc::MexcExchange& ex, Args args) {
    int rc = 0;
    auto failed = [&](std::string_view what, const mexc::Error& e) { rc = fail(what, e); };
    const auto& p = args.positional;
    if (args.command == "time") {
        auto t = co_await ex.public_rest().time();
        if (t)
            fmt::print(R"({{"server_time":{}}})"
                       "\n",
                       *t);
        else
            failed("time", t.error());
    } else if (args.command == "exchange-info") {
        std::vector<std::string> wanted;
        if (!p.empty()) wanted.push_back(p.front());
        auto info = co_await ex.public_rest().exchange_info(std::move(wanted));
        if (!info)
            failed("exchange-info", info.error());
        else
            for (const auto& s : info->symbols)
                fmt::print(
                    R"({{"symbol":"{}","status":"{}","base_asset":"{}","quote_asset":"{}","price_scale":{},"quantity_scale":{},)"
                    R"("min_notional":"{}","max_notional":"{}","spot_trading_allowed":{},"trade_side_type":{}}})"
                    "\n",
                    s.symbol, s.status, s.base_asset, s.quote_asset, s.quote_precision,
                    s.base_asset_precision, s.quote_amount_precision, s.max_quote_amount,
                    s.is_spot_trading_allowed, s.trade_side_type);
    } else if (args.command == "balances") {
        auto b = co_await ex.balances(true);
        if (!b)
            failed("balances", b.error());
        else
            for (const auto& x : *b)
                fmt::print(R"({{"asset":"{}","free":"{}","locked":"{}"}})"
                           "\n",
                           x.asset, x.free.to_string(), x.locked.to_string());
    } else if (args.command == "trades" && !p.empty()) {
        auto t = co_await ex.my_trades(p.front(), args.get("order-id"));
        if (!t)
            failed("trades", t.error());
        else
            for (const auto& x : *t)
                fmt::print(
                    R"({{"symbol":"{}","id":"{}","order_id":"{}","price":"{}","qty":"{}","quote_qty":"{}","commission":"{}",)"
                    R"("commission_asset":"{}","time":{},"is_buyer":{},"is_maker":{}}})"
                    "\n",
                    x.symbol, x.id, x.order_id, x.price.to_string(), x.qty.to_string(),
                    x.quote_qty.to_string(), x.commission.to_string(), x.commission_asset, x.time,
                    x.is_buyer, x.is_maker);
    } else if (args.command == "order" && !p.empty() && p[0] == "place") {
        auto o = order_request(args);
        if (!o)
            rc = usage();
        else if (auto ack = co_await ex.place_order(*o); !ack)
            failed("order place", ack.error());
        else
            fmt::print(
                R"({{"symbol":"{}","order_id":"{}","client_order_id":"{}","transact_time":{}}})"
                "\n",
                ack->symbol, ack->order_id, ack->client_order_id, ack->transact_time);
    } else if (args.command == "order" && p.size() >= 2 && (p[0] == "cancel" || p[0] == "get")) {
        // (No co_await inside ?: or with temporaries in its operands: g++ 12 mis-compiles them.)
        const std::string symbol = p[1];
        mexc::Result<mexc::OrderInfo> r =
            mexc::Error(mexc::Condition::rejected, mexc::Errc::invalid_argument);
        if (p[0] == "cancel")
            r = co_await ex.cancel_order(symbol, order_ref(args));
        else
            r = co_await ex.order(symbol, order_ref(args));
        if (!r)
            failed("order " + p[0], r.error());
        else
            fmt::print("{}\n", order_json(*r));
    } else if (args.command == "order" && !p.empty() && p[0] == "open") {
        std::string symbol;
        if (p.size() > 1) symbol = p[1];
        auto r = co_await ex.open_orders(symbol);
        if (!r)
            failed("order open", r.error());
        else
            for (const auto& o : *r) fmt::print("{}\n", order_json(o));
    } else {
        rc = usage();
    }
    co_await ex.close();
    co_return rc;
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
        fmt::print(
            R"({{"ts":{},"symbol":"{}","state":"{}","version":{},"bid":"{}","bid_qty":"{}","ask":"{}","ask_qty":"{}"}})"
            "\n",
            now_ns() / 1000000, v->symbol(), mexc::to_string(v->state()), v->version(),
            bid ? text(bid->price, s.price) : "", bid ? text(bid->quantity, s.quantity) : "",
            ask ? text(ask->price, s.price) : "", ask ? text(ask->quantity, s.quantity) : "");
    }
    co_await ex.close();
    co_return 0;
}

// Raw pushes of the topics, as received, in the record format that `replay` reads.
asio::awaitable<int> record_frames(mexc::MexcExchange& ex, std::string topics, std::string out_path,
                                   int seconds) {
    std::vector<mexc::Topic> wanted;
    for (std::size_t start = 0; start <= topics.size();) {
        const auto comma = std::min(topics.find(',', start), topics.size());
        if (comma > start) {
            auto topic = mexc::topic::parse(std::string_view(topics).substr(start, comma - start));
            if (!topic) co_return fail("topic", topic.error());
            wanted.push_back(std::move(*topic));
        }
        start = comma + 1;
    }
    mexc::cli::FrameWriter writer(out_path);
    if (!writer.ok())
        co_return fail("output",
                       mexc::Error(mexc::Condition::rejected, mexc::Errc::invalid_argument));
    // Room for seconds of a busy stream: a recording should lose nothing while the disk keeps up.
    mexc::FrameQueueOptions options;
    options.capacity = 65536;
    auto sub = co_await ex.subscribe_frames(std::move(wanted), options);
    if (!sub) co_return fail("subscribe", sub.error());
    std::size_t count = 0;
    int rc = 0;
    auto reader = [&]() -> asio::awaitable<void> {
        for (;;) {
            auto frame = co_await sub->next();
            if (frame) {
                writer.write(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 frame->received.time_since_epoch())
                                 .count(),
                             true, frame->bytes);
                ++count;
            } else if (frame.error().condition() == mexc::Condition::bad_data) {
                fail("dropped", frame.error());  // the count is in the summary line
            } else {
                if (frame.error().condition() != mexc::Condition::closed)
                    rc = fail("subscription", frame.error());
                co_return;
            }
        }
    };
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::seconds(seconds));
    co_await (reader() || timer.async_wait(asio::use_awaitable));
    const auto dropped = sub->dropped();
    sub->close();
    fmt::print(R"({{"recorded":{},"dropped":{},"file":"{}"}})"
               "\n",
               count, dropped, out_path);
    co_return rc;
}

asio::awaitable<int> record_command(mexc::MexcExchange& ex, std::string topics,
                                    std::string out_path, int seconds) {
    const int rc = co_await record_frames(ex, std::move(topics), std::move(out_path), seconds);
    co_await ex.close();  // on every path: the exchange's tasks end, so does the program
    co_return rc;
}

// Runs a command, then closes the exchange on every path: its tasks end, so does the program.
asio::awaitable<int> closing(mexc::MexcExchange& ex, asio::awaitable<int> command) {
    const int rc = co_await std::move(command);
    co_await ex.close();
    co_return rc;
}

int replay_command(const Args& args) {
    std::ifstream snap(args.get("snapshot"), std::ios::binary);
    if (!snap)
        return fail("snapshot",
                    mexc::Error(mexc::Condition::rejected, mexc::Errc::invalid_argument));
    const std::string snapshot((std::istreambuf_iterator<char>(snap)),
                               std::istreambuf_iterator<char>());
    auto frames = mexc::cli::read_frames(args.get("frames"));
    if (!frames) return fail("frames", frames.error());
    std::optional<mexc::SymbolScales> scales;
    if (args.has("price-scale") && args.has("quantity-scale"))
        scales =
            mexc::SymbolScales{static_cast<std::uint8_t>(std::stoi(args.get("price-scale"))),
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
                fmt::print(
                    stderr,
                    "mexc-cli: credentials are never taken from arguments; set MEXC_API_KEY and "
                    "MEXC_SECRET_KEY or use a config file readable only by you\n");
                return 2;
            }
            if (key == "sandbox" || key == "until-live")
                args.options[key] = "1";
            else if (i + 1 < argc)
                args.options[key] = argv[++i];
            else
                return usage();
        } else {
            args.positional.push_back(a);
        }
    }
    if (args.command == "replay") {
        if (!args.has("snapshot") || !args.has("frames")) return usage();
        return replay_command(args);
    }
    static const std::set<std::string> commands{"book",     "record", "time",  "exchange-info",
                                                "balances", "trades", "order", "stream",
                                                "books",    "watch"};
    if (!commands.contains(args.command)) return usage();

    asio::io_context ioc{1};
    auto target = make_target(args, ioc);
    if (!target) return 1;
    if (args.command == "books" && (!args.has("symbols") || !args.has("until-live")))
        return usage();
    const int seconds = std::stoi(args.get("seconds", args.command == "books" ? "600" : "5"));
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
    } else if (args.command == "record") {
        if (!args.has("topics") || !args.has("out")) return usage();
        exchange.emplace(ioc.get_executor(), target->config.clone());
        asio::co_spawn(ioc, record_command(*exchange, args.get("topics"), args.get("out"), seconds),
                       done);
    } else if (args.command == "stream") {
        if (args.positional.empty()) return usage();
        mexc::cli::StreamRequest r;
        r.kind = args.positional.front();
        r.symbols.assign(args.positional.begin() + 1, args.positional.end());
        r.speed = args.get("speed", r.speed);
        r.interval = args.get("interval", r.interval);
        r.levels = args.get("levels", r.levels);
        r.time_zone = args.get("zone", r.time_zone);
        if (args.has("count")) r.count = std::stoull(args.get("count"));
        if (args.has("seconds") || !r.count) r.seconds = std::chrono::seconds(seconds);
        exchange.emplace(ioc.get_executor(), target->config.clone());
        asio::co_spawn(ioc, closing(*exchange, mexc::cli::stream(*exchange, std::move(r))), done);
    } else if (args.command == "watch") {
        mexc::cli::WatchRequest r;
        for (const auto& what : args.positional) {
            if (what == "orders")
                r.orders = true;
            else if (what == "fills")
                r.fills = true;
            else if (what == "balances")
                r.balances = true;
            else
                return usage();
        }
        if (args.positional.empty()) r.orders = r.fills = r.balances = true;
        if (args.has("count")) r.count = std::stoull(args.get("count"));
        if (args.has("seconds") || !r.count) r.seconds = std::chrono::seconds(seconds);
        exchange.emplace(ioc.get_executor(), target->config.clone());
        asio::co_spawn(ioc, closing(*exchange, mexc::cli::watch(*exchange, std::move(r))), done);
    } else if (args.command == "books") {
        mexc::cli::BooksRequest r;
        r.symbols = std::stoul(args.get("symbols"));
        r.limit = std::chrono::seconds(seconds);
        if (auto* sandbox = target->sandbox ? &*target->sandbox : nullptr) {
            r.venue_429 = [sandbox] { return sandbox->rate_limited(); };
            r.venue_max_topics = [sandbox] {
                return sandbox->stats().ws_topics_peak_per_connection;
            };
        }
        auto config = target->config.clone();
        // The snapshots queue behind the weight budget: a book may take as long as the whole run.
        config.timeouts.subscribe =
            std::max<std::chrono::milliseconds>(config.timeouts.subscribe, r.limit);
        exchange.emplace(ioc.get_executor(), std::move(config));
        asio::co_spawn(ioc, closing(*exchange, mexc::cli::books(*exchange, std::move(r))), done);
    } else {
        exchange.emplace(ioc.get_executor(), target->config.clone());
        asio::co_spawn(ioc, trading_command(*exchange, args), done);
    }
    ioc.run();
    return rc;
}
