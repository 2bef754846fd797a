#pragma once
// Transparent hashing, so a map keyed by std::string is searched with a string_view and the hot
// path builds no string (STYLE §8).

#include <cstddef>
#include <functional>
#include <string_view>

namespace mexc {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

}  // namespace mexc
