// The server clock estimate (SPEC §1.6).

#include "rest/server_clock.hpp"

#include <catch2/catch.hpp>

TEST_CASE("T05 the server clock is the median of midpoint samples, stamped behind the server",
          "[unit][rest][clock][T05]") {
    mexc::rest::ServerClock clock;
    CHECK_FALSE(clock.synced());
    clock.add_sample(1000, 1600, 1200);  // midpoint 1100 → offset 500
    clock.add_sample(2000, 2520, 2040);  // midpoint 2020 → 500
    clock.add_sample(3000, 9000, 3010);  // an outlier: 5995
    CHECK(clock.synced());
    CHECK(clock.offset_ms() == 500);
    CHECK(clock.stamp(10000) == 10000 + 500 - 100);  // half the worst round trip behind
}
