// Typed market events (src/wire/event_decoder.hpp): every public channel of SPEC §7.4 on the
// captured frames of SPEC §11.3 where one exists and on frames built with the protoc-generated
// classes otherwise; exact decimals at the symbol's scales; typed errors for malformed or
// mismatched frames (P01, P04, P06); no allocation per push after warm-up.

#include "mexc/wire/events.hpp"

#include "support/alloc_counter.hpp"
#include "support/frames.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <string>

using namespace mexc;
using namespace mexc::wire;
using mexc::testing::from_hex;

namespace {

const ReceiveTime received = ReceiveTime{} + std::chrono::milliseconds(1790281246300);

struct Fixture {
    SymbolTable symbols;
    SymbolId btc = symbols.add("BTCUSDT", {2, 8});
    SymbolId mx = symbols.add("MXUSDT", {4, 2});
};

PushFrame frame_of(const std::string& bytes) {
    auto f = decode_push(bytes);
    REQUIRE(f);
    return *f;
}

std::string serialized(const PushDataV3ApiWrapper& w) {
    std::string out;
    REQUIRE(w.SerializeToString(&out));
    return out;
}

Price price(std::int64_t units, std::uint8_t scale) {
    return Price::from_units(units, scale);
}
Quantity qty(std::int64_t units, std::uint8_t scale) {
    return Quantity::from_units(units, scale);
}

std::string deals_frame(const std::string& price, const std::string& quantity) {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.aggre.deals.v3.api.pb@100ms@MXUSDT");
    w.set_symbol("MXUSDT");
    w.set_sendtime(1736417034281);
    auto* d = w.mutable_publicaggredeals()->add_deals();
    d->set_price(price);
    d->set_quantity(quantity);
    d->set_tradetype(1);
    d->set_time(1736417034280);
    return serialized(w);
}

std::string book_ticker_batch_frame() {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.bookTicker.batch.v3.api.pb@MXUSDT");
    w.set_symbol("MXUSDT");
    w.set_sendtime(1736417034300);
    auto* b = w.mutable_publicbooktickerbatch();
    b->set_version("1234567");
    b->set_lastordercreatetime(1736417034290);
    for (const char* bid : {"3.6962", "3.6961"}) {
        auto* item = b->add_items();
        item->set_bidprice(bid);
        item->set_bidquantity("12.5");
        item->set_askprice("3.6963");
        item->set_askquantity("0.01");
    }
    return serialized(w);
}

void fill_mini_ticker(PublicMiniTickerV3Api& m, const std::string& symbol) {
    m.set_symbol(symbol);
    m.set_price("3.6962");
    m.set_rate("-0.0055");
    m.set_zonedrate("0.0123");
    m.set_high("3.8");
    m.set_low("3.5");
    m.set_volume("1234567.891234");
    m.set_quantity("334455.12");
    m.set_lastcloserate("0.001");
    m.set_lastclosezonedrate("-0.002");
    m.set_lastclosehigh("3.9");
    m.set_lastcloselow("3.4");
}

std::string mini_ticker_frame(const std::string& zone) {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.miniTicker.v3.api.pb@MXUSDT@" + zone);
    w.set_symbol("MXUSDT");
    w.set_sendtime(1736417034400);
    fill_mini_ticker(*w.mutable_publicminiticker(), "MXUSDT");
    return serialized(w);
}

std::string mini_tickers_frame() {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.miniTickers.v3.api.pb@UTC+8");
    w.set_sendtime(1736417034500);
    auto* b = w.mutable_publicminitickers();
    fill_mini_ticker(*b->add_items(), "MXUSDT");
    fill_mini_ticker(*b->add_items(), "NOTLISTEDUSDT");
    auto* btc = b->add_items();
    fill_mini_ticker(*btc, "BTCUSDT");
    btc->set_price("84270.01");
    btc->set_high("84300");
    btc->set_low("84000.5");
    btc->set_quantity("123.45678901");
    btc->set_lastclosehigh("85000");
    btc->set_lastcloselow("83000");
    return serialized(w);
}

#define CHECK_ERROR(expr, cond, errc)                      \
    do {                                                   \
        const auto r_ = (expr);                            \
        REQUIRE_FALSE(r_);                                 \
        CHECK(r_.error().condition() == (cond));           \
        CHECK(r_.error().code() == make_error_code(errc)); \
    } while (false)

// Decodes `bytes` into `event` once (warm-up), then many times more, counting allocations.
template <class Event>
std::uint64_t allocations_after_warm_up(const std::string& bytes, const SymbolTable& symbols) {
    Event event;
    const PushFrame f = frame_of(bytes);
    REQUIRE(decode_event(f, received, symbols, event));
    mexc::testing::AllocationCounter allocs;
    for (int i = 0; i < 100; ++i) {
        auto again = decode_push(bytes);
        if (!again || !decode_event(*again, received, symbols, event)) return ~std::uint64_t{0};
    }
    return allocs.count();
}

}  // namespace

