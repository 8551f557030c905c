#!/usr/bin/env python3
# Load check of a running gateway (not CI).
#  1. Accepted small submissions per second: C client processes (default 8), each on one keep-alive
#     connection, POST a 2-qubit Bell job (100 shots) N times (default 300 each).
#  2. Wall time of one batch of 200 eight-qubit circuits x 1000 shots, submitted once the queue is empty.
# The load generator shares the machine with the server: its CPU time (user+sys of every client
# process) is printed next to the rate, and with --server-pid so is the server's, so a figure can be read
# against what the machine had left. Start the gateway with a high rate limit and quota, e.g.
#   wukong serve --workers 2 --rate 100000 --max-active-jobs 100000
# Usage: scripts/gateway-load.py PORT API_KEY [--clients C] [--requests N] [--server-pid PID] [--no-batch]
import argparse, http.client, json, multiprocessing as mp, os, resource, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("port", type=int)
ap.add_argument("key")
ap.add_argument("--clients", type=int, default=8)
ap.add_argument("--requests", type=int, default=300, help="submissions per client")
ap.add_argument("--server-pid", type=int)
ap.add_argument("--no-batch", action="store_true")
args = ap.parse_args()

bell = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'
hdr = {"Authorization": "Bearer " + args.key, "Content-Type": "application/json"}
small = json.dumps({"items": [{"program": bell, "shots": 100}]})


def server_cpu():
    if not args.server_pid:
        return None
    with open(f"/proc/{args.server_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client(n, start, out):
    c = http.client.HTTPConnection("127.0.0.1", args.port)
    c.connect()
    statuses = {}
    start.wait()
    for _ in range(n):
        c.request("POST", "/v1/jobs", small, hdr)
        r = c.getresponse()
        r.read()
        statuses[r.status] = statuses.get(r.status, 0) + 1
    out.put(statuses)


ctx = mp.get_context("fork")
start, out = ctx.Event(), ctx.Queue()
procs = [ctx.Process(target=client, args=(args.requests, start, out)) for _ in range(args.clients)]
for p in procs:
    p.start()
time.sleep(0.5)  # connections open, processes ready
s0, load0 = server_cpu(), os.getloadavg()[0]
t = time.time()
start.set()
statuses = {}
for _ in procs:
    for k, v in out.get().items():
        statuses[k] = statuses.get(k, 0) + v
dt = time.time() - t
s1 = server_cpu()
for p in procs:
    p.join()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
total = sum(statuses.values())
accepted = statuses.get(201, 0)
print(f"small submissions: {total} from {args.clients} clients in {dt:.2f} s = {total/dt:.0f}/s answered, "
      f"{accepted/dt:.0f}/s accepted (201); statuses {dict(sorted(statuses.items()))} (429 = the key's rate limit or job quota)")
print(f"  load generator CPU {ru.ru_utime + ru.ru_stime:.2f} s ({(ru.ru_utime + ru.ru_stime) / dt * 100:.0f}% of one core)"
      + (f"; server CPU {s1 - s0:.2f} s ({(s1 - s0) / dt * 100:.0f}% of one core, workers included)" if s0 is not None else "")
      + f"; machine load average at start {load0:.1f} on {os.cpu_count()} cores")
if args.no_batch:
    sys.exit(0)

n = 8
prog = ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[8];\ncreg c[8];\n' + ''.join(f'h q[{k}];\n' for k in range(n))
        + ''.join(f'cx q[{k}],q[{k+1}];\nrz(0.{k+1}) q[{k+1}];\n' for k in range(n - 1)) + 'measure q -> c;\n')
c = http.client.HTTPConnection("127.0.0.1", args.port)
drain = time.time()
while True:  # let the small jobs drain first
    c.request("GET", "/healthz")
    h = json.loads(c.getresponse().read())
    if h["queued"] == 0 and h["running"] == 0:
        break
    time.sleep(0.1)
print(f"  (workers drained the small jobs {time.time() - drain:.1f} s after the last submission)")
t = time.time()
c.request("POST", "/v1/jobs", json.dumps({"items": [{"program": prog, "shots": 1000}] * 200}), hdr)
resp = c.getresponse()
job = json.loads(resp.read())
t_sub = time.time() - t
if resp.status != 201:
    sys.exit(f"batch submission refused: HTTP {resp.status} {job}")
while True:
    c.request("GET", "/v1/jobs/" + job["id"], headers=hdr)
    j = json.loads(c.getresponse().read())
    if j["state"] in ("completed", "failed", "cancelled"):
        break
    time.sleep(0.02)
print(f"batch 200 x 8-qubit x 1000 shots: submit {t_sub:.2f} s, done after {time.time()-t:.2f} s wall "
      f"({j['state']}, run {j['timing'].get('run_seconds')})")
