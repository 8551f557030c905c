// Kernel for a 2×2 gate on a target qubit conditioned on any number of control qubits, each
// triggering on |1⟩ (the default) or on |0⟩. Only the 2ⁿ⁻ᶜ amplitudes in the active block move.
import Numerics
import WukongCircuits

extension StateVector {
    /// Applies the 2×2 `matrix` to `target` on the subspace where every control qubit
    /// `controls[j]` is in state `controlStates[j]` (1 when `controlStates` is nil):
    /// CX is `applyControlled(X, controls: [c], target: t)`; Toffoli has two controls.
    ///
    /// Reference: `ReferenceStateVector.applyControlled(_:controls:target:controlStates:)`.
    /// - Complexity: O(2ⁿ⁻ᶜ) for c controls: 2ⁿ⁻ᶜ⁻¹ pairs, each found by inserting c + 1 zero
    ///   bits into a loop counter and OR-ing in the control pattern.
    public func applyControlled(_ matrix: GateMatrix, controls: [Int], target: Int,
                                controlStates: [Int]? = nil) {
        precondition(matrix.qubitCount == 1, "applyControlled needs a 2×2 target matrix")
        checkQubits(controls + [target])
        let states = controlStates ?? Array(repeating: 1, count: controls.count)
        precondition(states.count == controls.count && states.allSatisfy { $0 == 0 || $0 == 1 },
                     "controlStates must hold one 0 or 1 per control")
        if controls.isEmpty { return applyOneQubit(matrix, on: target) }

        let pattern = zip(controls, states).reduce(0) { $0 | ($1.1 << $1.0) }
        let inserter = ZeroBitInserter(positions: controls + [target])
        let u = matrix.packed
        let (m00, m01, m10, m11) = (u[0], u[1], u[2], u[3])
        let p = SendablePointer(base: data)
        let stride = 1 << target
        let pairs = count >> (controls.count + 1)
        parallelChunks(count: pairs, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for k in lo..<hi {
                    let i = ZeroBitInserter.insert(k, masks) | pattern
                    let j = i + stride
                    let x = loadAmplitude(s, i), y = loadAmplitude(s, j)
                    let xs = swapped(x), ys = swapped(y)
                    storeAmplitude(s, i, m00.times(x, swapped: xs) + m01.times(y, swapped: ys))
                    storeAmplitude(s, j, m10.times(x, swapped: xs) + m11.times(y, swapped: ys))
                }
            }
        }
    }
}
