// Pins the bit order (qubit 0 = least significant bit, rightmost character) and the matrix
// ordering convention (first operand = most significant bit of the gate's matrix index).
import Numerics
import Testing
import WukongGateSim
import WukongNumerics

@Suite struct ConventionTests {
    @Test func xOnQubitZeroGivesIndexOneAndBitstring001() {
        let s = StateVector(qubitCount: 3, options: .serial)
        s.applyOneQubit(Gates.x, on: 0)
        #expect(s[1] == .one)
        #expect(s.probabilities()[1] == 1)
        #expect(StateVector.bitstring(1, qubitCount: 3) == "001")
        #expect(s.sampleCounts(shots: 10, seed: 1) == ["001": 10])
    }

    @Test func firstOperandIsMostSignificantMatrixBit() {
        // CX with control 2 and target 0 on |100⟩ (index 4) gives |101⟩ (index 5).
        for options in threadConfigurations {
            let s = StateVector(qubitCount: 3, basisState: 4, options: options)
            s.applyTwoQubit(Gates.cx, 2, 0)
            #expect(s[5] == .one)
            // With the operands swapped, qubit 0 is the control: |100⟩ is unchanged.
            let t = StateVector(qubitCount: 3, basisState: 4, options: options)
            t.apply(Gates.cx, on: [0, 2])
            #expect(t[4] == .one)
            // The controlled kernel agrees.
            let u = StateVector(qubitCount: 3, basisState: 4, options: options)
            u.applyControlled(Gates.x, controls: [2], target: 0)
            #expect(u[5] == .one)
        }
    }

    @Test func controlOnZeroTriggersOnZero() {
        let s = StateVector(qubitCount: 2, options: .serial)
        s.applyControlled(Gates.x, controls: [1], target: 0, controlStates: [0])
        #expect(s[1] == .one)
    }

    @Test func pauliStringIsReadWithQubitZeroRightmost() throws {
        let p = try #require(PauliString("XZIY"))
        #expect(p[0] == .y && p[1] == .i && p[2] == .z && p[3] == .x)
        #expect(p.description == "XZIY")
        #expect(p == PauliString([(qubit: 3, pauli: .x), (qubit: 2, pauli: .z), (qubit: 0, pauli: .y)]))
        #expect(PauliString("XQ") == nil)
    }

    @Test func seededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }
}
