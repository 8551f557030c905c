// The true-device generator: from a spec's seed and distributions, draw the hidden parameters
// of every qubit and coupler, redraw frequency collisions, and park couplers at their decoupling point.
import WukongNumerics

/// Why a device could not be generated.
public struct DeviceGenerationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { "device generation failed: \(message)" }
}

extension ChipDevice {
    /// Draws the true device from a spec. Deterministic: the same spec gives the same device.
    ///
    /// Each element draws from its own stream (seeded from the spec seed, the element kind and its
    /// index), so redrawing one qubit for a collision does not shift any other element's values.
    public static func generate(from spec: DeviceSpec) throws -> ChipDevice {
        let topo = spec.topology
        var streams = (0..<topo.qubitCount).map { SeededGenerator(seed: elementSeed(spec.seed, kind: 1, index: $0)) }
        var qubits = (0..<topo.qubitCount).map { q in
            drawQubit(QubitIndex(q), spec: spec, topology: topo, rng: &streams[q])
        }
        // Flux noise draws from streams of its own (kinds 3 and 4), so adding it to a spec leaves
        // every other drawn value (and the collision redraws) unchanged.
        if let d = spec.qubit.fluxNoiseSigmaPhi0 {
            for q in qubits.indices {
                var rng = SeededGenerator(seed: elementSeed(spec.seed, kind: 3, index: q))
                qubits[q].fluxNoiseSigmaPhi0 = max(0, d.draw(&rng))
            }
        }
        for (key, fields) in spec.overrides.qubits {
            let q = Int(key)!
            for (name, value) in fields { qubits[q].apply(override: name, value: value) }
            // Keep the coherence invariants T2* ≤ 2T1 and T2echo ≤ 2T1 after overrides.
            qubits[q].t2StarUs = min(qubits[q].t2StarUs, 2 * qubits[q].t1Us)
            if fields["t2_echo_us"] == nil {
                qubits[q].t2EchoUs = min(spec.qubit.t2EchoFactor * qubits[q].t2StarUs, 2 * qubits[q].t1Us)
            }
        }
        try resolveCollisions(&qubits, spec: spec, topology: topo, streams: &streams)

        let disabled = Set(spec.disabledCouplers)
        var couplers = topo.couplers.map { e -> CouplerParameters in
            var rng = SeededGenerator(seed: elementSeed(spec.seed, kind: 2, index: e.coupler.rawValue))
            let d = spec.coupler
            var p = CouplerParameters(
                index: e.coupler, qubits: [e.low, e.high],
                maxFrequencyGHz: d.maxFrequencyGHz.draw(&rng), anharmonicityGHz: d.anharmonicityGHz.draw(&rng),
                qubitCouplingGHz: [d.qubitCouplingGHz.draw(&rng), d.qubitCouplingGHz.draw(&rng)],
                directCouplingGHz: d.directCouplingGHz.draw(&rng), squidAsymmetry: d.squidAsymmetry.draw(&rng),
                idleFluxPhi0: 0, t1Us: d.t1Us.draw(&rng), t2StarUs: d.t2StarUs.draw(&rng),
                enabled: !disabled.contains(e.coupler.rawValue))
            p.t2StarUs = min(p.t2StarUs, 2 * p.t1Us)
            if let sigma = d.fluxNoiseSigmaPhi0 {
                var noise = SeededGenerator(seed: elementSeed(spec.seed, kind: 4, index: e.coupler.rawValue))
                p.fluxNoiseSigmaPhi0 = max(0, sigma.draw(&noise))
            }
            return p
        }
        for (key, fields) in spec.overrides.couplers {
            for (name, value) in fields where name != "idle_flux_phi0" { couplers[Int(key)!].apply(override: name, value: value) }
        }
        for k in couplers.indices {
            let p = couplers[k]
            let fa = qubits[p.qubits[0].rawValue].idleFrequencyGHz, fb = qubits[p.qubits[1].rawValue].idleFrequencyGHz
            couplers[k].idleFluxPhi0 = decouplingFlux(p, qubitA: fa, qubitB: fb)
        }
        for (key, fields) in spec.overrides.couplers {
            if let v = fields["idle_flux_phi0"] { couplers[Int(key)!].idleFluxPhi0 = v }
        }
        return ChipDevice(name: spec.name, specID: spec.specID, topology: topo, qubits: qubits, couplers: couplers)
    }

