// MEXC's codes mapped to what the caller must do next (SPEC §5.4, FAULTS §1.2).

#include "rest/http_errors.hpp"

#include <catch2/catch.hpp>

using mexc::Condition;
using mexc::rest::condition_of_venue_code;

TEST_CASE("E01 E05 E12 each class of SPEC §5.4 maps to one condition",
          "[unit][rest][errors][E07][E08][E09]") {
    for (std::int64_t code :
         {400, 401, 403, 602, 10072, 700001, 700002, 700006, 700007, 730706, 730707, 140002})
        CHECK(condition_of_venue_code(code) == Condition::auth);
    CHECK(condition_of_venue_code(700003) == Condition::clock_skew);
    CHECK(condition_of_venue_code(429) == Condition::rate_limited);
    // SYS codes and "transfer in progress": the command may still take effect.
    for (std::int64_t code : {500, 503, 504, 20002, 730000, 10219, 10200})
        CHECK(condition_of_venue_code(code) == Condition::outcome_unknown);
    // Balance, symbol, trading rules, parameters, not found: definitive refusals.
    for (std::int64_t code : {10101, 30004, 30005, -1121, 30014, 10007, 30000, 30002, 33333, 44444,
                              -2011, -2013, 22222, 10096})
        CHECK(condition_of_venue_code(code) == Condition::rejected);
}
