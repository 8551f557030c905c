// The two executors of a noisy program: the density matrix (gate and noise fused into one
// superoperator per gate; branching on mid-circuit outcomes) and quantum trajectories.
import Foundation
import Numerics
import WukongCircuits
import WukongNumerics

/// A noisy program compiled for the density matrix: each gate with its noise becomes one
/// superoperator `S = S_noiseₘ ⋯ S_noise₁ · (U* ⊗ U)` on its (≤ 2) operands.
struct DensityProgram {
    enum Action {
        case unitary(GateMatrix, [Int])
        case superoperator(GateMatrix, [Int])
    }
    enum Step {
        case apply([Action], condition: ClassicalCondition?)
        case measure(qubit: Int, clbit: Int, condition: ClassicalCondition?)
        case reset(qubit: Int, condition: ClassicalCondition?)
    }

    let steps: [Step]

    init(_ noisy: [NoisyStep], qubitCount: Int) {
        steps = noisy.map { step -> Step in
            switch step {
            case let .gate(u, qubits, noise, condition):
                if noise.isEmpty { return .apply([.unitary(u, qubits)], condition: condition) }
                if qubits.count <= 2 {
                    var s = KrausChannel(unitary: u).superoperator
                    for piece in noise { s = piece.embedded(in: qubits).superoperator * s }
                    return .apply([.superoperator(s, qubits)], condition: condition)
                }
                return .apply([.unitary(u, qubits)] + noise.map { .superoperator($0.channel.superoperator, $0.qubits) },
                              condition: condition)
            case .channel(let c):
                if c.channel.operators.count == 1 { return .apply([.unitary(c.channel.operators[0], c.qubits)], condition: nil) }
                return .apply([.superoperator(c.channel.superoperator, c.qubits)], condition: nil)
            case let .measure(q, c, condition): return .measure(qubit: q, clbit: c, condition: condition)
            case let .reset(q, condition): return .reset(qubit: q, condition: condition)
            case .leak, .seep:
                // NoisySimulator routes leakage to trajectories; a schedule with leakage never gets here.
                preconditionFailure("leakage runs on quantum trajectories, not the density matrix")
            }
        }
    }

    private func perform(_ actions: [Action], on rho: DensityMatrix) {
        for a in actions {
            switch a {
            case let .unitary(u, qs): rho.apply(u, on: qs)
            case let .superoperator(s, qs): rho.applySuperoperator(s, on: qs)
            }
        }
    }

    /// Runs every step except measurements (for circuits whose measurements are all terminal).
    func run(on rho: DensityMatrix, clbits: [Bool]?) {
        for step in steps {
            switch step {
            case let .apply(actions, _): perform(actions, on: rho)
            case .reset(let q, _): rho.reset(q)
            case .measure: continue
            }
        }
    }

    /// Runs the steps from `start` for `shots` shots that share the classical history `clbits`,
    /// appending one bitstring per shot. At a measurement the shots are divided multinomially over
    /// the four (true outcome, read bit) pairs and each non-empty branch continues on its own
    /// collapsed copy; a tail of unconditioned measurements is sampled jointly from the diagonal.
    func branch(from start: Int, _ rho: DensityMatrix, _ clbits: inout [Bool], shots: Int, readout: Readout,
                rng: inout SeededGenerator, into out: inout [String]) {
        var i = start
        while i < steps.count {
            switch steps[i] {
            case let .apply(actions, condition):
                if CircuitSimulator.holds(condition, clbits) { perform(actions, on: rho) }
            case let .reset(q, condition):
                if CircuitSimulator.holds(condition, clbits) { rho.reset(q) }
            case let .measure(q, c, condition):
                guard CircuitSimulator.holds(condition, clbits) else { break }
                let tail = steps[i...].compactMap { s -> (Int, Int)? in
                    if case let .measure(q, c, nil) = s { return (q, c) } else { return nil }
                }
                if tail.count == steps.count - i {
                    for index in rho.sample(shots: shots, using: &rng) {
                        var bits = clbits
                        for (q, c) in tail { bits[c] = readout.read(q, (index >> q) & 1, &rng) == 1 }
                        out.append(Self.bitstring(bits))
                    }
                    return
                }
                let p1 = min(max(rho.probabilityOfOne(q) / rho.trace, 0), 1)
                let a = readout.confusion[q]
                let weights = [(1 - p1) * a.probabilities[0][0], (1 - p1) * a.probabilities[1][0],
                               p1 * a.probabilities[0][1], p1 * a.probabilities[1][1]]
                let counts = Self.multinomial(shots: shots, weights: weights, rng: &rng)
                let branches = counts.indices.filter { counts[$0] > 0 }
                for (j, category) in branches.enumerated() {
                    let state = j == branches.count - 1 ? rho : rho.copy()
                    state.collapse(q, to: category / 2)
                    var bits = clbits
                    bits[c] = category % 2 == 1
                    branch(from: i + 1, state, &bits, shots: counts[category], readout: readout, rng: &rng, into: &out)
                }
                return
            }
            i += 1
        }
        if readout.implicit {
            // No measurement in the program (resets only): every qubit is read at the end.
            for index in rho.sample(shots: shots, using: &rng) { out.append(readout.bitstring(index, &rng)) }
        } else {
            out += Array(repeating: Self.bitstring(clbits), count: shots)
        }
    }

