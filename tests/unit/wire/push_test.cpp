// Binary push frames (include/mexc/wire/push.hpp): SPEC §11.3/§11.4 frames, round trips against
// protoc-generated classes for every body type, and the protocol faults P01, P02, P03, P08, P12.

#include "mexc/wire/push.hpp"

#include "support/depth_frames.hpp"
#include "support/frames.hpp"

#include "PushDataV3ApiWrapper.pb.h"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <random>
#include <string>
#include <vector>

using namespace mexc;
using namespace mexc::wire;
using mexc::testing::from_hex;
using mexc::testing::ProtoWriter;

namespace {

struct Lv {
    std::string price, quantity;
    friend bool operator==(const Lv&, const Lv&) = default;
};

std::vector<Lv> levels_of(const DepthLevels& levels) {
    std::vector<Lv> out;
    for (const DepthLevel l : levels)
        out.push_back({std::string(l.price), std::string(l.quantity)});
    return out;
}

template <class R>
auto collect(const R& range) {
    std::vector<std::decay_t<decltype(*range.begin())>> out;
    for (auto it = range.begin(); it != range.end(); ++it) out.push_back(*it);
    return out;
}

template <class R>
std::size_t count_items(const R& range) {
    std::size_t n = 0;
    for (auto it = range.begin(); it != range.end(); ++it) ++n;
    return n;
}

/// Runs the body decoder that matches the frame's kind and touches every item; false on error.
bool decode_body(const PushFrame& f) {
    switch (f.kind) {
        case BodyKind::public_aggre_depths: {
            auto r = decode_aggre_depth(f.body);
            if (!r) return false;
            return count_items(r->asks) == r->asks.size() && count_items(r->bids) == r->bids.size();
        }
        case BodyKind::public_increase_depths: {
            auto r = decode_increase_depth(f.body);
            return r && count_items(r->asks) == r->asks.size();
        }
        case BodyKind::public_increase_depths_batch: {
            auto r = decode_increase_depth_batch(f.body);
            if (!r) return false;
            for (auto item : r->items) (void)count_items(item.asks);
            return count_items(r->items) == r->items.size();
        }
        case BodyKind::public_limit_depths: {
            auto r = decode_limit_depth(f.body);
            return r && count_items(r->asks) == r->asks.size() &&
                   count_items(r->bids) == r->bids.size();
        }
        case BodyKind::public_deals:
        case BodyKind::public_aggre_deals: {
            auto r = decode_deals(f.body);
            return r && count_items(r->deals) == r->deals.size();
        }
        case BodyKind::public_book_ticker:
        case BodyKind::public_aggre_book_ticker:
            return static_cast<bool>(decode_book_ticker(f.body));
        case BodyKind::public_book_ticker_batch: {
            auto r = decode_book_ticker_batch(f.body);
            return r && count_items(r->items) == r->items.size();
        }
        case BodyKind::public_spot_kline:
            return static_cast<bool>(decode_kline(f.body));
        case BodyKind::public_mini_ticker:
            return static_cast<bool>(decode_mini_ticker(f.body));
        case BodyKind::public_mini_tickers: {
            auto r = decode_mini_tickers(f.body);
            return r && count_items(*r) == r->size();
        }
        case BodyKind::private_account:
            return static_cast<bool>(decode_private_account(f.body));
        case BodyKind::private_deals:
            return static_cast<bool>(decode_private_deal(f.body));
        case BodyKind::private_orders:
            return static_cast<bool>(decode_private_order(f.body));
        case BodyKind::none:
            return false;
    }
    return false;
}

PushFrame must_decode(std::string_view bytes) {
    auto r = decode_push(bytes);
    REQUIRE(r);
    return *r;
}

std::string serialize(const PushDataV3ApiWrapper& w) {
    std::string out;
    REQUIRE(w.SerializeToString(&out));
    return out;
}

}  // namespace

// ---- SPEC §11.3 captured frames -----------------------------------------------------------------

TEST_CASE("wire: F1 kline frame decodes to the documented values", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::f1_kline_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@public.kline.v3.api.pb@BTCUSDT@Min1");
    CHECK(f.symbol == "BTCUSDT");
    CHECK(f.symbol_id == "2fb942154ef44a4ab2ef98c8afb6a4a7");
    CHECK(f.create_time == 1790356766179);
    CHECK(f.send_time == 0);
    CHECK(f.kind == BodyKind::public_spot_kline);
    CHECK(f.unknown_fields == 0);
    auto k = decode_kline(f.body);
    REQUIRE(k);
    CHECK(k->interval == "Min1");
    CHECK(k->window_start == 1790356740);
    CHECK(k->opening_price == "83958.21");
    CHECK(k->closing_price == "83961.21");
    CHECK(k->highest_price == "83961.21");
    CHECK(k->lowest_price == "83955.09");
    CHECK(k->volume == "0.35388633");
    CHECK(k->amount == "29711.41");
    CHECK(k->window_end == 1790356800);
}

TEST_CASE("wire: F2 and F3 aggre bookTicker frames decode to the documented values",
          "[unit][wire]") {
    {
        const std::string bytes = from_hex(mexc::testing::f2_aggre_book_ticker_hex);
        const PushFrame f = must_decode(bytes);
        CHECK(f.channel == "spot@public.aggre.bookTicker.v3.api.pb@10ms@BTCUSDT");
        CHECK(f.symbol == "BTCUSDT");
        CHECK(f.symbol_id.empty());
        CHECK(f.create_time == 0);
        CHECK(f.send_time == 1790145447239);
        CHECK(f.kind == BodyKind::public_aggre_book_ticker);
        auto t = decode_book_ticker(f.body);
        REQUIRE(t);
        CHECK(t->ticker.bid_price == "86503.92");
        CHECK(t->ticker.bid_quantity == "14.91335308");
        CHECK(t->ticker.ask_price == "86503.93");
        CHECK(t->ticker.ask_quantity == "0.004965");
        CHECK(t->version == 81999275445);
        CHECK(t->last_order_create_time == 1790145447233);
    }
    {
        const std::string bytes = from_hex(mexc::testing::f3_aggre_book_ticker_hex);
        const PushFrame f = must_decode(bytes);
        CHECK(f.channel == "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT");
        CHECK(f.symbol == "BTCUSDT");
        CHECK(f.send_time == 1790281243450);
        CHECK(f.kind == BodyKind::public_aggre_book_ticker);
        auto t = decode_book_ticker(f.body);
        REQUIRE(t);
        CHECK(t->ticker.bid_price == "84270");
        CHECK(t->ticker.bid_quantity == "0.006387");
        CHECK(t->ticker.ask_price == "84270.01");
        CHECK(t->ticker.ask_quantity == "5.42169969");
        CHECK(t->version == 82164153436);
        CHECK(t->last_order_create_time == 1790281240471);
    }
}

