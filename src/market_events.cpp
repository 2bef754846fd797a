#include "mexc/market_events.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

namespace mexc {

SymbolId SymbolTable::add(std::string_view name, SymbolScales scales) {
    if (const auto it = index_.find(name); it != index_.end()) {
        entries_[it->second].scales = scales;
        return it->second;
    }
    const auto id = static_cast<SymbolId>(entries_.size());
    entries_.push_back({std::string(name), scales});
    index_.emplace(entries_.back().name, id);
    return id;
}

std::optional<SymbolId> SymbolTable::find(std::string_view name) const noexcept {
    const auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

std::optional<KlineInterval> parse_kline_interval(std::string_view token) noexcept {
    for (int i = 0; i <= static_cast<int>(KlineInterval::month1); ++i)
        if (to_string(static_cast<KlineInterval>(i)) == token) return static_cast<KlineInterval>(i);
    return std::nullopt;
}

std::optional<TickerZone> parse_ticker_zone(std::string_view token) noexcept {
    if (token == "24H") return TickerZone{true, 0};
    if (token.size() < 5 || token.substr(0, 3) != "UTC") return std::nullopt;
    const char sign = token[3];
    if (sign != '+' && sign != '-') return std::nullopt;
    auto number = [](std::string_view digits, int max, int& out) {
        if (digits.empty() || digits.size() > 2) return false;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
        return ec == std::errc{} && end == digits.data() + digits.size() && out <= max;
    };
    const std::string_view rest = token.substr(4);
    const auto colon = rest.find(':');
    int hours = 0, minutes = 0;
    if (!number(rest.substr(0, colon), 14, hours)) return std::nullopt;
    if (colon != std::string_view::npos &&
        (rest.size() - colon != 3 || !number(rest.substr(colon + 1), 59, minutes)))
        return std::nullopt;
    const int offset = (hours * 60 + minutes) * (sign == '-' ? -1 : 1);
    return TickerZone{false, static_cast<std::int16_t>(offset)};
}

std::size_t format_ticker_zone(TickerZone zone, std::span<char, 16> out) noexcept {
    if (zone.rolling_24h) {
        constexpr std::string_view text = "24H";
        return static_cast<std::size_t>(std::copy(text.begin(), text.end(), out.begin()) -
                                        out.begin());
    }
    const int minutes = std::abs(zone.offset_minutes);
    char* p = out.data();
    for (const char c : std::string_view("UTC")) *p++ = c;
    *p++ = zone.offset_minutes < 0 ? '-' : '+';
    p = std::to_chars(p, out.data() + out.size(), minutes / 60).ptr;
    if (minutes % 60 != 0) {
        *p++ = ':';
        if (minutes % 60 < 10) *p++ = '0';
        p = std::to_chars(p, out.data() + out.size(), minutes % 60).ptr;
    }
    return static_cast<std::size_t>(p - out.data());
}

}  // namespace mexc
