#pragma once
// Small vocabulary types shared by the wire, book and client layers.

#include <cstdint>

namespace mexc {

/// `unknown`: a side MEXC sent that this library does not know (answers only, never sent).
enum class Side : std::uint8_t { buy, sell, unknown };

/// One book level in units of the symbol's scales (price and quantity).
struct LevelUnits {
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    friend bool operator==(const LevelUnits&, const LevelUnits&) = default;
};

/// Scales of a symbol's prices and quantities, from exchangeInfo (SPEC §3.1): price decimals are
/// `quotePrecision`, quantity decimals `baseAssetPrecision`.
struct SymbolScales {
    std::uint8_t price = 0;
    std::uint8_t quantity = 0;
    friend bool operator==(const SymbolScales&, const SymbolScales&) = default;
};

}  // namespace mexc
