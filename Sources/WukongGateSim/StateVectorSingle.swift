// The complex-float option: the same state vector in single precision (8 bytes per amplitude, so
// twice the qubits' worth of memory and half the memory traffic of complex double), with the
// kernels the gate runs need: dense 1/2/k-qubit (k ≤ 5) matrices, diagonals and SWAP. Matrices
// are fused and rounded to float once per gate; accumulation is in float. Compared in the tests
// against ReferenceStateVector (double) at single-precision tolerance.
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

    /// |0…0⟩.
    public init(qubitCount: Int, options: ExecutionOptions = ExecutionOptions()) {
        precondition((0...Self.maxQubitCount).contains(qubitCount),
                     "qubitCount must be in 0...\(Self.maxQubitCount), got \(qubitCount)")
        self.qubitCount = qubitCount
        self.count = 1 << qubitCount
        self.options = options
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 8 * count, alignment: 64)
        data = raw.bindMemory(to: Float.self, capacity: 2 * count)
        data.initialize(repeating: 0, count: 2 * count)
        data[0] = 1
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

    deinit { data.deallocate() }

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

    /// Applies `matrix` to `qubits` (`qubits[0]` = most significant matrix bit), k ≤ 5.
    /// Reference: `ReferenceStateVector.apply(_:on:)`.
    public func apply(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count
        precondition(matrix.qubitCount == k && (1...StateVector.maxDenseQubits).contains(k),
                     "a \(matrix.qubitCount)-qubit matrix cannot act on \(k) qubits (k ≤ 5)")
        for q in qubits { precondition(q >= 0 && q < qubitCount, "qubit \(q) out of range 0..<\(qubitCount)") }
        precondition(Set(qubits).count == k, "qubits must be distinct: \(qubits)")
        if matrix.isDiagonal { return applyDiagonal(matrix.diagonalEntries, on: qubits) }
        if qubits.min()! >= 1 { return applyDenseWide(matrix, on: qubits) }
        applyDense(matrix, on: qubits)
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

    /// Dense kernel when every qubit is ≥ 1: amplitudes i, i+1 share the target bits and are
    /// processed together in one SIMD4<Float> (two complex numbers), with fused multiply-adds.
    func applyDenseWide(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count, dim = 1 << k
        let off = offsets(qubits)
        let re = matrix.elements.map { SIMD4<Float>(repeating: Float($0.real)) }
        let im = matrix.elements.map {
            let a = Float($0.imaginary)
            return SIMD4<Float>(-a, a, -a, a)
        }
        let inserter = ZeroBitInserter(positions: qubits.map { $0 - 1 })
        let p = SendablePointer(base: data)
        let box = UncheckedBox((off, re, im))
        parallelChunks(count: count >> (k + 1), threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            let x = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 2 * dim)
            defer { x.deallocate() }
            let xs = x + dim
            box.value.0.withUnsafeBufferPointer { off in
            box.value.1.withUnsafeBufferPointer { ure in
            box.value.2.withUnsafeBufferPointer { uim in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = 2 * ZeroBitInserter.insert(blk, masks)
                    for c in 0..<dim {
                        let v = UnsafeRawPointer(s).loadUnaligned(fromByteOffset: 8 * (base + off[c]), as: SIMD4<Float>.self)
                        x[c] = v
                        xs[c] = SIMD4(v[1], v[0], v[3], v[2])
                    }
                    for r in 0..<dim {
                        var acc = SIMD4<Float>(repeating: 0)
                        for c in 0..<dim {
                            acc = acc.addingProduct(ure[r * dim + c], x[c]).addingProduct(uim[r * dim + c], xs[c])
                        }
                        s.storeBytes(of: acc, toByteOffset: 8 * (base + off[r]), as: SIMD4<Float>.self)
                    }
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
    /// only, as `finalState`); gates are fused (window `fusionQubits`) in double, then rounded.
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
        for step in try lower(circuit, parameters: parameters, fusionQubits: fusionQubits) {
            switch step {
            case let .gates(ops, fusion):
                state.apply(fusion > 1 ? GateFusion.fuse(ops, maxQubits: fusion) : ops)
            case let .gate(op, _): state.apply(op.matrix, on: op.qubits)
            case let .controlled(m, controls, target, _):
                throw GateSimulatorError.gateTooWide(gate: "controlled \(m.qubitCount)-qubit gate on \(controls.count + 1) qubits at target \(target)",
                                                     qubits: controls.count + 1)
            case .measure, .reset: continue
            }
        }
        return state
    }
}
