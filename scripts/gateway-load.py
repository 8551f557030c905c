#!/usr/bin/env python3
# Load check of a running gateway (not CI): accepted small submissions per second from 4 clients, and the
# wall time of one batch of 200 eight-qubit circuits x 1000 shots. Usage: scripts/gateway-load.py PORT API_KEY
import json, sys, time, threading, http.client
port, key = int(sys.argv[1]), sys.argv[2]
bell = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
hdr = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
def worker(n, out):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(n):
        c.request("POST", "/v1/jobs", json.dumps({"items": [{"program": bell, "shots": 100}]}), hdr)
        r = c.getresponse(); r.read(); out.append(r.status)
out = []; t = time.time()
ths = [threading.Thread(target=worker, args=(150, out)) for _ in range(4)]
[x.start() for x in ths]; [x.join() for x in ths]
dt = time.time() - t
accepted = out.count(201)
print(f"small submissions: {len(out)} in {dt:.2f} s = {len(out)/dt:.0f}/s answered, {accepted/dt:.0f}/s accepted (201); "
      f"statuses {dict((s, out.count(s)) for s in sorted(set(out)))} (429 = the key's rate limit or job quota)")
n = 8
prog = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[8];\ncreg c[8];\n' + ''.join(f'h q[{k}];\n' for k in range(n)) + ''.join(f'cx q[{k}],q[{k+1}];\nrz(0.{k+1}) q[{k+1}];\n' for k in range(n-1)) + 'measure q -> c;\n'
# wait for the small jobs to drain first
c = http.client.HTTPConnection("127.0.0.1", port)
while True:
    c.request("GET", "/healthz"); h = json.loads(c.getresponse().read())
    if h["queued"] == 0 and h["running"] == 0: break
    time.sleep(0.1)
t = time.time()
c.request("POST", "/v1/jobs", json.dumps({"items": [{"program": prog, "shots": 1000}] * 200}), hdr)
resp = c.getresponse(); job = json.loads(resp.read()); t_sub = time.time() - t
if resp.status != 201:
    sys.exit(f"batch submission refused: HTTP {resp.status} {job}")
while True:
    c.request("GET", "/v1/jobs/" + job["id"], headers=hdr); j = json.loads(c.getresponse().read())
    if j["state"] in ("completed", "failed", "cancelled"): break
    time.sleep(0.02)
print(f"batch 200 x 8-qubit x 1000 shots: submit {t_sub:.2f} s, done after {time.time()-t:.2f} s wall ({j['state']}, run {j['timing'].get('run_seconds')})")
