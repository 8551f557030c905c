#!/usr/bin/env bash
# Dashboard check in a real headless browser (Debian chromium; not CI): starts a gateway on a throw-away
# store, submits a Bell job and waits for it, loads `/` in chromium, checks the rendered DOM (72 qubits
# and 126 couplers, both coloured by the calibration; the queue; the job among the recent jobs) and
# saves a screenshot. Usage: scripts/check-dashboard.sh [BINARY] → out/dashboard.png, out/dashboard.html
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
# A second job stays queued-or-running long enough to show in the queue figures (many shots, 16 qubits).
WIDE=$(python3 -c 'n=16; print("OPENQASM 2.0;\\ninclude \"qelib1.inc\";\\nqreg q[%d];\\ncreg c[%d];\\n" % (n, n) + "".join("h q[%d];\\n" % k for k in range(n)) + "measure q -> c;\\n")')
curl -sf -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "{\"items\": [{\"program\": \"$WIDE\", \"shots\": 10000}]}" "http://127.0.0.1:$PORT/v1/jobs" > /dev/null
FLAGS=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 --virtual-time-budget=2000)
"$CHROME" "${FLAGS[@]}" --dump-dom "http://127.0.0.1:$PORT/" > out/dashboard.html 2> "$DIR/chrome.log" || { cat "$DIR/chrome.log"; exit 1; }
"$CHROME" "${FLAGS[@]}" --screenshot="$PWD/out/dashboard.png" "http://127.0.0.1:$PORT/" 2>> "$DIR/chrome.log" || { cat "$DIR/chrome.log"; exit 1; }
python3 - "$JOB" <<'PY'
import re, sys
from html.parser import HTMLParser
job = sys.argv[1]
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.qubits = []; self.couplers = []; self.ids = {}; self.text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "circle" and a.get("class") == "qubit": self.qubits.append(a)
        if tag == "line" and a.get("class") == "coupler": self.couplers.append(a)
        if "id" in a: self.ids[a["id"]] = tag
    def handle_data(self, d): self.text.append(d)
p = P(); p.feed(open("out/dashboard.html").read())
text = " ".join(p.text)
problems = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok: problems.append(what)
check(len(p.qubits) == 72, f"72 qubits drawn (found {len(p.qubits)})")
check(len({q['data-qubit'] for q in p.qubits}) == 72, "each qubit once")
check(len(p.couplers) == 126, f"126 couplers drawn (found {len(p.couplers)})")
qcol = {q["fill"] for q in p.qubits}; ccol = {c["stroke"] for c in p.couplers}
check(len(qcol) > 10, f"qubits coloured by calibration ({len(qcol)} distinct fills)")
check(len(ccol) > 10, f"couplers coloured by calibration ({len(ccol)} distinct strokes)")
check("chip" in p.ids and "legend" in p.ids, "chip map and legend present")
check("queue" in p.ids and "queued-gate" in p.ids and "states" in p.ids, "queue section present")
check("recent" in p.ids and job in text, f"the submitted job {job} is listed among recent jobs")
check("completed" in text, "a completed job is shown")
sys.exit(1 if problems else 0)
PY
status=$?
echo "screenshot: out/dashboard.png; DOM: out/dashboard.html"
exit $status
