#!/usr/bin/env bash
# Times the WukongGateSim state-vector kernels against the measured memory bandwidth, in a release
# build, by running the WUKONG_BENCH-gated Swift Testing benchmark. Until the `wukong` CLI has a
# bench command, this is the entry point. Usage: scripts/bench/statevector-kernels.sh [QUBITS]
# (default 24: 256 MiB state plus a 512 MiB bandwidth buffer). The first run rebuilds the package
# in release with testability (about 2 minutes on the 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
export WUKONG_BENCH=1
export WUKONG_BENCH_QUBITS="${1:-24}"
swift test -c release --disable-xctest --filter 'BenchmarkTests/printKernelBenchmark' 2>&1 \
  | grep -vE '^\[[0-9]+/[0-9]+\]|^(Building|Compiling|Write|Linking)'