TEST_CASE("wire: F4 aggre deals frame decodes both trades with trade ids", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::f4_aggre_deals_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT");
    CHECK(f.symbol == "BTCUSDT");
    CHECK(f.send_time == 1790281246250);
    CHECK(f.kind == BodyKind::public_aggre_deals);
    auto d = decode_deals(f.body);
    REQUIRE(d);
    CHECK(d->event_type == "spot@public.aggre.deals.v3.api.pb@100ms");
    REQUIRE(d->deals.size() == 2);
    std::vector<Deal> deals = collect(d->deals);
    REQUIRE(deals.size() == 2);
    CHECK(deals[0].price == "84270");
    CHECK(deals[0].quantity == "0.00099829");
    CHECK(deals[0].trade_type == 2);
    CHECK(deals[0].time == 1790281246176);
    CHECK(deals[0].trade_id == "731901896985399296X0_731901896985399297X0");
    CHECK(deals[1].price == "84270");
    CHECK(deals[1].quantity == "0.00019169");
    CHECK(deals[1].trade_type == 1);
    CHECK(deals[1].time == 1790281246177);
    CHECK(deals[1].trade_id == "731901896985399298X0_731901896985399299X0");
}

TEST_CASE("wire: F5 limit depth frame decodes asks and bids best first", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::f5_limit_depth_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@public.limit.depth.v3.api.pb@BTCUSDT@5");
    CHECK(f.symbol == "BTCUSDT");
    CHECK(f.send_time == 1790281247251);
    CHECK(f.kind == BodyKind::public_limit_depths);
    auto d = decode_limit_depth(f.body);
    REQUIRE(d);
    CHECK(d->event_type == "spot@public.limit.depth.v3.api.pb");
    CHECK(d->version == 82164155643);
    CHECK(d->last_order_create_time == 1790281247239);
    CHECK(d->asks.size() == 5);
    CHECK(d->bids.size() == 5);
    CHECK(levels_of(d->asks) == std::vector<Lv>{{"84270.01", "5.42169969"},
                                                {"84270.02", "0.00117646"},
                                                {"84270.03", "0.00124397"},
                                                {"84270.05", "0.00122284"},
                                                {"84270.26", "0.00108947"}});
    CHECK(levels_of(d->bids) == std::vector<Lv>{{"84270.00", "0.00638700"},
                                                {"84267.03", "0.00234800"},
                                                {"84264.15", "0.04789506"},
                                                {"84263.45", "0.04789506"},
                                                {"84263.40", "2.07853100"}});
}

TEST_CASE("wire: F6 kline frame decodes to the documented values", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::f6_kline_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@public.kline.v3.api.pb@BTCUSDT@Min1");
    CHECK(f.symbol == "BTCUSDT");
    CHECK(f.symbol_id == "2fb942154ef44a4ab2ef98c8afb6a4a7");
    CHECK(f.create_time == 1790281249008);
    CHECK(f.kind == BodyKind::public_spot_kline);
    auto k = decode_kline(f.body);
    REQUIRE(k);
    CHECK(k->interval == "Min1");
    CHECK(k->window_start == 1790281200);
    CHECK(k->opening_price == "84300.14");
    CHECK(k->closing_price == "84270");
    CHECK(k->highest_price == "84300.15");
    CHECK(k->lowest_price == "84270");
    CHECK(k->volume == "2.84044203");
    CHECK(k->amount == "239393.69");
    CHECK(k->window_end == 1790281260);
}

// ---- SPEC §11.4 self-encoded frames -------------------------------------------------------------

TEST_CASE("wire: S1 aggre depth frame decodes versions, an ask and a bid removal", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::s1_aggre_depth_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT");
    CHECK(f.symbol == "BTCUSDT");
    CHECK(f.send_time == 1736411507002);
    CHECK(f.kind == BodyKind::public_aggre_depths);
    auto d = decode_aggre_depth(f.body);
    REQUIRE(d);
    CHECK(d->event_type == "spot@public.aggre.depth.v3.api.pb@100ms");
    CHECK(d->from_version == 10589632359);
    CHECK(d->to_version == 10589632360);
    CHECK(d->last_order_create_time == 0);
    CHECK(levels_of(d->asks) == std::vector<Lv>{{"92877.59", "0.5"}});
    CHECK(levels_of(d->bids) == std::vector<Lv>{{"92877.58", "0"}});
}

TEST_CASE("wire: the test depth-frame encoder reproduces S1 byte for byte", "[unit][wire]") {
    // Pins tests/support/depth_frames against an independent encoding (protoc, SPEC §11.4).
    const std::string built = mexc::testing::aggre_depth_frame(
        "BTCUSDT", 10589632359, 10589632360, {{"92877.59", "0.5"}}, {{"92877.58", "0"}});
    CHECK(mexc::testing::to_hex(built) == mexc::testing::s1_aggre_depth_hex);
}

TEST_CASE("wire: S2 private order frame decodes every field", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::s2_private_order_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@private.orders.v3.api.pb");
    CHECK(f.symbol == "MXUSDT");
    CHECK(f.send_time == 1736417034281);
    CHECK(f.kind == BodyKind::private_orders);
    auto o = decode_private_order(f.body);
    REQUIRE(o);
    CHECK(o->id == "C02__505979017439002624115");
    CHECK(o->client_id == "my-order-1");
    CHECK(o->price == "3.5121");
    CHECK(o->quantity == "1");
    CHECK(o->amount == "0");
    CHECK(o->avg_price == "3.6962");
    CHECK(o->order_type == 5);
    CHECK(o->trade_type == 2);
    CHECK_FALSE(o->is_maker);
    CHECK(o->remain_amount == "0");
    CHECK(o->remain_quantity == "0");
    CHECK(o->has_last_deal_quantity);
    CHECK(o->last_deal_quantity == "1");
    CHECK(o->cumulative_quantity == "1");
    CHECK(o->cumulative_amount == "3.6962");
    CHECK(o->status == 2);
    CHECK(o->create_time == 1736417034259);
    CHECK(o->market.empty());
    CHECK(o->trigger_price.empty());
}

