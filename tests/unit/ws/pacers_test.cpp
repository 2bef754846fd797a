// The sans-io pacers of the public connections (SPEC §6.2): client messages per connection in any
// second, and the spacing of new connections.

#include "ws/public_stream.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using mexc::ws::ConnectPacer;
using mexc::ws::MessagePacer;

TEST_CASE("E06 the message pacer never lets more than its limit out in any one second",
          "[unit][ws][pacing][E06]") {
    MessagePacer pacer(3);
    auto t = MessagePacer::Clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(pacer.wait(t) == 0ns);
        pacer.record(t);
        t += 100ms;
    }
    // Three went at +0, +100 and +200 ms: the fourth may go a second after the first.
    CHECK(pacer.wait(t) == 700ms);
    t += 700ms;
    REQUIRE(pacer.wait(t) == 0ns);
    pacer.record(t);
    CHECK(pacer.wait(t) == 100ms);  // now the one of +100 ms is the oldest
    pacer.reset();                  // a new connection starts afresh
    CHECK(pacer.wait(t) == 0ns);
}

TEST_CASE("new connections are spaced out however many ask at once", "[unit][ws][pacing]") {
    ConnectPacer pacer(250ms);
    const auto t = ConnectPacer::Clock::time_point{} + 1h;
    CHECK(pacer.reserve(t) == t);
    CHECK(pacer.reserve(t) == t + 250ms);
    CHECK(pacer.reserve(t + 10ms) == t + 500ms);
    CHECK(pacer.reserve(t + 2s) == t + 2s);  // idle meanwhile: no wait
}
