#!/usr/bin/env bash
# Time per shot batch of the pulse backend (issue 5): GHZ-5 with 1000 shots through
# `wukong run --backend pulse` (release build), with and without firmware in the loop, on a fresh
# process each time (channel cache cold) and a calibration given by WUKONG_CALIBRATION (default the
# shipped nominal snapshot). Prints the JSON timing of each run. Usage: scripts/bench/pulse-backend.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
swift build -c release --product wukong
prog="$(mktemp --suffix=.qasm)"
cat > "$prog" <<'QASM'
OPENQASM 2.0;
include "qelib1.inc";
qreg q[5]; creg c[5];
h q[0]; cx q[0],q[1]; cx q[1],q[2]; cx q[2],q[3]; cx q[3],q[4];
measure q -> c;
QASM
for mode in --firmware --no-firmware; do
    for i in $(seq "$runs"); do
        start=$(date +%s.%N)
        timing=$(.build/release/wukong run "$prog" --backend pulse --shots 1000 --seed "$i" "$mode" --json \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["timing_ms"]))')
        end=$(date +%s.%N)
        echo "GHZ-5, 1000 shots, $mode, run $i: wall $(python3 -c "print(round(($end-$start)*1000,1))") ms, stages $timing"
    done
done
rm -f "$prog"
