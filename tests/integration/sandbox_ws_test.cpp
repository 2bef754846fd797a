// The sandbox's public WebSocket, complete: every channel of SPEC §7.4 as protobuf pushes, the
// acknowledgements of SPEC §7.3 and the server-side closes of SPEC §6.2 / §7.1 (FAULTS T06, T07,
// T08, E06, E16, P10). Driven with a raw WebSocket; decoded with the protoc-generated classes.

#include "net/ws_connection.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/ws_control.hpp"
#include "text.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <boost/asio/io_context.hpp>
#include <boost/beast/websocket/error.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::net::WsConnection;
using mexc::sandbox::Sandbox;
using mexc::sandbox::SandboxOptions;
using mexc::testing::ack;
using mexc::testing::blocked;
using mexc::testing::joined;
using mexc::testing::next_text;
using mexc::testing::request;
using mexc::testing::run;
using mexc::testing::subscribe;
using Clock = std::chrono::steady_clock;

namespace {

struct Fixture {
    asio::io_context ioc{1};
    Sandbox sandbox;
    explicit Fixture(SandboxOptions options = {})
        : sandbox(ioc.get_executor(), std::move(options)) {
        REQUIRE(sandbox.start());
    }
    ~Fixture() { sandbox.stop(); }
};

asio::awaitable<std::unique_ptr<WsConnection>> open_ws(Sandbox& s) {
    auto ex = co_await asio::this_coro::executor;
    co_return (
        co_await WsConnection::connect(ex, mexc::net::parse_url(s.ws_url()).value(), nullptr, {}))
        .value();
}

// The next push, decoded with the generated classes.
asio::awaitable<PushDataV3ApiWrapper> next_push(WsConnection& c) {
    for (;;) {
        auto m = (co_await c.read()).value();
        if (!m.binary) continue;
        PushDataV3ApiWrapper w;
        const bool parsed = w.ParseFromArray(m.data.data(), static_cast<int>(m.data.size()));
        REQUIRE(parsed);
        co_return w;
    }
}

struct Ended {
    boost::system::error_code code;
    int texts = 0;
    Clock::duration after{};
};

// Reads until the server ends the connection; counts the text frames seen on the way.
asio::awaitable<Ended> read_until_closed(WsConnection& c, Clock::time_point since) {
    Ended e;
    for (;;) {
        auto m = co_await c.read();
        if (!m) {
            e.code = m.error().code();
            e.after = Clock::now() - since;
            co_return e;
        }
        if (!m->binary) ++e.texts;
    }
}

std::string price_text(const mexc::sandbox::SymbolBook& book, std::int64_t units) {
    return mexc::sandbox::decimal(units, book.scales().price);
}
std::string quantity_text(const mexc::sandbox::SymbolBook& book, std::int64_t units) {
    return mexc::sandbox::decimal(units, book.scales().quantity);
}

}  // namespace

