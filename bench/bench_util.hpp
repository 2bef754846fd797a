#pragma once
// Shared helpers for the benchmarks: allocation accounting per benchmark, a tiny protobuf writer
// for hand-encoded frames (the bench does not depend on protoc output), and hex decoding.

#include "alloc_counter.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace mexc::bench {

/// Counts allocations over a benchmark's timed loop and reports them as "allocs/op". Work done
/// between pause() and resume() (untimed setup inside the loop) is excluded from the count.
inline std::uint64_t allocations() noexcept {
    return testing::process_allocations();
}

class AllocMeter {
public:
    AllocMeter() noexcept : start_(allocations()), thread_start_(testing::thread_allocations()) {}

    /// Call before state.PauseTiming() ...
    void pause() noexcept { paused_at_ = allocations(); }
    /// ... and after state.ResumeTiming().
    void resume() noexcept { excluded_ += allocations() - paused_at_; }

    std::uint64_t count() const noexcept { return allocations() - start_ - excluded_; }

    void report(benchmark::State& state) const {
        state.counters["allocs/op"] =
            benchmark::Counter(static_cast<double>(count()), benchmark::Counter::kAvgIterations);
    }
    /// Also the benchmark thread's own share (where a venue runs on another thread: the client's).
    void report_with_thread(benchmark::State& state) const {
        report(state);
        state.counters["client_allocs/op"] =
            benchmark::Counter(static_cast<double>(testing::thread_allocations() - thread_start_),
                               benchmark::Counter::kAvgIterations);
    }

private:
    std::uint64_t start_;
    std::uint64_t thread_start_;
    std::uint64_t paused_at_ = 0;
    std::uint64_t excluded_ = 0;
};

/// Appends protobuf wire format to a string. Setup-time only: nested messages are built in a
/// temporary and length-prefixed.
class ProtoWriter {
public:
    explicit ProtoWriter(std::string& out) noexcept : out_(out) {}

    void varint(std::uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        out_.push_back(static_cast<char>(v));
    }
    void tag(std::uint32_t field, std::uint32_t wire_type) {
        varint((std::uint64_t{field} << 3) | wire_type);
    }
    void bytes(std::uint32_t field, std::string_view value) {
        tag(field, 2);
        varint(value.size());
        out_.append(value);
    }
    void int64(std::uint32_t field, std::int64_t value) {
        tag(field, 0);
        varint(static_cast<std::uint64_t>(value));
    }
    /// A nested message: `fill(ProtoWriter&)` writes its fields.
    template <class Fill>
    void message(std::uint32_t field, Fill&& fill) {
        std::string inner;
        ProtoWriter w(inner);
        fill(w);
        bytes(field, inner);
    }

private:
    std::string& out_;
};

/// Decodes lower- or upper-case hex; whitespace is ignored. Aborts on anything else.
std::string hex_to_bytes(std::string_view hex);

}  // namespace mexc::bench
