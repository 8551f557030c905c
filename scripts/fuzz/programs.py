#!/usr/bin/env python3
# Random and mutated submissions against a running gateway (not CI): program texts (OpenQASM 2,
# OpenQASM 3, OriginIR, JSON pulse schedules when the gateway takes them) mutated by byte flips,
# token splices, line edits, extreme numbers and truncation, plus JSON bodies with confused types.
# Fails (exit 1) on any 5xx, on an error without the {"error": {"code", "message"}} shape, on a
# response that names an internal Swift type or a stack frame, or when the server stops answering.
# Accepted jobs are left to run (small shots); the script waits for the queue to drain and checks the
# server is still up, so a program that crashes a worker is caught too.
# Usage: scripts/fuzz/programs.py PORT API_KEY [--rounds N] [--seed S]
import argparse, http.client, json, os, random, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("key")
ap.add_argument("--rounds", type=int, default=2000)
ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "20261123")))
args = ap.parse_args()
rng = random.Random(args.seed)
HDR = {"Authorization": "Bearer " + args.key, "Content-Type": "application/json"}

CORPUS = {
    "openqasm2": [
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n',
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\ngate my(t) a,b { rz(t/2) a; cx a,b; u3(pi,0,t) b; }\n'
        'my(0.3) q[0],q[1];\nbarrier q;\nccx q[0],q[1],q[2];\nmeasure q[0] -> c[0];\nif(c==1) x q[2];\nmeasure q -> c;\n',
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg a[2];\nqreg b[1];\ncreg m[3];\nu2(0,pi) a[0];\ncu1(pi/4) a[0],b[0];\n'
        'swap a[1],b[0];\nreset a[0];\nmeasure a[0] -> m[0];\nmeasure b[0] -> m[2];\n',
    ],
    "openqasm3": [
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\nqubit[2] q;\nbit[2] c;\nrx(theta) q[0];\ncx q[0], q[1];\nc = measure q;\n',
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\nbit[3] c;\nh q[0];\nctrl @ x q[0], q[1];\ninv @ s q[2];\n'
        'for int i in [0:1] { cx q[i], q[i+1]; }\nc[0] = measure q[0];\nif (c[0]) { x q[2]; }\nc = measure q;\n',
    ],
    "originir": [
        "QINIT 3\nCREG 3\nH q[0]\nCNOT q[0],q[1]\nCNOT q[1],q[2]\nMEASURE q[0],c[0]\nMEASURE q[1],c[1]\nMEASURE q[2],c[2]\n",
        "QINIT 2\nCREG 2\nRX q[0],(0.5)\nDAGGER\nS q[1]\nENDDAGGER\nCONTROL q[0]\nX q[1]\nENDCONTROL\nCZ q[0],q[1]\nMEASURE q[0],c[0]\nMEASURE q[1],c[1]\n",
    ],
}
SCHEDULE = json.dumps({
    "version": 1, "elements": ["q0"],
    "instructions": [
        {"op": "play", "channel": "q0.drive", "envelope": {"shape": "drag", "duration_ns": 20, "amp": 0.5, "sigma_ns": 5, "beta_ns": 0.2}},
        {"op": "acquire", "channel": "q0.readout", "duration_ns": 200},
    ],
})
TOKENS = ["qreg", "creg", "qubit", "bit", "measure", "->", "[", "]", "(", ")", "{", "}", ";", ",", "pi", "1e308", "-", "/", "*", "^",
          "0", "99999999999", "-1", "gate", "U(", "cx", "OPENQASM 3.0;", "OPENQASM 2.0;", "include", '"qelib1.inc"', "input float",
          "QINIT", "CREG", "CONTROL", "DAGGER", "ENDDAGGER", "ENDCONTROL", "QGATE", "MEASURE", "if", "for", "while", "defcal", "cal",
          "\u00e9", "\u0000", "\t", "\n", "//", "/*", "*/", "@", "ctrl", "inv", "pow(", "nan", "inf", "1e-400", "2147483648",
          "q[0]", "c[0]", "$0", "duration", "stretch", "delay[10ns]", "barrier", "reset", "opaque", "x" * 300]
EXTREMES = ["0", "-0", "1e308", "1e400", "-1e400", "nan", "inf", "99999999999999999999", "2147483648", "-2147483649",
            "0.0000000000000000000001", "31", "72", "73", "1024", "100000"]


