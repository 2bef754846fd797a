// The sandbox's private WebSocket streams (SPEC §7.5, §8.15–§8.17, §9; FAULTS T09, E15, C01–C04):
// listen-key connections, the three private topics, engine events as protobuf pushes checked
// against the REST oracle (orders, myTrades, account). Driven with a raw WebSocket and raw signed
// HTTP; pushes decoded with the protoc-generated classes and with the library's decoders.

#include "net/http_client.hpp"
#include "net/ws_connection.hpp"
#include "private_channels.hpp"
#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/ws_control.hpp"
#include "text.hpp"

#include "mexc/sign/hmac_signer.hpp"
#include "mexc/wire/push.hpp"
#include "sign/query.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <simdjson.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

#include <charconv>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::net::HttpMethod;
using mexc::net::WsConnection;
using mexc::sandbox::ApiKey;
using mexc::sandbox::EngineEvent;
using mexc::sandbox::Sandbox;
using mexc::sandbox::SandboxOptions;
using mexc::testing::ack;
using mexc::testing::blocked;
using mexc::testing::joined;
using mexc::testing::next_binary;
using mexc::testing::next_text;
using mexc::testing::request;
using mexc::testing::run;
using mexc::testing::subscribe;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t unit = 100000000;  // 1.0 at asset_scale

const std::vector<std::string> private_topics = {"spot@private.account.v3.api.pb",
                                                 "spot@private.deals.v3.api.pb",
                                                 "spot@private.orders.v3.api.pb"};

std::int64_t host_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ApiKey second_key() {
    ApiKey k;
    k.key = "sandboxSecondKey0002";
    k.secret = "sandboxSecondSecret00000000000002";
    k.account = 2;
    return k;
}

SandboxOptions two_accounts() {
    SandboxOptions o;
    o.keys.push_back(second_key());
    mexc::sandbox::AccountSpec second;
    second.id = 2;
    second.deposits = {{"USDT", 1000000 * unit}, {"BTC", 20 * unit}};
    o.accounts.push_back(second);
    return o;
}

struct PrivateSandbox {
    asio::io_context ioc{1};
    Sandbox sandbox;
    mexc::net::HttpClient http;
    std::vector<EngineEvent> events;  // every engine event, in the engine's order (the oracle)

    explicit PrivateSandbox(SandboxOptions options = two_accounts())
        : sandbox(ioc.get_executor(), std::move(options)),
          http(ioc.get_executor(), start_and_url(sandbox), nullptr, {}) {
        sandbox.observe_engine([this](const EngineEvent& e) { events.push_back(e); });
    }
    ~PrivateSandbox() { sandbox.stop(); }

    static mexc::net::Url start_and_url(Sandbox& s) {
        REQUIRE(s.start());
        return mexc::net::parse_url(s.rest_url()).value();
    }
    std::size_t events_of(std::uint64_t account) const {
        std::size_t n = 0;
        for (const auto& e : events) n += mexc::sandbox::account_of(e) == account;
        return n;
    }
};

// A request signed now; `params` without timestamp and signature.
asio::awaitable<mexc::net::HttpResponse> signed_call(mexc::net::HttpClient& http, HttpMethod method,
                                                     std::string path, std::string params,
                                                     ApiKey key) {
    std::string query = std::move(params);
    mexc::append_param(query, "timestamp", std::to_string(host_now()));
    mexc::append_signature(query, mexc::HmacSigner(key.secret));
    mexc::net::HttpRequest req;
    req.method = method;
    req.target = path + "?" + query;
    req.headers.emplace_back("X-MEXC-APIKEY", key.key);
    auto r = co_await http.request(std::move(req));
    REQUIRE(r);
    co_return *r;
}
asio::awaitable<mexc::net::HttpResponse> signed_call(mexc::net::HttpClient& http, HttpMethod method,
                                                     std::string path, std::string params) {
    co_return co_await signed_call(http, method, std::move(path), std::move(params),
                                   mexc::sandbox::demo_api_key());
}

// One string member of a JSON object ("" when absent).
std::string json_string(const std::string& body, const char* name) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view v;
    if (parser.parse(body).get(doc) || doc[name].get_string().get(v)) return {};
    return std::string(v);
}

asio::awaitable<std::string> create_listen_key(mexc::net::HttpClient& http, ApiKey key) {
    auto r = co_await signed_call(http, HttpMethod::post, "/api/v3/userDataStream", "", key);
    REQUIRE(r.status == 200);
    const auto listen_key = json_string(r.body, "listenKey");
    REQUIRE(!listen_key.empty());
    co_return listen_key;
}
asio::awaitable<std::string> create_listen_key(mexc::net::HttpClient& http) {
    co_return co_await create_listen_key(http, mexc::sandbox::demo_api_key());
}

