#pragma once
// Server-time offset from midpoint samples (SPEC §1.6), sans-io: the median of the last few
// samples resists one slow round trip; stamps lean behind the server because MEXC rejects
// timestamps more than 1000 ms ahead but accepts up to recvWindow behind (SPEC §1.5).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace mexc::rest {

class ServerClock {
public:
    /// One GET /api/v3/time round trip: local send and receive times, and the server's answer.
    void add_sample(std::int64_t local_send_ms, std::int64_t server_ms,
                    std::int64_t local_receive_ms) {
        const std::int64_t midpoint = local_send_ms + (local_receive_ms - local_send_ms) / 2;
        samples_.push_back({server_ms - midpoint, local_receive_ms - local_send_ms});
        if (samples_.size() > max_samples) samples_.erase(samples_.begin());
        std::vector<std::int64_t> offsets;
        std::int64_t rtt = 0;
        for (const auto& s : samples_) {
            offsets.push_back(s.offset);
            rtt = std::max(rtt, s.rtt);
        }
        std::nth_element(offsets.begin(),
                         offsets.begin() + static_cast<std::ptrdiff_t>(offsets.size() / 2),
                         offsets.end());
        offset_ = offsets[offsets.size() / 2];
        max_rtt_ = rtt;
        synced_ = true;
    }
    void reset() {
        samples_.clear();
        synced_ = false;
    }
    bool synced() const noexcept { return synced_; }
    std::int64_t offset_ms() const noexcept { return offset_; }
    /// The timestamp to sign with: local time plus offset, less half the worst round trip.
    std::int64_t stamp(std::int64_t local_ms) const noexcept {
        return local_ms + offset_ - max_rtt_ / 2;
    }

private:
    static constexpr std::size_t max_samples = 9;
    struct Sample {
        std::int64_t offset, rtt;
    };
    std::vector<Sample> samples_;
    std::int64_t offset_ = 0;
    std::int64_t max_rtt_ = 0;
    bool synced_ = false;
};

}  // namespace mexc::rest
