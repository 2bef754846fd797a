#!/usr/bin/env bash
# Set-up on a fresh Debian 12 machine: installs the packages, builds, then runs the demo or the tests.
#   bash tools/run.sh demo    build and run the example session against the embedded sandbox
#   bash tools/run.sh test    build everything and run the whole test suite (ctest)
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

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMEXC_WERROR=ON
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
  *)
    echo "usage: bash tools/run.sh demo|test" >&2
    exit 2
    ;;
esac