asio::awaitable<mexc::Result<std::unique_ptr<WsConnection>>> try_open(Sandbox& s,
                                                                      std::string query) {
    auto ex = co_await asio::this_coro::executor;
    co_return co_await WsConnection::connect(ex, mexc::net::parse_url(s.ws_url() + query).value(),
                                             nullptr, {});
}
asio::awaitable<std::unique_ptr<WsConnection>> open_private(Sandbox& s, std::string listen_key) {
    auto c = co_await try_open(s, "?listenKey=" + listen_key);
    REQUIRE(c);
    co_return std::move(*c);
}

struct Ended {
    bool closed = false;
    std::vector<std::string> texts;
    int binaries = 0;
    Clock::duration after{};
};
// Reads until the server ends the connection.
asio::awaitable<Ended> read_until_closed(WsConnection& c) {
    const auto since = Clock::now();
    Ended e;
    for (;;) {
        auto m = co_await c.read();
        if (!m) {
            e.closed = true;
            e.after = Clock::now() - since;
            co_return e;
        }
        if (m->binary)
            ++e.binaries;
        else
            e.texts.emplace_back(m->data);
    }
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

// Exactly-8-decimal strings (asset_scale) to units.
std::int64_t units8(std::string_view s) {
    std::string digits;
    for (char ch : s)
        if (ch != '.') digits.push_back(ch);
    std::int64_t v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    REQUIRE(s.size() > 9);
    REQUIRE(s[s.size() - 9] == '.');
    return v;
}

std::string_view status_name(int s) {
    switch (s) {
        case 1:
            return "NEW";
        case 2:
            return "FILLED";
        case 3:
            return "PARTIALLY_FILLED";
        case 4:
            return "CANCELED";
        case 5:
            return "PARTIALLY_CANCELED";
    }
    return "?";
}

bool is_hex32(const std::string& s) {
    return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A placed order's id from the REST reply.
asio::awaitable<std::string> place(mexc::net::HttpClient& http, std::string params, ApiKey key) {
    auto r = co_await signed_call(http, HttpMethod::post, "/api/v3/order", std::move(params), key);
    INFO(r.body);
    REQUIRE(r.status == 200);
    co_return json_string(r.body, "orderId");
}
asio::awaitable<std::string> place(mexc::net::HttpClient& http, std::string params) {
    co_return co_await place(http, std::move(params), mexc::sandbox::demo_api_key());
}

// The checks every private push must pass, whatever it carries: the wrapper's header fields and
// identical decodes by the generated classes and the library's decoders.
PushDataV3ApiWrapper decode_both(const std::string& frame) {
    PushDataV3ApiWrapper w;
    REQUIRE(w.ParseFromString(frame));
    auto lib = mexc::wire::decode_push(frame);
    REQUIRE(lib);
    CHECK(lib->channel == w.channel());
    CHECK(w.has_sendtime());
    CHECK(lib->send_time == w.sendtime());
    switch (w.body_case()) {
        case PushDataV3ApiWrapper::kPrivateOrders: {
            CHECK(w.channel() == "spot@private.orders.v3.api.pb");
            CHECK(w.has_symbol());
            CHECK(lib->symbol == w.symbol());
            REQUIRE(lib->kind == mexc::wire::BodyKind::private_orders);
            auto o = mexc::wire::decode_private_order(lib->body);
            REQUIRE(o);
            const auto& m = w.privateorders();
            CHECK(o->id == m.id());
            CHECK(o->client_id == m.clientid());
            CHECK(o->price == m.price());
            CHECK(o->quantity == m.quantity());
            CHECK(o->amount == m.amount());
            CHECK(o->avg_price == m.avgprice());
            CHECK(o->order_type == m.ordertype());
            CHECK(o->trade_type == m.tradetype());
            CHECK(o->is_maker == m.ismaker());
            CHECK(o->remain_amount == m.remainamount());
            CHECK(o->remain_quantity == m.remainquantity());
            CHECK(o->has_last_deal_quantity == m.has_lastdealquantity());
            CHECK(o->last_deal_quantity == m.lastdealquantity());
            CHECK(o->cumulative_quantity == m.cumulativequantity());
            CHECK(o->cumulative_amount == m.cumulativeamount());
            CHECK(o->status == m.status());
            CHECK(o->create_time == m.createtime());
            CHECK(m.createtime() > 0);
            break;
        }
        case PushDataV3ApiWrapper::kPrivateDeals: {
            CHECK(w.channel() == "spot@private.deals.v3.api.pb");
            CHECK(w.has_symbol());
            CHECK(lib->symbol == w.symbol());
            REQUIRE(lib->kind == mexc::wire::BodyKind::private_deals);
            auto d = mexc::wire::decode_private_deal(lib->body);
            REQUIRE(d);
            const auto& m = w.privatedeals();
            CHECK(d->price == m.price());
            CHECK(d->quantity == m.quantity());
            CHECK(d->amount == m.amount());
            CHECK(d->trade_type == m.tradetype());
            CHECK(d->is_maker == m.ismaker());
            CHECK(d->is_self_trade == m.isselftrade());
            CHECK(d->trade_id == m.tradeid());
            CHECK(d->client_order_id == m.clientorderid());
            CHECK(d->order_id == m.orderid());
            CHECK(d->fee_amount == m.feeamount());
            CHECK(d->fee_currency == m.feecurrency());
            CHECK(d->time == m.time());
            break;
        }
        case PushDataV3ApiWrapper::kPrivateAccount: {
            CHECK(w.channel() == "spot@private.account.v3.api.pb");
            CHECK_FALSE(w.has_symbol());  // SPEC §7.5: no symbol on account pushes
            CHECK(lib->symbol.empty());
            CHECK(w.has_createtime());
            REQUIRE(lib->kind == mexc::wire::BodyKind::private_account);
            auto a = mexc::wire::decode_private_account(lib->body);
            REQUIRE(a);
            const auto& m = w.privateaccount();
            CHECK(a->asset == m.vcoinname());
            CHECK(a->coin_id == m.coinid());
            CHECK(is_hex32(m.coinid()));
            CHECK(a->free == m.balanceamount());
            CHECK(a->free_change == m.balanceamountchange());
            CHECK(a->locked == m.frozenamount());
            CHECK(a->locked_change == m.frozenamountchange());
            CHECK(a->change_type == m.type());
            CHECK(a->time == m.time());
            break;
        }
        default:
            FAIL("not a private push: " << w.channel());
    }
    return w;
}

// What the engine said, in the shape of the push that carries it: topic and identity.
std::string identity(const EngineEvent& e) {
    if (const auto* o = std::get_if<mexc::sandbox::Order>(&e))
        return "order " + o->order_id + " " +
               std::to_string(mexc::sandbox::push_order_status(o->status));
    if (const auto* f = std::get_if<mexc::sandbox::Fill>(&e))
        return "deal " + f->trade_id + " " + f->order_id;
    const auto& b = std::get<mexc::sandbox::BalanceChange>(e);
    return "account " + b.asset + " " + b.type;
}
std::string identity(const PushDataV3ApiWrapper& w) {
    if (w.has_privateorders())
        return "order " + w.privateorders().id() + " " + std::to_string(w.privateorders().status());
    if (w.has_privatedeals())
        return "deal " + w.privatedeals().tradeid() + " " + w.privatedeals().orderid();
    return "account " + w.privateaccount().vcoinname() + " " + w.privateaccount().type();
}

}  // namespace

TEST_CASE("private streams push every order, fill and balance change of the account, matching REST",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    run(
        sb.ioc,
        [](PrivateSandbox& f) -> asio::awaitable<void> {
            const std::string key = co_await create_listen_key(f.http);
            auto c = co_await open_private(f.sandbox, key);
            const std::string reply = co_await subscribe(*c, private_topics, 7);
            CHECK(reply == ack(7, joined(private_topics)));
            // A duplicate is answered with an empty msg, as for public topics (SPEC §7.3).
            const std::string again = co_await subscribe(*c, private_topics[0], 8);
            CHECK(again == ack(8, ""));

            // Market, IOC and resting-then-cancelled orders on four symbols; every one ends final.
            std::vector<std::pair<std::string, std::string>> orders;  // symbol, orderId
            std::string id = co_await place(
                f.http,
                "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=5000&newClientOrderId=pm-a");
            orders.emplace_back("BTCUSDT", id);
            id = co_await place(
                f.http,
                "symbol=ETHUSDT&side=SELL&type=MARKET&quantity=2.00000&newClientOrderId=pm-b");
            orders.emplace_back("ETHUSDT", id);
            id = co_await place(f.http,
                                "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.000&quantity=3.000&"
                                "newClientOrderId=pm-c");
            orders.emplace_back("SOLUSDT", id);
            auto cancelled = co_await signed_call(f.http, HttpMethod::del, "/api/v3/order",
                                                  "symbol=SOLUSDT&orderId=" + id);
            CHECK(cancelled.status == 200);
            id = co_await place(f.http,
                                "symbol=MXUSDT&side=BUY&type=IMMEDIATE_OR_CANCEL&price=3.7000&"
                                "quantity=2000.00&newClientOrderId=pm-d");
            orders.emplace_back("MXUSDT", id);
            id = co_await place(f.http,
                                "symbol=BTCUSDT&side=SELL&type=IMMEDIATE_OR_CANCEL&price=80000.00&"
                                "quantity=0.050000&newClientOrderId=pm-e");
            orders.emplace_back("BTCUSDT", id);

            // The dust settles: every engine event of account 1 has been pushed; read them all.
            std::vector<std::string> frames;
            while (frames.size() < f.events_of(1)) frames.push_back(co_await next_binary(*c));

            std::vector<PushDataV3ApiWrapper> pushes;
            for (const auto& frame : frames) pushes.push_back(decode_both(frame));

            // Order of the engine, event for event.
            std::vector<std::string> expected, got;
            for (const auto& e : f.events)
                if (mexc::sandbox::account_of(e) == 1) expected.push_back(identity(e));
            for (const auto& w : pushes) got.push_back(identity(w));
            CHECK(got == expected);

            // Orders: NEW first, cumulative quantity monotonic, last state = REST's final state.
            std::map<std::string, std::vector<const PrivateOrdersV3Api*>> by_order;
            for (const auto& w : pushes)
                if (w.has_privateorders())
                    by_order[w.privateorders().id()].push_back(&w.privateorders());
            std::map<std::string, int> order_types = {
                {"pm-a", 5}, {"pm-b", 5}, {"pm-c", 1}, {"pm-d", 3}, {"pm-e", 3}};
            for (const auto& [symbol, order_id] : orders) {
                auto r = co_await signed_call(f.http, HttpMethod::get, "/api/v3/order",
                                              "symbol=" + symbol + "&orderId=" + order_id);
                REQUIRE(r.status == 200);
                const auto& seq = by_order[order_id];
                REQUIRE(seq.size() >= 2);
                INFO(order_id << " " << r.body);
                CHECK(seq.front()->status() == 1);
                CHECK(std::stod(seq.front()->cumulativequantity()) == 0);
                for (std::size_t i = 1; i < seq.size(); ++i)
                    CHECK(std::stod(seq[i]->cumulativequantity()) >=
                          std::stod(seq[i - 1]->cumulativequantity()));
                const auto* last = seq.back();
                CHECK(status_name(last->status()) == json_string(r.body, "status"));
                CHECK(last->cumulativequantity() == json_string(r.body, "executedQty"));
                CHECK(last->cumulativeamount() == json_string(r.body, "cummulativeQuoteQty"));
                CHECK(last->quantity() == json_string(r.body, "origQty"));
                CHECK(last->clientid() == json_string(r.body, "clientOrderId"));
                CHECK(last->ordertype() == order_types[last->clientid()]);
                CHECK(last->tradetype() == (json_string(r.body, "side") == "BUY" ? 1 : 2));
                CHECK((last->status() == 2 || last->status() == 4 || last->status() == 5));
            }
            CHECK(by_order.size() == orders.size());
            const auto* market_buy = by_order[orders[0].second].back();
            CHECK(market_buy->amount() == "5000.00000000");  // quote-sized: the amount (SPEC §8.17)
            CHECK(by_order[orders[2].second].back()->status() == 4);
            CHECK(by_order[orders[2].second].back()->remainquantity() == "3.000");

            // Every fill once on the deals stream and once in myTrades, with the same fields.
            std::map<std::string, std::string> symbol_of;
            for (const auto& [symbol, order_id] : orders) symbol_of[order_id] = symbol;
            std::map<std::string, const PrivateDealsV3Api*> deals;
            for (const auto& w : pushes) {
                if (w.has_privateorders()) CHECK(w.symbol() == symbol_of[w.privateorders().id()]);
                if (!w.has_privatedeals()) continue;
                const bool fresh =
                    deals.emplace(w.privatedeals().tradeid(), &w.privatedeals()).second;
                CHECK(fresh);
                CHECK(w.symbol() == symbol_of[w.privatedeals().orderid()]);
            }
            CHECK(deals.size() >= 4);  // at least one fill for each of the four taking orders
            std::set<std::string> rest_trades;
            for (const std::string symbol : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"}) {
                auto r = co_await signed_call(f.http, HttpMethod::get, "/api/v3/myTrades",
                                              "symbol=" + symbol);
                REQUIRE(r.status == 200);
                simdjson::dom::parser parser;
                simdjson::dom::array trades;
                REQUIRE(!parser.parse(r.body).get(trades));
                for (auto t : trades) {
                    const std::string trade_id(t["id"].get_string().value());
                    CHECK(rest_trades.insert(trade_id).second);
                    auto it = deals.find(trade_id);
                    REQUIRE(it != deals.end());
                    const auto& d = *it->second;
                    CHECK(d.orderid() == std::string(t["orderId"].get_string().value()));
                    CHECK(d.price() == std::string(t["price"].get_string().value()));
                    CHECK(d.quantity() == std::string(t["qty"].get_string().value()));
                    CHECK(d.amount() == std::string(t["quoteQty"].get_string().value()));
                    CHECK(d.feeamount() == std::string(t["commission"].get_string().value()));
                    CHECK(d.feecurrency() ==
                          std::string(t["commissionAsset"].get_string().value()));
                    CHECK(d.ismaker() == t["isMaker"].get_bool().value());
                    CHECK(d.tradetype() == (t["isBuyer"].get_bool().value() ? 1 : 2));
                    CHECK(d.time() == t["time"].get_int64().value());
                }
            }
            CHECK(rest_trades.size() == deals.size());

            // A fill's order update follows its deal and names its quantity; other updates do not.
            for (std::size_t i = 0; i < pushes.size(); ++i) {
                if (!pushes[i].has_privateorders()) continue;
                const auto& o = pushes[i].privateorders();
                const bool after_deal = i > 0 && pushes[i - 1].has_privatedeals() &&
                                        pushes[i - 1].privatedeals().orderid() == o.id();
                CHECK(o.has_lastdealquantity() == after_deal);
                if (after_deal) {
                    CHECK(o.lastdealquantity() == pushes[i - 1].privatedeals().quantity());
                    CHECK(o.ismaker() == pushes[i - 1].privatedeals().ismaker());
                }
            }

            // Balances: each push continues the asset's previous one; the last equals GET /account.
            std::map<std::string, std::pair<std::int64_t, std::int64_t>> balance;  // free, locked
            for (const auto& [asset, amount] : mexc::sandbox::demo_account().deposits)
                balance[asset] = {amount, 0};
            std::map<std::string, std::string> coin_ids;
            for (const auto& w : pushes) {
                if (!w.has_privateaccount()) continue;
                const auto& a = w.privateaccount();
                auto& [free, locked] = balance[a.vcoinname()];
                CHECK(units8(a.balanceamount()) - units8(a.balanceamountchange()) == free);
                CHECK(units8(a.frozenamount()) - units8(a.frozenamountchange()) == locked);
                free = units8(a.balanceamount());
                locked = units8(a.frozenamount());
                auto [known, inserted] = coin_ids.emplace(a.vcoinname(), a.coinid());
                CHECK(known->second == a.coinid());  // stable per asset
            }
            CHECK(coin_ids.size() >= 3);
            std::set<std::string> distinct;
            for (const auto& entry : coin_ids) distinct.insert(entry.second);
            CHECK(distinct.size() == coin_ids.size());
            auto account = co_await signed_call(f.http, HttpMethod::get, "/api/v3/account", "");
            REQUIRE(account.status == 200);
            simdjson::dom::parser parser;
            simdjson::dom::element doc;
            REQUIRE(!parser.parse(account.body).get(doc));
            std::size_t compared = 0;
            for (auto b : doc["balances"].get_array()) {
                const std::string asset(b["asset"].get_string().value());
                REQUIRE(balance.count(asset) == 1);
                CHECK(units8(b["free"].get_string().value()) == balance[asset].first);
                CHECK(units8(b["locked"].get_string().value()) == balance[asset].second);
                ++compared;
            }
            CHECK(compared == balance.size());
            CHECK(f.sandbox.stats().private_frames_pushed == frames.size());
            co_await c->close();
        }(sb),
        60s);
}

TEST_CASE("private pushes reach only the event's account, maker fills carry isMaker",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    sb.sandbox.pause_market(true);  // the book stands still: the maker order's level is known
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        const std::string key1 = co_await create_listen_key(f.http);
        const std::string key2 = co_await create_listen_key(f.http, second_key());
        auto c1 = co_await open_private(f.sandbox, key1);
        auto c2 = co_await open_private(f.sandbox, key2);
        // Orders only on connection 1; everything on connection 2.
        const std::string r1 = co_await subscribe(*c1, private_topics[2], 1);
        CHECK(r1 == ack(1, private_topics[2]));
        const std::string r2 = co_await subscribe(*c2, private_topics, 2);
        CHECK(r2 == ack(2, joined(private_topics)));

        // Account 1 rests a sell at the best ask, behind the synthetic quantity there; account 2
        // buys the whole level, so account 1's order fills as maker.
        const auto* book = f.sandbox.market().find("BTCUSDT");
        const std::int64_t ask = book->snapshot(1).asks.front().price;
        const std::string price = mexc::sandbox::decimal(ask, book->scales().price);
        const std::string maker =
            co_await place(f.http, "symbol=BTCUSDT&side=SELL&type=LIMIT&price=" + price +
                                       "&quantity=0.010000&newClientOrderId=maker-1");
        const std::int64_t level =
            f.sandbox.market().find("BTCUSDT")->snapshot(1).asks.front().quantity;
        const std::string taker = co_await place(
            f.http,
            "symbol=BTCUSDT&side=BUY&type=LIMIT&price=" + price +
                "&quantity=" + mexc::sandbox::decimal(level, 6) + "&newClientOrderId=taker-2",
            second_key());

        // Connection 1: account 1's order pushes only (NEW, then FILLED as maker).
        std::vector<PushDataV3ApiWrapper> one;
        std::size_t expected = 0;
        for (const auto& e : f.events)
            expected += mexc::sandbox::account_of(e) == 1 &&
                        std::holds_alternative<mexc::sandbox::Order>(e);
        while (one.size() < expected) one.push_back(decode_both(co_await next_binary(*c1)));
        REQUIRE(one.size() == 2);
        for (const auto& w : one) {
            CHECK(w.privateorders().id() == maker);
            CHECK(w.privateorders().clientid() == "maker-1");
        }
        CHECK(one[0].privateorders().status() == 1);
        CHECK(one[1].privateorders().status() == 2);
        CHECK(one[1].privateorders().ismaker());
        CHECK(one[1].privateorders().lastdealquantity() == "0.010000");
        CHECK(one[1].privateorders().avgprice() == price);

        // Connection 2: account 2's events only, its fills as taker.
        std::vector<PushDataV3ApiWrapper> two;
        while (two.size() < f.events_of(2)) two.push_back(decode_both(co_await next_binary(*c2)));
        std::size_t deals = 0;
        for (const auto& w : two) {
            if (w.has_privateorders()) CHECK(w.privateorders().id() == taker);
            if (w.has_privatedeals()) {
                ++deals;
                CHECK(w.privatedeals().orderid() == taker);
                CHECK_FALSE(w.privatedeals().ismaker());
                CHECK_FALSE(w.privatedeals().isselftrade());
            }
        }
        CHECK(deals >= 2);  // the synthetic quantity, then account 1's order
        // A marker order of account 1 arrives next on connection 1: nothing of account 2 came
        // between.
        const std::string marker = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.000&quantity=1.000");
        const auto next = decode_both(co_await next_binary(*c1));
        CHECK(next.privateorders().id() == marker);
        co_await c1->close();
        co_await c2->close();
    }(sb));
}

