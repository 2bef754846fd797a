// Public topic names (include/mexc/topic.hpp) against the templates and examples of SPEC §7.4 and
// the kline tokens of §4.5; topic::parse accepts exactly those names.

#include "mexc/topic.hpp"

#include <catch2/catch.hpp>

#include "support/catch_result.hpp"

#include <string>
#include <vector>

using namespace mexc;
using topic::DepthLevels;
using topic::KlineInterval;
using topic::Speed;
using topic::TimeZone;

namespace {

std::string name(const Result<Topic>& t) {
    REQUIRE(t);
    return t->name();
}

bool refused(std::string_view text) {
    auto t = topic::parse(text);
    if (t) return false;
    return t.error().condition() == Condition::rejected &&
           t.error().code() == make_error_code(Errc::invalid_argument);
}

}  // namespace

TEST_CASE("topic builders make the SPEC 7.4 examples", "[unit][topic]") {
    CHECK(name(topic::aggre_deals("BTCUSDT", Speed::ms100)) ==
          "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT");
    CHECK(name(topic::kline("BTCUSDT", KlineInterval::min15)) ==
          "spot@public.kline.v3.api.pb@BTCUSDT@Min15");
    CHECK(name(topic::aggre_depth("BTCUSDT", Speed::ms10)) ==
          "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT");
    CHECK(name(topic::limit_depth("BTCUSDT", DepthLevels::five)) ==
          "spot@public.limit.depth.v3.api.pb@BTCUSDT@5");
    CHECK(name(topic::limit_depth("BTCUSDT", DepthLevels::ten)) ==
          "spot@public.limit.depth.v3.api.pb@BTCUSDT@10");
    CHECK(name(topic::limit_depth("BTCUSDT", DepthLevels::twenty)) ==
          "spot@public.limit.depth.v3.api.pb@BTCUSDT@20");
    CHECK(name(topic::aggre_book_ticker("BTCUSDT", Speed::ms100)) ==
          "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT");
    CHECK(name(topic::book_ticker_batch("BTCUSDT")) ==
          "spot@public.bookTicker.batch.v3.api.pb@BTCUSDT");
    CHECK(name(topic::mini_ticker("MXUSDT", TimeZone::utc_p8)) ==
          "spot@public.miniTicker.v3.api.pb@MXUSDT@UTC+8");
    CHECK(topic::mini_tickers(TimeZone::utc_p8).name() ==
          "spot@public.miniTickers.v3.api.pb@UTC+8");
}

TEST_CASE("topic builders carry the channel", "[unit][topic]") {
    CHECK(topic::aggre_deals("BTCUSDT", Speed::ms10)->channel() == topic::Channel::aggre_deals);
    CHECK(topic::aggre_depth("BTCUSDT", Speed::ms10)->channel() == topic::Channel::aggre_depth);
    CHECK(topic::kline("BTCUSDT", KlineInterval::day1)->channel() == topic::Channel::kline);
    CHECK(topic::mini_tickers(TimeZone::h24).channel() == topic::Channel::mini_tickers);
}

TEST_CASE("every WebSocket kline interval of SPEC 4.5", "[unit][topic]") {
    const std::vector<std::pair<KlineInterval, std::string>> all{
        {KlineInterval::min1, "Min1"},   {KlineInterval::min5, "Min5"},
        {KlineInterval::min15, "Min15"}, {KlineInterval::min30, "Min30"},
        {KlineInterval::min60, "Min60"}, {KlineInterval::hour4, "Hour4"},
        {KlineInterval::hour8, "Hour8"}, {KlineInterval::day1, "Day1"},
        {KlineInterval::week1, "Week1"}, {KlineInterval::month1, "Month1"}};
    for (const auto& [interval, token] : all) {
        CHECK(topic::to_string(interval) == token);
        const auto made = name(topic::kline("ETHUSDT", interval));
        CHECK(made == "spot@public.kline.v3.api.pb@ETHUSDT@" + token);
        CHECK(name(topic::parse(made)) == made);
    }
}

TEST_CASE("every time zone of SPEC 7.4", "[unit][topic]") {
    const std::vector<std::string> zones{"24H",      "UTC-10", "UTC-8",  "UTC-7",     "UTC-6",
                                         "UTC-5",    "UTC-4",  "UTC-3",  "UTC+0",     "UTC+1",
                                         "UTC+2",    "UTC+3",  "UTC+4",  "UTC+4:30",  "UTC+5",
                                         "UTC+5:30", "UTC+6",  "UTC+7",  "UTC+8",     "UTC+9",
                                         "UTC+10",   "UTC+11", "UTC+12", "UTC+12:45", "UTC+13"};
    REQUIRE(zones.size() == 25);
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const auto tz = static_cast<TimeZone>(i);
        CHECK(topic::to_string(tz) == zones[i]);
        CHECK(topic::mini_tickers(tz).name() == "spot@public.miniTickers.v3.api.pb@" + zones[i]);
        const auto one = name(topic::mini_ticker("MXUSDT", tz));
        CHECK(one == "spot@public.miniTicker.v3.api.pb@MXUSDT@" + zones[i]);
        CHECK(name(topic::parse(one)) == one);
    }
}