    static func bitstring(_ clbits: [Bool]) -> String { String(clbits.reversed().map { $0 ? "1" : "0" }) }

    /// Counts of `shots` independent draws from the categorical distribution `weights`.
    static func multinomial(shots: Int, weights: [Double], rng: inout SeededGenerator) -> [Int] {
        let total = weights.reduce(0, +)
        var counts = [Int](repeating: 0, count: weights.count)
        let last = weights.lastIndex { $0 > 0 } ?? 0
        for _ in 0..<shots {
            var u = rng.uniform() * total
            var k = last
            for (j, w) in weights.enumerated() where w > 0 {
                if u < w { k = j; break }
                u -= w
            }
            counts[k] += 1
        }
        return counts
    }
}

/// Quantum trajectories: the pure state evolves under the ideal gates, and after each gate and
/// each idle period one Kraus operator per channel is drawn with its Born probability
/// (`StateVector.applyKrausSample`). The average of |ψ⟩⟨ψ| over trajectories is the density matrix.
///
/// **Leakage.** Each trajectory carries one classical flag per qubit. A leaked qubit's amplitude
/// register is held in |0⟩ (a product factor), so the other qubits' state is exactly their
/// conditional state. Gates with a leaked operand are skipped (identity on all operands), as are
/// their depolarizing channel and every channel touching a leaked qubit (relaxation and residual
/// ZZ of the |2⟩ level are not modelled; the seepage is its decay). Seepage clears the flag and
/// flips the held |0⟩ to |1⟩. A leaked qubit reads 1 — mid-circuit (without touching the state)
/// and in the final readout — and a reset leaves it leaked (its π pulse acts as the identity on |2⟩).
enum Trajectories {
    /// Per-trajectory classical leakage state.
    struct Leakage {
        var leaked: [Bool]
        var any = false
        init(qubitCount: Int) { leaked = Array(repeating: false, count: qubitCount) }
        /// Basis-index bits of the leaked qubits (their held register is |0⟩, so OR-ing reads them as 1).
        var mask: Int { any ? leaked.indices.reduce(0) { leaked[$1] ? $0 | (1 << $1) : $0 } : 0 }
        func touches(_ qubits: [Int]) -> Bool { any && qubits.contains { leaked[$0] } }
        mutating func set(_ q: Int, _ value: Bool) {
            leaked[q] = value
            any = leaked.contains(true)
        }
    }

