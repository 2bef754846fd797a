// Building a signed place-order target (SPEC §2) with the library's query encoding, white-box.

#include "bench_util.hpp"
#include "sign/query.hpp"

#include <mexc/sign/hmac_signer.hpp>

#include <string>
#include <string_view>

namespace mexc::bench {
namespace {

constexpr std::string_view demo_secret = "45d0b3c26f2644f19bfb98b07741b2f5";  // SPEC §11.1

/// A LIMIT order's signed target written by write_signed_target into a reused string (capacity
/// kept): path, parameters, recvWindow, timestamp, signature. The timestamp changes every
/// iteration as it would per request.
void BM_SignedQueryBuild(benchmark::State& state) {
    const HmacSigner signer(demo_secret);
    const std::string_view params =
        "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.0002&price=84270.01&newClientOrderId=mx-"
        "bench-000042";
    std::string target;
    std::int64_t timestamp = 1644489390087;
    write_signed_target(target, "/api/v3/order", params, 5000, timestamp, signer);
    const std::string expected_prefix = "/api/v3/order?" + std::string(params) +
                                        "&recvWindow=5000&timestamp=1644489390087&signature=";
    if (target.compare(0, expected_prefix.size(), expected_prefix) != 0 ||
        target.size() != expected_prefix.size() + HmacSigner::hex_size) {
        state.SkipWithError("unexpected target layout");
        return;
    }
    AllocMeter meter;
    for (auto _ : state) {
        ++timestamp;
        write_signed_target(target, "/api/v3/order", params, 5000, timestamp, signer);
        benchmark::DoNotOptimize(target.data());
    }
    meter.report(state);
    state.counters["target_bytes"] = static_cast<double>(target.size());
}
BENCHMARK(BM_SignedQueryBuild);

}  // namespace
}  // namespace mexc::bench
