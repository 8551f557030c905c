// The complex-float option: the same state vector in single precision (8 bytes per amplitude, so
// twice the qubits' worth of memory and half the memory traffic of complex double), with the
// kernels the gate runs need: dense 1/2/k-qubit (k ≤ 5) matrices, diagonals, controlled gates and
// SWAP (the SIMD8 quad kernels of WideKernelsSingle.swift; the plain ones here serve n < 2), and
// cache blocking (StateVectorSingle+Blocking.swift). Matrices are fused and rounded to float once
// per gate; accumulation is in float. Compared in the tests against ReferenceStateVector (double)
// at single-precision tolerance.
import Numerics
import WukongCircuits
import WukongNumerics

/// Working precision of a gate-level run.
public enum SimulationPrecision: String, Sendable, CaseIterable {
    /// Complex double (16 bytes per amplitude); the default, agreement with references to ~1e-14.
    case double
    /// Complex float (8 bytes per amplitude): half the memory and traffic, errors ~1e-6 per
    /// amplitude after hundreds of gates.
    case single
}

/// An n-qubit pure state in complex single precision (n ≤ 31), qubit 0 the least significant
/// bit as in `StateVector`.
public final class StateVectorSingle: @unchecked Sendable {
    /// Largest supported register (2^31 amplitudes, 16 GiB).
    public static let maxQubitCount = 31

    public let qubitCount: Int
    public let count: Int
    public var options: ExecutionOptions
    /// Interleaved (re, im) floats.
    let data: UnsafeMutablePointer<Float>
    /// False for a chunk view that borrows another state's buffer (cache blocking).
    private let ownsBuffer: Bool
    /// True when the buffer is a mapping (ZeroedBuffer).
    private let mapped: Bool

    /// |0…0⟩.
    public init(qubitCount: Int, options: ExecutionOptions = ExecutionOptions()) {
        precondition((0...Self.maxQubitCount).contains(qubitCount),
                     "qubitCount must be in 0...\(Self.maxQubitCount), got \(qubitCount)")
        self.qubitCount = qubitCount
        self.count = 1 << qubitCount
        self.options = options
        let (raw, mapped) = ZeroedBuffer.allocate(bytes: 8 * count)
        data = raw.bindMemory(to: Float.self, capacity: 2 * count)
        self.mapped = mapped
        ownsBuffer = true
        data[0] = 1
    }

    /// A view of `2^qubitCount` amplitudes owned by someone else (a chunk of a larger state);
    /// the kernels run on it serially. The owner must outlive the view.
    init(borrowing base: UnsafeMutablePointer<Float>, qubitCount: Int) {
        self.qubitCount = qubitCount
        self.count = 1 << qubitCount
        self.options = .serial
        self.data = base
        self.ownsBuffer = false
        self.mapped = false
    }

    /// A state with the given amplitudes (rounded to float).
    public convenience init(amplitudes: [Complex<Double>], options: ExecutionOptions = ExecutionOptions()) {
        let n = amplitudes.count.trailingZeroBitCount
        precondition(amplitudes.count == 1 << n, "amplitude count must be a power of two")
        self.init(qubitCount: n, options: options)
        for (i, z) in amplitudes.enumerated() {
            data[2 * i] = Float(z.real)
            data[2 * i + 1] = Float(z.imaginary)
        }
    }

    deinit { if ownsBuffer { ZeroedBuffer.release(UnsafeMutableRawPointer(data), bytes: 8 * count, mapped: mapped) } }

    var threads: Int { options.threads(forQubits: qubitCount) }

    /// Amplitudes widened to double.
    public var amplitudes: [Complex<Double>] {
        (0..<count).map { Complex(Double(data[2 * $0]), Double(data[2 * $0 + 1])) }
    }

    /// Σ|ψᵢ|², accumulated in double.
    public var normSquared: Double {
        let p = SendablePointer(base: data)
        return parallelSum(count: count, threads: threads) { lo, hi in
            var s = 0.0
            for i in lo..<hi {
                let re = Double(p.base[2 * i]), im = Double(p.base[2 * i + 1])
                s += re * re + im * im
            }
            return (s, 0)
        }.0
    }

    /// Probabilities |ψᵢ|² in double.
    public func probabilities() -> [Double] {
        (0..<count).map {
            let re = Double(data[2 * $0]), im = Double(data[2 * $0 + 1])
            return re * re + im * im
        }
    }

    /// Exact inverse-CDF sampling of `shots` basis indices (as `StateVector.sample`).
    public func sample<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [Int] {
        let d = data
        return inverseCDFSample(shots: shots, count: count, total: normSquared, using: &rng) { i in
            let re = Double(d[2 * i]), im = Double(d[2 * i + 1])
            return re * re + im * im
        }
    }

