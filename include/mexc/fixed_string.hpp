#pragma once
// A string stored inline up to a fixed capacity: order ids and similar short values that travel
// on the order path, so building, parsing and copying them never allocates.

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>

namespace mexc {

/// Up to `Capacity` characters inline, NUL-terminated; copying is a memcpy. Never allocates
/// except str().
template <std::size_t Capacity>
class FixedString {
    static_assert(Capacity > 0 && Capacity < 256, "the length is kept in one byte");

public:
    /// The most characters it holds.
    static constexpr std::size_t capacity() noexcept { return Capacity; }

    constexpr FixedString() noexcept = default;
    /// Text longer than the capacity is cut; fits() says beforehand whether it would be.
    FixedString(std::string_view text) noexcept {
        assign(text);
    }  // NOLINT(google-explicit-constructor)
    FixedString(const char* text) noexcept
        : FixedString(std::string_view(text)) {}  // NOLINT(google-explicit-constructor)
    FixedString(const std::string& text) noexcept
        : FixedString(std::string_view(text)) {}  // NOLINT(google-explicit-constructor)

    /// Whether `text` is stored whole (not cut).
    static constexpr bool fits(std::string_view text) noexcept { return text.size() <= Capacity; }

    /// Replaces the content, cutting at the capacity (check fits() first where a cut matters).
    FixedString& assign(std::string_view text) noexcept {
        size_ = static_cast<unsigned char>(std::min(text.size(), Capacity));
        if (size_ > 0) std::memcpy(data_, text.data(), size_);
        data_[size_] = '\0';
        return *this;
    }
    FixedString& operator=(std::string_view text) noexcept { return assign(text); }
    FixedString& operator=(const char* text) noexcept { return assign(text); }
    FixedString& operator=(const std::string& text) noexcept { return assign(text); }

    /// The content: NUL-terminated characters, their count, views and copies of them.
    const char* data() const noexcept { return data_; }
    const char* c_str() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::size_t length() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    void clear() noexcept { assign({}); }

    std::string_view view() const noexcept { return {data_, size_}; }
    operator std::string_view() const noexcept {
        return view();
    }  // NOLINT(google-explicit-constructor)
    std::string str() const { return std::string(view()); }

    /// Compared, ordered, printed and hashed (std::hash) as its characters.
    friend bool operator==(const FixedString& a, const FixedString& b) noexcept {
        return a.view() == b.view();
    }
    friend bool operator==(const FixedString& a, std::string_view b) noexcept {
        return a.view() == b;
    }
    friend bool operator==(const FixedString& a, const char* b) noexcept {
        return a.view() == std::string_view(b);
    }
    friend bool operator==(const FixedString& a, const std::string& b) noexcept {
        return a.view() == std::string_view(b);
    }
    friend std::strong_ordering operator<=>(const FixedString& a, const FixedString& b) noexcept {
        return a.view() <=> b.view();
    }
    friend std::ostream& operator<<(std::ostream& os, const FixedString& s) {
        return os << s.view();
    }

private:
    char data_[Capacity + 1] = {};
    unsigned char size_ = 0;
};

/// An exchange or client order id. MEXC's order ids are 23 characters ("C02__…"); the client-id
/// limit is undocumented (32 is the usual recommendation, SPEC §3.2). The capacity leaves room
/// for longer ids; a longer one is refused (sending) or a parse error (receiving), never cut.
using OrderId = FixedString<63>;

}  // namespace mexc

template <std::size_t N>
struct std::hash<mexc::FixedString<N>> {
    std::size_t operator()(const mexc::FixedString<N>& s) const noexcept {
        return std::hash<std::string_view>{}(s.view());
    }
};
