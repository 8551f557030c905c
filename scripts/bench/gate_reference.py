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

Three kinds of figure (`one --kind`):
  state     the final state (or ⟨H⟩ for the ansatz), every tool;
  gradient  the full gradient ∂⟨H⟩/∂θ of the ansatz (θ_k = the k-th ry/rz of the exported circuit, the
            order of wukong's theta_k):
              wukong     adjoint (CompiledCircuit.gradient, .adjoint), compilation included
              lightning  adjoint: lightning.qubit execute_and_compute_derivatives with
                         ExecutionConfig(gradient_method="adjoint") (the device call under a
                         diff_method="adjoint" QNode, without the autodiff-framework layer)
              qulacs     ParametricQuantumCircuit.backprop(observable) (reverse mode, double)
              aer        parameter shift by hand: EstimatorV2 (exact, statevector) on one PUB of
                         2P shifted parameter sets, ∂_k = [f(θ+π/2 e_k) − f(θ−π/2 e_k)]/2 (qiskit 2.6 has
                         no gradient module; qiskit-algorithms' ReverseEstimatorGradient is not installed),
                         skipped above --grad-ps-max-qubits
              qsim       none (no gradient API; single precision anyway)
  noisy     brickwork N×L on a density matrix with depolarizing(p1) after every u3 and depolarizing(p2)
            on 2 qubits after every cz; wukong's DensityMatrix against AerSimulator(method=
            "density_matrix") with a NoiseModel of the same errors on basis gates u3, cz; the figures
            compared are Tr ρ² and ⟨Z₀⟩ (Qulacs' density matrix is left out: 73–87 s at this size,
            reference/gate-tools.md; the others have no density matrix).

Timed region per tool (best of K, wall and process CPU time): from a constructed circuit object to
the final state in memory (or ⟨H⟩ for the ansatz, the gradient, the final ρ). Parsing and
conversion, and the figures computed from the result, are outside it.
  wukong     lowering + gate fusion (window 2) + kernels        --threads T
  wukong-single  the same in complex float (--precision single; the ansatz's <H> summed in double)
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


def rotation_angles(ops):
    """The ry/rz angles in circuit order: θ_k of the ansatz (wukong's theta_k)."""
    return [ps[0] for name, qs, ps, m in ops if name in ("ry", "rz")]


def grad_runner_lightning(qc, ops, observable, threads):
    import pennylane as qml
    from pennylane.devices import ExecutionConfig
    n = qc.num_qubits
    dev = qml.device("lightning.qubit", wires=n)
    gates = {"ry": qml.RY, "rz": qml.RZ, "cz": qml.CZ, "cx": qml.CNOT}
    tape_ops = []
    for name, qs, ps, m in ops:
        if name not in gates:
            raise ValueError(f"lightning gradient converter: gate {name} not mapped")
        tape_ops.append(gates[name](*ps, wires=qs) if ps else gates[name](wires=qs))
    pauli = {"X": qml.PauliX, "Y": qml.PauliY, "Z": qml.PauliZ}
    terms = []
    for c, p in observable:
        factors = [pauli[ch](i) for i, ch in pauli_factors(p)]
        terms.append(c * qml.prod(*factors) if len(factors) > 1 else c * factors[0])
    tape = qml.tape.QuantumScript(tape_ops, [qml.expval(qml.sum(*terms))], shots=None)
    tape.trainable_params = list(range(len(rotation_angles(ops))))
    config = dev.setup_execution_config(ExecutionConfig(gradient_method="adjoint"))

    def run():
        results, jacs = dev.execute_and_compute_derivatives((tape,), config)
        return float(results[0]), [float(v) for v in jacs[0]]
    return run


def grad_runner_qulacs(qc, ops, observable, threads):
    import qulacs
    n = qc.num_qubits
    circuit = qulacs.ParametricQuantumCircuit(n)
    for name, qs, ps, m in ops:
        # Parametric RY/RZ are exp(+iθP/2) in Qulacs: pass −θ, and negate the gradient.
        if name == "ry":
            circuit.add_parametric_RY_gate(qs[0], -ps[0])
        elif name == "rz":
            circuit.add_parametric_RZ_gate(qs[0], -ps[0])
        elif name == "cz":
            circuit.add_CZ_gate(qs[0], qs[1])
        elif name == "cx":
            circuit.add_CNOT_gate(qs[0], qs[1])
        else:
            raise ValueError(f"qulacs gradient converter: gate {name} not mapped")
    obs = qulacs.Observable(n)
    for c, p in observable:
        obs.add_operator(c, " ".join(f"{ch} {q}" for q, ch in pauli_factors(p)))
    state = qulacs.QuantumState(n)

    def run():
        grad = circuit.backprop(obs)
        # backprop gives the gradient only; ⟨H⟩ (one more forward pass) is outside the figure's
        # point but cheap, and lets the table check the circuit.
        return None, [-float(g) for g in grad]

    def value():
        state.set_zero_state()
        circuit.update_quantum_state(state)
        return float(obs.get_expectation_value(state))
    run.value = value
    return run


def grad_runner_aer(qc, ops, observable, threads):
    import numpy as np
    from qiskit import QuantumCircuit
    from qiskit.circuit import ParameterVector
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_aer.primitives import EstimatorV2
    n = qc.num_qubits
    theta0 = np.array(rotation_angles(ops))
    P = len(theta0)
    theta = ParameterVector("theta", P)
    circ = QuantumCircuit(n)
    k = 0
    for name, qs, ps, m in ops:
        if name in ("ry", "rz"):
            getattr(circ, name)(theta[k], qs[0])
            k += 1
        elif name in ("cz", "cx"):
            getattr(circ, name)(qs[0], qs[1])
        else:
            raise ValueError(f"aer gradient converter: gate {name} not mapped")
    obs = SparsePauliOp.from_list([(p, c) for c, p in observable])
    est = EstimatorV2(options={"default_precision": 0.0,
                               "backend_options": {"method": "statevector", "max_parallel_threads": threads}})
    shifts = np.tile(theta0, (2 * P + 1, 1))
    for j in range(P):
        shifts[2 * j, j] += np.pi / 2
        shifts[2 * j + 1, j] -= np.pi / 2

    def run():
        evs = est.run([(circ, obs, shifts)]).result()[0].data.evs
        return float(evs[-1]), [float((evs[2 * j] - evs[2 * j + 1]) / 2) for j in range(P)]
    return run


GRAD_RUNNERS = {"lightning": grad_runner_lightning, "qulacs": grad_runner_qulacs, "aer": grad_runner_aer}


def noisy_runner_aer(qc, ops, threads, p1, p2):
    import numpy as np
    from qiskit_aer import AerSimulator
    from qiskit_aer.noise import NoiseModel, depolarizing_error
    names = {name for name, *_ in ops}
    if not names <= {"u3", "cz"}:
        raise ValueError(f"noisy benchmark expects u3 and cz only, got {sorted(names)}")
    noise = NoiseModel(basis_gates=["u3", "cz"])
    noise.add_all_qubit_quantum_error(depolarizing_error(p1, 1), ["u3"])
    noise.add_all_qubit_quantum_error(depolarizing_error(p2, 2), ["cz"])
    sim = AerSimulator(method="density_matrix", noise_model=noise, max_parallel_threads=threads)
    circ = qc.copy()
    circ.save_density_matrix()

    def run():
        return sim.run(circ).result()

    def figures(result):
        rho = np.asarray(result.data(0)["density_matrix"])
        diag = np.real(np.diag(rho))
        z0 = float(np.sum(diag[0::2]) - np.sum(diag[1::2]))   # qubit 0 = least significant bit
        return {"purity": float(np.sum(np.abs(rho) ** 2)), "expectation_z0": z0, "trace": float(np.sum(diag))}
    run.figures = figures
    return run


RUNNERS = {"aer": runner_aer, "qulacs": runner_qulacs, "qsim": runner_qsim, "lightning": runner_lightning}


def tool_version(tool: str) -> str:
    from importlib.metadata import version
    pkg = {"aer": "qiskit-aer", "qulacs": "qulacs", "qsim": "qsimcirq", "lightning": "pennylane-lightning"}[tool]
    try:
        return version(pkg)
    except Exception:
        return "?"


def time_one(tool: str, qasm: str, threads: int, repeat: int, kind: str = "state",
             p1: float = 0.0, p2: float = 0.0) -> dict:
    qc, ops = load_qasm(qasm)
    observable = load_observable(qasm)
    if kind == "state":
        run = RUNNERS[tool](qc, ops, observable, threads)
    elif kind == "gradient":
        if tool not in GRAD_RUNNERS:
            raise ValueError(f"{tool} has no gradient runner")
        run = GRAD_RUNNERS[tool](qc, ops, observable, threads)
    elif kind == "noisy":
        if tool != "aer":
            raise ValueError(f"{tool} has no density-matrix runner here")
        run = noisy_runner_aer(qc, ops, threads, p1, p2)
    else:
        raise ValueError(kind)
    walls, cpus, value = [], [], None
    for _ in range(max(1, repeat)):
        c0, t0 = time.process_time(), time.perf_counter()
        value = run()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    best = min(range(len(walls)), key=walls.__getitem__)
    out = {"tool": tool, "version": tool_version(tool), "threads": threads, "qasm": qasm, "kind": kind,
           "best_wall_s": walls[best], "cpu_s_at_best": cpus[best], "wall_s": walls, "cpu_s": cpus,
           "loadavg": loadavg()}
    if kind == "state":
        out["expectation"] = value
    elif kind == "gradient":
        e, g = value
        if e is None and hasattr(run, "value"):
            e = run.value()
        out["expectation"], out["gradient"] = e, g
    else:
        out.update(run.figures(value))
    return out


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


def run_tool(tool: str, qasm: str, t: int, args, kind: str = "state") -> dict:
    """`one` in a fresh process with the thread environment set before any import."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "QULACS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(t)
    cmd = [sys.executable, __file__, "one", "--tool", tool, "--qasm", qasm, "--threads", str(t),
           "--repeat", str(args.repeat), "--kind", kind, "--p1", repr(args.p1), "--p2", repr(args.p2)]
    return run_json(cmd, env=env, timeout=args.timeout)


def tool_row(label: str, kind: str, tool: str, t: int, qasm: str, args) -> dict:
    try:
        r = run_tool(tool, qasm, t, args, kind)
        row = {"circuit": label, "kind": kind, "tool": tool, "threads": t, "best_wall_s": r["best_wall_s"],
               "cpu_s_at_best": r["cpu_s_at_best"], "loadavg": r["loadavg"], "version": r["version"]}
        for key in ("expectation", "gradient", "purity", "expectation_z0", "trace"):
            if key in r:
                row[key] = r[key]
        print(f"  {label:18s} {tool:9s} T={t} {r['best_wall_s']:.4f} s  (load {r['loadavg'].split()[0]})", flush=True)
    except Exception as e:  # a tool that fails is reported and the run goes on
        row = {"circuit": label, "kind": kind, "tool": tool, "threads": t, "error": str(e)[-300:]}
        print(f"  {label:18s} {tool:9s} T={t} FAILED: {str(e)[-300:]}", flush=True)
    return row


def main_all(args) -> int:
    circuits = [c for c in args.circuits.split(",") if c]
    threads = [int(t) for t in args.threads.split(",")]
    tools = [t for t in args.tools.split(",") if t]
    noisy = None if args.noisy.lower() == "none" else args.noisy.lower()
    os.makedirs(args.dir, exist_ok=True)
    export = circuits + ([f"brickwork:{noisy}"] if noisy else [])
    subprocess.run([args.wukong, "bench", "gate", "--circuits", ",".join(export), "--seed", str(args.seed),
                    "--export-qasm", args.dir, "--export-only"], check=True)
    print(f"loadavg at start: {loadavg()}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')!r} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '')!r} (left as set; no tool here times BLAS)")
    rows = []
    for spec in circuits:
        stem = spec.replace(":", "_")
        qasm = os.path.join(args.dir, stem + ".qasm")
        is_ansatz = spec.startswith("ansatz:")
        qubits = int(spec.split(":")[1].split("x")[0])
        for t in threads:
            w = run_json([args.wukong, "bench", "gate", "--circuits", spec, "--threads", str(t),
                          "--repeat", str(args.repeat), "--seed", str(args.seed), "--noisy", "none",
                          "--gradient", "1" if args.gradients else "0", "--json"])
            wr = w["results"][0]
            rows.append({"circuit": spec, "kind": "state", "tool": "wukong", "threads": t,
                         "best_wall_s": wr["best_wall_s"], "cpu_s_at_best": wr["cpu_s_at_best"],
                         "expectation": wr.get("expectation"), "loadavg": wr["loadavg"]})
            print(f"  {spec:18s} wukong    T={t} {wr['best_wall_s']:.4f} s  (load {wr['loadavg'].split()[0]})", flush=True)
            if args.single:
                # The like-for-like row against qsim (single precision by default): complex float
                # (for the ansatz: the circuit and ⟨H⟩, summed in double; no gradient).
                ws = run_json([args.wukong, "bench", "gate", "--circuits", spec, "--threads", str(t),
                               "--repeat", str(args.repeat), "--seed", str(args.seed), "--noisy", "none",
                               "--gradient", "0", "--precision", "single", "--json"])["results"][0]
                rows.append({"circuit": spec, "kind": "state", "tool": "wukong-single", "threads": t,
                             "best_wall_s": ws["best_wall_s"], "cpu_s_at_best": ws["cpu_s_at_best"],
                             "expectation": ws.get("expectation"), "loadavg": ws["loadavg"]})
                print(f"  {spec:18s} wukong-single T={t} {ws['best_wall_s']:.4f} s  (load {ws['loadavg'].split()[0]})",
                      flush=True)
            for tool in tools:
                rows.append(tool_row(spec, "state", tool, t, qasm, args))
            if not (is_ansatz and args.gradients and "gradient" in wr):
                continue
            label = spec + "/grad"
            rows.append({"circuit": label, "kind": "gradient", "tool": "wukong", "threads": t,
                         "best_wall_s": wr["gradient_best_wall_s"], "cpu_s_at_best": wr["gradient_cpu_s_at_best"],
                         "expectation": wr["gradient_value"], "gradient": wr["gradient"], "loadavg": wr["loadavg"]})
            print(f"  {label:18s} wukong    T={t} {wr['gradient_best_wall_s']:.4f} s", flush=True)
            for tool in tools:
                if tool not in GRAD_RUNNERS:
                    continue
                if tool == "aer" and qubits > args.grad_ps_max_qubits:
                    rows.append({"circuit": label, "kind": "gradient", "tool": tool, "threads": t,
                                 "error": f"skipped: parameter shift above {args.grad_ps_max_qubits} qubits (--grad-ps-max-qubits)"})
                    continue
                rows.append(tool_row(label, "gradient", tool, t, qasm, args))
    if noisy:
        label = f"noisy-dm:{noisy}"
        qasm = os.path.join(args.dir, f"brickwork_{noisy}.qasm")
        for t in threads:
            w = run_json([args.wukong, "bench", "gate", "--circuits", "none", "--threads", str(t),
                          "--repeat", str(args.repeat), "--seed", str(args.seed), "--noisy", noisy,
                          "--noisy-p1", repr(args.p1), "--noisy-p2", repr(args.p2), "--json"])
            nr = w["noisy_density_matrix"][0]
            rows.append({"circuit": label, "kind": "noisy", "tool": "wukong", "threads": t,
                         "best_wall_s": nr["best_wall_s"], "cpu_s_at_best": nr["cpu_s_at_best"],
                         "purity": nr["purity"], "expectation_z0": nr["expectation_z0"], "trace": nr["trace"],
                         "loadavg": nr["loadavg"]})
            print(f"  {label:18s} wukong    T={t} {nr['best_wall_s']:.4f} s  (load {nr['loadavg'].split()[0]})", flush=True)
            if "aer" in tools:
                rows.append(tool_row(label, "noisy", "aer", t, qasm, args))
    print_table(rows, args)
    if args.output:
        with open(args.output, "w") as f:
            json.dump({"rows": rows, "loadavg_end": loadavg()}, f, indent=1)
    print(f"loadavg at end: {loadavg()}")
    return 0


def print_table(rows: list[dict], args=None) -> None:
    print()
    print("Gate-level benchmark: best wall time of K runs; cpu = process CPU time of that run;")
    print("ratio = wukong / tool at the same circuit and threads (< 1: wukong faster; goal: < 1.0 everywhere);")
    print("  single/t = wukong-single (complex float) / tool: the like-for-like figure against qsim (float)")
    print("  state rows: <H> for the ansatz (Δ against wukong); /grad rows: full gradient dH/dθ, note =")
    print("  <H>, |∇| (wukong) or max |Δ∇| against wukong's; noisy-dm rows: Tr ρ² and <Z0> (Δ against wukong)")
    if args is not None and args.noisy.lower() != "none":
        print(f"  noisy-dm: depolarizing p1 = {args.p1} after every u3, p2 = {args.p2} (2-qubit) after every cz")
    header = (f"{'circuit':18s} {'tool':13s} {'thr':>3s} {'seconds':>10s} {'cpu s':>9s} {'ratio w/t':>9s} "
              f"{'single/t':>8s}  {'note':s}")
    print(header)
    print("-" * len(header))
    wukong = {(r["circuit"], r["threads"]): r for r in rows if r["tool"] == "wukong"}
    single = {(r["circuit"], r["threads"]): r for r in rows if r["tool"] == "wukong-single"}
    for r in rows:
        w = wukong.get((r["circuit"], r["threads"]))
        ws = single.get((r["circuit"], r["threads"]))
        if "error" in r:
            print(f"{r['circuit']:18s} {r['tool']:13s} {r['threads']:3d} {'-':>10s} {'':>9s} {'':>9s} {'':>8s}  {r['error'][:90]}")
            continue
        ours = r["tool"].startswith("wukong")
        ratio = "" if ours or w is None else f"{w['best_wall_s'] / r['best_wall_s']:.3f}"
        sratio = "" if ours or ws is None else f"{ws['best_wall_s'] / r['best_wall_s']:.3f}"
        if r["tool"] == "wukong-single" and w is not None:
            ratio = f"{w['best_wall_s'] / r['best_wall_s']:.3f}"  # double / single: the float speed-up
        # Δ columns compare every other row with wukong (double), wukong-single included.
        other = w is not None and (not ours or r["tool"] == "wukong-single")
        note = ""
        kind = r.get("kind", "state")
        if kind in ("state", "gradient") and r.get("expectation") is not None:
            note = f"<H> {r['expectation']:.10f}"
            if other and w.get("expectation") is not None:
                note += f" (Δ {abs(r['expectation'] - w['expectation']):.1e})"
        if kind == "gradient" and r.get("gradient") is not None:
            g = r["gradient"]
            if other and w.get("gradient") is not None:
                if len(g) != len(w["gradient"]):
                    note += f"  ∇: {len(g)} entries vs {len(w['gradient'])}"
                else:
                    note += f"  max|Δ∇| {max(abs(a - b) for a, b in zip(g, w['gradient'])):.1e}"
            else:
                note += f"  |∇| {math.sqrt(sum(v * v for v in g)):.10f} ({len(g)} params, {1 / r['best_wall_s']:.1f} grad/s)"
        if kind == "noisy":
            note = f"Tr ρ² {r['purity']:.12f}  <Z0> {r['expectation_z0']:+.12f}"
            if other:
                note += f"  (Δ {abs(r['purity'] - w['purity']):.1e}, {abs(r['expectation_z0'] - w['expectation_z0']):.1e})"
        print(f"{r['circuit']:18s} {r['tool']:13s} {r['threads']:3d} {r['best_wall_s']:10.5f} "
              f"{r['cpu_s_at_best']:9.3f} {ratio:>9s} {sratio:>8s}  {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    one = sub.add_parser("one", help="time one circuit on one tool")
    one.add_argument("--tool", choices=TOOLS, required=True)
    one.add_argument("--qasm", required=True)
    one.add_argument("--threads", type=int, default=1)
    one.add_argument("--repeat", type=int, default=3)
    one.add_argument("--kind", choices=["state", "gradient", "noisy"], default="state")
    one.add_argument("--p1", type=float, default=0.001, help="noisy: depolarizing after every 1-qubit gate")
    one.add_argument("--p2", type=float, default=0.01, help="noisy: depolarizing after every 2-qubit gate")
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
    al.add_argument("--gradients", type=int, default=1, help="1: time the ansatz gradients too")
    al.add_argument("--grad-ps-max-qubits", type=int, default=12,
                    help="largest ansatz for Aer's parameter-shift gradient (2P estimator evaluations)")
    al.add_argument("--single", type=int, default=1,
                    help="1: also time wukong in single precision (row wukong-single; its ratio column is double/single)")
    al.add_argument("--noisy", default="10x20", help="noisy density-matrix brickwork NxL, or none")
    al.add_argument("--p1", type=float, default=0.001, help="noisy: depolarizing after every 1-qubit gate")
    al.add_argument("--p2", type=float, default=0.01, help="noisy: depolarizing after every 2-qubit gate")
    args = parser.parse_args()
    if args.mode == "one":
        set_thread_environment(args.threads)
        print(json.dumps(time_one(args.tool, args.qasm, args.threads, args.repeat, args.kind, args.p1, args.p2)))
        return 0
    return main_all(args)


if __name__ == "__main__":
    sys.exit(main())
