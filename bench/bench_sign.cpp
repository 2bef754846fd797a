// Request signing (SPEC §2): HMAC-SHA256 of a query. Building the signed query is internal:
// bench/internal/bench_query.cpp.

#include "bench_util.hpp"

#include <mexc/sign/hmac_signer.hpp>

#include <span>
#include <string>

namespace mexc::bench {
namespace {

// SPEC §11.1: the documentation's demo secret and its verified signature.
constexpr std::string_view demo_secret = "45d0b3c26f2644f19bfb98b07741b2f5";
constexpr std::string_view demo_query =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp="
    "1644489390087";
constexpr std::string_view demo_signature =
    "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a";

void BM_Sign(benchmark::State& state) {
    const HmacSigner signer(demo_secret);
    char out[HmacSigner::hex_size];
    signer.sign(demo_query, std::span<char, HmacSigner::hex_size>(out));
    if (std::string_view(out, sizeof out) != demo_signature) {
        state.SkipWithError("signature differs from SPEC §11.1");
        return;
    }
    AllocMeter meter;
    for (auto _ : state) {
        signer.sign(demo_query, std::span<char, HmacSigner::hex_size>(out));
        benchmark::DoNotOptimize(out);
        benchmark::ClobberMemory();
    }
    meter.report(state);
}
BENCHMARK(BM_Sign);

}  // namespace
}  // namespace mexc::bench