TEST_CASE("wire: S3 private deal frame decodes every field", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::s3_private_deal_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@private.deals.v3.api.pb");
    CHECK(f.symbol == "MXUSDT");
    CHECK(f.send_time == 1736417034332);
    CHECK(f.kind == BodyKind::private_deals);
    auto d = decode_private_deal(f.body);
    REQUIRE(d);
    CHECK(d->price == "3.6962");
    CHECK(d->quantity == "1");
    CHECK(d->amount == "3.6962");
    CHECK(d->trade_type == 2);
    CHECK_FALSE(d->is_maker);
    CHECK_FALSE(d->is_self_trade);
    CHECK(d->trade_id == "505979017439002624X1");
    CHECK(d->client_order_id.empty());
    CHECK(d->order_id == "C02__505979017439002624115");
    CHECK(d->fee_amount == "0.0003998377369698171");
    CHECK(d->fee_currency == "MX");
    CHECK(d->time == 1736417034280);
}

TEST_CASE("wire: S4 private account frame decodes every field", "[unit][wire]") {
    const std::string bytes = from_hex(mexc::testing::s4_private_account_hex);
    const PushFrame f = must_decode(bytes);
    CHECK(f.channel == "spot@private.account.v3.api.pb");
    CHECK(f.symbol.empty());
    CHECK(f.create_time == 1736417034305);
    CHECK(f.send_time == 1736417034307);
    CHECK(f.kind == BodyKind::private_account);
    auto a = decode_private_account(f.body);
    REQUIRE(a);
    CHECK(a->asset == "USDT");
    CHECK(a->coin_id == "128f589271cb4951b03e71e6323eb7be");
    CHECK(a->free == "21.94210356004384");
    CHECK(a->free_change == "10");
    CHECK(a->locked == "0");
    CHECK(a->locked_change == "0");
    CHECK(a->change_type == "CONTRACT_TRANSFER");
    CHECK(a->time == 1736416910000);
}

TEST_CASE("wire: every SPEC frame decodes the same as the protoc-generated parser",
          "[unit][wire]") {
    for (const auto& nf : mexc::testing::all_spec_frames) {
        INFO(nf.name);
        const std::string bytes = from_hex(nf.hex);
        PushDataV3ApiWrapper ref;
        REQUIRE(ref.ParseFromString(bytes));
        const PushFrame f = must_decode(bytes);
        CHECK(f.channel == ref.channel());
        CHECK(f.symbol == ref.symbol());
        CHECK(f.symbol_id == ref.symbolid());
        CHECK(f.create_time == ref.createtime());
        CHECK(f.send_time == ref.sendtime());
        CHECK(static_cast<int>(f.kind) == static_cast<int>(ref.body_case()));
        CHECK(decode_body(f));
    }
}

// ---- round trips against generated classes
// ---------------------------------------------------------

TEST_CASE("wire: 313 aggre depth round-trips through the generated classes",
          "[unit][wire][roundtrip]") {
    std::mt19937 rng(313);
    for (int iter = 0; iter < 50; ++iter) {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.aggre.depth.v3.api.pb@10ms@ETHUSDT");
        w.set_symbol("ETHUSDT");
        w.set_sendtime(1790000000000 + iter);
        auto* b = w.mutable_publicaggredepths();
        std::vector<Lv> asks, bids;
        const int na = static_cast<int>(rng() % 6), nb = static_cast<int>(rng() % 6);
        for (int i = 0; i < na; ++i) {
            Lv l{std::to_string(3000 + rng() % 100) + "." + std::to_string(rng() % 100),
                 std::to_string(rng() % 50)};
            auto* item = b->add_asks();
            item->set_price(l.price);
            item->set_quantity(l.quantity);
            asks.push_back(l);
        }
        for (int i = 0; i < nb; ++i) {
            Lv l{std::to_string(2900 + rng() % 100) + ".5", "0." + std::to_string(1 + rng() % 999)};
            auto* item = b->add_bids();
            item->set_price(l.price);
            item->set_quantity(l.quantity);
            bids.push_back(l);
        }
        const std::int64_t from = 1000000 + static_cast<std::int64_t>(rng() % 100000);
        const std::int64_t to = from + static_cast<std::int64_t>(rng() % 20);
        b->set_eventtype("spot@public.aggre.depth.v3.api.pb@10ms");
        b->set_fromversion(std::to_string(from));
        b->set_toversion(std::to_string(to));
        b->set_lastordercreatetime(1790000000123 + iter);
        const std::string bytes = serialize(w);

        const PushFrame f = must_decode(bytes);
        CHECK(f.channel == w.channel());
        CHECK(f.symbol == "ETHUSDT");
        CHECK(f.send_time == w.sendtime());
        REQUIRE(f.kind == BodyKind::public_aggre_depths);
        auto d = decode_aggre_depth(f.body);
        REQUIRE(d);
        CHECK(d->event_type == b->eventtype());
        CHECK(d->from_version == from);
        CHECK(d->to_version == to);
        CHECK(d->last_order_create_time == b->lastordercreatetime());
        CHECK(d->asks.size() == asks.size());
        CHECK(d->bids.size() == bids.size());
        CHECK(levels_of(d->asks) == asks);
        CHECK(levels_of(d->bids) == bids);
    }
}

