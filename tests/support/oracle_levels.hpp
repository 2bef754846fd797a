#pragma once
// The sandbox's book levels (its own type) as the client's, to compare a client book with the
// oracle's.

#include "mexc/types.hpp"

#include <vector>

template <class Levels>
std::vector<mexc::LevelUnits> client_levels(const Levels& levels) {
    std::vector<mexc::LevelUnits> out;
    out.reserve(levels.size());
    for (const auto& l : levels) out.push_back({l.price, l.quantity});
    return out;
}
