#pragma once
// Client order ids the facade gives orders that have none, so that an unknown outcome can be
// reconciled by an id known before sending.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace mexc {

class ClientOrderIds {
public:
    /// "mx", six base-36 characters drawn once per session, then the order counter in seven: 15
    /// characters, inside std::string's inline storage. Sessions collide with odds of 1 in 2·10⁹.
    void next(std::string& out) {
        constexpr std::string_view digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        char id[15] = {'m', 'x'};
        auto put = [&](std::uint64_t v, int from, int count) {
            for (int i = from + count - 1; i >= from; --i, v /= 36) id[i] = digits[v % 36];
        };
        put(prefix_, 2, 6);
        put(++counter_, 8, 7);
        out.assign(id, sizeof id);
    }

private:
    std::uint64_t prefix_ = (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
    std::uint64_t counter_ = 0;
};

}  // namespace mexc