TEST_CASE("wire: 314 aggre deals and 301 legacy deals round-trip", "[unit][wire][roundtrip]") {
    for (const bool aggre : {true, false}) {
        PushDataV3ApiWrapper w;
        w.set_channel(aggre ? "spot@public.aggre.deals.v3.api.pb@100ms@MXUSDT"
                            : "spot@public.deals.v3.api.pb@MXUSDT");
        w.set_symbol("MXUSDT");
        w.set_sendtime(1736417034111);
        if (aggre) {
            auto* b = w.mutable_publicaggredeals();
            b->set_eventtype("spot@public.aggre.deals.v3.api.pb@100ms");
            for (int i = 0; i < 3; ++i) {
                auto* d = b->add_deals();
                d->set_price("3.69" + std::to_string(i));
                d->set_quantity("1" + std::to_string(i) + ".5");
                d->set_tradetype(1 + i % 2);
                d->set_time(1736417034000 + i);
                d->set_tradeid("id-" + std::to_string(i));
            }
        } else {
            auto* b = w.mutable_publicdeals();
            b->set_eventtype("spot@public.deals.v3.api.pb");
            for (int i = 0; i < 3; ++i) {
                auto* d = b->add_deals();
                d->set_price("3.69" + std::to_string(i));
                d->set_quantity("1" + std::to_string(i) + ".5");
                d->set_tradetype(1 + i % 2);
                d->set_time(1736417034000 + i);
            }
        }
        const std::string bytes = serialize(w);
        const PushFrame f = must_decode(bytes);
        CHECK(f.kind == (aggre ? BodyKind::public_aggre_deals : BodyKind::public_deals));
        auto d = decode_deals(f.body);
        REQUIRE(d);
        CHECK(d->event_type ==
              (aggre ? w.publicaggredeals().eventtype() : w.publicdeals().eventtype()));
        std::vector<Deal> deals = collect(d->deals);
        REQUIRE(deals.size() == 3);
        for (int i = 0; i < 3; ++i) {
            CHECK(deals[i].price == "3.69" + std::to_string(i));
            CHECK(deals[i].quantity == "1" + std::to_string(i) + ".5");
            CHECK(deals[i].trade_type == 1 + i % 2);
            CHECK(deals[i].time == 1736417034000 + i);
            CHECK(deals[i].trade_id == (aggre ? "id-" + std::to_string(i) : std::string()));
        }
    }
}

TEST_CASE("wire: 303 limit depth round-trips", "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.limit.depth.v3.api.pb@BTCUSDT@10");
    w.set_symbol("BTCUSDT");
    w.set_sendtime(1790281247251);
    auto* b = w.mutable_publiclimitdepths();
    for (int i = 0; i < 10; ++i) {
        auto* a = b->add_asks();
        a->set_price("84270." + std::to_string(10 + i));
        a->set_quantity("0.0" + std::to_string(i + 1));
        auto* bid = b->add_bids();
        bid->set_price("84269." + std::to_string(99 - i));
        bid->set_quantity(std::to_string(i + 2));
    }
    b->set_eventtype("spot@public.limit.depth.v3.api.pb");
    b->set_version("82164155643");
    b->set_lastordercreatetime(1790281247239);
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    REQUIRE(f.kind == BodyKind::public_limit_depths);
    auto d = decode_limit_depth(f.body);
    REQUIRE(d);
    CHECK(d->event_type == b->eventtype());
    CHECK(d->version == 82164155643);
    CHECK(d->last_order_create_time == 1790281247239);
    const auto asks = levels_of(d->asks);
    const auto bids = levels_of(d->bids);
    REQUIRE(asks.size() == 10);
    REQUIRE(bids.size() == 10);
    for (int i = 0; i < 10; ++i) {
        CHECK(asks[i] == Lv{b->asks(i).price(), b->asks(i).quantity()});
        CHECK(bids[i] == Lv{b->bids(i).price(), b->bids(i).quantity()});
    }
}

TEST_CASE("wire: 315 aggre bookTicker and 305 legacy bookTicker round-trip",
          "[unit][wire][roundtrip]") {
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT");
        w.set_symbol("BTCUSDT");
        auto* b = w.mutable_publicaggrebookticker();
        b->set_bidprice("1.1");
        b->set_bidquantity("2.2");
        b->set_askprice("3.3");
        b->set_askquantity("4.4");
        b->set_version("55");
        b->set_lastordercreatetime(66);
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_aggre_book_ticker);
        auto t = decode_book_ticker(f.body);
        REQUIRE(t);
        CHECK(t->ticker.bid_price == "1.1");
        CHECK(t->ticker.bid_quantity == "2.2");
        CHECK(t->ticker.ask_price == "3.3");
        CHECK(t->ticker.ask_quantity == "4.4");
        CHECK(t->version == 55);
        CHECK(t->last_order_create_time == 66);
    }
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.bookTicker.v3.api.pb@BTCUSDT");
        auto* b = w.mutable_publicbookticker();
        b->set_bidprice("10.5");
        b->set_bidquantity("20");
        b->set_askprice("10.6");
        b->set_askquantity("30");
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_book_ticker);
        CHECK(f.symbol.empty());
        auto t = decode_book_ticker(f.body);
        REQUIRE(t);
        CHECK(t->ticker.bid_price == "10.5");
        CHECK(t->ticker.bid_quantity == "20");
        CHECK(t->ticker.ask_price == "10.6");
        CHECK(t->ticker.ask_quantity == "30");
        CHECK(t->version == 0);
        CHECK(t->last_order_create_time == 0);
    }
}

TEST_CASE("wire: 311 bookTicker batch round-trips", "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.bookTicker.batch.v3.api.pb@BTCUSDT");
    w.set_symbol("BTCUSDT");
    auto* b = w.mutable_publicbooktickerbatch();
    for (int i = 0; i < 4; ++i) {
        auto* t = b->add_items();
        t->set_bidprice("100." + std::to_string(i));
        t->set_bidquantity("1." + std::to_string(i));
        t->set_askprice("101." + std::to_string(i));
        t->set_askquantity("2." + std::to_string(i));
    }
    b->set_version("82164153436");
    b->set_lastordercreatetime(1790281240471);
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    REQUIRE(f.kind == BodyKind::public_book_ticker_batch);
    auto r = decode_book_ticker_batch(f.body);
    REQUIRE(r);
    CHECK(r->version == 82164153436);
    CHECK(r->last_order_create_time == 1790281240471);
    CHECK(r->items.size() == 4);
    int i = 0;
    for (const BookTicker t : r->items) {
        CHECK(t.bid_price == b->items(i).bidprice());
        CHECK(t.bid_quantity == b->items(i).bidquantity());
        CHECK(t.ask_price == b->items(i).askprice());
        CHECK(t.ask_quantity == b->items(i).askquantity());
        ++i;
    }
    CHECK(i == 4);
}

