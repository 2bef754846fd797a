#pragma once
// Counting replacement of the global operator new/delete (linked into the tests and the
// benchmarks). Counts are kept per thread, so a test measures only its own thread's allocations,
// and in total, for benchmarks that report a whole process.
//
//     mexc::testing::AllocationCounter allocs;
//     hot_path();
//     CHECK(allocs.count() == 0);
//
// It can also scan every block freed on this thread for a byte pattern (S06: a secret must be
// wiped before its memory is returned to the allocator).

#include <cstdint>
#include <string_view>

namespace mexc::testing {

/// Allocations made by every thread since the program started.
std::uint64_t process_allocations() noexcept;
/// Allocations made by this thread since it started (operator new in all its forms).
std::uint64_t thread_allocations() noexcept;
/// Deallocations made by this thread since it started.
std::uint64_t thread_deallocations() noexcept;

/// Measures allocations on this thread from construction on.
class AllocationCounter {
public:
    AllocationCounter() noexcept
        : start_(thread_allocations()), start_free_(thread_deallocations()) {}
    std::uint64_t count() const noexcept { return thread_allocations() - start_; }
    std::uint64_t frees() const noexcept { return thread_deallocations() - start_free_; }
    void reset() noexcept {
        start_ = thread_allocations();
        start_free_ = thread_deallocations();
    }

private:
    std::uint64_t start_;
    std::uint64_t start_free_;
};

/// While alive, every block freed by this thread is searched for `pattern` before it is released;
/// hits() counts blocks that still contained it. `pattern` must outlive the scope.
class FreedMemoryScanner {
public:
    explicit FreedMemoryScanner(std::string_view pattern) noexcept;
    ~FreedMemoryScanner();
    FreedMemoryScanner(const FreedMemoryScanner&) = delete;
    FreedMemoryScanner& operator=(const FreedMemoryScanner&) = delete;
    std::uint64_t hits() const noexcept;
};

}  // namespace mexc::testing