    // MARK: kernels

    /// Applies `matrix` to `qubits` (`qubits[0]` = most significant matrix bit), k ≤ 5, with the
    /// cheapest kernel for its shape (WideKernelsSingle.swift): diagonal, SWAP, singly controlled,
    /// unrolled one- and two-qubit quads for targets ≥ 2, and the lane-permuting general kernel
    /// for everything else (targets 0 and 1, k ≥ 3).
    /// Reference: `ReferenceStateVector.apply(_:on:)`.
    /// - Complexity: O(2ⁿ·2ᵏ).
    public func apply(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count
        precondition(matrix.qubitCount == k && k >= 1 && (k <= StateVector.maxDenseQubits || matrix.isDiagonal),
                     "a \(matrix.qubitCount)-qubit matrix cannot act on \(k) qubits (k ≤ 5 unless diagonal)")
        for q in qubits { precondition(q >= 0 && q < qubitCount, "qubit \(q) out of range 0..<\(qubitCount)") }
        precondition(Set(qubits).count == k, "qubits must be distinct: \(qubits)")
        guard qubitCount >= 2 else {
            // One amplitude pair: the plain kernels.
            if matrix.isDiagonal { return applyDiagonal(matrix.diagonalEntries, on: qubits) }
            return applyDense(matrix, on: qubits)
        }
        if matrix.isDiagonal { return applyDiagonalQuad(matrix.diagonalEntries, on: qubits) }
        let low = qubits.min()!
        switch k {
        case 1 where low >= 2:
            if matrix.isReal { applyOneQubitQuadReal(matrix, on: qubits[0]) } else { applyOneQubitQuad(matrix, on: qubits[0]) }
        case 2:
            if matrix.isSwap && low >= 2 {
                applySwapQuad(qubits[0], qubits[1])
            } else if let (control, u) = matrix.singleControl {
                applyControlled(u, controls: [qubits[control]], target: qubits[1 - control])
            } else if low >= 2 {
                if matrix.isReal { applyTwoQubitQuadReal(matrix, qubits[0], qubits[1]) } else { applyTwoQubitQuad(matrix, qubits[0], qubits[1]) }
            } else {
                applyQuadGeneral(QuadLayout(matrix, on: qubits))
            }
        default:
            applyQuadGeneral(QuadLayout(matrix, on: qubits))
        }
    }

    /// Applies the 2×2 `matrix` to `target` on the subspace where every control qubit
    /// `controls[j]` is in state `controlStates[j]` (1 when nil), as
    /// `StateVector.applyControlled`. Controls at positions ≥ 2 select the quads that move;
    /// controls at 0 and 1 are folded into a small controlled matrix applied within the quad.
    /// Reference: `ReferenceStateVector.applyControlled(_:controls:target:controlStates:)`.
    /// - Complexity: O(2ⁿ⁻ᶜʰ) for cʰ controls at positions ≥ 2.
    public func applyControlled(_ matrix: GateMatrix, controls: [Int], target: Int, controlStates: [Int]? = nil) {
        precondition(matrix.qubitCount == 1, "applyControlled needs a 2×2 target matrix")
        let all = controls + [target]
        for q in all { precondition(q >= 0 && q < qubitCount, "qubit \(q) out of range 0..<\(qubitCount)") }
        precondition(Set(all).count == all.count, "qubits must be distinct: \(all)")
        let states = controlStates ?? Array(repeating: 1, count: controls.count)
        precondition(states.count == controls.count && states.allSatisfy { $0 == 0 || $0 == 1 },
                     "controlStates must hold one 0 or 1 per control")
        if controls.isEmpty { return apply(matrix, on: [target]) }
        let fixed = zip(controls, states).filter { $0.0 >= 2 }.map { (position: $0.0, value: $0.1) }
        let lowControls = zip(controls, states).filter { $0.0 < 2 }
        if lowControls.isEmpty && target >= 2 { return applyOneQubitQuad(matrix, on: target, fixed: fixed) }
        // The gate on (low controls…, target): identity except where the low controls match.
        let c = lowControls.count, dim = 2 << c
        var pattern = 0
        for (j, (_, v)) in lowControls.enumerated() where v == 1 { pattern |= 1 << (c - j) }
        var entries = [Complex<Double>](repeating: .zero, count: dim * dim)
        for r in 0..<dim {
            for col in 0..<dim {
                if r >> 1 == pattern >> 1 && col >> 1 == pattern >> 1 {
                    entries[r * dim + col] = matrix[r & 1, col & 1]
                } else if r == col {
                    entries[r * dim + col] = .one
                }
            }
        }
        applyQuadGeneral(QuadLayout(GateMatrix(entries), on: lowControls.map(\.0) + [target], fixed: fixed))
    }

