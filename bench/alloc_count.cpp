#include "alloc_count.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace mexc::bench {
namespace {

constinit std::atomic<std::uint64_t> g_allocations{0};
constinit std::atomic<std::uint64_t> g_deallocations{0};
constinit thread_local std::uint64_t t_allocations = 0;

void* allocate(std::size_t size) noexcept {
    if (size == 0) size = 1;
    void* p = std::malloc(size);
    if (p != nullptr) {
        g_allocations.fetch_add(1, std::memory_order_relaxed);
        ++t_allocations;
    }
    return p;
}

void* allocate_aligned(std::size_t size, std::align_val_t align) noexcept {
    auto alignment = static_cast<std::size_t>(align);
    if (alignment < sizeof(void*)) alignment = sizeof(void*);
    if (size == 0) size = 1;
    void* p = nullptr;
    if (::posix_memalign(&p, alignment, size) != 0) return nullptr;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    ++t_allocations;
    return p;
}

void* allocate_or_throw(std::size_t size) {
    for (;;) {
        if (void* p = allocate(size)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

void* allocate_aligned_or_throw(std::size_t size, std::align_val_t align) {
    for (;;) {
        if (void* p = allocate_aligned(size, align)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    g_deallocations.fetch_add(1, std::memory_order_relaxed);
    std::free(p);  // posix_memalign memory is released with free as well
}

}  // namespace

std::uint64_t allocations() noexcept { return g_allocations.load(std::memory_order_relaxed); }
std::uint64_t thread_allocations() noexcept { return t_allocations; }
std::uint64_t deallocations() noexcept { return g_deallocations.load(std::memory_order_relaxed); }

}  // namespace mexc::bench

using mexc::bench::allocate;
using mexc::bench::allocate_aligned;
using mexc::bench::allocate_aligned_or_throw;
using mexc::bench::allocate_or_throw;
using mexc::bench::release;

// ---- replaceable allocation functions ------------------------------------------------------

void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t align) { return allocate_aligned_or_throw(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return allocate_aligned_or_throw(size, align); }
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
    return allocate_aligned(size, align);
}

// ---- replaceable deallocation functions ----------------------------------------------------

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
