#!/usr/bin/env python3
"""Checks a calibration snapshot with h5py (an independent HDF5 reader): documented groups, units and
shapes, complex data as complex128, provenance per element. Usage: h5py-snapshot.py [FILE]
Needs h5py (pip install h5py); a validation script only, never a run-time dependency."""
import sys

import h5py
import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "calibration/nominal.h5"
f = h5py.File(path, "r")
problems = []

def check(cond, what):
    if not cond:
        problems.append(what)

check(f.attrs["format"] == b"wukong-calibration", "format attribute")
check(int(f.attrs["schema_version"]) == 1, "schema_version")
for g in ["chip", "qubits", "couplers", "gates/rphi", "gates/cz", "readout", "provenance"]:
    check(g in f, f"group /{g}")
rows, cols = int(f["chip"].attrs["rows"]), int(f["chip"].attrs["cols"])
nq = rows * cols
pairs = f["chip/coupler_qubits"][:]
nc = pairs.shape[0]
check((rows, cols, nc) == (12, 6, 126), f"chip size {rows}x{cols}, {nc} couplers")
neighbours = {(q, q + 1) for q in range(nq) if q % cols < cols - 1} | {(q, q + cols) for q in range(nq - cols)}
check({tuple(p) for p in pairs} == neighbours, "coupler endpoints are the grid's nearest-neighbour pairs")

count = 0
def visit(name, obj):
    global count
    if not isinstance(obj, h5py.Dataset) or name.startswith("provenance") or name.startswith("chip"):
        return
    count += 1
    check("units" in obj.attrs, f"/{name} has units")
    n = nq if obj.attrs["element"] == b"qubit" else nc
    check(obj.shape[0] == n, f"/{name} first dimension {obj.shape[0]} == {n}")
    prov = "provenance/" + name.rsplit("/", 1)[0].replace("/", "_") + "/" + name.rsplit("/", 1)[1]
    check(prov in f and f[prov].shape == (n,), f"{prov} has one entry per element")

f.visititems(visit)
check(f["readout/iq_centres"].dtype == np.complex128, "iq_centres read as complex128")
check(f["readout/integration_weights"].dtype == np.complex128, "integration_weights read as complex128")
am = f["readout/assignment_matrix"][:]
check(np.allclose(am.sum(axis=1), 1.0), "assignment matrix columns sum to 1")

print(f"{path}: {count} fields checked, snapshot {f.attrs['snapshot_id'].decode()}")
if problems:
    print("problems:\n  " + "\n  ".join(problems))
    sys.exit(1)
print("ok")
