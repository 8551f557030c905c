#!/usr/bin/env bash
# Fuzz a fresh gateway (not CI): schemathesis (PyPI, throw-away venv .venv-fuzz) generates requests
# from the served /openapi.json and checks that no answer is a 5xx and that answers match the
# document; then scripts/fuzz/programs.py sends random and mutated program texts and bodies. Exits
# non-zero on any finding or when the server died. Usage:
#   scripts/fuzz/run.sh [BINARY]        (default .build/release/wukong, built when missing)
#   EXAMPLES=N ROUNDS=N FUZZ_SEED=S CHECKS=LIST PORT=P scripts/fuzz/run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/release/wukong}
[ -x "$BIN" ] || swift build -c release --product wukong || exit 1
VENV=.venv-fuzz
if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q schemathesis || exit 1
fi
DIR=$(mktemp -d)
PORT=${PORT:-18181}
"$BIN" serve --store "sqlite:$DIR/gateway.db" --port "$PORT" --workers 2 --rate 100000 --max-active-jobs 100000 \
    > "$DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 300); do grep -q listening "$DIR/server.log" && break; sleep 0.2; done
KEY=$(grep -o 'wk_[0-9a-f]*' "$DIR/server.log" | head -1)
[ -n "$KEY" ] || { echo "the gateway did not start:"; cat "$DIR/server.log"; exit 1; }
status=0
echo "== schemathesis against http://127.0.0.1:$PORT/openapi.json"
"$VENV/bin/st" run "http://127.0.0.1:$PORT/openapi.json" -H "Authorization: Bearer $KEY" \
    --checks "${CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}" \
    --max-examples "${EXAMPLES:-100}" --workers 2 --continue-on-failure --seed 20261123 --no-color \
    || status=1
echo "== program and body mutations"
python3 scripts/fuzz/programs.py "$PORT" "$KEY" --rounds "${ROUNDS:-2000}" || status=1
if ! kill -0 $PID 2>/dev/null; then
    echo "the gateway died; its log ($DIR/server.log, kept):"; grep -A40 -m1 "Crash\|Fatal\|fault" "$DIR/server.log" | head -60; status=1
fi
if grep -q "internal error" "$DIR/server.log"; then
    echo "internal errors in the server log:"; grep "internal error" "$DIR/server.log" | sort | uniq -c | head -20; status=1
fi
exit $status
