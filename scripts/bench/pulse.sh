#!/usr/bin/env bash
# Pulse-level benchmark (issue 4, problems (a)–(d)): the emulator (release build, in process) side by
# side with QuTiP and Qiskit Dynamics (JAX) in a throw-away virtualenv .venv-pulse. Prints results,
# agreement (target 1e-6) and time ratios. Usage: scripts/bench/pulse.sh [OUT_DIR]
# Environment: PULSE_VENV (default .venv-pulse; an existing venv with qutip and qiskit-dynamics is used
# as is), BENCH_REPEATS (timed runs per problem after one warm-up, both sides; default 15),
# BENCH_THREADS (BLAS/OpenMP/XLA threads of the reference tools, default 1: on a small shared machine
# their thread pools oversubscribe the cores and spin, which made their times swing 10-1000x; wukong's
# (a)-(c) are single-threaded, (d) uses 2 threads; the CPU-time column shows the total either way).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-out}"
mkdir -p "$out"
venv="${PULSE_VENV:-.venv-pulse}"
repeats="${BENCH_REPEATS:-15}"
export BENCH_REPEATS="$repeats"
threads="${BENCH_THREADS:-1}"
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
export XLA_FLAGS="${XLA_FLAGS:---xla_cpu_multi_thread_eigen=$([ "$threads" = 1 ] && echo false || echo true) intra_op_parallelism_threads=$threads}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Each reference tool is optional: a failed install is reported and the script goes on without it.
"$venv/bin/python" -c "import qutip" 2>/dev/null || "$venv/bin/pip" install -q qutip || echo "warning: qutip failed to install"
"$venv/bin/python" -c "import qiskit_dynamics, jax" 2>/dev/null || "$venv/bin/pip" install -q qiskit-dynamics jax jaxlib \
    || echo "warning: qiskit-dynamics/jax failed to install"
swift build -c release --product wukong
.build/release/wukong pulse bench --json --repeats "$repeats" > "$out/bench-pulse.json"
echo "wukong results: $out/bench-pulse.json"
"$venv/bin/python" scripts/bench/pulse_reference.py "$out/bench-pulse.json" 2>&1 | grep -v -i "warning" || true
