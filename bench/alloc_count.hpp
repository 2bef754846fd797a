#pragma once
// A counting global allocator for the benchmarks (STYLE §8: every hot path reports
// allocations/op). alloc_count.cpp replaces every variant of the global operator new and delete
// (plain, array, nothrow, aligned, sized); each successful allocation bumps one atomic counter.
// Linking alloc_count.cpp into an executable is what installs the replacement.

#include <cstdint>

namespace mexc::bench {

/// Allocations made through operator new since the program started (all threads).
std::uint64_t allocations() noexcept;

/// Allocations made by the calling thread since it started.
std::uint64_t thread_allocations() noexcept;

/// Deallocations made through operator delete of a non-null pointer since the program started.
std::uint64_t deallocations() noexcept;

}  // namespace mexc::bench