TEST_CASE("an unknown listen key gets the plain text \"Invalid listen key\" and a close",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        auto c = co_await try_open(f.sandbox, "?listenKey=notAListenKey");
        REQUIRE(c);  // the upgrade succeeds; the refusal is in-band (SPEC §7.2, §9)
        const Ended e = co_await read_until_closed(**c);
        CHECK(e.closed);
        REQUIRE(e.texts.size() == 1);
        CHECK(e.texts[0] == "Invalid listen key");
        CHECK(e.binaries == 0);
        // An empty key is no key either.
        auto empty = co_await try_open(f.sandbox, "?listenKey=");
        REQUIRE(empty);
        const Ended e2 = co_await read_until_closed(**empty);
        REQUIRE(e2.texts.size() == 1);
        CHECK(e2.texts[0] == "Invalid listen key");
    }(sb));
    CHECK(sb.sandbox.stats().ws_refused_listen_key == 2);
}

TEST_CASE("a listen key serves at most five connections, a sixth is closed at once",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        const std::string key = co_await create_listen_key(f.http);
        std::vector<std::unique_ptr<WsConnection>> open;
        for (int i = 0; i < 5; ++i) {
            open.push_back(co_await open_private(f.sandbox, key));
            const std::string reply = co_await subscribe(*open.back(), private_topics[1], i + 1);
            CHECK(reply == ack(i + 1, private_topics[1]));
        }
        CHECK(f.sandbox.listen_key_connections(key) == 5);
        auto sixth = co_await open_private(f.sandbox, key);
        const Ended e = co_await read_until_closed(*sixth);
        CHECK(e.closed);
        CHECK(e.texts.empty());  // the key is valid: no "Invalid listen key" (a close 1008 only)
        CHECK(f.sandbox.stats().ws_refused_listen_key_connections == 1);
        // Another key of the same account is not affected.
        const std::string other = co_await create_listen_key(f.http);
        auto c = co_await open_private(f.sandbox, other);
        const std::string reply = co_await subscribe(*c, private_topics[0], 9);
        CHECK(reply == ack(9, private_topics[0]));
        // Once one of the five ends, a new connection is admitted.
        co_await open.front()->close();
        for (int i = 0; i < 100 && f.sandbox.listen_key_connections(key) != 4; ++i)
            co_await sleep_for(10ms);
        CHECK(f.sandbox.listen_key_connections(key) == 4);
        auto again = co_await open_private(f.sandbox, key);
        const std::string accepted = co_await subscribe(*again, private_topics[2], 10);
        CHECK(accepted == ack(10, private_topics[2]));
        CHECK(f.sandbox.listen_key_connections(key) == 5);
    }(sb));
}

