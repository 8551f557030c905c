#!/usr/bin/env bash
# Validates wukong's state vector against Qiskit Aer to 1e-10 and its sampling by chi-squared
# (scripts/validate/gate_vs_aer.py says exactly what is compared). Uses the benchmark virtualenv
# .venv-bench (scripts/bench/venv.sh) and a release build. Exit status 1 on any failure.
# Usage: scripts/validate/gate_vs_aer.sh [extra gate_vs_aer.py options, e.g. --random 40]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/venv.sh
bench_venv
swift build -c release --product wukong 2>&1 | grep -E 'error|Build' | tail -2
exec "$PY" scripts/validate/gate_vs_aer.py --wukong .build/release/wukong "$@"
