#!/usr/bin/env bash
# Pulse-level benchmark (issue 4, problems (a)–(d)): the emulator (release build, in process) side by
# side with QuTiP and Qiskit Dynamics (JAX) in a throw-away virtualenv .venv-pulse. Prints results,
# agreement (target 1e-6) and time ratios. Usage: scripts/bench/pulse.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-out}"
mkdir -p "$out"
if [ ! -x .venv-pulse/bin/python ]; then
    python3 -m venv .venv-pulse
fi
# Each reference tool is optional: a failed install is reported and the script goes on without it.
.venv-pulse/bin/pip install -q qutip || echo "warning: qutip failed to install"
.venv-pulse/bin/pip install -q qiskit-dynamics jax jaxlib || echo "warning: qiskit-dynamics/jax failed to install"
swift build -c release --product wukong
.build/release/wukong pulse bench --json > "$out/bench-pulse.json"
echo "wukong results: $out/bench-pulse.json"
.venv-pulse/bin/python scripts/bench/pulse_reference.py "$out/bench-pulse.json" 2>&1 | grep -v -i "warning" || true