TEST_CASE("deleting the listen key closes its streams", "[integration][sandbox][private]") {
    PrivateSandbox sb;
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        const std::string key = co_await create_listen_key(f.http);
        const std::string other = co_await create_listen_key(f.http);
        auto c = co_await open_private(f.sandbox, key);
        auto d = co_await open_private(f.sandbox, key);
        auto survivor = co_await open_private(f.sandbox, other);
        const std::vector<WsConnection*> all = {c.get(), d.get(), survivor.get()};
        for (auto* conn : all) {
            const std::string reply = co_await subscribe(*conn, private_topics, 3);
            CHECK(reply == ack(3, joined(private_topics)));
        }
        auto del = co_await signed_call(f.http, HttpMethod::del, "/api/v3/userDataStream",
                                        "listenKey=" + key);
        CHECK(del.status == 200);
        const std::vector<WsConnection*> deleted = {c.get(), d.get()};
        for (auto* conn : deleted) {
            const Ended e = co_await read_until_closed(*conn);
            CHECK(e.closed);
            CHECK(e.after < 2s);  // checked on every tick
            REQUIRE(e.texts.size() == 1);
            CHECK(e.texts[0] == "Invalid listen key");
        }
        CHECK(f.sandbox.stats().ws_closed_listen_key == 2);
        // The other key's stream goes on: an order still arrives.
        const std::string id = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.000&quantity=1.000");
        bool seen = false;
        while (!seen) {
            const auto w = decode_both(co_await next_binary(*survivor));
            seen = w.has_privateorders() && w.privateorders().id() == id;
        }
        CHECK(seen);
        // And the deleted key no longer admits connections.
        auto late = co_await try_open(f.sandbox, "?listenKey=" + key);
        REQUIRE(late);
        const Ended e = co_await read_until_closed(**late);
        REQUIRE(e.texts.size() == 1);
        CHECK(e.texts[0] == "Invalid listen key");
    }(sb));
}