TEST_CASE("wire: 308 kline round-trips", "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@public.kline.v3.api.pb@BTCUSDT@Month1");
    w.set_symbol("BTCUSDT");
    w.set_symbolid("2fb942154ef44a4ab2ef98c8afb6a4a7");
    w.set_createtime(1790356766179);
    auto* k = w.mutable_publicspotkline();
    k->set_interval("Month1");
    k->set_windowstart(1788220800);
    k->set_openingprice("1.01");
    k->set_closingprice("1.02");
    k->set_highestprice("1.03");
    k->set_lowestprice("1.00");
    k->set_volume("123.456");
    k->set_amount("124.5");
    k->set_windowend(1790812800);
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    CHECK(f.symbol_id == "2fb942154ef44a4ab2ef98c8afb6a4a7");
    CHECK(f.create_time == 1790356766179);
    REQUIRE(f.kind == BodyKind::public_spot_kline);
    auto r = decode_kline(f.body);
    REQUIRE(r);
    CHECK(r->interval == "Month1");
    CHECK(r->window_start == 1788220800);
    CHECK(r->opening_price == "1.01");
    CHECK(r->closing_price == "1.02");
    CHECK(r->highest_price == "1.03");
    CHECK(r->lowest_price == "1.00");
    CHECK(r->volume == "123.456");
    CHECK(r->amount == "124.5");
    CHECK(r->window_end == 1790812800);
}

namespace {
void fill_mini_ticker(PublicMiniTickerV3Api& t, const std::string& sym) {
    t.set_symbol(sym);
    t.set_price("p" + sym);
    t.set_rate("0.01");
    t.set_zonedrate("0.02");
    t.set_high("h" + sym);
    t.set_low("l" + sym);
    t.set_volume("v" + sym);
    t.set_quantity("q" + sym);
    t.set_lastcloserate("0.03");
    t.set_lastclosezonedrate("0.04");
    t.set_lastclosehigh("lh");
    t.set_lastcloselow("ll");
}
void check_mini_ticker(const MiniTicker& m, const PublicMiniTickerV3Api& t) {
    CHECK(m.symbol == t.symbol());
    CHECK(m.price == t.price());
    CHECK(m.rate == t.rate());
    CHECK(m.zoned_rate == t.zonedrate());
    CHECK(m.high == t.high());
    CHECK(m.low == t.low());
    CHECK(m.volume == t.volume());
    CHECK(m.quantity == t.quantity());
    CHECK(m.last_close_rate == t.lastcloserate());
    CHECK(m.last_close_zoned_rate == t.lastclosezonedrate());
    CHECK(m.last_close_high == t.lastclosehigh());
    CHECK(m.last_close_low == t.lastcloselow());
}
}  // namespace

TEST_CASE("wire: 309 mini ticker and 310 mini tickers round-trip", "[unit][wire][roundtrip]") {
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.miniTicker.v3.api.pb@MXUSDT@UTC+8");
        w.set_symbol("MXUSDT");
        fill_mini_ticker(*w.mutable_publicminiticker(), "MXUSDT");
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_mini_ticker);
        auto m = decode_mini_ticker(f.body);
        REQUIRE(m);
        check_mini_ticker(*m, w.publicminiticker());
    }
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.miniTickers.v3.api.pb@UTC+8");
        auto* b = w.mutable_publicminitickers();
        for (const char* sym : {"BTCUSDT", "ETHUSDT", "MXUSDT"})
            fill_mini_ticker(*b->add_items(), sym);
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_mini_tickers);
        auto m = decode_mini_tickers(f.body);
        REQUIRE(m);
        CHECK(m->size() == 3);
        int i = 0;
        for (const MiniTicker t : *m) check_mini_ticker(t, b->items(i++));
        CHECK(i == 3);
    }
}

TEST_CASE("wire: 307 private account round-trips", "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@private.account.v3.api.pb");
    w.set_createtime(11);
    w.set_sendtime(12);
    auto* a = w.mutable_privateaccount();
    a->set_vcoinname("MX");
    a->set_coinid("0123456789abcdef0123456789abcdef");
    a->set_balanceamount("100.5");
    a->set_balanceamountchange("-0.5");
    a->set_frozenamount("3");
    a->set_frozenamountchange("0.5");
    a->set_type("ENTRUST_PLACE");
    a->set_time(1736416910001);
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    CHECK(f.create_time == 11);
    CHECK(f.send_time == 12);
    REQUIRE(f.kind == BodyKind::private_account);
    auto r = decode_private_account(f.body);
    REQUIRE(r);
    CHECK(r->asset == "MX");
    CHECK(r->coin_id == a->coinid());
    CHECK(r->free == "100.5");
    CHECK(r->free_change == "-0.5");
    CHECK(r->locked == "3");
    CHECK(r->locked_change == "0.5");
    CHECK(r->change_type == "ENTRUST_PLACE");
    CHECK(r->time == 1736416910001);
}

TEST_CASE("wire: 306 private deal round-trips with both booleans set", "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@private.deals.v3.api.pb");
    w.set_symbol("MXUSDT");
    auto* d = w.mutable_privatedeals();
    d->set_price("3.6962");
    d->set_quantity("2");
    d->set_amount("7.3924");
    d->set_tradetype(1);
    d->set_ismaker(true);
    d->set_isselftrade(true);
    d->set_tradeid("505979017439002624X2");
    d->set_clientorderid("cid-7");
    d->set_orderid("C02__1");
    d->set_feeamount("0.001");
    d->set_feecurrency("USDT");
    d->set_time(1736417034999);
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    REQUIRE(f.kind == BodyKind::private_deals);
    auto r = decode_private_deal(f.body);
    REQUIRE(r);
    CHECK(r->price == "3.6962");
    CHECK(r->quantity == "2");
    CHECK(r->amount == "7.3924");
    CHECK(r->trade_type == 1);
    CHECK(r->is_maker);
    CHECK(r->is_self_trade);
    CHECK(r->trade_id == "505979017439002624X2");
    CHECK(r->client_order_id == "cid-7");
    CHECK(r->order_id == "C02__1");
    CHECK(r->fee_amount == "0.001");
    CHECK(r->fee_currency == "USDT");
    CHECK(r->time == 1736417034999);
}

