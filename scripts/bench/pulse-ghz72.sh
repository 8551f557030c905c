#!/usr/bin/env bash
# The 72-qubit GHZ ladder on the pulse path (issue 4): examples/circuits/ghz72.qasm, 1000 shots, through
# `wukong run --backend pulse` (release build) on the MPS state (chosen automatically above 24 qubits),
# with a calibrated snapshot: the oracle (single-qubit gates read off the truth) with the 71 CZs of the
# path calibrated by `wukong calibrate --experiments cz` (computed once, kept in OUT). Prints the stage
# times (compile, lower, firmware, emulate, sample), distinct emulated channels (cache misses),
# P(all 0) + P(all 1) (exact probes, no readout error), the total leakage, bond dimension and discarded
# weight, with and without firmware in the loop, on a fresh process each time (channel cache cold).
# Usage: scripts/bench/pulse-ghz72.sh [OUT]   (CALIBRATION=FILE skips the CZ calibration; FULL=1 uses the
# lab-grade CZ sweeps instead of --quick)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-out}"
mkdir -p "$out"
swift build -c release --product wukong
W=.build/release/wukong
cal="${CALIBRATION:-$out/ghz72-calibrated.h5}"
if [ ! -f "$cal" ]; then
    # The path's couplers: every horizontal one (5·row + col) and the vertical one at the row's end
    # (60 + 6·row + 5 for even rows, 60 + 6·row for odd rows).
    couplers=$(python3 -c 'print(",".join([str(c) for c in range(60)] + [str(60 + 6*r + (5 if r % 2 == 0 else 0)) for r in range(11)]))')
    $W calibration oracle --output "$out/oracle.h5"
    start=$(date +%s.%N)
    $W calibrate --calibration "$out/oracle.h5" --output "$cal" --experiments cz --couplers "$couplers" \
        $(if [ -z "${FULL:-}" ]; then echo --quick; fi) > "$out/ghz72-calibrate.log"
    end=$(date +%s.%N)
    echo "CZ calibration of the 71 path couplers: $(python3 -c "print(round($end-$start,1))") s (log: $out/ghz72-calibrate.log)"
fi
for mode in --firmware --no-firmware; do
    start=$(date +%s.%N)
    $W run examples/circuits/ghz72.qasm --backend pulse --calibration "$cal" --shots 1000 --seed 1 "$mode" \
        --probe zeros --probe ones --json > "$out/ghz72-run.json"
    end=$(date +%s.%N)
    python3 - "$out/ghz72-run.json" "$mode" "$(python3 -c "print(round(($end-$start)*1000,1))")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["timing_ms"]
p = d["probes"]
good = sum(p.values())
top = sum(v for k, v in d["counts"].items() if set(k) == {"0"} or set(k) == {"1"})
print(f"GHZ-72, 1000 shots, {sys.argv[2]}: process wall {sys.argv[3]} ms; stages (ms) compile {t['compile']:.1f}, "
      f"lower {t['lower']:.1f}, firmware {t['firmware']:.1f}, emulate {t['emulate']:.1f}, sample {t['sample']:.1f}, total {t['total']:.1f}")
print(f"  distinct channels emulated (cache misses) {d['cache']['misses']}, hits {d['cache']['hits']}, gates {d['gates']}")
print(f"  P(all 0) + P(all 1) = {good:.4f} (exact, no readout error); sampled with readout errors: {top}/1000")
print(f"  total leakage {d['total_leakage']:.3e}, max per gate {d['max_leakage']:.3e}")
s = d["state"]
print(f"  state {s['kind']} over {s['qubits']} qubits, max bond {s['max_bond']}, discarded weight {s['discarded_weight']:.3e}")
PY
done