TEST_CASE("F4: aggre deals decode to trades at the symbol's scales", "[wire][events]") {
    Fixture fx;
    const std::string bytes = from_hex(mexc::testing::f4_aggre_deals_hex);
    TradesEvent ev;
    REQUIRE(decode_event(frame_of(bytes), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.btc);
    CHECK(fx.symbols.name(ev.meta.symbol) == "BTCUSDT");
    CHECK(ev.meta.event_time == 1790281246250);
    CHECK(ev.meta.received == received);
    REQUIRE(ev.trades.size() == 2);
    CHECK(ev.trades[0].price == price(8427000, 2));
    CHECK(ev.trades[0].quantity == qty(99829, 8));
    CHECK(ev.trades[0].taker_side == Side::sell);
    CHECK(ev.trades[0].time == 1790281246176);
    CHECK(ev.trades[0].trade_id.view() == "731901896985399296X0_731901896985399297X0");
    CHECK(ev.trades[1].quantity == qty(19169, 8));
    CHECK(ev.trades[1].taker_side == Side::buy);
    CHECK(ev.trades[1].trade_id.view() == "731901896985399298X0_731901896985399299X0");
}

TEST_CASE("F1 and F6: klines carry exact prices and times in ms", "[wire][events]") {
    Fixture fx;
    KlineEvent ev;
    REQUIRE(
        decode_event(frame_of(from_hex(mexc::testing::f1_kline_hex)), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.btc);
    CHECK(ev.meta.event_time == 1790356766179);  // createTime: kline pushes have no sendTime
    CHECK(ev.interval == KlineInterval::min1);
    CHECK(ev.open_time == 1790356740000);
    CHECK(ev.close_time == 1790356800000);
    CHECK(ev.open == price(8395821, 2));
    CHECK(ev.close == price(8396121, 2));
    CHECK(ev.high == price(8396121, 2));
    CHECK(ev.low == price(8395509, 2));
    CHECK(ev.volume == qty(35388633, 8));
    CHECK(ev.quote_volume == qty(2971141, 2));

    REQUIRE(
        decode_event(frame_of(from_hex(mexc::testing::f6_kline_hex)), received, fx.symbols, ev));
    CHECK(ev.open == price(8430014, 2));
    CHECK(ev.close == price(8427000, 2));  // "84270" read at the symbol's scale
    CHECK(ev.quote_volume == qty(23939369, 2));
    CHECK(ev.open_time == 1790281200000);
}

TEST_CASE("Every WebSocket kline interval token round-trips", "[wire][events]") {
    for (const char* token :
         {"Min1", "Min5", "Min15", "Min30", "Min60", "Hour4", "Hour8", "Day1", "Week1", "Month1"}) {
        const auto interval = parse_kline_interval(token);
        REQUIRE(interval);
        CHECK(to_string(*interval) == token);
    }
    CHECK_FALSE(parse_kline_interval("1m"));
    CHECK_FALSE(parse_kline_interval("min1"));
    CHECK_FALSE(parse_kline_interval(""));
}

TEST_CASE("F5: limit depth is a full top-N in units, replaced on each push", "[wire][events]") {
    Fixture fx;
    const std::string bytes = from_hex(mexc::testing::f5_limit_depth_hex);
    LimitDepthEvent ev;
    REQUIRE(decode_event(frame_of(bytes), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.btc);
    CHECK(ev.meta.event_time == 1790281247251);
    CHECK(ev.scales == SymbolScales{2, 8});
    CHECK(ev.version == 82164155643);
    CHECK(ev.last_order_create_time == 1790281247239);
    const std::vector<LevelUnits> asks{{8427001, 542169969},
                                       {8427002, 117646},
                                       {8427003, 124397},
                                       {8427005, 122284},
                                       {8427026, 108947}};
    const std::vector<LevelUnits> bids{{8427000, 638700},
                                       {8426703, 234800},
                                       {8426415, 4789506},
                                       {8426345, 4789506},
                                       {8426340, 207853100}};
    CHECK(ev.asks == asks);
    CHECK(ev.bids == bids);
    // A second push replaces: the levels are not appended.
    REQUIRE(decode_event(frame_of(bytes), received, fx.symbols, ev));
    CHECK(ev.asks == asks);
    CHECK(ev.bids == bids);
}

TEST_CASE("F2 and F3: aggre book tickers with version", "[wire][events]") {
    Fixture fx;
    BookTickerEvent ev;
    REQUIRE(decode_event(frame_of(from_hex(mexc::testing::f2_aggre_book_ticker_hex)), received,
                         fx.symbols, ev));
    CHECK(ev.meta.event_time == 1790145447239);
    CHECK(ev.top.bid_price == price(8650392, 2));
    CHECK(ev.top.bid_quantity == qty(1491335308, 8));
    CHECK(ev.top.ask_price == price(8650393, 2));
    CHECK(ev.top.ask_quantity == qty(496500, 8));
    CHECK(ev.version == 81999275445);
    CHECK(ev.last_order_create_time == 1790145447233);

    REQUIRE(decode_event(frame_of(from_hex(mexc::testing::f3_aggre_book_ticker_hex)), received,
                         fx.symbols, ev));
    CHECK(ev.top.bid_price == price(8427000, 2));
    CHECK(ev.top.ask_quantity == qty(542169969, 8));
    CHECK(ev.version == 82164153436);
}

TEST_CASE("Book ticker batch: every item at the symbol's scales", "[wire][events]") {
    Fixture fx;
    BookTickerBatchEvent ev;
    REQUIRE(decode_event(frame_of(book_ticker_batch_frame()), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.mx);
    CHECK(ev.meta.event_time == 1736417034300);
    CHECK(ev.version == 1234567);
    CHECK(ev.last_order_create_time == 1736417034290);
    REQUIRE(ev.tops.size() == 2);
    CHECK(ev.tops[0].bid_price == price(36962, 4));
    CHECK(ev.tops[1].bid_price == price(36961, 4));
    CHECK(ev.tops[1].bid_quantity == qty(1250, 2));
    CHECK(ev.tops[1].ask_price == price(36963, 4));
    CHECK(ev.tops[1].ask_quantity == qty(1, 2));
}

TEST_CASE("Mini ticker: values, rates at the scale written, and the topic's zone",
          "[wire][events]") {
    Fixture fx;
    MiniTickerEvent ev;
    REQUIRE(decode_event(frame_of(mini_ticker_frame("UTC+5:30")), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.mx);
    CHECK(ev.meta.event_time == 1736417034400);
    CHECK(ev.zone == TickerZone{false, 330});
    const mexc::MiniTicker& t = ev.ticker;
    CHECK(t.symbol == fx.mx);
    CHECK(t.price == price(36962, 4));
    CHECK(t.high == price(38000, 4));
    CHECK(t.low == price(35000, 4));
    CHECK(t.quantity == qty(33445512, 2));
    CHECK(t.quote_volume == qty(1234567891234, 6));
    CHECK(t.rate == Ratio::from_units(-55, 4));
    CHECK(t.zoned_rate == Ratio::from_units(123, 4));
    CHECK(t.last_close_rate == Ratio::from_units(1, 3));
    CHECK(t.last_close_zoned_rate == Ratio::from_units(-2, 3));
    CHECK(t.last_close_high == price(39000, 4));
    CHECK(t.last_close_low == price(34000, 4));

    REQUIRE(decode_event(frame_of(mini_ticker_frame("24H")), received, fx.symbols, ev));
    CHECK(ev.zone.rolling_24h);
}

TEST_CASE("Mini tickers: known symbols decoded, others skipped and counted", "[wire][events]") {
    Fixture fx;
    MiniTickersEvent ev;
    REQUIRE(decode_event(frame_of(mini_tickers_frame()), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == no_symbol);
    CHECK(ev.meta.event_time == 1736417034500);
    CHECK(ev.zone == TickerZone{false, 480});
    CHECK(ev.unknown_symbols == 1);
    REQUIRE(ev.tickers.size() == 2);
    CHECK(ev.tickers[0].symbol == fx.mx);
    CHECK(ev.tickers[0].price == price(36962, 4));
    CHECK(ev.tickers[1].symbol == fx.btc);
    CHECK(ev.tickers[1].price == price(8427001, 2));
    CHECK(ev.tickers[1].low == price(8400050, 2));
    CHECK(ev.tickers[1].quantity == qty(12345678901, 8));
}

TEST_CASE("Ticker zones parse and print as MEXC spells them", "[wire][events]") {
    for (const char* token : {"24H", "UTC-10", "UTC-8", "UTC-3", "UTC+0", "UTC+4:30", "UTC+5:30",
                              "UTC+8", "UTC+12:45", "UTC+13"}) {
        const auto zone = parse_ticker_zone(token);
        REQUIRE(zone);
        char buf[16];
        CHECK(std::string_view(buf, format_ticker_zone(*zone, std::span<char, 16>(buf))) == token);
    }
    CHECK(parse_ticker_zone("UTC-3")->offset_minutes == -180);
    for (const char* bad :
         {"", "UTC", "UTC8", "UTC+", "UTC+8:3", "UTC+8:60", "UTC+100", "utc+8", "24h", "UTC+8:"})
        CHECK_FALSE(parse_ticker_zone(bad));
}

TEST_CASE("SymbolTable interns names: stable ids, lookups by view, scales updated",
          "[wire][events]") {
    SymbolTable t;
    const SymbolId a = t.add("BTCUSDT", {2, 8});
    for (int i = 0; i < 1000; ++i) t.add("S" + std::to_string(i), {4, 2});
    const std::string_view name = t.name(a);
    CHECK(t.add("BTCUSDT", {3, 6}) == a);  // same id, new scales
    CHECK(t.scales(a) == SymbolScales{3, 6});
    CHECK(t.name(a).data() == name.data());  // the name never moved
    CHECK(t.find("BTCUSDT") == a);
    CHECK_FALSE(t.find("ETHUSDT"));
    CHECK(t.size() == 1001);
}

TEST_CASE("P04: a body that is not the channel's is a typed error", "[wire][events][P04]") {
    Fixture fx;
    const PushFrame deals = frame_of(from_hex(mexc::testing::f4_aggre_deals_hex));
    const PushFrame kline = frame_of(from_hex(mexc::testing::f1_kline_hex));
    KlineEvent k;
    TradesEvent t;
    LimitDepthEvent d;
    BookTickerEvent b;
    BookTickerBatchEvent bb;
    MiniTickerEvent m;
    MiniTickersEvent mm;
    CHECK_ERROR(decode_event(deals, received, fx.symbols, k), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, t), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, d), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, b), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, bb), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, m), Condition::bad_data,
                Errc::unknown_body);
    CHECK_ERROR(decode_event(kline, received, fx.symbols, mm), Condition::bad_data,
                Errc::unknown_body);
}

TEST_CASE("P06: decimals that do not read exactly reject the push", "[wire][events][P06]") {
    Fixture fx;  // MXUSDT: price scale 4, quantity scale 2
    TradesEvent ev;
    for (const char* bad : {"1e5", "NaN", "0.1.2", " 1", "+1", ".5", "5.", "3.69621"}) {
        INFO(bad);
        const auto r = decode_event(frame_of(deals_frame(bad, "1")), received, fx.symbols, ev);
        REQUIRE_FALSE(r);
        CHECK(r.error().condition() == Condition::bad_data);
    }
    CHECK_ERROR(decode_event(frame_of(deals_frame("3.6962", "0.001")), received, fx.symbols, ev),
                Condition::bad_data, Errc::precision_exceeded);
    CHECK_ERROR(decode_event(frame_of(deals_frame("", "1")), received, fx.symbols, ev),
                Condition::bad_data, Errc::missing_field);
    CHECK_ERROR(
        decode_event(frame_of(deals_frame("99999999999999999999", "1")), received, fx.symbols, ev),
        Condition::bad_data, Errc::overflow);
    // Trailing zeros beyond the scale are exact, and accepted.
    REQUIRE(decode_event(frame_of(deals_frame("3.69620000", "0")), received, fx.symbols, ev));
    CHECK(ev.trades.at(0).price == price(36962, 4));
    CHECK(ev.trades.at(0).quantity == qty(0, 2));
}

TEST_CASE("Unknown symbols and zones are typed errors", "[wire][events]") {
    Fixture fx;
    SymbolTable empty;
    TradesEvent t;
    CHECK_ERROR(
        decode_event(frame_of(from_hex(mexc::testing::f4_aggre_deals_hex)), received, empty, t),
        Condition::bad_data, Errc::unknown_symbol);
    MiniTickerEvent m;
    CHECK_ERROR(decode_event(frame_of(mini_ticker_frame("UTC+99")), received, fx.symbols, m),
                Condition::bad_data, Errc::missing_field);
}

TEST_CASE("The symbol falls back to the topic when the wrapper omits it", "[wire][events]") {
    Fixture fx;
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.kline.v3.api.pb@MXUSDT@Hour4");
    auto* k = w.mutable_publicspotkline();
    k->set_interval("Hour4");
    k->set_windowstart(1736416800);
    k->set_windowend(1736431200);
    k->set_openingprice("3.5");
    k->set_closingprice("3.6");
    k->set_highestprice("3.7");
    k->set_lowestprice("3.4");
    KlineEvent ev;
    REQUIRE(decode_event(frame_of(serialized(w)), received, fx.symbols, ev));
    CHECK(ev.meta.symbol == fx.mx);
    CHECK(ev.interval == KlineInterval::hour4);
    CHECK(ev.volume == qty(0, 2));  // absent (proto3 drops empty strings): zero
    CHECK(ev.meta.event_time == 0);
}

TEST_CASE("P01: random bytes and every truncation of the captured frames never crash",
          "[wire][events][P01]") {
    Fixture fx;
    TradesEvent t;
    KlineEvent k;
    LimitDepthEvent d;
    BookTickerEvent b;
    std::size_t rejected = 0, accepted = 0;
    for (const auto& named : mexc::testing::all_spec_frames) {
        const std::string bytes = from_hex(named.hex);
        for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
            const std::string part = bytes.substr(0, cut);
            const auto f = decode_push(part);
            if (!f) {
                ++rejected;
                continue;
            }
            (decode_event(*f, received, fx.symbols, t) ? accepted : rejected) += 1;
            (decode_event(*f, received, fx.symbols, k) ? accepted : rejected) += 1;
            (decode_event(*f, received, fx.symbols, d) ? accepted : rejected) += 1;
            (decode_event(*f, received, fx.symbols, b) ? accepted : rejected) += 1;
        }
    }
    CHECK(rejected > 0);
    // Random bodies behind a valid wrapper: a typed error or a decoded event, never a crash.
    std::uint64_t x = 88172645463325252ull;
    const std::string wrapper = from_hex(mexc::testing::f4_aggre_deals_hex);  // the views' bytes
    for (int i = 0; i < 2000; ++i) {
        std::string body(1 + i % 64, '\0');
        for (char& c : body) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            c = static_cast<char>(x);
        }
        PushFrame f = frame_of(wrapper);
        f.body = body;
        (decode_event(f, received, fx.symbols, t) ? accepted : rejected) += 1;
        f.kind = BodyKind::public_spot_kline;
        (decode_event(f, received, fx.symbols, k) ? accepted : rejected) += 1;
    }
    CHECK(rejected > 2000);
}

TEST_CASE("No allocation per push after warm-up, on every channel", "[wire][events][alloc]") {
    Fixture fx;
    CHECK(allocations_after_warm_up<TradesEvent>(from_hex(mexc::testing::f4_aggre_deals_hex),
                                                 fx.symbols) == 0);
    CHECK(allocations_after_warm_up<KlineEvent>(from_hex(mexc::testing::f1_kline_hex),
                                                fx.symbols) == 0);
    CHECK(allocations_after_warm_up<LimitDepthEvent>(from_hex(mexc::testing::f5_limit_depth_hex),
                                                     fx.symbols) == 0);
    CHECK(allocations_after_warm_up<BookTickerEvent>(
              from_hex(mexc::testing::f3_aggre_book_ticker_hex), fx.symbols) == 0);
    CHECK(allocations_after_warm_up<BookTickerBatchEvent>(book_ticker_batch_frame(), fx.symbols) ==
          0);
    CHECK(allocations_after_warm_up<MiniTickerEvent>(mini_ticker_frame("UTC+8"), fx.symbols) == 0);
    CHECK(allocations_after_warm_up<MiniTickersEvent>(mini_tickers_frame(), fx.symbols) == 0);
}