TEST_CASE("wire: 304 private order round-trips every field including the optional ones",
          "[unit][wire][roundtrip]") {
    PushDataV3ApiWrapper w;
    w.set_channel("spot@private.orders.v3.api.pb");
    w.set_symbol("MXUSDT");
    w.set_sendtime(1736417034281);
    auto* o = w.mutable_privateorders();
    o->set_id("C02__505979017439002624115");
    o->set_clientid("my-order-2");
    o->set_price("0.001053");
    o->set_quantity("2000");
    o->set_amount("0");
    o->set_avgprice("0.001007");
    o->set_ordertype(100);
    o->set_tradetype(1);
    o->set_ismaker(true);
    o->set_remainamount("0.092");
    o->set_remainquantity("0");
    o->set_lastdealquantity("2000");
    o->set_cumulativequantity("2000");
    o->set_cumulativeamount("2.014");
    o->set_status(2);
    o->set_createtime(1736417034259);
    o->set_market("MX_USDT");
    o->set_triggertype(1);
    o->set_triggerprice("0.0011");
    o->set_state(3);
    o->set_ocoid("oco-1");
    o->set_routefactor("rf");
    o->set_symbolid("sym-id");
    o->set_marketid("mkt-id");
    o->set_marketcurrencyid("mc-id");
    o->set_currencyid("c-id");
    const std::string wire_bytes = serialize(w);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    REQUIRE(f.kind == BodyKind::private_orders);
    auto r = decode_private_order(f.body);
    REQUIRE(r);
    CHECK(r->id == o->id());
    CHECK(r->client_id == o->clientid());
    CHECK(r->price == o->price());
    CHECK(r->quantity == o->quantity());
    CHECK(r->amount == o->amount());
    CHECK(r->avg_price == o->avgprice());
    CHECK(r->order_type == 100);
    CHECK(r->trade_type == 1);
    CHECK(r->is_maker);
    CHECK(r->remain_amount == o->remainamount());
    CHECK(r->remain_quantity == o->remainquantity());
    CHECK(r->has_last_deal_quantity);
    CHECK(r->last_deal_quantity == "2000");
    CHECK(r->cumulative_quantity == o->cumulativequantity());
    CHECK(r->cumulative_amount == o->cumulativeamount());
    CHECK(r->status == 2);
    CHECK(r->create_time == 1736417034259);
    CHECK(r->market == "MX_USDT");
    CHECK(r->trigger_type == 1);
    CHECK(r->trigger_price == "0.0011");
    CHECK(r->state == 3);
    CHECK(r->oco_id == "oco-1");
    CHECK(r->route_factor == "rf");
    CHECK(r->symbol_id == "sym-id");
    CHECK(r->market_id == "mkt-id");
    CHECK(r->market_currency_id == "mc-id");
    CHECK(r->currency_id == "c-id");
}

TEST_CASE("wire: 304 an explicitly empty optional lastDealQuantity is present, an unset one is not",
          "[unit][wire][roundtrip]") {
    for (const bool set : {true, false}) {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@private.orders.v3.api.pb");
        auto* o = w.mutable_privateorders();
        o->set_id("C02__1");
        o->set_status(1);
        if (set) o->set_lastdealquantity("");
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        auto r = decode_private_order(f.body);
        REQUIRE(r);
        CHECK(r->has_last_deal_quantity == set);
        CHECK(r->last_deal_quantity.empty());
    }
}

TEST_CASE("wire: 302 legacy increase depth and 312 batch round-trip", "[unit][wire][roundtrip]") {
    auto fill = [](PublicIncreaseDepthsV3Api& d, int v) {
        auto* a = d.add_asks();
        a->set_price("2." + std::to_string(v));
        a->set_quantity("1");
        auto* b = d.add_bids();
        b->set_price("1." + std::to_string(v));
        b->set_quantity("0");
        d.set_eventtype("spot@public.increase.depth.v3.api.pb");
        d.set_version(std::to_string(1000 + v));
    };
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.increase.depth.v3.api.pb@BTCUSDT");
        fill(*w.mutable_publicincreasedepths(), 7);
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_increase_depths);
        auto r = decode_increase_depth(f.body);
        REQUIRE(r);
        CHECK(r->version == 1007);
        CHECK(r->event_type == "spot@public.increase.depth.v3.api.pb");
        CHECK(levels_of(r->asks) == std::vector<Lv>{{"2.7", "1"}});
        CHECK(levels_of(r->bids) == std::vector<Lv>{{"1.7", "0"}});
    }
    {
        PushDataV3ApiWrapper w;
        w.set_channel("spot@public.increase.depth.batch.v3.api.pb@BTCUSDT");
        auto* b = w.mutable_publicincreasedepthsbatch();
        for (int v = 1; v <= 3; ++v) fill(*b->add_items(), v);
        b->set_eventtype("spot@public.increase.depth.batch.v3.api.pb");
        const std::string wire_bytes = serialize(w);  // the frame views into it
        const PushFrame f = must_decode(wire_bytes);
        REQUIRE(f.kind == BodyKind::public_increase_depths_batch);
        auto r = decode_increase_depth_batch(f.body);
        REQUIRE(r);
        CHECK(r->event_type == "spot@public.increase.depth.batch.v3.api.pb");
        CHECK(r->items.size() == 3);
        int v = 1;
        for (const IncreaseDepth d : r->items) {
            CHECK(d.version == 1000 + v);
            CHECK(levels_of(d.asks) == std::vector<Lv>{{"2." + std::to_string(v), "1"}});
            CHECK(levels_of(d.bids) == std::vector<Lv>{{"1." + std::to_string(v), "0"}});
            ++v;
        }
        CHECK(v == 4);
    }
}

TEST_CASE("wire: to_string names every body kind by its schema field name", "[unit][wire]") {
    const auto* desc = PushDataV3ApiWrapper::descriptor();
    for (int n = 301; n <= 315; ++n) {
        const auto* field = desc->FindFieldByNumber(n);
        REQUIRE(field != nullptr);
        CHECK(to_string(static_cast<BodyKind>(n)) == field->name());
    }
}

// ---- protocol faults --------------------------------------------------------------------------

TEST_CASE("P03 unknown wrapper fields (316, other wire types) are skipped and counted",
          "[unit][wire][P03]") {
    for (const auto& nf : mexc::testing::all_spec_frames) {
        INFO(nf.name);
        const std::string original = from_hex(nf.hex);
        ProtoWriter extra;
        extra.string_field(316, "future body")
            .varint_field(2, 42)
            .fixed32_field(7, 0xdeadbeef)
            .fixed64_field(1000, 0x0102030405060708ull)
            .string_field(536870911, "max field number");
        const std::string bytes = original + extra.bytes();
        const PushFrame a = must_decode(original);
        const PushFrame b = must_decode(bytes);
        CHECK(b.unknown_fields == 5);
        CHECK(a.unknown_fields == 0);
        CHECK(b.channel == a.channel);
        CHECK(b.symbol == a.symbol);
        CHECK(b.symbol_id == a.symbol_id);
        CHECK(b.create_time == a.create_time);
        CHECK(b.send_time == a.send_time);
        CHECK(b.kind == a.kind);
        CHECK(b.body == a.body);
        CHECK(decode_body(b));
        // The generated parser agrees that these are unknown, not errors.
        PushDataV3ApiWrapper ref;
        CHECK(ref.ParseFromString(bytes));
    }
}