TEST_CASE("an expired listen key closes its streams, a keepalive PUT prevents it (T09)",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    sb.sandbox.set_listen_key_validity(600ms);
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        const std::string expiring = co_await create_listen_key(f.http);
        const std::string kept = co_await create_listen_key(f.http);
        const auto opened = Clock::now();
        auto c = co_await open_private(f.sandbox, expiring);
        auto k = co_await open_private(f.sandbox, kept);
        const std::string r1 = co_await subscribe(*c, private_topics, 1);
        CHECK(r1 == ack(1, joined(private_topics)));
        const std::string r2 = co_await subscribe(*k, private_topics, 2);
        CHECK(r2 == ack(2, joined(private_topics)));
        // Keep one key alive past the other's expiry.
        for (int i = 0; i < 4; ++i) {
            co_await sleep_for(200ms);
            auto put = co_await signed_call(f.http, HttpMethod::put, "/api/v3/userDataStream",
                                            "listenKey=" + kept);
            CHECK(put.status == 200);
        }
        const Ended e = co_await read_until_closed(*c);
        CHECK(e.closed);
        CHECK(Clock::now() - opened < 3s);
        REQUIRE(e.texts.size() == 1);
        CHECK(e.texts[0] == "Invalid listen key");
        CHECK_FALSE(f.sandbox.listen_key_valid(expiring));
        CHECK(f.sandbox.listen_key_valid(kept));
        CHECK(f.sandbox.listen_key_connections(kept) == 1);
        // The expired key's PUT is an error body (SPEC §9, FAULTS E15).
        auto put = co_await signed_call(f.http, HttpMethod::put, "/api/v3/userDataStream",
                                        "listenKey=" + expiring);
        CHECK(put.status == 400);
        CHECK(put.body.find("\"code\"") != std::string::npos);
        auto late = co_await try_open(f.sandbox, "?listenKey=" + expiring);
        REQUIRE(late);
        const Ended e2 = co_await read_until_closed(**late);
        REQUIRE(e2.texts.size() == 1);
        CHECK(e2.texts[0] == "Invalid listen key");
        co_await k->close();
    }(sb));
    CHECK(sb.sandbox.stats().ws_closed_listen_key == 1);
}