    /// The bitstrings of every shot and, per qubit, the number of shots in which it ended leaked.
    static func run(_ steps: [NoisyStep], qubitCount: Int, terminal: Bool, shots: Int, maxTrajectories: Int,
                    execution: ExecutionOptions, readout: Readout, rng: inout SeededGenerator) -> ([String], [Int]) {
        var out: [String] = []
        out.reserveCapacity(shots)
        var leakedShots = [Int](repeating: 0, count: qubitCount)
        func count(_ leakage: Leakage, _ weight: Int) {
            guard leakage.any else { return }
            for q in 0..<qubitCount where leakage.leaked[q] { leakedShots[q] += weight }
        }
        if terminal {
            let trajectories = max(1, min(shots, maxTrajectories))
            for t in 0..<trajectories {
                let share = shots / trajectories + (t < shots % trajectories ? 1 : 0)
                let psi = StateVector(qubitCount: qubitCount, options: execution)
                var clbits: [Bool] = []
                var leakage = Leakage(qubitCount: qubitCount)
                evolve(steps, psi, &clbits, &leakage, readout: readout, measure: false, rng: &rng)
                let mask = leakage.mask
                for index in psi.sample(shots: share, using: &rng) { out.append(readout.bitstring(index | mask, &rng)) }
                count(leakage, share)
            }
            out.shuffle(using: &rng)
            return (out, leakedShots)
        }
        let clbitCount = readout.implicit ? 0 : readout.width
        for _ in 0..<shots {
            let psi = StateVector(qubitCount: qubitCount, options: execution)
            var clbits = [Bool](repeating: false, count: clbitCount)
            var leakage = Leakage(qubitCount: qubitCount)
            evolve(steps, psi, &clbits, &leakage, readout: readout, measure: true, rng: &rng)
            if readout.implicit {
                // No measurement in the program (resets only): every qubit is read at the end.
                out.append(readout.bitstring(psi.sample(shots: 1, using: &rng)[0] | leakage.mask, &rng))
            } else {
                out.append(DensityProgram.bitstring(clbits))
            }
            count(leakage, 1)
        }
        return (out, leakedShots)
    }

    static func evolve(_ steps: [NoisyStep], _ psi: StateVector, _ clbits: inout [Bool], _ leakage: inout Leakage,
                       readout: Readout, measure: Bool, rng: inout SeededGenerator) {
        for step in steps {
            switch step {
            case let .gate(u, qubits, noise, condition):
                guard CircuitSimulator.holds(condition, clbits) else { continue }
                if leakage.touches(qubits) {
                    // Identity on every operand; operands still in {|0⟩, |1⟩} relax over the gate's duration.
                    for piece in noise where !leakage.touches(piece.qubits) && piece.qubits.count < qubits.count {
                        psi.applyKrausSample(piece.channel, on: piece.qubits, using: &rng)
                    }
                    continue
                }
                psi.apply(u, on: qubits)
                for piece in noise { psi.applyKrausSample(piece.channel, on: piece.qubits, using: &rng) }
            case .channel(let c):
                if leakage.touches(c.qubits) { continue }
                psi.applyKrausSample(c.channel, on: c.qubits, using: &rng)
            case let .measure(q, c, condition):
                guard measure, CircuitSimulator.holds(condition, clbits) else { continue }
                let outcome = leakage.touches([q]) ? 1 : psi.measure(q, using: &rng)
                clbits[c] = readout.read(q, outcome, &rng) == 1
            case let .reset(q, condition):
                if CircuitSimulator.holds(condition, clbits) && !leakage.touches([q]) { psi.reset(q, using: &rng) }
            case let .leak(event, condition):
                guard CircuitSimulator.holds(condition, clbits) else { continue }
                leak(event, psi, &leakage, rng: &rng)
            case let .seep(q, probability):
                guard leakage.touches([q]), rng.uniform() < probability else { continue }
                psi.applyX(on: q)
                leakage.set(q, false)
            }
        }
    }

    /// One leak event on a trajectory (see `LeakEvent`); nothing when an operand is already leaked.
    static func leak(_ event: LeakEvent, _ psi: StateVector, _ leakage: inout Leakage, rng: inout SeededGenerator) {
        switch event {
        case let .pulse(q, p):
            guard !leakage.touches([q]), rng.uniform() < p else { return }
            // Tracing the leaked qubit out, unravelled: measure it, hold its register in |0⟩.
            psi.reset(q, using: &rng)
            leakage.set(q, true)
        case let .cz(moving, partner, p):
            guard !leakage.touches([moving, partner]) else { return }
            if psi.applyKrausSample(GateNoiseModel.czLeakChannel(probability: p), on: [moving, partner], using: &rng) == 1 {
                // The pair is now |11⟩ → |20⟩: moving held in |0⟩ and flagged, partner in |0⟩.
                psi.applyX(on: moving)
                psi.applyX(on: partner)
                leakage.set(moving, true)
            }
        }
    }
}
