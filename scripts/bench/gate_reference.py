#!/usr/bin/env python3
"""Times the gate-level benchmark circuits on wukong and on the reference simulators, side by side.

The circuits are defined once, in Sources/WukongGateSim/GateBenchmarks.swift; `wukong bench gate
--export-qasm DIR` writes them as OpenQASM 2 and this script loads that file with Qiskit's
OpenQASM 2 reader, then hands the same gate list to every tool (a small converter per tool below),
so every tool runs the identical circuit. The ansatz is timed as an expectation value of the
observable exported beside it (`*.observable.json`).

Two modes:
  one   time one circuit on one tool in this process (threads fixed by the environment, which
        this script sets before importing the tool), print one JSON line;
  all   export the circuits with wukong, then run `one` in a fresh subprocess per (circuit, tool,
        threads) — so each thread setting reaches OpenMP before it starts, and each measurement has
        its own memory — interleaved per circuit, and print the table.

Timed region per tool (best of K, wall and process CPU time): from a constructed circuit object to
the final state in memory (or ⟨H⟩ for the ansatz). Parsing and conversion are outside it.
  wukong     lowering + gate fusion (window 2) + kernels        --threads T
  aer        AerSimulator(method="statevector").run(...).result()  max_parallel_threads=T (+ OMP)
  qulacs     QuantumCircuit.update_quantum_state(state)         QULACS_NUM_THREADS=T, OMP_NUM_THREADS=T
  qsim       QSimSimulator.simulate / simulate_expectation_values  QSimOptions(cpu_threads=T)
  lightning  qml.execute([tape], lightning.qubit)                OMP_NUM_THREADS=T (0.45 gates: 1 thread)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

TOOLS = ["aer", "qulacs", "qsim", "lightning"]


def set_thread_environment(threads: int) -> None:
    """Must run before any tool is imported: OpenMP reads these once, at start-up."""
    for var in ("OMP_NUM_THREADS", "QULACS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)


# ---------------------------------------------------------------- circuit loading (Qiskit's reader)

def load_qasm(path: str):
    """Returns (n, ops) with ops = [(name, [qubits], [params], matrix or None)] from OpenQASM 2."""
    from qiskit import qasm2
    from qiskit.quantum_info import Operator
    qc = qasm2.load(path, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    ops = []
    for inst in qc.data:
        name = inst.operation.name
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        params = [float(p) for p in inst.operation.params]
        matrix = Operator(inst.operation).data if name == "u3" else None
        ops.append((name, qubits, params, matrix))
    return qc, ops


def load_observable(qasm_path: str):
    """[(coefficient, letters)] with qubit 0 the rightmost letter (Qiskit's label order), or None."""
    path = qasm_path[: -len(".qasm")] + ".observable.json"
    if not os.path.exists(path):
        return None
    with open(path) as f:
        doc = json.load(f)
    return [(float(c), str(p)) for c, p in doc["terms"]]


def pauli_factors(letters: str):
    """'IZZ' -> [(0, 'Z'), (1, 'Z')] (qubit 0 rightmost)."""
    return [(q, ch) for q, ch in enumerate(reversed(letters)) if ch != "I"]


# ---------------------------------------------------------------- per-tool runners
# Each returns a zero-argument callable that does the timed work and returns ⟨H⟩ or None.

def runner_aer(qc, ops, observable, threads):
    from qiskit_aer import AerSimulator
    from qiskit.quantum_info import SparsePauliOp
    sim = AerSimulator(method="statevector", max_parallel_threads=threads)
    circ = qc.copy()
    if observable is None:
        circ.save_statevector()
    else:
        circ.save_expectation_value(SparsePauliOp.from_list([(p, c) for c, p in observable]), list(range(qc.num_qubits)))

    def run():
        result = sim.run(circ).result()
        if observable is None:
            result.get_statevector()
            return None
        return float(result.data(0)["expectation_value"].real)
    return run


def runner_qulacs(qc, ops, observable, threads):
    import qulacs
    from qulacs import gate as G
    n = qc.num_qubits
    circuit = qulacs.QuantumCircuit(n)
    for name, qs, ps, m in ops:
        if name == "h":
            circuit.add_gate(G.H(qs[0]))
        elif name in ("cu1", "cp"):
            g = G.U1(qs[1], ps[0])
            g.add_control_qubit(qs[0], 1)
            circuit.add_gate(g)
        elif name == "swap":
            circuit.add_gate(G.SWAP(qs[0], qs[1]))
        elif name == "cx":
            circuit.add_gate(G.CNOT(qs[0], qs[1]))
        elif name == "cz":
            circuit.add_gate(G.CZ(qs[0], qs[1]))
        elif name == "u3":
            circuit.add_gate(G.U3(qs[0], *ps))
        elif name == "ry":
            # qulacs' RY/RZ are exp(+iθP/2); RotY/RotZ are the standard exp(−iθP/2) of Qiskit.
            circuit.add_gate(G.RotY(qs[0], ps[0]))
        elif name == "rz":
            circuit.add_gate(G.RotZ(qs[0], ps[0]))
        else:
            raise ValueError(f"qulacs converter: gate {name} not mapped")
    obs = None
    if observable is not None:
        obs = qulacs.Observable(n)
        for c, p in observable:
            obs.add_operator(c, " ".join(f"{ch} {q}" for q, ch in pauli_factors(p)))
    state = qulacs.QuantumState(n)

    def run():
        state.set_zero_state()
        circuit.update_quantum_state(state)
        return None if obs is None else float(obs.get_expectation_value(state))
    return run


def runner_qsim(qc, ops, observable, threads):
    import cirq
    import qsimcirq
    n = qc.num_qubits
    q = cirq.LineQubit.range(n)
    moments = []
    for name, qs, ps, m in ops:
        if name == "h":
            moments.append(cirq.H(q[qs[0]]))
        elif name in ("cu1", "cp"):
            moments.append(cirq.CZPowGate(exponent=ps[0] / math.pi)(q[qs[0]], q[qs[1]]))
        elif name == "swap":
            moments.append(cirq.SWAP(q[qs[0]], q[qs[1]]))
        elif name == "cx":
            moments.append(cirq.CNOT(q[qs[0]], q[qs[1]]))
        elif name == "cz":
            moments.append(cirq.CZ(q[qs[0]], q[qs[1]]))
        elif name == "u3":
            moments.append(cirq.MatrixGate(m)(q[qs[0]]))
        elif name == "ry":
            moments.append(cirq.ry(ps[0])(q[qs[0]]))
        elif name == "rz":
            moments.append(cirq.rz(ps[0])(q[qs[0]]))
        else:
            raise ValueError(f"qsim converter: gate {name} not mapped")
    circuit = cirq.Circuit(moments)
    # Keep every qubit in the circuit even if a generator left one idle.
    sim = qsimcirq.QSimSimulator(qsimcirq.QSimOptions(cpu_threads=threads))
    psum = None
    if observable is not None:
        psum = 0
        for c, p in observable:
            term = cirq.PauliString({q[i]: getattr(cirq, ch) for i, ch in pauli_factors(p)}, coefficient=c)
            psum = psum + term

    def run():
        if psum is None:
            sim.simulate(circuit, qubit_order=q).final_state_vector
            return None
        return float(sim.simulate_expectation_values(circuit, observables=[psum], qubit_order=q)[0].real)
    return run


def runner_lightning(qc, ops, observable, threads):
    import pennylane as qml
    n = qc.num_qubits
    dev = qml.device("lightning.qubit", wires=n)
    tape_ops = []
    for name, qs, ps, m in ops:
        if name == "h":
            tape_ops.append(qml.Hadamard(wires=qs[0]))
        elif name in ("cu1", "cp"):
            tape_ops.append(qml.ControlledPhaseShift(ps[0], wires=[qs[0], qs[1]]))
        elif name == "swap":
            tape_ops.append(qml.SWAP(wires=qs))
        elif name == "cx":
            tape_ops.append(qml.CNOT(wires=qs))
        elif name == "cz":
            tape_ops.append(qml.CZ(wires=qs))
        elif name == "u3":
            tape_ops.append(qml.U3(*ps, wires=qs[0]))
        elif name == "ry":
            tape_ops.append(qml.RY(ps[0], wires=qs[0]))
        elif name == "rz":
            tape_ops.append(qml.RZ(ps[0], wires=qs[0]))
        else:
            raise ValueError(f"lightning converter: gate {name} not mapped")
    if observable is None:
        measurement = qml.state()
    else:
        pauli = {"X": qml.PauliX, "Y": qml.PauliY, "Z": qml.PauliZ}
        terms = []
        for c, p in observable:
            factors = [pauli[ch](i) for i, ch in pauli_factors(p)]
            terms.append(c * qml.prod(*factors) if len(factors) > 1 else c * factors[0])
        measurement = qml.expval(qml.sum(*terms))
    # Wires in register order so that wire k is qubit k of the circuit.
    tape = qml.tape.QuantumScript(tape_ops, [measurement], shots=None)

    def run():
        out = qml.execute([tape], dev, diff_method=None)[0]
        return None if observable is None else float(out)
    return run


RUNNERS = {"aer": runner_aer, "qulacs": runner_qulacs, "qsim": runner_qsim, "lightning": runner_lightning}


def tool_version(tool: str) -> str:
    from importlib.metadata import version
    pkg = {"aer": "qiskit-aer", "qulacs": "qulacs", "qsim": "qsimcirq", "lightning": "pennylane-lightning"}[tool]
    try:
        return version(pkg)
    except Exception:
        return "?"


def time_one(tool: str, qasm: str, threads: int, repeat: int) -> dict:
    qc, ops = load_qasm(qasm)
    observable = load_observable(qasm)
    run = RUNNERS[tool](qc, ops, observable, threads)
    walls, cpus, value = [], [], None
    for _ in range(max(1, repeat)):
        c0, t0 = time.process_time(), time.perf_counter()
        value = run()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    best = min(range(len(walls)), key=walls.__getitem__)
    return {"tool": tool, "version": tool_version(tool), "threads": threads, "qasm": qasm,
            "best_wall_s": walls[best], "cpu_s_at_best": cpus[best], "wall_s": walls, "cpu_s": cpus,
            "expectation": value, "loadavg": loadavg()}


# ---------------------------------------------------------------- orchestration

def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().strip()
    except OSError:
        return "n/a"


def run_json(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> dict:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    # Tools may print warnings before the JSON; the JSON is either the whole output or its last line.
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main_all(args) -> int:
    circuits = [c for c in args.circuits.split(",") if c]
    threads = [int(t) for t in args.threads.split(",")]
    tools = [t for t in args.tools.split(",") if t]
    os.makedirs(args.dir, exist_ok=True)
    subprocess.run([args.wukong, "bench", "gate", "--circuits", ",".join(circuits), "--seed", str(args.seed),
                    "--export-qasm", args.dir, "--export-only"], check=True)
    print(f"loadavg at start: {loadavg()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')!r} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '')!r} (left as set; no tool here times BLAS)")
    rows = []
    for spec in circuits:
        stem = spec.replace(":", "_")
        qasm = os.path.join(args.dir, stem + ".qasm")
        for t in threads:
            w = run_json([args.wukong, "bench", "gate", "--circuits", spec, "--threads", str(t),
                          "--repeat", str(args.repeat), "--seed", str(args.seed), "--json"])
            wr = w["results"][0]
            wrow = {"circuit": spec, "tool": "wukong", "threads": t, "best_wall_s": wr["best_wall_s"],
                    "cpu_s_at_best": wr["cpu_s_at_best"], "expectation": wr.get("expectation"),
                    "loadavg": wr["loadavg"], "gradient": wr.get("gradient")}
            rows.append(wrow)
            print(f"  {spec:18s} wukong    T={t} {wr['best_wall_s']:.4f} s  (load {wr['loadavg'].split()[0]})", flush=True)
            for tool in tools:
                env = dict(os.environ)
                for var in ("OMP_NUM_THREADS", "QULACS_NUM_THREADS", "MKL_NUM_THREADS"):
                    env[var] = str(t)
                try:
                    r = run_json([sys.executable, __file__, "one", "--tool", tool, "--qasm", qasm,
                                  "--threads", str(t), "--repeat", str(args.repeat)], env=env, timeout=args.timeout)
                    row = {"circuit": spec, "tool": tool, "threads": t, "best_wall_s": r["best_wall_s"],
                           "cpu_s_at_best": r["cpu_s_at_best"], "expectation": r["expectation"],
                           "loadavg": r["loadavg"], "version": r["version"]}
                    print(f"  {spec:18s} {tool:9s} T={t} {r['best_wall_s']:.4f} s  (load {r['loadavg'].split()[0]})", flush=True)
                except Exception as e:  # a tool that fails is reported and the run goes on
                    row = {"circuit": spec, "tool": tool, "threads": t, "error": str(e)[-300:]}
                    print(f"  {spec:18s} {tool:9s} T={t} FAILED: {str(e)[-300:]}", flush=True)
                rows.append(row)
    print_table(rows)
    if args.output:
        with open(args.output, "w") as f:
            json.dump({"rows": rows, "loadavg_end": loadavg()}, f, indent=1)
    print(f"loadavg at end: {loadavg()}")
    return 0


def print_table(rows: list[dict]) -> None:
    print()
    print("Gate-level benchmark: best wall time of K runs; cpu = process CPU time of that run;")
    print("ratio = wukong / tool at the same circuit and threads (< 1: wukong faster; goal: < 1.0 everywhere)")
    header = f"{'circuit':18s} {'tool':10s} {'thr':>3s} {'seconds':>10s} {'cpu s':>9s} {'ratio w/t':>9s}  {'<H> / note':s}"
    print(header)
    print("-" * len(header))
    wukong = {(r["circuit"], r["threads"]): r for r in rows if r["tool"] == "wukong"}
    for r in rows:
        w = wukong.get((r["circuit"], r["threads"]))
        if "error" in r:
            print(f"{r['circuit']:18s} {r['tool']:10s} {r['threads']:3d} {'failed':>10s} {'':>9s} {'':>9s}  {r['error'][:60]}")
            continue
        ratio = "" if r["tool"] == "wukong" or w is None else f"{w['best_wall_s'] / r['best_wall_s']:.3f}"
        note = ""
        if r.get("expectation") is not None:
            note = f"{r['expectation']:.10f}"
            if w is not None and w.get("expectation") is not None and r["tool"] != "wukong":
                note += f" (Δ {abs(r['expectation'] - w['expectation']):.1e})"
        if r["tool"] == "wukong" and r.get("gradient"):
            note += "  gradient: hook"
        print(f"{r['circuit']:18s} {r['tool']:10s} {r['threads']:3d} {r['best_wall_s']:10.5f} "
              f"{r['cpu_s_at_best']:9.3f} {ratio:>9s}  {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    one = sub.add_parser("one", help="time one circuit on one tool")
    one.add_argument("--tool", choices=TOOLS, required=True)
    one.add_argument("--qasm", required=True)
    one.add_argument("--threads", type=int, default=1)
    one.add_argument("--repeat", type=int, default=3)
    al = sub.add_parser("all", help="export, time every tool, print the table")
    al.add_argument("--wukong", required=True, help="path of the release wukong binary")
    al.add_argument("--dir", required=True, help="directory for the exported circuits")
    al.add_argument("--circuits", required=True, help="comma-separated, e.g. qft:20,ansatz:12x8")
    al.add_argument("--threads", default="1,2")
    al.add_argument("--repeat", type=int, default=3)
    al.add_argument("--seed", type=int, default=2026)
    al.add_argument("--tools", default=",".join(TOOLS))
    al.add_argument("--timeout", type=float, default=3600, help="seconds per tool measurement")
    al.add_argument("--output", help="also write the rows as JSON here")
    args = parser.parse_args()
    if args.mode == "one":
        set_thread_environment(args.threads)
        print(json.dumps(time_one(args.tool, args.qasm, args.threads, args.repeat)))
        return 0
    return main_all(args)


if __name__ == "__main__":
    sys.exit(main())