    /// The flux at which the coupler-mediated exchange g̃ vanishes (Yan et al.), searched between
    /// 250 MHz above the higher qubit and the coupler's sweet spot. If g̃ has no zero there
    /// (weak coupling), the coupler idles at its sweet spot, as far from the qubits as it can be.
    public static func decouplingFlux(_ p: CouplerParameters, qubitA fa: Double, qubitB fb: Double) -> Double {
        let tuning = p.tuning
        let lower = max(fa, fb) + 0.25
        guard lower < p.maxFrequencyGHz else { return 0 }
        let g = { (fc: Double) -> Double in
            WukongDevice.effectiveExchangeGHz(qubitA: fa, qubitB: fb, coupler: fc, gA: p.qubitCouplingGHz[0],
                                 gB: p.qubitCouplingGHz[1], direct: p.directCouplingGHz)
        }
        guard let fc = try? bisect(lower: lower, upper: p.maxFrequencyGHz, tolerance: 1e-9, g) else { return 0 }
        return tuning.flux(forFrequencyGHz: fc) ?? 0
    }

    static func drawQubit(_ q: QubitIndex, spec: DeviceSpec, topology: ChipTopology,
                          rng: inout SeededGenerator) -> QubitParameters {
        let d = spec.qubit, r = spec.readout
        let (row, col) = topology.position(of: q)
        let fmax = (topology.isSublatticeA(q) ? d.maxFrequencyGHzA : d.maxFrequencyGHzB).draw(&rng)
        let t1 = d.t1Us.draw(&rng)
        let t2Star = min(d.t2StarUs.draw(&rng), 2 * t1)
        return QubitParameters(
            index: q, maxFrequencyGHz: fmax, anharmonicityGHz: d.anharmonicityGHz.draw(&rng),
            squidAsymmetry: d.squidAsymmetry.draw(&rng), idleFluxPhi0: d.idleFluxPhi0.draw(&rng),
            t1Us: t1, t2StarUs: t2Star, t2EchoUs: min(d.t2EchoFactor * t2Star, 2 * t1),
            thermalPopulation: d.thermalPopulation.draw(&rng), driveRabiGHz: d.driveRabiGHz.draw(&rng),
            resonatorFrequencyGHz: r.resonatorBaseGHz + r.resonatorSpacingGHz * Double(col) + r.resonatorOffsetGHz.draw(&rng),
            resonatorCouplingGHz: r.couplingGHz.draw(&rng), resonatorKappaGHz: r.kappaGHz.draw(&rng),
            readoutFidelity0: r.fidelity0.draw(&rng), readoutFidelity1: r.fidelity1.draw(&rng), feedline: row)
    }

    /// Whether two neighbours collide: f01s closer than the neighbour rule, or one's f01 near the other's f12.
    public static func collide(_ a: QubitParameters, _ b: QubitParameters, rules: CollisionRules) -> Bool {
        let fa = a.idleFrequencyGHz, fb = b.idleFrequencyGHz
        if abs(fa - fb) < rules.minNeighbourDetuningGHz { return true }
        if abs(fa - (fb + b.anharmonicityGHz)) < rules.minTransitionDetuningGHz { return true }
        if abs(fb - (fa + a.anharmonicityGHz)) < rules.minTransitionDetuningGHz { return true }
        return false
    }

    /// Redraws the frequency of the higher-index qubit of each colliding pair until none collide.
    /// Qubits fixed by an override are never redrawn.
    static func resolveCollisions(_ qubits: inout [QubitParameters], spec: DeviceSpec, topology: ChipTopology,
                                  streams: inout [SeededGenerator]) throws {
        let pinned = Set(spec.overrides.qubits.filter { $0.value["max_frequency_ghz"] != nil }.keys.compactMap { Int($0) })
        for _ in 0..<spec.collisions.maxRedraws {
            var changed = false
            for e in topology.couplers {
                let a = qubits[e.low.rawValue], b = qubits[e.high.rawValue]
                guard collide(a, b, rules: spec.collisions) else { continue }
                let victim = pinned.contains(e.high.rawValue) ? e.low.rawValue : e.high.rawValue
                guard !pinned.contains(victim) else {
                    throw DeviceGenerationError(message: "overridden qubits \(e.low) and \(e.high) collide in frequency")
                }
                let dist = topology.isSublatticeA(QubitIndex(victim)) ? spec.qubit.maxFrequencyGHzA : spec.qubit.maxFrequencyGHzB
                qubits[victim].maxFrequencyGHz = dist.draw(&streams[victim])
                changed = true
            }
            if !changed { return }
        }
        throw DeviceGenerationError(message: "frequency collisions remain after \(spec.collisions.maxRedraws) redraw rounds; widen the distributions or relax collisions")
    }

    /// Mixes the spec seed, an element kind and an index into an independent stream seed.
    static func elementSeed(_ seed: UInt64, kind: UInt64, index: Int) -> UInt64 {
        var z = seed &+ kind &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        return z ^ (z >> 33)
    }
}