TEST_CASE("P03 unknown fields inside bodies and items are skipped", "[unit][wire][P03]") {
    // S1's body with unknown fields appended to the body and inside a level.
    ProtoWriter level;
    level.string_field(1, "92877.59")
        .string_field(2, "0.5")
        .varint_field(3, 7)
        .string_field(9, "x");
    ProtoWriter body;
    body.string_field(1, level.bytes())
        .string_field(2, ProtoWriter().string_field(1, "92877.58").string_field(2, "0").bytes())
        .string_field(3, "spot@public.aggre.depth.v3.api.pb@100ms")
        .string_field(4, "10589632359")
        .string_field(5, "10589632360")
        .varint_field(7, 1)
        .string_field(100, "new 2027 field")
        .fixed64_field(101, 5);
    const std::string frame =
        mexc::testing::wrap_body("spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT", "BTCUSDT", 313,
                                 body.bytes(), 1736411507002);
    const PushFrame f = must_decode(frame);
    auto d = decode_aggre_depth(f.body);
    REQUIRE(d);
    CHECK(d->from_version == 10589632359);
    CHECK(d->to_version == 10589632360);
    CHECK(levels_of(d->asks) == std::vector<Lv>{{"92877.59", "0.5"}});
    CHECK(levels_of(d->bids) == std::vector<Lv>{{"92877.58", "0"}});

    // A private order with a field beyond 26.
    ProtoWriter order;
    order.string_field(1, "C02__9")
        .varint_field(15, 4)
        .string_field(27, "later")
        .varint_field(40, 1);
    auto o = decode_private_order(order.bytes());
    REQUIRE(o);
    CHECK(o->id == "C02__9");
    CHECK(o->status == 4);
}

TEST_CASE("P08 fields serialised in reverse order decode identically", "[unit][wire][P08]") {
    const std::string canonical = from_hex(mexc::testing::s1_aggre_depth_hex);
    ProtoWriter body;
    body.string_field(5, "10589632360")
        .string_field(4, "10589632359")
        .string_field(3, "spot@public.aggre.depth.v3.api.pb@100ms")
        .string_field(2, ProtoWriter().string_field(2, "0").string_field(1, "92877.58").bytes())
        .string_field(1, ProtoWriter().string_field(2, "0.5").string_field(1, "92877.59").bytes());
    ProtoWriter wrapper;
    wrapper.string_field(313, body.bytes())
        .varint_field(6, 1736411507002)
        .string_field(3, "BTCUSDT")
        .string_field(1, "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT");
    REQUIRE(wrapper.bytes() != canonical);

    const PushFrame a = must_decode(canonical);
    const PushFrame b = must_decode(wrapper.bytes());
    CHECK(b.channel == a.channel);
    CHECK(b.symbol == a.symbol);
    CHECK(b.send_time == a.send_time);
    CHECK(b.kind == a.kind);
    auto da = decode_aggre_depth(a.body);
    auto db = decode_aggre_depth(b.body);
    REQUIRE(da);
    REQUIRE(db);
    CHECK(db->from_version == da->from_version);
    CHECK(db->to_version == da->to_version);
    CHECK(db->event_type == da->event_type);
    CHECK(levels_of(db->asks) == levels_of(da->asks));
    CHECK(levels_of(db->bids) == levels_of(da->bids));

    // Asks and bids interleaved: order within each side is preserved.
    ProtoWriter mixed;
    mixed.string_field(2, ProtoWriter().string_field(1, "9").string_field(2, "1").bytes())
        .string_field(1, ProtoWriter().string_field(1, "11").string_field(2, "1").bytes())
        .string_field(5, "3")
        .string_field(2, ProtoWriter().string_field(1, "8").string_field(2, "2").bytes())
        .string_field(4, "2")
        .string_field(1, ProtoWriter().string_field(1, "12").string_field(2, "2").bytes());
    auto m = decode_aggre_depth(mixed.bytes());
    REQUIRE(m);
    CHECK(levels_of(m->asks) == std::vector<Lv>{{"11", "1"}, {"12", "2"}});
    CHECK(levels_of(m->bids) == std::vector<Lv>{{"9", "1"}, {"8", "2"}});
    CHECK(m->from_version == 2);
    CHECK(m->to_version == 3);
}

TEST_CASE("P08 private order fields in reverse order decode identically to S2",
          "[unit][wire][P08]") {
    const std::string wire_bytes =
        from_hex(mexc::testing::s2_private_order_hex);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    // Re-emit S2's body fields in reverse order with the generic reader.
    std::vector<ProtoField> fields;
    ProtoReader reader(f.body);
    ProtoField field;
    Errc e{};
    while (!reader.at_end()) {
        REQUIRE(reader.next(field, e));
        fields.push_back(field);
    }
    REQUIRE(fields.size() > 5);
    ProtoWriter reversed;
    for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
        if (it->type == WireType::varint)
            reversed.varint_field(it->number, it->varint);
        else
            reversed.string_field(it->number, it->bytes);
    }
    auto a = decode_private_order(f.body);
    auto b = decode_private_order(reversed.bytes());
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->id == a->id);
    CHECK(b->client_id == a->client_id);
    CHECK(b->price == a->price);
    CHECK(b->avg_price == a->avg_price);
    CHECK(b->order_type == a->order_type);
    CHECK(b->trade_type == a->trade_type);
    CHECK(b->last_deal_quantity == a->last_deal_quantity);
    CHECK(b->has_last_deal_quantity == a->has_last_deal_quantity);
    CHECK(b->cumulative_amount == a->cumulative_amount);
    CHECK(b->status == a->status);
    CHECK(b->create_time == a->create_time);
}