TEST_CASE("sandbox serves every public channel of SPEC §7.4 with its documented fields",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.kline_period = 200ms;
    options.mini_ticker_period = 300ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        using W = PushDataV3ApiWrapper;
        const std::map<std::string, W::BodyCase> topics = {
            {"spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT", W::kPublicAggreDepths},
            {"spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT", W::kPublicAggreDeals},
            {"spot@public.limit.depth.v3.api.pb@BTCUSDT@5", W::kPublicLimitDepths},
            {"spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT", W::kPublicAggreBookTicker},
            {"spot@public.bookTicker.batch.v3.api.pb@BTCUSDT", W::kPublicBookTickerBatch},
            {"spot@public.kline.v3.api.pb@BTCUSDT@Min1", W::kPublicSpotKline},
            {"spot@public.miniTicker.v3.api.pb@BTCUSDT@UTC+8", W::kPublicMiniTicker},
            {"spot@public.miniTickers.v3.api.pb@UTC+8", W::kPublicMiniTickers},
        };
        std::vector<std::string> list;
        for (const auto& entry : topics) list.push_back(entry.first);
        const auto reply = co_await subscribe(*c, list, 5);
        CHECK(reply == ack(5, joined(list)));

        std::set<std::string> seen;
        for (int frames = 0; seen.size() < topics.size() && frames < 5000; ++frames) {
            const W w = co_await next_push(*c);
            const auto expected = topics.find(w.channel());
            REQUIRE(expected != topics.end());  // the channel is the subscribed topic, exactly
            CHECK(w.body_case() == expected->second);
            CHECK(w.has_sendtime());
            CHECK(w.sendtime() > 0);
            if (w.body_case() == W::kPublicMiniTickers) {
                CHECK_FALSE(w.has_symbol());
            } else {
                CHECK(w.symbol() == "BTCUSDT");
            }
            switch (w.body_case()) {
                case W::kPublicAggreDepths: {
                    const auto& d = w.publicaggredepths();
                    CHECK(d.eventtype() == "spot@public.aggre.depth.v3.api.pb@100ms");
                    CHECK(std::stoll(d.fromversion()) <= std::stoll(d.toversion()));
                    CHECK(d.asks_size() + d.bids_size() > 0);
                    CHECK(d.lastordercreatetime() > 0);
                    break;
                }
                case W::kPublicAggreDeals: {
                    const auto& d = w.publicaggredeals();
                    CHECK(d.eventtype() == "spot@public.aggre.deals.v3.api.pb@100ms");
                    REQUIRE(d.deals_size() > 0);
                    CHECK(!d.deals(0).price().empty());
                    CHECK((d.deals(0).tradetype() == 1 || d.deals(0).tradetype() == 2));
                    CHECK(d.deals(0).time() > 0);
                    CHECK(!d.deals(0).tradeid().empty());
                    break;
                }
                case W::kPublicLimitDepths: {
                    const auto& d = w.publiclimitdepths();
                    CHECK(d.eventtype() == "spot@public.limit.depth.v3.api.pb");
                    CHECK(d.asks_size() == 5);
                    CHECK(d.bids_size() == 5);
                    CHECK(std::stoll(d.version()) > 0);
                    CHECK(d.lastordercreatetime() > 0);
                    break;
                }
                case W::kPublicAggreBookTicker: {
                    const auto& b = w.publicaggrebookticker();
                    CHECK(!b.bidprice().empty());
                    CHECK(!b.bidquantity().empty());
                    CHECK(!b.askprice().empty());
                    CHECK(!b.askquantity().empty());
                    CHECK(std::stoll(b.version()) > 0);
                    CHECK(b.lastordercreatetime() > 0);
                    break;
                }
                case W::kPublicBookTickerBatch: {
                    const auto& b = w.publicbooktickerbatch();
                    REQUIRE(b.items_size() >= 1);
                    CHECK(!b.items(0).bidprice().empty());
                    CHECK(!b.items(0).askprice().empty());
                    CHECK(std::stoll(b.version()) > 0);
                    CHECK(b.lastordercreatetime() > 0);
                    break;
                }
                case W::kPublicSpotKline: {
                    const auto& k = w.publicspotkline();
                    CHECK(k.interval() == "Min1");
                    CHECK(k.windowend() - k.windowstart() == 60);
                    CHECK(!k.openingprice().empty());
                    CHECK(!k.amount().empty());
                    CHECK(w.has_createtime());
                    REQUIRE(w.has_symbolid());
                    CHECK(w.symbolid() == "2fb942154ef44a4ab2ef98c8afb6a4a7");  // SPEC §8.2
                    break;
                }
                case W::kPublicMiniTicker: {
                    const auto& m = w.publicminiticker();
                    CHECK(m.symbol() == "BTCUSDT");
                    CHECK(!m.price().empty());
                    CHECK(!m.rate().empty());
                    CHECK(!m.zonedrate().empty());
                    CHECK(!m.high().empty());
                    CHECK(!m.low().empty());
                    CHECK(!m.volume().empty());
                    CHECK(!m.quantity().empty());
                    CHECK(!m.lastcloserate().empty());
                    CHECK(!m.lastclosezonedrate().empty());
                    CHECK(!m.lastclosehigh().empty());
                    CHECK(!m.lastcloselow().empty());
                    break;
                }
                case W::kPublicMiniTickers: {
                    const auto& m = w.publicminitickers();
                    CHECK(static_cast<std::size_t>(m.items_size()) == s.market().symbols().size());
                    std::set<std::string> symbols;
                    for (const auto& item : m.items()) symbols.insert(item.symbol());
                    CHECK(symbols.count("BTCUSDT") == 1);
                    CHECK(symbols.size() == s.market().symbols().size());
                    break;
                }
                default:
                    FAIL("unexpected body");
            }
            seen.insert(w.channel());
        }
        CHECK(seen.size() == topics.size());
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("limit depth is the book's top N at the pushed version", "[integration][sandbox][ws]") {
    Fixture f;
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        const std::vector<std::string> topics = {"spot@public.limit.depth.v3.api.pb@ETHUSDT@5",
                                                 "spot@public.limit.depth.v3.api.pb@ETHUSDT@10",
                                                 "spot@public.limit.depth.v3.api.pb@ETHUSDT@20"};
        const auto reply = co_await subscribe(*c, topics, 1);
        CHECK(reply == ack(1, joined(topics)));
        const auto& book = *s.market().find("ETHUSDT");
        std::map<std::string, int> frames;
        std::map<std::string, std::int64_t> last_version;
        while (frames.size() < 3 || std::any_of(frames.begin(), frames.end(),
                                                [](const auto& e) { return e.second < 10; })) {
            const auto w = co_await next_push(*c);
            REQUIRE(w.has_publiclimitdepths());
            const auto& d = w.publiclimitdepths();
            const std::size_t n = std::stoul(w.channel().substr(w.channel().rfind('@') + 1));
            const std::int64_t version = std::stoll(d.version());
            CHECK(version >= last_version[w.channel()]);  // never goes back
            last_version[w.channel()] = version;
            const auto truth = book.snapshot_at(version, n);
            REQUIRE(truth);
            REQUIRE(static_cast<std::size_t>(d.asks_size()) == truth->asks.size());
            REQUIRE(static_cast<std::size_t>(d.bids_size()) == truth->bids.size());
            CHECK(truth->asks.size() == n);
            for (std::size_t i = 0; i < n; ++i) {
                const int k = static_cast<int>(i);
                CHECK(d.asks(k).price() == price_text(book, truth->asks[i].price));
                CHECK(d.asks(k).quantity() == quantity_text(book, truth->asks[i].quantity));
                CHECK(d.bids(k).price() == price_text(book, truth->bids[i].price));
                CHECK(d.bids(k).quantity() == quantity_text(book, truth->bids[i].quantity));
            }
            ++frames[w.channel()];
        }
        // Paused, the book holds still: a new subscriber gets exactly the current top N.
        s.pause_market(true);
        const auto reply2 =
            co_await subscribe(*c, std::string("spot@public.limit.depth.v3.api.pb@SOLUSDT@10"), 2);
        CHECK(reply2 == ack(2, "spot@public.limit.depth.v3.api.pb@SOLUSDT@10"));
        for (;;) {
            const auto w = co_await next_push(*c);
            if (w.symbol() != "SOLUSDT") continue;
            const auto& sol = *s.market().find("SOLUSDT");
            CHECK(w.publiclimitdepths().version() == std::to_string(sol.version()));
            const auto top = sol.snapshot(10);
            REQUIRE(w.publiclimitdepths().asks_size() == 10);
            CHECK(w.publiclimitdepths().asks(0).price() == price_text(sol, top.asks[0].price));
            CHECK(w.publiclimitdepths().bids(9).quantity() ==
                  quantity_text(sol, top.bids[9].quantity));
            break;
        }
        s.pause_market(false);
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("book tickers carry the best levels of the book at their version",
          "[integration][sandbox][ws]") {
    Fixture f;
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        const std::vector<std::string> topics = {
            "spot@public.aggre.bookTicker.v3.api.pb@10ms@BTCUSDT",
            "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT",
            "spot@public.bookTicker.batch.v3.api.pb@MXUSDT"};
        const auto reply = co_await subscribe(*c, topics, 4);
        CHECK(reply == ack(4, joined(topics)));
        std::map<std::string, int> frames;
        std::map<std::string, std::int64_t> last_version;
        while (frames.size() < 3 || std::any_of(frames.begin(), frames.end(),
                                                [](const auto& e) { return e.second < 10; })) {
            const auto w = co_await next_push(*c);
            const auto& book = *s.market().find(w.symbol());
            std::string bid_price, bid_qty, ask_price, ask_qty, version;
            std::int64_t created = 0;
            if (w.has_publicaggrebookticker()) {
                const auto& b = w.publicaggrebookticker();
                bid_price = b.bidprice(), bid_qty = b.bidquantity(), ask_price = b.askprice(),
                ask_qty = b.askquantity();
                version = b.version();
                created = b.lastordercreatetime();
            } else {
                REQUIRE(w.has_publicbooktickerbatch());
                const auto& b = w.publicbooktickerbatch();
                REQUIRE(b.items_size() >= 1);
                const auto& last = b.items(b.items_size() - 1);  // the latest state is last
                bid_price = last.bidprice(), bid_qty = last.bidquantity(),
                ask_price = last.askprice(), ask_qty = last.askquantity();
                version = b.version();
                created = b.lastordercreatetime();
            }
            const std::int64_t v = std::stoll(version);
            CHECK(v >= last_version[w.channel()]);
            last_version[w.channel()] = v;
            CHECK(created > 0);
            CHECK(created <= w.sendtime());
            const auto truth = book.snapshot_at(v, 1);
            REQUIRE(truth);
            REQUIRE(!truth->bids.empty());
            REQUIRE(!truth->asks.empty());
            CHECK(bid_price == price_text(book, truth->bids[0].price));
            CHECK(bid_qty == quantity_text(book, truth->bids[0].quantity));
            CHECK(ask_price == price_text(book, truth->asks[0].price));
            CHECK(ask_qty == quantity_text(book, truth->asks[0].quantity));
            ++frames[w.channel()];
        }
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("klines: windows in seconds, end = start + interval, bars from the trade tape",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.kline_period = 100ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        const std::map<std::string, std::int64_t> intervals = {
            {"Min1", 60},     {"Min5", 300},    {"Min15", 900},  {"Min30", 1800},   {"Min60", 3600},
            {"Hour4", 14400}, {"Hour8", 28800}, {"Day1", 86400}, {"Week1", 604800}, {"Month1", 0},
        };
        std::vector<std::string> topics;
        for (const auto& entry : intervals)
            topics.push_back("spot@public.kline.v3.api.pb@SOLUSDT@" + entry.first);
        const auto reply = co_await subscribe(*c, topics, 6);
        CHECK(reply == ack(6, joined(topics)));
        std::set<std::string> seen;
        while (seen.size() < intervals.size()) {
            const auto w = co_await next_push(*c);
            REQUIRE(w.has_publicspotkline());
            const auto& k = w.publicspotkline();
            CHECK(w.channel() == "spot@public.kline.v3.api.pb@SOLUSDT@" + k.interval());
            REQUIRE(w.has_createtime());
            CHECK(w.symbolid().size() == 32);
            const std::int64_t start = k.windowstart(), end = k.windowend();
            CHECK(start * 1000 <= w.createtime());  // seconds, not milliseconds
            CHECK(w.createtime() < end * 1000);
            const auto seconds = intervals.at(k.interval());
            if (seconds != 0) {
                CHECK(end - start == seconds);
                if (k.interval() == "Week1") {
                    CHECK((start / 86400 + 3) % 7 == 0);  // a Monday, 00:00 UTC
                } else {
                    CHECK(start % seconds == 0);
                }
            } else {  // Month1: calendar months
                using namespace std::chrono;
                const year_month_day first{floor<days>(sys_seconds{std::chrono::seconds{start}})};
                CHECK(static_cast<unsigned>(first.day()) == 1);
                CHECK(start % 86400 == 0);
                const year_month_day next = first + months{1};
                CHECK(end == sys_seconds{sys_days{next}}.time_since_epoch().count());
            }
            seen.insert(k.interval());
        }
        // Paused, the tape holds still: the next Min1 bar is exactly the tape's trades in its
        // window.
        s.pause_market(true);
        const std::int64_t paused_at = mexc::sandbox::now_ms();
        for (;;) {
            const auto w = co_await next_push(*c);
            if (w.publicspotkline().interval() != "Min1" || w.createtime() <= paused_at) continue;
            const auto& k = w.publicspotkline();
            const auto& book = *s.market().find("SOLUSDT");
            std::int64_t open = 0, close = 0, high = 0, low = 0, volume = 0, turnover = 0;
            bool traded = false;
            for (const auto& t : book.trades()) {
                if (t.time_ms < k.windowstart() * 1000 || t.time_ms >= k.windowend() * 1000)
                    continue;
                if (!traded) open = high = low = t.price;
                traded = true;
                close = t.price;
                high = std::max(high, t.price);
                low = std::min(low, t.price);
                volume += t.quantity;
                turnover += t.price * t.quantity;
            }
            CHECK(k.volume() == quantity_text(book, volume));
            std::int64_t unit = 1;
            for (int i = 0; i < book.scales().quantity; ++i) unit *= 10;
            CHECK(k.amount() == price_text(book, turnover / unit));
            if (traded) {
                CHECK(k.openingprice() == price_text(book, open));
                CHECK(k.closingprice() == price_text(book, close));
                CHECK(k.highestprice() == price_text(book, high));
                CHECK(k.lowestprice() == price_text(book, low));
            } else {  // an untraded bar shows one price for all four
                CHECK(k.openingprice() == k.closingprice());
                CHECK(k.highestprice() == k.lowestprice());
            }
            break;
        }
        s.pause_market(false);
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("miniTicker requires a SPEC §7.4 time zone and pushes on its period",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.mini_ticker_period = 300ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        // E16: only the topics without a valid zone fail.
        const std::vector<std::string> bad = {"spot@public.miniTicker.v3.api.pb@BTCUSDT",
                                              "spot@public.miniTickers.v3.api.pb",
                                              "spot@public.miniTicker.v3.api.pb@BTCUSDT@UTC+9:00",
                                              "spot@public.miniTickers.v3.api.pb@UTC+14"};
        const auto reply1 = co_await subscribe(*c, bad, 11);
        CHECK(reply1 == blocked(11, bad));
        const std::vector<std::string> good = {"spot@public.miniTicker.v3.api.pb@BTCUSDT@UTC+5:30",
                                               "spot@public.miniTickers.v3.api.pb@24H"};
        const auto reply2 = co_await subscribe(*c, good, 12);
        CHECK(reply2 == ack(12, joined(good)));
        CHECK(s.stats().ws_topics_rejected == bad.size());

        std::vector<std::int64_t> single_times;
        int tickers_frames = 0;
        while (single_times.size() < 3 || tickers_frames < 2) {
            const auto w = co_await next_push(*c);
            if (w.has_publicminiticker()) {
                CHECK(w.channel() == good[0]);
                CHECK(w.symbol() == "BTCUSDT");
                CHECK(w.publicminiticker().symbol() == "BTCUSDT");
                const auto& rate = w.publicminiticker().rate();
                CHECK(rate.size() - rate.find('.') == 5);  // a fraction with 4 decimals
                single_times.push_back(w.sendtime());
            } else {
                REQUIRE(w.has_publicminitickers());
                CHECK(w.channel() == good[1]);
                CHECK_FALSE(w.has_symbol());
                CHECK(static_cast<std::size_t>(w.publicminitickers().items_size()) ==
                      s.market().symbols().size());
                ++tickers_frames;
            }
        }
        for (std::size_t i = 1; i < single_times.size(); ++i)
            CHECK(single_times[i] - single_times[i - 1] >= 290);

        // Paused, the tape holds still: price, rolling high/low and volumes are the tape's.
        s.pause_market(true);
        const std::int64_t paused_at = mexc::sandbox::now_ms();
        for (;;) {
            const auto w = co_await next_push(*c);
            if (!w.has_publicminiticker() || w.sendtime() <= paused_at) continue;
            const auto& m = w.publicminiticker();
            const auto& book = *s.market().find("BTCUSDT");
            REQUIRE(!book.trades().empty());
            std::int64_t high = book.trades().back().price, low = high, base = 0;
            for (const auto& t : book.trades()) {
                high = std::max(high, t.price);
                low = std::min(low, t.price);
                base += t.quantity;
            }
            CHECK(m.price() == price_text(book, book.trades().back().price));
            CHECK(m.high() == price_text(book, high));
            CHECK(m.low() == price_text(book, low));
            CHECK(m.quantity() == quantity_text(book, base));
            break;
        }
        s.pause_market(false);
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("subscription acks: legacy topics, unknown symbols and the 31st topic are Blocked",
          "[integration][sandbox][ws]") {
    Fixture f;
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        // SPEC §7.7: the JSON channels are refused on the current host.
        const std::vector<std::string> legacy = {"spot@public.deals.v3.api@BTCUSDT",
                                                 "spot@public.kline.v3.api@BTCUSDT@Min1",
                                                 "spot@public.increase.depth.v3.api@BTCUSDT",
                                                 "spot@public.limit.depth.v3.api@BTCUSDT@5",
                                                 "spot@public.bookTicker.v3.api@BTCUSDT",
                                                 "spot@public.miniTicker.v3.api@BTCUSDT@UTC+8",
                                                 "spot@public.miniTickers.v3.api@UTC+8",
                                                 "spot@private.orders.v3.api"};
        const auto reply1 = co_await subscribe(*c, legacy, 1);
        CHECK(reply1 == blocked(1, legacy));
        const std::vector<std::string> malformed = {
            "spot@public.aggre.depth.v3.api.pb@50ms@BTCUSDT",
            "spot@public.aggre.deals.v3.api.pb@100ms@NOPEUSDT",
            "spot@public.limit.depth.v3.api.pb@BTCUSDT@15",
            "spot@public.kline.v3.api.pb@BTCUSDT@1m",
            "spot@public.aggre.bookTicker.v3.api.pb@BTCUSDT",
            "spot@public.bookTicker.batch.v3.api.pb@btcusdt"};
        const auto reply2 = co_await subscribe(*c, malformed, 2);
        CHECK(reply2 == blocked(2, malformed));

        // A request mixing served and refused topics: the served ones are acked, then the rest
        // refused.
        const std::vector<std::string> mixed = {"spot@public.aggre.deals.v3.api.pb@100ms@MXUSDT",
                                                "spot@public.nope@MXUSDT"};
        c->send_text(request("SUBSCRIPTION", mixed, 3));
        const auto reply3a = co_await next_text(*c);
        const auto reply3b = co_await next_text(*c);
        CHECK(reply3a == ack(3, mixed[0]));
        CHECK(reply3b == blocked(3, {mixed[1]}));

        // Fill the connection to 30 topics in one request (one is already there), then one more.
        std::vector<std::string> more;
        for (const char* sym : {"BTCUSDT", "ETHUSDT", "SOLUSDT"})
            for (const char* spd : {"10ms", "100ms"}) {
                more.push_back(std::string("spot@public.aggre.depth.v3.api.pb@") + spd + "@" + sym);
                more.push_back(std::string("spot@public.aggre.deals.v3.api.pb@") + spd + "@" + sym);
                more.push_back(std::string("spot@public.aggre.bookTicker.v3.api.pb@") + spd + "@" +
                               sym);
            }
        for (const char* sym : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"})
            more.push_back(std::string("spot@public.bookTicker.batch.v3.api.pb@") + sym);
        more.push_back("spot@public.kline.v3.api.pb@MXUSDT@Min1");
        REQUIRE(more.size() == 23);
        for (int n : {5, 10, 20})
            more.push_back("spot@public.limit.depth.v3.api.pb@MXUSDT@" + std::to_string(n));
        for (int n : {5, 10, 20})
            more.push_back("spot@public.limit.depth.v3.api.pb@BTCUSDT@" + std::to_string(n));
        more.push_back(
            "spot@public.miniTickers.v3.api.pb@UTC+0");  // the 31st topic of the connection
        REQUIRE(more.size() == 30);
        c->send_text(request("SUBSCRIPTION", more, 4));
        const auto reply4a = co_await next_text(*c);
        const auto reply4b = co_await next_text(*c);
        CHECK(reply4a == ack(4, joined(std::vector<std::string>(more.begin(), more.end() - 1))));
        CHECK(reply4b == blocked(4, {more.back()}));
        const auto reply5 =
            co_await subscribe(*c, std::string("spot@public.kline.v3.api.pb@BTCUSDT@Min5"), 5);
        CHECK(reply5 == blocked(5, {"spot@public.kline.v3.api.pb@BTCUSDT@Min5"}));
        // P10: a duplicate is answered with an empty msg, even when the connection is full.
        const auto reply6 = co_await subscribe(*c, mixed[0], 6);
        CHECK(reply6 == ack(6, ""));
        // Unsubscribing frees a slot.
        c->send_text(request("UNSUBSCRIPTION", {mixed[0]}, 7));
        const auto reply7 = co_await next_text(*c);
        CHECK(reply7 == ack(7, mixed[0]));
        const auto reply8 =
            co_await subscribe(*c, std::string("spot@public.kline.v3.api.pb@BTCUSDT@Min5"), 8);
        CHECK(reply8 == ack(8, "spot@public.kline.v3.api.pb@BTCUSDT@Min5"));
        CHECK(s.stats().ws_topics_rejected == legacy.size() + malformed.size() + 3);
        co_await c->close();
    }(f.sandbox));
}

TEST_CASE("T06 a connection without a valid subscription is closed after the deadline",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.ws_subscribe_deadline = 300ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        namespace ws_error = boost::beast::websocket;
        {  // never subscribes
            const auto since = Clock::now();
            auto c = co_await open_ws(s);
            const Ended e = co_await read_until_closed(*c, since);
            CHECK(e.code == ws_error::error::closed);  // a close frame, not a reset
            CHECK(e.after >= 300ms);
            CHECK(s.stats().ws_closed_no_subscription == 1);
        }
        {  // only rejected topics: still no valid subscription
            const auto since = Clock::now();
            auto c = co_await open_ws(s);
            c->send_text(request("SUBSCRIPTION", {"spot@public.kline.v3.api@BTCUSDT@Min1"}, 1));
            const Ended e = co_await read_until_closed(*c, since);
            CHECK(e.code == ws_error::error::closed);
            CHECK(e.texts == 1);  // the Blocked! answer
            CHECK(s.stats().ws_closed_no_subscription == 2);
        }
        {  // subscribed: served past the deadline; after unsubscribing the last topic: closed
            auto c = co_await open_ws(s);
            const auto reply = co_await subscribe(
                *c, std::string("spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT"), 2);
            CHECK(reply == ack(2, "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT"));
            const auto since = Clock::now();
            while (Clock::now() - since < 600ms) {
                auto m = co_await c->read();
                REQUIRE(m.has_value());
            }
            CHECK(s.stats().ws_closed_no_subscription == 2);
            c->send_text(
                request("UNSUBSCRIPTION", {"spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT"}, 3));
            const auto unsubscribed = Clock::now();
            const Ended e = co_await read_until_closed(*c, unsubscribed);
            CHECK(e.code == ws_error::error::closed);
            CHECK(e.after >= 250ms);
            CHECK(s.stats().ws_closed_no_subscription == 3);
        }
        CHECK(s.stats().ws_closed_idle == 0);
    }(f.sandbox));
}

TEST_CASE("T07 an idle subscribed connection is closed, PING keeps it alive",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.ws_idle_timeout = 400ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        auto c = co_await open_ws(s);
        const auto reply = co_await subscribe(
            *c, std::string("spot@public.aggre.depth.v3.api.pb@10ms@ETHUSDT"), 1);
        CHECK(reply == ack(1, "spot@public.aggre.depth.v3.api.pb@10ms@ETHUSDT"));
        // Pushes keep flowing, but only client traffic counts: a PING every 150 ms for 1.5 s.
        const auto since = Clock::now();
        auto last_ping = since;
        int pongs = 0;
        while (Clock::now() - since < 1500ms) {
            if (Clock::now() - last_ping >= 150ms) {
                c->send_text(R"({"method":"PING"})");
                last_ping = Clock::now();
            }
            auto m = co_await c->read();
            REQUIRE(m.has_value());
            if (!m->binary) ++pongs;
        }
        CHECK(pongs >= 5);
        CHECK(s.stats().ws_closed_idle == 0);
        // Pings stop: the server closes within the idle timeout (plus a tick).
        const auto quiet = last_ping;
        const Ended e = co_await read_until_closed(*c, quiet);
        CHECK(e.code == boost::beast::websocket::error::closed);
        CHECK(e.after >= 400ms);
        CHECK(e.after < 2s);
        CHECK(s.stats().ws_closed_idle == 1);
        CHECK(s.stats().ws_closed_lifetime == 0);
    }(f.sandbox));
}

