#pragma once
// A read-only handle on a live book that MexcExchange owns and keeps in sync.

#include "mexc/book/order_book.hpp"
#include "mexc/types.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mexc {

class MexcExchange;

/// What MexcExchange::subscribe_book(), book() and next_book_update() hand out: a pointer pair
/// into the exchange's book, cheap to copy. Valid until the exchange is destroyed; after
/// MexcExchange::unsubscribe_book() it reads an empty Resyncing book, or the book of the symbol
/// that reuses its storage (symbol() tells). A default-constructed view refers to nothing and
/// must not be read. Readers check state(): only
/// a Live book is exact (FAULTS I3). Read it on the exchange's executor only.
class BookView {
public:
    BookView() = default;
    /// The subscribed symbol, as given to subscribe_book().
    std::string_view symbol() const noexcept { return *symbol_; }
    /// The book's state and version, as OrderBook::state(), is_live(), version().
    BookState state() const noexcept { return book_->state(); }
    bool is_live() const noexcept { return book_->is_live(); }
    std::int64_t version() const noexcept { return book_->version(); }
    /// Best levels, as OrderBook::top(), best_bid(), best_ask(): empty when a side is empty.
    TopOfBook top() const noexcept { return book_->top(); }
    std::optional<LevelUnits> best_bid() const noexcept { return book_->best_bid(); }
    std::optional<LevelUnits> best_ask() const noexcept { return book_->best_ask(); }
    /// Copies up to out.size() levels, best first; returns how many were written.
    std::size_t bids(std::span<LevelUnits> out) const noexcept { return book_->bids(out); }
    std::size_t asks(std::span<LevelUnits> out) const noexcept { return book_->asks(out); }
    /// The symbol's price and quantity scales, which LevelUnits are counted in.
    SymbolScales scales() const noexcept { return book_->scales(); }
    /// The book itself, for what the view does not forward (depth, stats).
    const OrderBook& book() const noexcept { return *book_; }

private:
    friend class MexcExchange;
    BookView(const std::string* symbol, const OrderBook* book) : symbol_(symbol), book_(book) {}
    const std::string* symbol_ = nullptr;
    const OrderBook* book_ = nullptr;
};

}  // namespace mexc