TEST_CASE("builders refuse a symbol that is not upper-case", "[unit][topic]") {
    for (std::string_view bad : {"", "btcusdt", "BTC-USDT", "BTC@USDT", "BTC USDT", "BTCUSDt",
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}) {
        INFO(bad);
        auto t = topic::aggre_depth(bad, Speed::ms10);
        REQUIRE_FALSE(t);
        CHECK(t.error().condition() == Condition::rejected);
        CHECK(t.error().code() == make_error_code(Errc::invalid_argument));
        CHECK_FALSE(topic::book_ticker_batch(bad));
        CHECK_FALSE(topic::mini_ticker(bad, TimeZone::h24));
    }
    CHECK(topic::aggre_deals("1INCHUSDT", Speed::ms10));  // digits are symbols too
}

TEST_CASE("parse accepts every name the builders make and gives the same topic", "[unit][topic]") {
    for (const char* text : {
             "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT",
             "spot@public.aggre.deals.v3.api.pb@10ms@ETHUSDT",
             "spot@public.kline.v3.api.pb@BTCUSDT@Min15",
             "spot@public.aggre.depth.v3.api.pb@10ms@BTCUSDT",
             "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT",
             "spot@public.limit.depth.v3.api.pb@BTCUSDT@5",
             "spot@public.limit.depth.v3.api.pb@BTCUSDT@20",
             "spot@public.aggre.bookTicker.v3.api.pb@100ms@BTCUSDT",
             "spot@public.bookTicker.batch.v3.api.pb@BTCUSDT",
             "spot@public.miniTicker.v3.api.pb@MXUSDT@UTC+8",
             "spot@public.miniTickers.v3.api.pb@UTC+8",
             "spot@public.miniTickers.v3.api.pb@24H",
         }) {
        INFO(text);
        CHECK(name(topic::parse(text)) == text);
    }
    CHECK(topic::parse("spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT").value() ==
          topic::aggre_deals("BTCUSDT", Speed::ms100).value());
    CHECK(topic::parse("spot@public.limit.depth.v3.api.pb@BTCUSDT@10")->channel() ==
          topic::Channel::limit_depth);
}

TEST_CASE("parse refuses what the grammar does not allow", "[unit][topic]") {
    // Empty and malformed.
    CHECK(refused(""));
    CHECK(refused("spot"));
    CHECK(refused("spot@"));
    CHECK(refused("@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"));
    CHECK(refused("SPOT@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"));
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT@"));
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT@X"));
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@100ms"));
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@@BTCUSDT"));
    CHECK(refused(" spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT"));
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT "));
    // Speed, symbol, order of the parts.
    CHECK(refused("spot@public.aggre.deals.v3.api.pb@50ms@BTCUSDT"));
    CHECK(refused("spot@public.aggre.depth.v3.api.pb@100MS@BTCUSDT"));
    CHECK(refused("spot@public.aggre.depth.v3.api.pb@BTCUSDT@100ms"));
    CHECK(refused("spot@public.aggre.bookTicker.v3.api.pb@100ms@btcusdt"));
    // Kline intervals: the REST tokens and wrong case are not WebSocket tokens.
    CHECK(refused("spot@public.kline.v3.api.pb@BTCUSDT@15m"));
    CHECK(refused("spot@public.kline.v3.api.pb@BTCUSDT@min15"));
    CHECK(refused("spot@public.kline.v3.api.pb@BTCUSDT@Min2"));
    CHECK(refused("spot@public.kline.v3.api.pb@BTCUSDT"));
    // Limit depth: N in {5, 10, 20} only.
    CHECK(refused("spot@public.limit.depth.v3.api.pb@BTCUSDT@15"));
    CHECK(refused("spot@public.limit.depth.v3.api.pb@BTCUSDT@05"));
    CHECK(refused("spot@public.limit.depth.v3.api.pb@BTCUSDT"));
    // Book ticker batch takes no speed.
    CHECK(refused("spot@public.bookTicker.batch.v3.api.pb@100ms@BTCUSDT"));
    // Mini tickers: the time zone is mandatory and listed.
    CHECK(refused("spot@public.miniTicker.v3.api.pb@MXUSDT"));
    CHECK(refused("spot@public.miniTicker.v3.api.pb@MXUSDT@UTC+14"));
    CHECK(refused("spot@public.miniTicker.v3.api.pb@MXUSDT@utc+8"));
    CHECK(refused("spot@public.miniTickers.v3.api.pb"));
    CHECK(refused("spot@public.miniTickers.v3.api.pb@UTC+8@BTCUSDT"));
    CHECK(refused("spot@public.miniTickers.v3.api.pb@UTC+4:45"));
    // Legacy JSON channels (SPEC 7.7), obsolete protobuf ones (7.6), private ones (7.5).
    CHECK(refused("spot@public.deals.v3.api@BTCUSDT"));
    CHECK(refused("spot@public.kline.v3.api@BTCUSDT@Min15"));
    CHECK(refused("spot@public.increase.depth.v3.api.pb@BTCUSDT"));
    CHECK(refused("spot@public.bookTicker.v3.api.pb@BTCUSDT"));
    CHECK(refused("spot@private.deals.v3.api.pb"));
    CHECK(refused("spot@private.orders.v3.api.pb"));
}