TEST_CASE("T08 every connection is closed at its maximum lifetime, busy or not",
          "[integration][sandbox][ws]") {
    SandboxOptions options;
    options.ws_max_lifetime = 700ms;
    Fixture f(options);
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        const auto since = Clock::now();
        auto c = co_await open_ws(s);
        const auto reply = co_await subscribe(
            *c, std::string("spot@public.aggre.deals.v3.api.pb@10ms@BTCUSDT"), 1);
        CHECK(reply == ack(1, "spot@public.aggre.deals.v3.api.pb@10ms@BTCUSDT"));
        auto last_ping = Clock::now();
        boost::system::error_code ended;
        while (!ended) {
            if (Clock::now() - last_ping >= 100ms) {
                c->send_text(R"({"method":"PING"})");
                last_ping = Clock::now();
            }
            auto m = co_await c->read();
            if (!m) ended = m.error().code();
        }
        CHECK(ended == boost::beast::websocket::error::closed);
        CHECK(Clock::now() - since >= 700ms);
        CHECK(s.stats().ws_closed_lifetime == 1);
        CHECK(s.stats().ws_closed_idle == 0);
        CHECK(s.stats().ws_closed_no_subscription == 0);
    }(f.sandbox));
}

TEST_CASE("E06 more than 100 client messages in a second close the connection",
          "[integration][sandbox][ws]") {
    Fixture f;
    run(f.ioc, [](Sandbox& s) -> asio::awaitable<void> {
        {  // exactly 100: all answered, still open
            auto c = co_await open_ws(s);
            for (int i = 0; i < 100; ++i) c->send_text(R"({"method":"PING"})");
            for (int i = 0; i < 100; ++i) {
                const auto pong = co_await next_text(*c);
                CHECK(pong == R"({"id":0,"code":0,"msg":"PONG"})");
            }
            CHECK(c->is_open());
            CHECK(s.stats().ws_closed_rate_limit == 0);
            co_await c->close();
        }
        {  // 101: the 101st is not answered; the connection is closed
            auto c = co_await open_ws(s);
            for (int i = 0; i < 101; ++i) c->send_text(R"({"method":"PING"})");
            const Ended e = co_await read_until_closed(*c, Clock::now());
            CHECK(e.texts == 100);
            CHECK(e.code == boost::beast::websocket::error::closed);
            CHECK(s.stats().ws_closed_rate_limit == 1);
        }
    }(f.sandbox));
}