    /// Applies each operation in order.
    public func apply(_ operations: [GateOperation]) {
        for op in operations { apply(op.matrix, on: op.qubits) }
    }

    private func offsets(_ qubits: [Int]) -> [Int] {
        let k = qubits.count
        return (0..<(1 << k)).map { b in
            var o = 0
            for j in 0..<k where (b >> (k - 1 - j)) & 1 == 1 { o |= 1 << qubits[j] }
            return o
        }
    }

    /// ψᵢ ← d_{b(i)} ψᵢ.
    func applyDiagonal(_ diagonal: [Complex<Double>], on qubits: [Int]) {
        let k = qubits.count, dim = 1 << k
        let off = offsets(qubits)
        let d = diagonal.map { SIMD2<Float>(Float($0.real), Float($0.imaginary)) }
        let inserter = ZeroBitInserter(positions: qubits)
        let p = SendablePointer(base: data)
        let box = UncheckedBox((off, d))
        parallelChunks(count: count >> k, threads: threads) { start, end in
            let s = p.base
            box.value.0.withUnsafeBufferPointer { off in
            box.value.1.withUnsafeBufferPointer { d in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = ZeroBitInserter.insert(blk, masks)
                    for b in 0..<dim {
                        let i = 2 * (base + off[b])
                        let xr = s[i], xi = s[i + 1], a = d[b]
                        s[i] = a.x * xr - a.y * xi
                        s[i + 1] = a.x * xi + a.y * xr
                    }
                }
            }
            }
            }
        }
    }

    /// Dense kernel, one amplitude at a time (any qubits, including 0).
    func applyDense(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count, dim = 1 << k
        let off = offsets(qubits)
        let m = matrix.elements.map { SIMD2<Float>(Float($0.real), Float($0.imaginary)) }
        let inserter = ZeroBitInserter(positions: qubits)
        let p = SendablePointer(base: data)
        let box = UncheckedBox((off, m))
        parallelChunks(count: count >> k, threads: threads) { start, end in
            let s = p.base
            let x = UnsafeMutablePointer<SIMD2<Float>>.allocate(capacity: dim)
            defer { x.deallocate() }
            box.value.0.withUnsafeBufferPointer { off in
            box.value.1.withUnsafeBufferPointer { u in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = ZeroBitInserter.insert(blk, masks)
                    for c in 0..<dim { x[c] = SIMD2(s[2 * (base + off[c])], s[2 * (base + off[c]) + 1]) }
                    for r in 0..<dim {
                        var re: Float = 0, im: Float = 0
                        for c in 0..<dim {
                            let a = u[r * dim + c], v = x[c]
                            re += a.x * v.x - a.y * v.y
                            im += a.x * v.y + a.y * v.x
                        }
                        s[2 * (base + off[r])] = re
                        s[2 * (base + off[r]) + 1] = im
                    }
                }
            }
            }
            }
        }
    }
}

extension CircuitSimulator {
    /// The state after the circuit's unitary part in single precision (terminal measurements
    /// only, as `finalState`); gate runs are cache-blocked (`ExecutionOptions.singleCacheBlockQubits`)
    /// and fused (window `fusionQubits`) in double, then rounded to float per kernel.
    public static func finalStateSingle(_ circuit: Circuit, parameters: [String: Double] = [:],
                                        fusionQubits: Int = 2,
                                        execution: ExecutionOptions = ExecutionOptions()) throws -> StateVectorSingle {
        guard circuit.numQubits <= StateVectorSingle.maxQubitCount else {
            throw GateSimulatorError.tooManyQubits(requested: circuit.numQubits, limit: StateVectorSingle.maxQubitCount)
        }
        do { try circuit.validate() } catch { throw GateSimulatorError.invalidCircuit("\(error)") }
        guard isTerminallyMeasured(circuit) else {
            throw GateSimulatorError.invalidCircuit(
                "single precision runs circuits whose measurements are terminal (no mid-circuit measurement, reset or condition); use double")
        }
        let state = StateVectorSingle(qubitCount: circuit.numQubits, options: execution)
        var fresh = true
        for step in try lower(circuit, parameters: parameters, fusionQubits: fusionQubits) {
            switch step {
            case let .gates(ops, fusion):
                state.apply(ops, blocking: execution.singleBlocking(fusionQubits: fusion), zeroState: fresh)
            case let .gate(op, _): state.apply(op.matrix, on: op.qubits)
            case let .controlled(m, controls, target, _): state.applyControlled(m, controls: controls, target: target)
            case .measure, .reset: continue
            }
            fresh = false
        }
        return state
    }
}
