#!/usr/bin/env bash
# Dashboard check in a real headless browser (Debian chromium; not CI): starts a gateway on a throw-away
# store, submits a Bell job and waits for it, loads `/` in chromium, checks the rendered DOM (72 qubits
# and 126 couplers, both coloured by the calibration; the queue; the job among the recent jobs) and
# saves screenshots (`/` and `/?color=frequency`). Usage: scripts/check-dashboard.sh [BINARY]
#   → out/dashboard.png, out/dashboard-frequency.png, out/dashboard*.html
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/wukong}
[ -x "$BIN" ] || swift build -c release --product wukong || exit 1
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
    echo "installing chromium (Debian)"; apt-get install -y -q chromium >/dev/null || exit 1
    CHROME=$(command -v chromium)
fi
mkdir -p out
DIR=$(mktemp -d)
PORT=${PORT:-18282}
"$BIN" serve --store "sqlite:$DIR/gateway.db" --port "$PORT" --workers 1 > "$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 300); do grep -q listening "$DIR/server.log" && break; sleep 0.2; done
KEY=$(grep -o 'wk_[0-9a-f]*' "$DIR/server.log" | head -1)
[ -n "$KEY" ] || { echo "the gateway did not start:"; cat "$DIR/server.log"; exit 1; }
BELL='OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
JOB=$(curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"items\": [{\"program\": \"$BELL\", \"shots\": 1000}], \"tags\": [\"dashboard-check\"]}" \
    "http://127.0.0.1:$PORT/v1/jobs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])') || exit 1
for _ in $(seq 200); do
    curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/jobs/$JOB" | grep -q '"state":"completed"' && break
    sleep 0.1
done
# Three heavier jobs (22 qubits, 40 layers) keep the single worker busy, so the queue is not empty.
WIDE=$(python3 -c 'n=22; print("OPENQASM 2.0;\\ninclude \\\"qelib1.inc\\\";\\nqreg q[%d];\\ncreg c[%d];\\n" % (n, n) + "".join("h q[%d];\\ncx q[%d],q[%d];\\n" % (k % n, k % n, (k + 1) % n) for k in range(40 * n)) + "measure q -> c;\\n")')
for _ in 1 2 3; do
    curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "{\"items\": [{\"program\": \"$WIDE\", \"shots\": 100}]}" "http://127.0.0.1:$PORT/v1/jobs" > /dev/null || exit 1
done
FLAGS=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 --virtual-time-budget=2000)
for page in "" frequency; do
    name=dashboard${page:+-$page}
    url="http://127.0.0.1:$PORT/${page:+?color=$page}"
    "$CHROME" "${FLAGS[@]}" --dump-dom "$url" > "out/$name.html" 2> "$DIR/chrome.log" || { cat "$DIR/chrome.log"; exit 1; }
    "$CHROME" "${FLAGS[@]}" --screenshot="$PWD/out/$name.png" "$url" 2>> "$DIR/chrome.log" || { cat "$DIR/chrome.log"; exit 1; }
done
python3 - "$JOB" <<'PY'
import math, sys
from html.parser import HTMLParser
job = sys.argv[1]
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.qubits = []; self.couplers = []; self.ids = {}; self.text = []; self.where = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "circle" and a.get("class") == "qubit": self.qubits.append(a)
        if tag == "line" and a.get("class") == "coupler": self.couplers.append(a)
        if "id" in a: self.ids[a["id"]] = tag; self.where = a["id"]
    def handle_data(self, d):
        self.text.append(d)
        if self.where and d.strip(): self.ids[self.where] = d.strip(); self.where = None
problems = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok: problems.append(what)
def red(colour): return int(colour[1:3], 16)
def coloured_by_value(items, attr, name):
    """Equal values share a colour, larger values are never bluer, unmeasured ones are grey."""
    pairs = sorted((float(x["data-value"]), x[attr]) for x in items if not math.isnan(float(x["data-value"])))
    grey = [x[attr] for x in items if math.isnan(float(x["data-value"]))]
    same = all(c1 == c2 for (v1, c1), (v2, c2) in zip(pairs, pairs[1:]) if v1 == v2)
    monotone = all(red(c1) <= red(c2) for (_, c1), (_, c2) in zip(pairs, pairs[1:]))
    check(same and monotone and all(g == "#cccccc" for g in grey),
          f"{name} coloured by their calibrated value ({len(set(c for _, c in pairs))} colours for "
          f"{len(set(v for v, _ in pairs))} distinct values, {len(grey)} unmeasured in grey)")
for page in ["dashboard", "dashboard-frequency"]:
    print(f"-- out/{page}.html")
    p = P(); p.feed(open(f"out/{page}.html").read())
    text = " ".join(p.text)
    check(len(p.qubits) == 72 and len({q['data-qubit'] for q in p.qubits}) == 72, f"72 qubits drawn (found {len(p.qubits)})")
    check(len(p.couplers) == 126, f"126 couplers drawn (found {len(p.couplers)})")
    coloured_by_value(p.qubits, "fill", "qubits")
    coloured_by_value(p.couplers, "stroke", "couplers")
    check("chip" in p.ids and "legend" in p.ids, "chip map and legend present")
    queued, running = int(p.ids.get("queued-gate", "0")), int(p.ids.get("count-running", "0"))
    check(queued + running >= 1, f"the queue shows the waiting work (gate queued {queued}, running {running})")
    check("recent" in p.ids and job in text, f"the submitted job {job} is listed among recent jobs")
    check("completed" in text, "a completed job is shown")
p = P(); p.feed(open("out/dashboard-frequency.html").read())
check(len({q["fill"] for q in p.qubits}) >= 2, "the frequency map shows the calibrated frequency plan (more than one colour)")
sys.exit(1 if problems else 0)
PY
status=$?
echo "screenshots: out/dashboard.png (T1), out/dashboard-frequency.png; DOM: out/dashboard*.html"
exit $status
