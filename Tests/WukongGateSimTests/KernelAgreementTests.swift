// Every fast kernel against ReferenceStateVector on seeded random states and gates, for every
// qubit position (or random qubit choices), n up to 8, with one and two threads.
import Numerics
import Testing
import WukongGateSim
import WukongNumerics

@Suite struct KernelAgreementTests {
    @Test(arguments: [1, 2, 3, 5, 8])
    func oneQubitKernelMatchesReference(n: Int) {
        for options in threadConfigurations {
            for q in 0..<n {
                let seed = UInt64(1000 * n + q)
                var rng = SeededGenerator(seed: seed)
                var (fast, ref) = randomPair(n, options, &rng)
                let m = randomMatrix(1, &rng)
                fast.applyOneQubit(m, on: q)
                ref.apply(m, on: [q])
                #expect(maxDistance(fast, ref) < kernelTolerance,
                        "seed \(seed), n \(n), q \(q), threads \(options.threadCount)")
                // Diagonal kernel, general and phase-only (d0 = 1) variants.
                let d = randomPhases(2, &rng)
                for diag in [d, [.one, d[1]]] {
                    fast.applyDiagonal(diag[0], diag[1], on: q)
                    ref.apply(.diagonal(diag), on: [q])
                    #expect(maxDistance(fast, ref) < kernelTolerance,
                            "diagonal, seed \(seed), n \(n), q \(q), threads \(options.threadCount)")
                }
                fast.applyX(on: q)
                ref.apply(Gates.x, on: [q])
                #expect(maxDistance(fast, ref) < kernelTolerance, "X, seed \(seed), q \(q)")
            }
        }
    }

    @Test(arguments: [2, 3, 5, 8])
    func twoQubitKernelsMatchReference(n: Int) {
        for options in threadConfigurations {
            for a in 0..<n { for b in 0..<n where a != b {
                let seed = UInt64(10_000 * n + 100 * a + b)
                var rng = SeededGenerator(seed: seed)
                var (fast, ref) = randomPair(n, options, &rng)
                let m = randomMatrix(2, &rng)
                fast.applyTwoQubit(m, a, b)
                ref.apply(m, on: [a, b])
                #expect(maxDistance(fast, ref) < kernelTolerance,
                        "dense, seed \(seed), n \(n), (\(a), \(b)), threads \(options.threadCount)")
                let d = randomPhases(4, &rng)
                fast.applyDiagonalTwoQubit(d, a, b)
                ref.apply(.diagonal(d), on: [a, b])
                #expect(maxDistance(fast, ref) < kernelTolerance,
                        "diagonal, seed \(seed), (\(a), \(b)), threads \(options.threadCount)")
                // Controlled phase: the streaming kernel skips the coefficient-1 runs unread.
                let cp: [Complex<Double>] = [.one, .one, .one, d[3]]
                fast.applyDiagonalTwoQubit(cp, a, b)
                ref.apply(.diagonal(cp), on: [a, b])
                #expect(maxDistance(fast, ref) < kernelTolerance,
                        "controlled phase, seed \(seed), (\(a), \(b)), threads \(options.threadCount)")
                fast.applySwap(a, b)
                ref.apply(Gates.swap, on: [a, b])
                #expect(maxDistance(fast, ref) < kernelTolerance,
                        "swap, seed \(seed), (\(a), \(b)), threads \(options.threadCount)")
            } }
        }
    }

    @Test(arguments: [3, 5, 8])
    func controlledKernelMatchesReference(n: Int) {
        for options in threadConfigurations {
            for target in 0..<n {
                for controlCount in 1..<min(n, 4) {
                    let seed = UInt64(100_000 * n + 100 * target + controlCount)
                    var rng = SeededGenerator(seed: seed)
                    var (fast, ref) = randomPair(n, options, &rng)
                    let controls = Array((0..<n).filter { $0 != target }.shuffled(using: &rng)
                        .prefix(controlCount))
                    let states = controls.map { _ in Int(rng.next() & 1) }
                    let m = randomMatrix(1, &rng)
                    fast.applyControlled(m, controls: controls, target: target, controlStates: states)
                    ref.applyControlled(m, controls: controls, target: target, controlStates: states)
                    #expect(maxDistance(fast, ref) < kernelTolerance,
                            "seed \(seed), controls \(controls) on \(states), target \(target), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test(arguments: [3, 5, 8])
    func multiQubitKernelMatchesReference(n: Int) {
        for options in threadConfigurations {
            for k in 1...min(n, 5) {
                for trial in 0..<4 {
                    let seed = UInt64(1_000_000 * n + 10 * k + trial)
                    var rng = SeededGenerator(seed: seed)
                    var (fast, ref) = randomPair(n, options, &rng)
                    let qubits = randomQubits(k, of: n, &rng)
                    let m = randomMatrix(k, &rng)
                    fast.applyMultiQubit(m, on: qubits)
                    ref.apply(m, on: qubits)
                    #expect(maxDistance(fast, ref) < kernelTolerance * 10,
                            "seed \(seed), qubits \(qubits), threads \(options.threadCount)")
                    let d = randomPhases(1 << k, &rng)
                    fast.applyDiagonalMultiQubit(d, on: qubits)
                    ref.apply(.diagonal(d), on: qubits)
                    #expect(maxDistance(fast, ref) < kernelTolerance * 10,
                            "diagonal, seed \(seed), qubits \(qubits), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func everyKernelPreservesTheNormUnderUnitaries() {
        for options in threadConfigurations {
            let seed: UInt64 = 91
            var rng = SeededGenerator(seed: seed)
            let n = 6
            let s = StateVector(amplitudes: randomAmplitudes(n, &rng), options: options)
            for q in 0..<n {
                s.applyOneQubit(randomUnitary(1, &rng), on: q)
                let d = randomPhases(2, &rng)
                s.applyDiagonal(d[0], d[1], on: q)
                s.applyControlled(randomUnitary(1, &rng), controls: [(q + 1) % n, (q + 3) % n], target: q)
                s.applyTwoQubit(randomUnitary(2, &rng), q, (q + 2) % n)
                s.applyDiagonalTwoQubit(randomPhases(4, &rng), q, (q + 1) % n)
                s.applySwap(q, (q + 4) % n)
                s.applyMultiQubit(randomUnitary(4, &rng), on: [q, (q + 1) % n, (q + 3) % n, (q + 5) % n])
                #expect(abs(s.normSquared - 1) < normTolerance,
                        "seed \(seed), after qubit \(q), threads \(options.threadCount)")
            }
        }
    }

    @Test func randomCircuitMatchesReferenceAndStaysNormalised() {
        for options in threadConfigurations {
            let seed: UInt64 = 77
            var rng = SeededGenerator(seed: seed)
            let n = 6
            let fast = StateVector(qubitCount: n, options: options)
            var ref = ReferenceStateVector(qubitCount: n)
            for step in 0..<60 {
                let k = 1 + Int(rng.next() % 3)
                let qubits = randomQubits(k, of: n, &rng)
                let u = randomUnitary(k, &rng)
                fast.apply(u, on: qubits)
                ref.apply(u, on: qubits)
                if step % 7 == 0 {
                    let t = Int(rng.next() % UInt64(n))
                    let c = (t + 1) % n
                    fast.applyControlled(Gates.h, controls: [c], target: t)
                    ref.applyControlled(Gates.h, controls: [c], target: t)
                }
            }
            #expect(maxDistance(fast, ref) < kernelTolerance, "seed \(seed), threads \(options.threadCount)")
            #expect(abs(fast.normSquared - 1) < normTolerance, "seed \(seed)")
        }
    }
}
