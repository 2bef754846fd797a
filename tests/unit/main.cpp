// The Catch2 v2 runner of mexc_unit_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
