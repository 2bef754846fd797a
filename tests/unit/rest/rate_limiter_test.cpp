// The client-side request budget (SPEC §6.1), driven with an explicit clock.

#include "mexc/rest/rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using mexc::RateLimiter;
using mexc::RateScope;

TEST_CASE("G12 the weight budget is never exceeded inside any window", "[unit][rate]") {
    mexc::RateLimits limits;
    limits.ip_weight = 10;
    limits.window = 1000ms;
    RateLimiter limiter(limits);
    auto t = RateLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 5; ++i) {
        CHECK(limiter.try_acquire(RateScope::ip, 2, false, t).count() == 0);
        limiter.settle(RateScope::ip, 2, false, t);
    }
    CHECK(limiter.remaining(RateScope::ip, t) == 0);
    const auto wait = limiter.try_acquire(RateScope::ip, 2, false, t);
    CHECK(wait > 0ms);
    CHECK(wait <= 1001ms);
    CHECK(limiter.try_acquire(RateScope::ip, 2, false, t + wait).count() ==
          0);                                            // admitted when the oldest left
    CHECK(limiter.remaining(RateScope::uid, t) == 500);  // scopes are independent
}

TEST_CASE("G12 a request holds its weight in flight and for a window after its answer",
          "[unit][rate]") {
    // The venue counts a request on arrival, anywhere between admission and answer: a slow
    // request must not free its weight a window after it left, or a burst behind it could land
    // inside one venue window together with it.
    mexc::RateLimits limits;
    limits.ip_weight = 4;
    limits.window = 1000ms;
    RateLimiter limiter(limits);
    const auto t = RateLimiter::Clock::time_point{} + 1h;
    REQUIRE(limiter.try_acquire(RateScope::ip, 3, false, t).count() == 0);  // slow, in flight
    REQUIRE(limiter.try_acquire(RateScope::ip, 1, false, t).count() == 0);
    limiter.settle(RateScope::ip, 1, false, t + 10ms);
    CHECK(limiter.try_acquire(RateScope::ip, 2, false, t + 5s) == 1000ms);  // in flight: held
    CHECK(limiter.remaining(RateScope::ip, t + 5s) == 1);
    limiter.settle(RateScope::ip, 3, false, t + 5s);  // answered 5 s later
    const auto wait = limiter.try_acquire(RateScope::ip, 2, false, t + 5s);
    CHECK(wait > 999ms);
    CHECK(wait <= 1001ms);  // a window after the answer, not after the admission
    CHECK(limiter.try_acquire(RateScope::ip, 2, false, t + 5s + wait).count() == 0);
    // A request heavier than the whole budget goes alone, rather than never.
    RateLimiter small(limits);
    CHECK(small.try_acquire(RateScope::ip, 9, false, t).count() == 0);
    CHECK(small.try_acquire(RateScope::ip, 1, false, t) > 0ms);
}

TEST_CASE("the order rate is shared by order and cancel calls", "[unit][rate]") {
    mexc::RateLimits limits;
    limits.orders_per_second = 3;
    RateLimiter limiter(limits);
    const auto t = RateLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) {
        CHECK(limiter.try_acquire(RateScope::uid, 1, true, t).count() == 0);
        limiter.settle(RateScope::uid, 1, true, t);
    }
    CHECK(limiter.try_acquire(RateScope::uid, 1, true, t) > 0ms);
    CHECK(limiter.try_acquire(RateScope::uid, 1, false, t).count() == 0);  // reads are not orders
    CHECK(limiter.try_acquire(RateScope::uid, 1, true, t + 1001ms).count() == 0);
}

TEST_CASE("E04 E05 a 429/418 pauses the scope until Retry-After: zero requests before it",
          "[unit][rate]") {
    RateLimiter limiter;
    const auto t = RateLimiter::Clock::time_point{} + 1h;
    limiter.pause(RateScope::uid, t + 120s);
    CHECK(limiter.try_acquire(RateScope::uid, 1, false, t + 119s) > 0ms);
    CHECK(limiter.remaining(RateScope::uid, t + 60s) == 0);
    CHECK(limiter.try_acquire(RateScope::ip, 1, false, t).count() == 0);  // only that scope
    CHECK(limiter.try_acquire(RateScope::uid, 1, false, t + 120s).count() == 0);
}

TEST_CASE("endpoint weights come from a configurable table", "[unit][rate]") {
    mexc::RateLimits limits;
    limits.weights["GET /api/v3/exchangeInfo"] = 25;  // DOC-2026 raised it
    RateLimiter limiter(limits);
    CHECK(limiter.weight_of("GET /api/v3/exchangeInfo") == 25);
    CHECK(limiter.weight_of("GET /api/v3/account") == 10);
    CHECK(limiter.weight_of("GET /api/v3/ping") == 1);
}
