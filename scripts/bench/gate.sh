#!/usr/bin/env bash
# Gate-level benchmark (issue 3, item 5): wukong against Qiskit Aer, Qulacs, qsim and PennyLane
# Lightning on the same circuits, 1 and 2 threads, best of K, in one run, plus the kernel figures
# against the memory-bandwidth bound. Circuits are defined in Sources/WukongGateSim/GateBenchmarks.swift
# and exported as OpenQASM 2 for the Python tools (scripts/bench/gate_reference.py).
#
# Usage: scripts/bench/gate.sh                 the issue's set (QFT 20/24/26, GHZ 26, brickwork 24x20,
#                                             ansatz 12x8 and 20x8): tens of minutes on 2 cores
#        QUICK=1 scripts/bench/gate.sh         ≤ 20 qubits (a few minutes)
# Knobs: REPEAT=K (3), THREADS=1,2, TOOLS=aer,qulacs,qsim,lightning, CIRCUITS=qft:20,… (overrides),
#        KERNEL_QUBITS=24 (22 with QUICK), OUT=out/bench (exported circuits and results.json),
#        NOISY=10x20 (the noisy density-matrix brickwork, or none), P1=0.001 P2=0.01 (its depolarizing
#        strengths after 1- and 2-qubit gates), GRADIENTS=1 (ansatz gradients; 0 = off),
#        GRAD_PS_MAX_QUBITS=12 (largest ansatz for Aer's parameter-shift gradient), KERNELS=1 (0 = skip).
# Threads: wukong --threads T; every Python tool runs in its own process with OMP_NUM_THREADS=T and
# QULACS_NUM_THREADS=T set before import, Aer max_parallel_threads=T, qsim QSimOptions(cpu_threads=T).
# The machine is shared: the script prints /proc/loadavg and every figure's CPU time; read 2-thread
# figures only when the load was low.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/venv.sh

if [ "${QUICK:-0}" = "1" ]; then
  DEFAULT_CIRCUITS="qft:20,ghz:20,brickwork:20x20,ansatz:12x8,ansatz:20x8"
  DEFAULT_KERNEL_QUBITS=22
else
  DEFAULT_CIRCUITS="qft:20,qft:24,qft:26,ghz:26,brickwork:24x20,ansatz:12x8,ansatz:20x8"
  DEFAULT_KERNEL_QUBITS=24
fi
CIRCUITS="${CIRCUITS:-$DEFAULT_CIRCUITS}"
REPEAT="${REPEAT:-3}"
THREADS="${THREADS:-1,2}"
OUT="${OUT:-out/bench}"
mkdir -p "$OUT"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); loadavg $(cat /proc/loadavg)"
echo "== virtualenv $VENV"
bench_venv
TOOLS="${TOOLS:-$BENCH_TOOLS}"
echo "== tools: $TOOLS"
echo "== building wukong (release)"
swift build -c release --product wukong 2>&1 | grep -E 'error|warning: |Compiling|Build' | tail -3
WUKONG=.build/release/wukong

if [ "${KERNELS:-1}" = "1" ]; then
  echo "== kernels against the bandwidth bound, n = ${KERNEL_QUBITS:-$DEFAULT_KERNEL_QUBITS}"
  "$WUKONG" bench kernels --qubits "${KERNEL_QUBITS:-$DEFAULT_KERNEL_QUBITS}" --threads "$THREADS" --repeat "$REPEAT" \
    --bandwidth-mib "${BANDWIDTH_MIB:-512}"
fi

echo "== circuits: $CIRCUITS (threads $THREADS, best of $REPEAT)"
/usr/bin/time -f "== benchmark process tree: %e s wall, %U s user, %S s sys" \
  "$PY" scripts/bench/gate_reference.py all --wukong "$WUKONG" --dir "$OUT/circuits" --circuits "$CIRCUITS" \
  --threads "$THREADS" --repeat "$REPEAT" --tools "$TOOLS" --output "$OUT/results.json" \
  --noisy "${NOISY:-10x20}" --p1 "${P1:-0.001}" --p2 "${P2:-0.01}" --gradients "${GRADIENTS:-1}" \
  --grad-ps-max-qubits "${GRAD_PS_MAX_QUBITS:-12}"
echo "== results: $OUT/results.json"
