// Subscriptions with answers over real sockets against the embedded sandbox, each checked against
// the sandbox's own subscription state (Sandbox::subscribed_topics, SandboxStats): a Blocked topic
// among accepted ones fails alone and is never resubscribed (E16); unsubscribing waits for the
// venue's answer and stops the pushes; unsubscribe_book frees its book; no answer is a typed
// timeout; no data is a typed no_data; a subscribe/unsubscribe storm through reconnects ends with
// the venue holding exactly what the client wants (C09).

#include "sandbox.hpp"
#include "support/catch_result.hpp"
#include "support/run.hpp"
#include "support/sandbox_config.hpp"
#include "support/sandbox_exchange.hpp"

#include "mexc/exchange.hpp"
#include "mexc/frame_subscription.hpp"
#include "mexc/topic.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using mexc::testing::config_for;
using mexc::testing::run;
using mexc::testing::run_until;

namespace {

using mexc::topic::Speed;

std::string depth(std::string_view symbol) {
    return "spot@public.aggre.depth.v3.api.pb@10ms@" + std::string(symbol);
}
mexc::Topic deals(std::string_view symbol) {
    return mexc::topic::aggre_deals(symbol, Speed::ms10).value();
}

struct Fixture : mexc::testing::SandboxExchange {
    using SandboxExchange::SandboxExchange;
    std::vector<std::string> venue_topics() const { return sandbox.subscribed_topics(); }
};

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

TEST_CASE("E16 a Blocked topic fails alone, names itself and is not resubscribed after a reconnect",
          "[integration][subscriptions][E16]") {
    mexc::sandbox::SandboxOptions options;
    options.ws_max_topics = 2;  // the third topic on a connection is answered "Blocked!"
    Fixture f(options);
    auto btc = run(f.ioc, f.exchange->subscribe_book("BTCUSDT"));
    REQUIRE(btc);
    auto eth = run(f.ioc, f.exchange->subscribe_book("ETHUSDT"));
    REQUIRE(eth);
    auto sol = run(f.ioc, f.exchange->subscribe_book("SOLUSDT"));
    REQUIRE_FALSE(sol);
    CHECK(sol.error().condition() == mexc::Condition::rejected);
    CHECK(sol.error().code() == mexc::Errc::subscription_rejected);
    CHECK(sol.error().venue_message() == depth("SOLUSDT"));
    CHECK(f.sandbox.stats().ws_topics_rejected == 1);
    CHECK(btc->is_live());
    CHECK(eth->is_live());
    // Asking again gives the same answer without asking the venue again.
    auto again = run(f.ioc, f.exchange->subscribe_book("SOLUSDT"));
    REQUIRE_FALSE(again);
    CHECK(again.error().code() == mexc::Errc::subscription_rejected);
    CHECK(f.sandbox.stats().ws_topics_rejected == 1);

    // The venue drops the connection: the accepted topics come back, the refused one is not asked.
    const auto connects = f.exchange->metrics().connects;
    f.sandbox.drop_connections();
    run_until(f.ioc, [&] { return f.exchange->metrics().connects == connects + 1; });
    run_until(f.ioc, [&] { return btc->is_live() && eth->is_live(); });
    CHECK(f.venue_topics() == sorted({depth("BTCUSDT"), depth("ETHUSDT")}));
    CHECK(f.sandbox.stats().ws_topics_rejected == 1);
    f.ioc.restart();
    f.ioc.run_for(300ms);
    CHECK(f.sandbox.stats().ws_topics_rejected == 1);
}

TEST_CASE("E16 a frame subscription goes on with its accepted topics and reports the refused one",
          "[integration][subscriptions][frames][E16]") {
    Fixture f;
    // The sandbox refuses topics of symbols it does not list, as MEXC does.
    auto sub = run(f.ioc, f.exchange->subscribe_frames({deals("BTCUSDT"), deals("NOPEUSDT")}));
    REQUIRE(sub);
    CHECK(f.venue_topics() == std::vector<std::string>{deals("BTCUSDT").name()});
    std::optional<mexc::Error> refusal;
    std::size_t frames = 0;
    while (!refusal || frames == 0) {
        auto next = run(f.ioc, sub->next(), 5s);
        if (next) {
            CHECK(next->topic->name() == deals("BTCUSDT").name());
            ++frames;
        } else {
            REQUIRE_FALSE(refusal);  // reported once
            refusal = next.error();
        }
    }
    CHECK(refusal->code() == mexc::Errc::subscription_rejected);
    CHECK(refusal->venue_message() == deals("NOPEUSDT").name());

    // Every topic refused: the call fails, naming them, and nothing stays subscribed.
    auto none = run(f.ioc, f.exchange->subscribe_frames({deals("NOPEUSDT"), deals("NONEUSDT")}));
    REQUIRE_FALSE(none);
    CHECK(none.error().condition() == mexc::Condition::rejected);
    CHECK(none.error().code() == mexc::Errc::subscription_rejected);
    CHECK(none.error().venue_message() ==
          deals("NONEUSDT").name() + "," + deals("NOPEUSDT").name());
    CHECK(f.venue_topics() == std::vector<std::string>{deals("BTCUSDT").name()});
}

TEST_CASE("unsubscribe waits for the venue's answer and the pushes stop",
          "[integration][subscriptions][frames][C09]") {
    Fixture f;
    auto keep = run(f.ioc, f.exchange->subscribe_frames({deals("BTCUSDT")}));
    REQUIRE(keep);
    auto go = run(f.ioc, f.exchange->subscribe_frames({deals("ETHUSDT")}));
    REQUIRE(go);
    CHECK(f.venue_topics() == sorted({deals("BTCUSDT").name(), deals("ETHUSDT").name()}));
    REQUIRE(run(f.ioc, go->next(), 5s));
    const auto messages = f.sandbox.stats().ws_client_messages;
    REQUIRE(run(f.ioc, go->unsubscribe()));
    // Answered: the venue has already forgotten the topic, and said so after its last push.
    CHECK(f.sandbox.stats().ws_client_messages == messages + 1);
    CHECK(f.venue_topics() == std::vector<std::string>{deals("BTCUSDT").name()});
    const auto unrouted = f.exchange->metrics().unrouted_frames;
    const auto frames = f.exchange->metrics().frames;
    f.ioc.restart();
    f.ioc.run_for(300ms);
    CHECK(f.exchange->metrics().unrouted_frames == unrouted);  // nothing more for ETHUSDT
    CHECK(f.exchange->metrics().frames > frames);              // BTCUSDT goes on
    REQUIRE(run(f.ioc, keep->next(), 5s));
    // An emptied handle has nothing to unsubscribe.
    auto twice = run(f.ioc, go->unsubscribe());
    REQUIRE_FALSE(twice);
    CHECK(twice.error().condition() == mexc::Condition::closed);
}

TEST_CASE("unsubscribe_book frees the book: book() is not_subscribed and the venue drops the topic",
          "[integration][subscriptions][book]") {
    Fixture f;
    auto btc = run(f.ioc, f.exchange->subscribe_book("BTCUSDT"));
    REQUIRE(btc);
    auto eth = run(f.ioc, f.exchange->subscribe_book("ETHUSDT"));
    REQUIRE(eth);
    REQUIRE(eth->book().bid_depth() > 0);
    CHECK(f.venue_topics() == sorted({depth("BTCUSDT"), depth("ETHUSDT")}));

    REQUIRE(run(f.ioc, f.exchange->unsubscribe_book("ETHUSDT")));
    CHECK(f.venue_topics() == std::vector<std::string>{depth("BTCUSDT")});
    auto gone = f.exchange->book("ETHUSDT");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code() == mexc::Errc::not_subscribed);
    // The old view reads an empty book that is not Live, never freed memory.
    CHECK(eth->state() == mexc::BookState::resyncing);
    CHECK(eth->book().bid_depth() == 0);
    CHECK(eth->book().ask_depth() == 0);
    CHECK_FALSE(eth->best_bid());
    auto twice = run(f.ioc, f.exchange->unsubscribe_book("ETHUSDT"));
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code() == mexc::Errc::not_subscribed);
    // It stays removed: no reconnect, no late answer brings it back.
    f.ioc.restart();
    f.ioc.run_for(300ms);
    CHECK(eth->state() == mexc::BookState::resyncing);
    CHECK(btc->is_live());

    // The freed storage serves the next symbol; the old view says which book it reads.
    auto sol = run(f.ioc, f.exchange->subscribe_book("SOLUSDT"));
    REQUIRE(sol);
    CHECK(sol->is_live());
    CHECK(eth->symbol() == "SOLUSDT");
    CHECK(f.venue_topics() == sorted({depth("BTCUSDT"), depth("SOLUSDT")}));
    // And the removed symbol can come back.
    auto back = run(f.ioc, f.exchange->subscribe_book("ETHUSDT"));
    REQUIRE(back);
    CHECK(back->is_live());
    CHECK(f.venue_topics() == sorted({depth("BTCUSDT"), depth("ETHUSDT"), depth("SOLUSDT")}));
}

