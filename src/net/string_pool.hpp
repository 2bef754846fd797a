#pragma once
// Strings whose capacity outlives their use: the request path takes its buffers here and gives
// them back, so requests after the first few allocate nothing for targets, headers or bodies.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mexc::net {

class StringPool {
public:
    explicit StringPool(std::size_t keep = 64, std::size_t max_capacity = 1u << 20)
        : keep_(keep), max_capacity_(max_capacity) {
        free_.reserve(keep_);
    }

    /// An empty string, with the capacity of one given back earlier when there is one.
    std::string take() {
        if (free_.empty()) return {};
        std::string s = std::move(free_.back());
        free_.pop_back();
        return s;
    }

    /// Keeps `s`'s storage for a later take(); short (inline) and huge strings are let go.
    void give(std::string&& s) {
        if (s.capacity() <= 15 || s.capacity() > max_capacity_ || free_.size() >= keep_) return;
        s.clear();
        free_.push_back(std::move(s));
    }

    std::size_t size() const noexcept { return free_.size(); }

private:
    std::size_t keep_;
    std::size_t max_capacity_;
    std::vector<std::string> free_;
};

}  // namespace mexc::net
