// Matching the venue's subscription answers to requests (src/ws/subscription_acks.hpp, SPEC §7.3):
// by the echoed id, by the listed topics when the id is 0 or unknown, a refusal naming only some
// topics of a request, the duplicate answer msg:"", answers split over frames, and late or foreign
// answers settling nothing.

#include "ws/subscription_acks.hpp"

#include "wire/json.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using mexc::ws::AckMatcher;
using mexc::ws::TopicAnswer;
using mexc::ws::Verb;

namespace {

struct Seen {
    std::uint64_t request;
    Verb verb;
    bool accepted;
    std::string topic;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> feed(AckMatcher& m, mexc::wire::JsonReader& json, std::string_view text) {
    auto frame = json.control_frame(text);
    REQUIRE(frame.has_value());
    std::vector<Seen> out;
    m.answer(*frame, [&](const TopicAnswer& a) {
        out.push_back({a.request, a.verb, a.accepted, std::string(a.topic)});
    });
    return out;
}

const std::string a = "spot@public.aggre.deals.v3.api.pb@100ms@BTCUSDT";
const std::string b = "spot@public.aggre.depth.v3.api.pb@100ms@BTCUSDT";
const std::string c = "spot@public.kline.v3.api@BTCUSDT@Min1";

}  // namespace

TEST_CASE("acks: the echoed id chooses the request and msg lists its topics", "[unit][ws][acks]") {
    AckMatcher m;
    mexc::wire::JsonReader json;
    const std::vector<std::string> both{a, b};
    const auto first = m.sent(Verb::subscribe, both);
    const auto second = m.sent(Verb::subscribe, std::vector<std::string>{a});
    CHECK(first != 0);
    CHECK(second != first);
    // The second request's answer, by id, settles the second request only.
    auto seen =
        feed(m, json, R"({"id":)" + std::to_string(second) + R"(,"code":0,"msg":")" + a + R"("})");
    CHECK(seen == std::vector<Seen>{{second, Verb::subscribe, true, a}});
    CHECK(m.pending(first));
    CHECK_FALSE(m.pending(second));
    seen =
        feed(m, json,
             R"({"id":)" + std::to_string(first) + R"(,"code":0,"msg":")" + a + "," + b + R"("})");
    CHECK(seen ==
          std::vector<Seen>{{first, Verb::subscribe, true, a}, {first, Verb::subscribe, true, b}});
    CHECK(m.outstanding() == 0);
}

TEST_CASE("acks: a Blocked answer refuses only the topics it lists [E16]",
          "[unit][ws][acks][E16][P10]") {
    AckMatcher m;
    mexc::wire::JsonReader json;
    const auto id = m.sent(Verb::subscribe, std::vector<std::string>{a, c});
    // The real text: two spaces, a full-width colon, a trailing space (SPEC §7.3, §11.5).
    auto seen = feed(m, json,
                     R"({"id":)" + std::to_string(id) +
                         R"(,"code":0,"msg":"Not Subscribed successfully! [)" + c +
                         "].  Reason\xEF\xBC\x9A Blocked! \"}");
    CHECK(seen == std::vector<Seen>{{id, Verb::subscribe, false, c}});
    CHECK(m.pending(id));  // `a` still waits
    seen = feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":")" + a + R"("})");
    CHECK(seen == std::vector<Seen>{{id, Verb::subscribe, true, a}});
    CHECK_FALSE(m.pending(id));
}

TEST_CASE("acks: without a usable id the listed topics choose the oldest request waiting",
          "[unit][ws][acks]") {
    AckMatcher m;
    mexc::wire::JsonReader json;
    const auto sub = m.sent(Verb::subscribe, std::vector<std::string>{a});
    const auto unsub = m.sent(Verb::unsubscribe, std::vector<std::string>{b});
    // id 0 (the docs' examples) and an id never sent are both matched by topic.
    auto seen = feed(m, json, R"({"id":0,"code":0,"msg":")" + b + R"("})");
    CHECK(seen == std::vector<Seen>{{unsub, Verb::unsubscribe, true, b}});
    seen = feed(m, json, R"({"id":999,"code":0,"msg":")" + a + R"("})");
    CHECK(seen == std::vector<Seen>{{sub, Verb::subscribe, true, a}});
    CHECK(m.outstanding() == 0);
}

TEST_CASE("acks: msg \"\" settles what a subscription still waits for", "[unit][ws][acks]") {
    AckMatcher m;
    mexc::wire::JsonReader json;
    const auto id = m.sent(Verb::subscribe, std::vector<std::string>{a, b});
    auto seen =
        feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":")" + a + R"("})");
    REQUIRE(seen.size() == 1);
    seen = feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":""})");
    CHECK(seen == std::vector<Seen>{{id, Verb::subscribe, true, b}});
    CHECK(m.outstanding() == 0);
}

TEST_CASE("acks: answers to nothing asked, repeated answers, PONG and a reset settle nothing",
          "[unit][ws][acks][C09]") {
    AckMatcher m;
    mexc::wire::JsonReader json;
    const auto id = m.sent(Verb::subscribe, std::vector<std::string>{a});
    CHECK(feed(m, json, R"({"id":0,"code":0,"msg":"PONG"})").empty());
    // The id names the request, which never asked for b.
    CHECK(feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":")" + b + R"("})")
              .empty());
    CHECK(m.pending(id));
    CHECK(feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":")" + a + R"("})")
              .size() == 1);
    // Answered once: the same answer again is late and settles nothing.
    CHECK(feed(m, json, R"({"id":)" + std::to_string(id) + R"(,"code":0,"msg":")" + a + R"("})")
              .empty());
    // The connection went: what was sent on it is forgotten, its late answers settle nothing.
    const auto lost = m.sent(Verb::subscribe, std::vector<std::string>{b});
    m.reset();
    CHECK_FALSE(m.pending(lost));
    CHECK(feed(m, json, R"({"id":)" + std::to_string(lost) + R"(,"code":0,"msg":")" + b + R"("})")
              .empty());
}