TEST_CASE("a topic the venue never answers is a typed timeout naming it",
          "[integration][subscriptions][E16]") {
    Fixture f({}, [](mexc::Config& c) { c.timeouts.subscribe = 500ms; });
    f.sandbox.faults().ignore_subscriptions("ETHUSDT");
    auto frames = run(f.ioc, f.exchange->subscribe_frames({deals("ETHUSDT")}));
    REQUIRE_FALSE(frames);
    CHECK(frames.error().condition() == mexc::Condition::network);
    CHECK(frames.error().code() == mexc::Errc::timeout);
    CHECK(frames.error().venue_message() == deals("ETHUSDT").name());
    auto book = run(f.ioc, f.exchange->subscribe_book("ETHUSDT"));
    REQUIRE_FALSE(book);
    CHECK(book.error().code() == mexc::Errc::timeout);
    CHECK(book.error().venue_message() == depth("ETHUSDT"));
    CHECK(f.sandbox.stats().ws_subscriptions_ignored == 2);
    CHECK(f.venue_topics().empty());
    // Another symbol on the same connection is answered as usual.
    auto btc = run(f.ioc, f.exchange->subscribe_book("BTCUSDT"));
    REQUIRE(btc);
    CHECK(btc->is_live());
}

TEST_CASE("an accepted topic without data past the first-data deadline is a typed no_data",
          "[integration][subscriptions][frames]") {
    mexc::sandbox::SandboxOptions options;
    options.scripted = true;  // nothing trades, nothing is pushed
    Fixture f(options, [](mexc::Config& c) {
        c.first_data_timeout = 300ms;
        c.stale_after = 200ms;  // the watchdog looks every 50 ms
    });
    const auto start = std::chrono::steady_clock::now();
    auto sub = run(f.ioc, f.exchange->subscribe_frames({deals("BTCUSDT")}));
    REQUIRE(sub);
    auto next = run(f.ioc, sub->next(), 5s);
    REQUIRE_FALSE(next);
    CHECK(std::chrono::steady_clock::now() - start >= 300ms);
    CHECK(next.error().condition() == mexc::Condition::network);
    CHECK(next.error().code() == mexc::Errc::no_data);
    CHECK(next.error().venue_message() == deals("BTCUSDT").name());
    // Still subscribed: data may yet come.
    CHECK(f.venue_topics() == std::vector<std::string>{deals("BTCUSDT").name()});
}