TEST_CASE("private topics on a public connection are Blocked!, public topics work on a private one",
          "[integration][sandbox][private]") {
    PrivateSandbox sb;
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        auto pub = co_await try_open(f.sandbox, "");
        REQUIRE(pub);
        const std::string refused = co_await subscribe(**pub, private_topics, 4);
        CHECK(refused == blocked(4, private_topics));
        // Mixed: the public topic is served, the private one refused.
        const std::string depth = "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT";
        const std::vector<std::string> mixed = {depth, private_topics[2]};
        (*pub)->send_text(request("SUBSCRIPTION", mixed, 5));
        const std::string first = co_await next_text(**pub);
        const std::string second = co_await next_text(**pub);
        CHECK(first == ack(5, depth));
        CHECK(second == blocked(5, {private_topics[2]}));
        // A private-looking topic that is not one of the three is Blocked! on a private connection
        // too.
        const std::string key = co_await create_listen_key(f.http);
        auto c = co_await open_private(f.sandbox, key);
        const std::string odd = co_await subscribe(*c, "spot@private.orders.v3.api", 6);
        CHECK(odd == blocked(6, {"spot@private.orders.v3.api"}));
        // Public and private topics on one private connection.
        c->send_text(request("SUBSCRIPTION", mixed, 7));
        const std::string both = co_await next_text(*c);
        CHECK(both == ack(7, depth + "," + private_topics[2]));
        const std::string id = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.000&quantity=1.000");
        bool saw_depth = false, saw_order = false;
        for (int i = 0; i < 2000 && !(saw_depth && saw_order); ++i) {
            PushDataV3ApiWrapper w;
            const std::string frame = co_await next_binary(*c);
            REQUIRE(w.ParseFromString(frame));
            if (w.channel() == depth) saw_depth = true;
            if (w.has_privateorders()) saw_order = w.privateorders().id() == id;
        }
        CHECK(saw_depth);
        CHECK(saw_order);
        // Unsubscribing the private topic is acknowledged like a public one.
        c->send_text(request("UNSUBSCRIPTION", {private_topics[2]}, 8));
        const std::string gone = co_await next_text(*c);
        CHECK(gone == ack(8, private_topics[2]));
    }(sb));
    CHECK(sb.sandbox.stats().ws_topics_rejected == 5);
}

