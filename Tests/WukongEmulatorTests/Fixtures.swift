// Shared test fixtures: a tiny seeded generator for random matrices and the package root.
import Foundation
import Numerics
import WukongEmulator

/// SplitMix64: deterministic, seedable, good enough for random test matrices.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [−1, 1).
    mutating func symmetric() -> Double { Double(next() >> 11) * 0x1.0p-52 - 1 }

    /// A random n × n complex matrix with entries uniform in the unit square around 0.
    mutating func matrix(_ n: Int, scale: Double = 1) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, cols: n)
        for k in 0..<(n * n) {
            m.re[k] = scale * symmetric()
            m.im[k] = scale * symmetric()
        }
        return m
    }

    /// A random Hermitian matrix (A + A†)/2.
    mutating func hermitian(_ n: Int, scale: Double = 1) -> ComplexMatrix {
        let a = matrix(n, scale: scale)
        return (a + a.adjoint).scaled(by: 0.5)
    }
}

enum Fixtures {
    /// The package root, from this file's path (Tests/WukongEmulatorTests/Fixtures.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
}
