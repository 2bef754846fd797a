#pragma once
// Small text helpers shared by the sandbox's REST and WebSocket sides.

#include "sandbox_decimal.hpp"  // decimal(), used with these everywhere

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mexc::sandbox {

using Params = std::map<std::string, std::string, std::less<>>;

std::int64_t now_ms();
std::string url_decode(std::string_view s);
/// `a=1&b=2` into a map; repeated names keep the first value.
Params parse_query(std::string_view query);
/// A comma-separated list ("BTCUSDT,ETHUSDT") into its items; empty items are skipped.
std::vector<std::string> split_list(std::string_view list);
/// The items joined by ','.
std::string join_list(const std::vector<std::string>& items);

}  // namespace mexc::sandbox
