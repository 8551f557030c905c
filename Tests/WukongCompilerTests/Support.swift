// Test support: a tiny dense-unitary builder (column by column, ≤ 8 qubits), layout permutation
// matrices, random circuits and small targets. Not a simulator; obviously correct over fast.
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongNumerics
@testable import WukongCompiler

/// Entry-wise tolerance on compiled unitaries: a compiled 8-qubit circuit has a few hundred gates,
/// each adding ~1e-15 relative error per entry plus angle round-trips through atan2 (~1e-15), so
/// 1e-9 leaves four orders of magnitude of slack while any wrong gate moves entries by ≳ 1e-2.
let equivalenceTolerance = 1e-9

enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let spec: DeviceSpec = try! DeviceSpec.load(path: packageRoot.appendingPathComponent("calibration/device.yaml").path)

    /// A nominal target on a rows × cols grid with some couplers disabled.
    static func target(rows: Int, cols: Int, disabled: [Int] = []) -> CompilerTarget {
        var s = spec
        s.rows = rows
        s.cols = cols
        s.disabledCouplers = disabled
        return CompilerTarget(calibration: try! CalibrationSnapshot.nominal(spec: s))
    }

    /// The shipped nominal snapshot of the full chip.
    static let wukongSnapshot: CalibrationSnapshot = try! CalibrationSnapshot.read(
        from: packageRoot.appendingPathComponent("calibration/nominal.h5").path)
}

/// Applies `m` (first operand most significant) on `qubits` to a state vector (qubit 0 = bit 0).
func apply(_ m: GateMatrix, _ qubits: [Int], to state: inout [Complex<Double>]) {
    let k = qubits.count, dim = 1 << k
    let mask = qubits.reduce(0) { $0 | (1 << $1) }
    var offsets = [Int](repeating: 0, count: dim)
    for local in 0..<dim {
        for (j, q) in qubits.enumerated() where local >> (k - 1 - j) & 1 == 1 { offsets[local] |= 1 << q }
    }
    var gathered = [Complex<Double>](repeating: .zero, count: dim)
    for base in 0..<state.count where base & mask == 0 {
        for l in 0..<dim { gathered[l] = state[base | offsets[l]] }
        for r in 0..<dim {
            var sum = Complex<Double>.zero
            for c in 0..<dim { sum = sum + m[r, c] * gathered[c] }
            state[base | offsets[r]] = sum
        }
    }
}

/// The unitary of a measurement-free circuit on `n ≥ circuit.numQubits` qubits.
func unitary(_ circuit: Circuit, qubits n: Int? = nil) throws -> GateMatrix {
    let n = n ?? circuit.numQubits, dim = 1 << n
    var columns = (0..<dim).map { c -> [Complex<Double>] in
        var v = [Complex<Double>](repeating: .zero, count: dim); v[c] = .one; return v
    }
    for instruction in circuit.instructions {
        let (m, qs): (GateMatrix, [Int])
        switch instruction.operation {
        case .gate(let g): (m, qs) = (try g.matrix(), g.operands)
        case .unitary(let u, let q): (m, qs) = (u, q)
        case .barrier: continue
        default: fatalError("unitary(): non-unitary operation \(instruction)")
        }
        for c in 0..<dim { apply(m, qs, to: &columns[c]) }
    }
    var e = [Complex<Double>](repeating: .zero, count: dim * dim)
    for c in 0..<dim { for r in 0..<dim { e[r * dim + c] = columns[c][r] } }
    return GateMatrix(e)
}

/// The permutation taking virtual basis states to physical ones: virtual qubit v sits on
/// physical qubit `layout.physical[v]`.
func permutation(_ layout: Layout) -> GateMatrix {
    let n = layout.physical.count, dim = 1 << n
    var m = GateMatrix(Array(repeating: .zero, count: dim * dim))
    for x in 0..<dim {
        var y = 0
        for v in 0..<n where x >> v & 1 == 1 { y |= 1 << layout.physical[v] }
        m[y, x] = .one
    }
    return m
}

/// Largest entry distance between `routed · P_initial` and `P_final · source` after removing a global phase.
func routedDistance(_ program: CompiledProgram) throws -> Double {
    let n = program.routed.numQubits
    let source = try unitary(program.source, qubits: n)
    let routed = try unitary(program.routed)
    return (routed * permutation(program.initialLayout))
        .distanceUpToGlobalPhase(to: permutation(program.finalLayout) * source)
}

/// A random circuit of gate-table gates (1-, 2- and 3-qubit, some with extra controls).
func randomCircuit(qubits n: Int, gates count: Int, seed: UInt64) throws -> Circuit {
    var rng = SeededGenerator(seed: seed)
    var circuit = Circuit(numQubits: n)
    func angle() -> ParameterExpression { .constant((rng.uniform() * 2 - 1) * Double.pi) }
    func pick(_ k: Int) -> [Int] {
        var pool = Array(0..<n), out: [Int] = []
        for _ in 0..<k { out.append(pool.remove(at: Int(rng.next() % UInt64(pool.count)))) }
        return out
    }
    let single: [StandardGate] = [.h, .x, .y, .s, .t, .sx, .rx, .ry, .rz, .u3, .rphi, .p]
    let double: [StandardGate] = [.cx, .cz, .swap, .cp, .crx, .rzz, .iswap, .ch, .cu, .cy]
    for _ in 0..<count {
        let r = rng.uniform()
        let gate: StandardGate
        if r < 0.5 || n < 2 { gate = single[Int(rng.next() % UInt64(single.count))] }
        else if r < 0.93 || n < 3 { gate = double[Int(rng.next() % UInt64(double.count))] }
        else { gate = [.ccx, .cswap, .crx][Int(rng.next() % 3)] }
        let params = (0..<gate.parameterCount).map { _ in angle() }
        if gate == .crx && r >= 0.93 {
            // crx with one extra control (the IR stores it as controls, crx having no controlled form).
            let qs = pick(3)
            try circuit.append(Instruction(.gate(GateApplication(.crx, [qs[1], qs[2]], params).addingControl(qs[0]))))
        } else {
            try circuit.append(gate, pick(gate.arity), params)
        }
    }
    return circuit
}