def mutate(text):
    b = bytearray(text.encode("utf-8", "surrogatepass"))
    op = rng.randrange(7)
    if op == 0 and b:  # flip bytes
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return b.decode("utf-8", "replace")
    if op == 1:  # splice tokens
        s = text
        for _ in range(rng.randint(1, 4)):
            k = rng.randrange(len(s) + 1)
            s = s[:k] + rng.choice(TOKENS) + s[k:]
        return s
    lines = text.split("\n")
    if op == 2 and lines:  # duplicate, delete or swap lines
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(lines))
            choice = rng.randrange(3)
            if choice == 0:
                lines.insert(k, lines[k] * rng.choice([1, 2, 50]))
            elif choice == 1 and len(lines) > 1:
                del lines[k]
            else:
                j = rng.randrange(len(lines))
                lines[k], lines[j] = lines[j], lines[k]
        return "\n".join(lines)
    if op == 3:  # replace a number with an extreme
        import re
        nums = list(re.finditer(r"\d+(\.\d+)?", text))
        if nums:
            m = rng.choice(nums)
            return text[:m.start()] + rng.choice(EXTREMES) + text[m.end():]
        return text
    if op == 4:  # truncate
        return text[: rng.randrange(len(text) + 1)]
    if op == 5:  # deep nesting
        n = rng.choice([50, 500, 5000])
        k = rng.randrange(len(text) + 1)
        return text[:k] + "(" * n + "1" + ")" * n + text[k:]
    return "".join(rng.choice(TOKENS + [" ", "\n"]) for _ in range(rng.randint(1, 60)))  # random token soup


def body_for(program, language):
    item = {"program": program, "shots": rng.choice([1, 8, 16])}
    if rng.random() < 0.7:
        item["language"] = language
    if rng.random() < 0.2:
        item["memory"] = True
    if rng.random() < 0.2:
        item["parameters"] = rng.choice([{"theta": 0.1}, [{"theta": 1}, {"theta": 2}], {"theta": "x"}, [], [{}], {"theta": 1e308}])
    body = {"items": [item]}
    if language == "schedule" or rng.random() < 0.15:
        body["backend"] = "pulse"
    return body


def confuse(body):
    """Replace one field anywhere in the body by a value of another type."""
    values = [None, 0, -1, 1.5, 1e308, "x", "", [], {}, [1], {"a": 1}, True, "\u0000", "9" * 30]
    b = json.loads(json.dumps(body))
    target = rng.choice(["items", "item", "backend", "noise", "seed", "tags", "calibration_id", "root"])
    if target == "root":
        return rng.choice(values)
    if target == "item":
        b["items"][0][rng.choice(["program", "language", "shots", "memory", "parameters", "iq"])] = rng.choice(values)
    else:
        b[target] = rng.choice(values)
    return b


conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)


def post(raw):
    global conn
    try:
        conn.request("POST", "/v1/jobs", raw, HDR)
        r = conn.getresponse()
        return r.status, r.read()
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
        return None, str(e).encode()


languages = list(CORPUS)
# Does this gateway take JSON pulse schedules?
status, _ = post(json.dumps({"backend": "pulse", "items": [{"program": SCHEDULE, "language": "schedule", "shots": 4}]}))
if status == 201:
    CORPUS["schedule"] = [SCHEDULE]
    languages.append("schedule")
statuses, failures = {}, []
for round in range(args.rounds):
    language = rng.choice(languages)
    program = rng.choice(CORPUS[language])
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        program = mutate(program)
    body = body_for(program, language)
    if rng.random() < 0.2:
        body = confuse(body)
    raw = json.dumps(body)
    if rng.random() < 0.05:  # broken JSON text
        raw = mutate(raw)
    status, text = post(raw.encode("utf-8", "surrogatepass"))
    statuses[status] = statuses.get(status, 0) + 1
    problem = None
    if status is None:
        problem = "no response (connection failed): " + text.decode()
    elif status >= 500:
        problem = f"HTTP {status}"
    elif status >= 400:
        try:
            e = json.loads(text)["error"]
            assert isinstance(e["code"], str) and isinstance(e["message"], str)
        except Exception:
            problem = "error without the JSON error shape"
    if status is not None and (b"Swift." in text or b"Fatal error" in text or b".swift:" in text):
        problem = "internal detail in the response"
    if problem:
        failures.append((round, problem, raw[:300], text[:300]))
        print(f"round {round}: {problem}\n  body {raw[:300]!r}\n  answer {text[:300]!r}", file=sys.stderr)
    if status is None:
        break
# Let accepted jobs run, then check the server is alive and no job is stuck.
deadline = time.time() + 600
while time.time() < deadline:
    try:
        conn.request("GET", "/healthz")
        h = json.loads(conn.getresponse().read())
    except Exception as e:
        failures.append((-1, f"server down after the fuzz run: {e}", "", b""))
        break
    if h["queued"] == 0 and h["running"] == 0:
        break
    time.sleep(0.5)
else:
    failures.append((-1, "jobs still queued or running after 600 s", "", b""))
conn.request("GET", "/v1/jobs?limit=500", headers=HDR)
jobs = json.loads(conn.getresponse().read())["jobs"]
by_state = {}
for j in jobs:
    by_state[j["state"]] = by_state.get(j["state"], 0) + 1
print(f"program fuzz: {args.rounds} submissions (seed {args.seed}, languages {', '.join(languages)}); statuses "
      f"{dict(sorted((str(k), v) for k, v in statuses.items()))}; last {len(jobs)} jobs by state {by_state}; failures {len(failures)}")
sys.exit(1 if failures else 0)