TEST_CASE(
    "C04 C05 private push faults: a dropped order push leaves a gap, a duplicate arrives twice, a "
    "reordered pair swaps",
    "[integration][sandbox][private][faults]") {
    PrivateSandbox sb;
    sb.sandbox.pause_market(true);
    run(sb.ioc, [](PrivateSandbox& f) -> asio::awaitable<void> {
        const std::string key = co_await create_listen_key(f.http);
        auto c = co_await open_private(f.sandbox, key);
        const std::string r = co_await subscribe(*c, private_topics[2], 1);  // orders only
        CHECK(r == ack(1, private_topics[2]));
        auto& faults = f.sandbox.faults();

        // Dropped: the first order's NEW push never comes; the next order's does.
        faults.drop_pushes("private.orders", 1);
        const std::string lost = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.000&quantity=1.000");
        const std::string seen = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.001&quantity=1.000");
        const auto first = decode_both(co_await next_binary(*c));
        CHECK(first.privateorders().id() == seen);
        CHECK(f.sandbox.faults().stats().pushes_dropped == 1);

        // Duplicated: the same frame twice.
        faults.duplicate_pushes("private.orders", 1);
        const std::string twice = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.002&quantity=1.000");
        const auto a = co_await next_binary(*c);
        const auto b = co_await next_binary(*c);
        CHECK(a == b);
        CHECK(decode_both(a).privateorders().id() == twice);

        // Reordered: two consecutive pushes swapped.
        faults.reorder_pushes("private.orders", 1);
        const std::string o1 = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.003&quantity=1.000");
        const std::string o2 = co_await place(
            f.http, "symbol=SOLUSDT&side=BUY&type=LIMIT&price=100.004&quantity=1.000");
        const auto x = decode_both(co_await next_binary(*c));
        const auto y = decode_both(co_await next_binary(*c));
        CHECK(x.privateorders().id() == o2);
        CHECK(y.privateorders().id() == o1);
        faults.clear_push_faults();
        CHECK_FALSE(lost.empty());
        co_await c->close();
    }(sb));
}