TEST_CASE("P02 every truncated prefix of a captured frame is rejected", "[unit][wire][P02]") {
    for (const auto& nf : mexc::testing::all_spec_frames) {
        const std::string bytes = from_hex(nf.hex);
        {
            INFO(nf.name << " complete");
            const PushFrame f = must_decode(bytes);
            CHECK(decode_body(f));
        }
        for (std::size_t len = 0; len < bytes.size(); ++len) {
            INFO(nf.name << " cut at " << len << " of " << bytes.size());
            auto r = decode_push(std::string_view(bytes).substr(0, len));
            const bool rejected = !r || !decode_body(*r);
            CHECK(rejected);
        }
    }
}

TEST_CASE("P02 a depth body truncated at any offset is rejected even inside a well-formed wrapper",
          "[unit][wire][P02]") {
    const std::string wire_bytes =
        from_hex(mexc::testing::s1_aggre_depth_hex);  // the frame views into it
    const PushFrame f = must_decode(wire_bytes);
    const std::string body(f.body);
    for (std::size_t len = 0; len < body.size(); ++len) {
        INFO("body cut at " << len);
        const std::string frame =
            mexc::testing::wrap_body(f.channel, f.symbol, 313, body.substr(0, len));
        auto w = decode_push(frame);
        REQUIRE(w);
        CHECK_FALSE(decode_aggre_depth(w->body));
    }
}

TEST_CASE("P12 a zero-length frame is rejected", "[unit][wire]") {
    auto r = decode_push(std::string_view{});
    REQUIRE_FALSE(r);
    CHECK(r.error().condition() == Condition::bad_data);
    CHECK(r.error().code() == Errc::missing_field);
}

TEST_CASE("wire: frames without channel or body, or with a mistyped field, are typed errors",
          "[unit][wire]") {
    {
        ProtoWriter w;  // body only
        w.string_field(313, mexc::testing::aggre_depth_body({}, {}, "1", "2"));
        auto r = decode_push(w.bytes());
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::missing_field);
    }
    {
        ProtoWriter w;  // channel only
        w.string_field(1, "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT")
            .string_field(3, "BTCUSDT");
        auto r = decode_push(w.bytes());
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::unknown_body);
    }
    {
        ProtoWriter w;  // channel sent as a varint
        w.varint_field(1, 5).string_field(313, "");
        auto r = decode_push(w.bytes());
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::bad_wire_type);
    }
    {
        ProtoWriter w;  // an unknown body number outside 301..315 is not a body
        w.string_field(1, "x").string_field(300, "").string_field(316, "");
        auto r = decode_push(w.bytes());
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::unknown_body);
    }
    {
        std::string bad_varint = "\x0a\x01x\x28";  // createTime varint that never ends
        bad_varint.append(10, '\xff');
        bad_varint.push_back('\x01');
        auto r = decode_push(bad_varint);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::malformed_varint);
    }
    {
        const std::string group = "\x0a\x01x\x0b";  // start-group wire type
        auto r = decode_push(group);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == Errc::bad_wire_type);
    }
}

TEST_CASE("P05 aggre depth versions that are not int64 decimal strings reject the frame",
          "[unit][wire][P05]") {
    for (const char* v : {"", "abc", "+1", "-1", "12345678901234567890", "1.0", " 1"}) {
        INFO("version \"" << v << "\"");
        auto from_bad = decode_aggre_depth(mexc::testing::aggre_depth_body({}, {}, v, "10"));
        REQUIRE_FALSE(from_bad);
        CHECK(from_bad.error().code() == Errc::bad_version);
        auto to_bad = decode_aggre_depth(mexc::testing::aggre_depth_body({}, {}, "10", v));
        REQUIRE_FALSE(to_bad);
        CHECK(to_bad.error().code() == Errc::bad_version);
    }
    auto reversed = decode_aggre_depth(mexc::testing::aggre_depth_body({}, {}, "11", "10"));
    REQUIRE_FALSE(reversed);
    CHECK(reversed.error().code() == Errc::bad_version);
    // A missing version is a missing field.
    ProtoWriter no_to;
    no_to.string_field(3, "e").string_field(4, "10");
    auto missing = decode_aggre_depth(no_to.bytes());
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == Errc::missing_field);
}

TEST_CASE("P01 random bytes never crash the decoders (seeded)", "[unit][wire][fuzz]") {
    std::mt19937_64 rng(0x5eed);
    std::string buf;
    std::size_t accepted = 0;
    for (int i = 0; i < 100000; ++i) {
        buf.resize(rng() % 256);
        for (auto& c : buf) c = static_cast<char>(rng());
        auto r = decode_push(buf);
        if (r) {
            ++accepted;
            CHECK_FALSE(r->channel.empty());
            CHECK(r->kind != BodyKind::none);
            (void)decode_body(*r);
        }
        // Every body decoder on the raw bytes too.
        (void)decode_aggre_depth(buf);
        (void)decode_limit_depth(buf);
        (void)decode_deals(buf);
        (void)decode_book_ticker(buf);
        (void)decode_book_ticker_batch(buf);
        (void)decode_kline(buf);
        (void)decode_mini_ticker(buf);
        (void)decode_mini_tickers(buf);
        (void)decode_private_account(buf);
        (void)decode_private_deal(buf);
        (void)decode_private_order(buf);
        (void)decode_increase_depth(buf);
        (void)decode_increase_depth_batch(buf);
    }
    SUCCEED("random frames accepted: " << accepted);
}

TEST_CASE("P01 mutated captured frames never crash and agree with the generated parser on validity",
          "[unit][wire][fuzz]") {
    std::mt19937_64 rng(0xF00D);
    // protoc's parser logs every invalid UTF-8 string it meets; keep the output readable.
    struct QuietProtobuf {
        google::protobuf::LogHandler* previous = google::protobuf::SetLogHandler(nullptr);
        ~QuietProtobuf() { google::protobuf::SetLogHandler(previous); }
    } quiet;
    for (const auto& nf : mexc::testing::all_spec_frames) {
        const std::string original = from_hex(nf.hex);
        for (int i = 0; i < 3000; ++i) {
            std::string bytes = original;
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int k = 0; k < flips; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
            auto r = decode_push(bytes);
            if (r) (void)decode_body(*r);
            // Whatever we accept as structurally valid protobuf, protoc's parser must accept too.
            PushDataV3ApiWrapper ref;
            if (r && decode_body(*r) && ref.ParseFromString(bytes)) {
                CHECK(r->channel == ref.channel());
            }
        }
    }
}
