#pragma once
// Lets Catch2 print boost::system::result values (mexc::Result<T>, parse results) in assertions.
// Include after <catch2/catch.hpp>.

#include "mexc/error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <type_traits>

namespace Catch {

template <class T, class E>
struct StringMaker<boost::system::result<T, E>> {
    static std::string convert(const boost::system::result<T, E>& r) {
        if (r.has_value()) return "{value}";
        if constexpr (std::is_same_v<E, mexc::Error>) {
            return "{error: " + r.error().describe() + "}";
        } else if constexpr (std::is_enum_v<E>) {
            return "{error: " + mexc::make_error_code(r.error()).message() + "}";
        } else {
            return "{error}";
        }
    }
};

template <>
struct StringMaker<mexc::Errc> {
    static std::string convert(mexc::Errc e) { return mexc::make_error_code(e).message(); }
};

}  // namespace Catch
