// Global operator new/delete replacement counting allocations per thread (see alloc_counter.hpp).

#include "alloc_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

std::atomic<std::uint64_t> g_allocations{0};  // every thread's (a venue on its own thread included)
thread_local std::uint64_t t_allocations = 0;
thread_local std::uint64_t t_deallocations = 0;
thread_local const char* t_scan_pattern = nullptr;
thread_local std::size_t t_scan_size = 0;
thread_local std::uint64_t t_scan_hits = 0;

void* counted_alloc(std::size_t size) noexcept {
    ++t_allocations;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}

void* counted_aligned_alloc(std::size_t size, std::size_t align) noexcept {
    ++t_allocations;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (align < sizeof(void*)) align = sizeof(void*);
    void* p = nullptr;
    if (posix_memalign(&p, align, size == 0 ? 1 : size) != 0) return nullptr;
    return p;
}

void counted_free(void* p) noexcept {
    if (p == nullptr) return;
    ++t_deallocations;
    if (t_scan_pattern != nullptr && t_scan_size != 0) {
        const std::size_t usable = malloc_usable_size(p);
        const auto* bytes = static_cast<const char*>(p);
        if (usable >= t_scan_size) {
            for (std::size_t i = 0; i + t_scan_size <= usable; ++i) {
                if (std::memcmp(bytes + i, t_scan_pattern, t_scan_size) == 0) {
                    ++t_scan_hits;
                    break;
                }
            }
        }
    }
    std::free(p);
}

}  // namespace

namespace mexc::testing {

std::uint64_t process_allocations() noexcept {
    return g_allocations.load(std::memory_order_relaxed);
}
std::uint64_t thread_allocations() noexcept {
    return t_allocations;
}
std::uint64_t thread_deallocations() noexcept {
    return t_deallocations;
}

FreedMemoryScanner::FreedMemoryScanner(std::string_view pattern) noexcept {
    t_scan_pattern = pattern.data();
    t_scan_size = pattern.size();
    t_scan_hits = 0;
}
FreedMemoryScanner::~FreedMemoryScanner() {
    t_scan_pattern = nullptr;
    t_scan_size = 0;
}
std::uint64_t FreedMemoryScanner::hits() const noexcept {
    return t_scan_hits;
}

}  // namespace mexc::testing

// ---- replacements
// ---------------------------------------------------------------------------------

void* operator new(std::size_t size) {
    if (void* p = counted_alloc(size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    if (void* p = counted_alloc(size)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return counted_alloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return counted_alloc(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
    if (void* p = counted_aligned_alloc(size, static_cast<std::size_t>(align))) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) {
    if (void* p = counted_aligned_alloc(size, static_cast<std::size_t>(align))) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return counted_aligned_alloc(size, static_cast<std::size_t>(align));
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return counted_aligned_alloc(size, static_cast<std::size_t>(align));
}

void operator delete(void* p) noexcept {
    counted_free(p);
}
void operator delete[](void* p) noexcept {
    counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    counted_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    counted_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    counted_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    counted_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    counted_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    counted_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    counted_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    counted_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    counted_free(p);
}
