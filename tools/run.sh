#!/usr/bin/env bash
# Set-up on a fresh Debian 12 machine: installs the packages, builds, then runs the demo or the tests.
#   bash tools/run.sh demo    build and run the example session against the embedded sandbox
#   bash tools/run.sh test    build everything and run the whole test suite (ctest)
#   bash tools/run.sh sanitize  the same under AddressSanitizer and UBSan (build-asan/)
#   bash tools/run.sh tsan      the tests that cross threads under ThreadSanitizer (build-tsan/)
set -euo pipefail
mode="${1:-test}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MEXC_BUILD_DIR:-$root/build}"

packages=(g++ cmake ninja-build pkg-config libboost1.81-dev libssl-dev libsimdjson-dev libprotobuf-dev
          protobuf-compiler libfmt-dev libyaml-cpp-dev catch2 libbenchmark-dev python3)
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

case "$mode" in
  sanitize) build="${MEXC_BUILD_DIR:-$root/build-asan}"; sanitize=address,undefined ;;
  tsan) build="${MEXC_BUILD_DIR:-$root/build-tsan}"; sanitize=thread ;;
  *) sanitize="" ;;
esac
extra=()
# Sanitized builds leave out what they do not test (benchmarks, examples).
[ -n "$sanitize" ] && extra=(-DMEXC_SANITIZE="$sanitize" -DMEXC_BUILD_BENCH=OFF -DMEXC_BUILD_EXAMPLES=OFF)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEXC_WERROR=ON "${extra[@]}"
case "$mode" in
  demo)
    cmake --build "$build" --target mexc_demo -j "$(nproc)"
    "$build/examples/mexc_demo" --seconds 5
    ;;
  test)
    start=$(date +%s)
    cmake --build "$build" -j "$(nproc)"
    echo "build: $(( $(date +%s) - start )) s"
    cd "$build"
    ctest --output-on-failure -j "$(nproc)" --timeout 300
    ;;
  sanitize)
    cmake --build "$build" -j "$(nproc)"
    cd "$build"
    # Every report ends the process (halt_on_error): a test that trips one fails.
    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --output-on-failure -j "$(nproc)" --timeout 600
    ;;
  tsan)
    cmake --build "$build" -j "$(nproc)" --target mexc_integration_tests
    # The tests tagged [threads] run the venue on a thread of its own beside the client's.
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      "$build/tests/mexc_integration_tests" "[threads]"
    ;;
  *)
    echo "usage: bash tools/run.sh demo|test|sanitize|tsan" >&2
    exit 2
    ;;
esac