TEST_CASE("C09 a subscribe/unsubscribe storm through reconnects ends with the venue holding intent",
          "[integration][subscriptions][frames][C09]") {
    Fixture f;
    std::vector<mexc::Topic> topics;
    for (const char* s : {"BTCUSDT", "ETHUSDT", "SOLUSDT", "MXUSDT"}) {
        topics.push_back(deals(s));
        topics.push_back(mexc::topic::aggre_depth(s, Speed::ms10).value());
        topics.push_back(mexc::topic::aggre_book_ticker(s, Speed::ms10).value());
    }
    std::map<std::string, mexc::FrameSubscription> held;
    std::mt19937 rng(7);
    for (int round = 0; round < 60; ++round) {
        const auto& t = topics[rng() % topics.size()];
        if (auto it = held.find(t.name()); it != held.end()) {
            held.erase(it);  // unsubscribes without waiting
            if (rng() % 2 == 0) {
                // ... and at once again, while the UNSUBSCRIPTION is unanswered.
                auto sub = run(f.ioc, f.exchange->subscribe_frames({t}));
                REQUIRE(sub);
                held.emplace(t.name(), std::move(*sub));
            }
        } else {
            auto sub = run(f.ioc, f.exchange->subscribe_frames({t}));
            REQUIRE(sub);
            held.emplace(t.name(), std::move(*sub));
        }
        if (round % 7 == 3) f.sandbox.drop_connections();
    }
    std::vector<std::string> intent;
    for (const auto& [name, sub] : held) intent.push_back(name);
    run_until(f.ioc, [&] { return f.venue_topics() == intent; });
    // And it stays so: no late answer or replay revives a removed topic.
    f.ioc.restart();
    f.ioc.run_for(500ms);
    CHECK(f.venue_topics() == intent);
    CHECK(f.exchange->metrics().connects >= 3);  // the storm went through reconnects
}
