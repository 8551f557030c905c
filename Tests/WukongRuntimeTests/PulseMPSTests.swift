// The pulse path on the matrix-product state: the same channels applied to an MPS (snake site order)
// and to the state vector give the same exact distribution, with and without firmware in the loop;
// the state-vector choice below the threshold is unchanged; probes and the 2ⁿ refusal.
import Foundation
import Testing
import WukongCircuits
import WukongDevice
import WukongGateSim
@testable import WukongRuntime

@Suite struct PulseMPSTests {
    /// 12 physical qubits (rows 0–1 of the grid): H and a GHZ chain along the snake, a vertical CX
    /// between snake sites 0 and 11 (qubits 0 and 6: the MPS moves it by SWAPs), and rotations, so the
    /// state is entangled across every cut and not a plain GHZ state.
    static let circuit: Circuit = {
        var s = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nbit[12] c;\nh $0;\n"
        let path = [0, 1, 2, 3, 4, 5, 11, 10, 9, 8, 7, 6]
        for (a, b) in zip(path, path.dropFirst()) { s += "cx $\(a), $\(b);\n" }
        s += "rx(0.7) $0;\nry(1.1) $6;\ncx $0, $6;\nrx(0.4) $3;\ncx $3, $9;\n"
        for q in 0..<12 { s += "c[\(q)] = measure $\(q);\n" }
        return try! OpenQASMParser.parse(s)
    }()

    /// Both states hold the same numbers up to SVD roundoff (each 2-site update ~1e-15 relative, the
    /// default cutoff drops ≤ 1e-20 relative weight): 1e-10 on every outcome probability.
    static let agreement = 1e-10

    static func maxDifference(_ p: [String: Double], _ q: [String: Double]) -> Double {
        Set(p.keys).union(q.keys).reduce(0) { max($0, abs(p[$1, default: 0] - q[$1, default: 0])) }
    }

    @Test(arguments: [false, true])
    func mpsAndStateVectorGiveTheSameExactDistribution(firmware: Bool) throws {
        let channels = ClusterChannels(device: Fixtures.device)
        let loop = firmware ? FirmwareLoop(topology: Fixtures.oracle.topology) : nil
        func distribution(_ kind: PulseStateOptions.Kind) throws -> [String: Double] {
            try PulseBackend.exactDistribution(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device, channels: channels,
                                               options: .init(firmware: loop, state: PulseStateOptions(kind: kind)))
        }
        let sv = try distribution(.statevector), mps = try distribution(.mps)
        #expect(abs(sv.values.reduce(0, +) - 1) < 1e-12)
        #expect(Self.maxDifference(sv, mps) < Self.agreement, "firmware \(firmware): max |Δp| \(Self.maxDifference(sv, mps))")
        // The state is spread out (not a trivial product): many outcomes carry weight.
        #expect(sv.values.filter { $0 > 1e-4 }.count > 8)
    }

    /// Runs on the MPS report bond dimension, discarded weight and exact probes equal to the state
    /// vector's; counts of a run agree with the exact distribution (sampled on a different algorithm,
    /// so compared statistically: every outcome within 5σ of its binomial mean, 8000 shots).
    @Test func mpsRunReportsStateAndProbesMatchTheStateVector() throws {
        let channels = ClusterChannels(device: Fixtures.device)
        let probes = ["zeros", "ones", "000000111111"]
        var options = PulseBackend.Options(readoutErrors: false, state: PulseStateOptions(kind: .mps))
        options.probes = probes
        let shots = 8000
        let r = try PulseBackend.run(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device, shots: shots, seed: 5,
                                     channels: channels, options: options)
        let report = try #require(r.state)
        #expect(report.kind == "mps" && report.qubits == 12)
        #expect(report.maxBondDimension >= 2 && report.maxBondDimension <= 64)
        #expect(report.discardedWeight < 1e-15)
        options.state = PulseStateOptions(kind: .statevector)
        let dense = try PulseBackend.run(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device, shots: shots, seed: 5,
                                         channels: channels, options: options)
        #expect(dense.state?.kind == "statevector")
        for (a, b) in zip(r.probes, dense.probes) {
            #expect(a.bits == b.bits && abs(a.probability - b.probability) < Self.agreement, "\(a) vs \(b)")
        }
        let exact = try PulseBackend.exactDistribution(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device,
                                                       channels: channels)
        #expect(abs((r.probes[0].probability) - exact["000000000000", default: 0]) < Self.agreement)
        for (bits, p) in exact where p > 1e-3 {
            let sigma = (Double(shots) * p * (1 - p)).squareRoot()
            #expect(abs(Double(r.counts[bits, default: 0]) - Double(shots) * p) < 5 * sigma + 1, "\(bits): p \(p)")
        }
    }

    /// Below the threshold `auto` is the state vector, and its counts are bit-for-bit those of an
    /// explicit state-vector run (same seed, same draws).
    @Test func autoBelowThresholdIsTheStateVector() throws {
        let channels = ClusterChannels(device: Fixtures.device)
        let auto = try PulseBackend.run(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device, shots: 500, seed: 9,
                                        channels: channels)
        let sv = try PulseBackend.run(Self.circuit, calibration: Fixtures.oracle, device: Fixtures.device, shots: 500, seed: 9,
                                      channels: channels, options: .init(state: PulseStateOptions(kind: .statevector)))
        #expect(auto.state?.kind == "statevector")
        #expect(auto.counts == sv.counts)
        #expect(PulseStateOptions().usesMPS(qubits: 25) && !PulseStateOptions().usesMPS(qubits: 24))
    }

    /// The snake order makes the grid's row-by-row Hamiltonian path nearest-neighbour.
    @Test func snakeOrderMakesTheRowPathAdjacent() {
        let options = PulseStateOptions(kind: .mps)
        let index = options.compactIndex(Array(0..<72), topology: .wukong, mps: true)
        var path: [Int] = []
        for r in 0..<12 { path += (r % 2 == 0 ? Array(0..<6) : Array((0..<6).reversed())).map { 6 * r + $0 } }
        #expect(path.map { index[$0]! } == Array(0..<72))
        #expect(options.compactIndex([3, 1, 7], topology: .wukong, mps: false) == [3: 0, 1: 1, 7: 2])
    }

    /// 25 simulated qubits run on the MPS, but their 2²⁵-outcome exact distribution is refused with an
    /// error naming the size; a probe still answers (and is a probability).
    @Test func exactDistributionRefusesLargeRegisters() throws {
        var s = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nbit[25] c;\n"
        for q in 0..<25 { s += "sx $\(q);\n" }
        for q in 0..<25 { s += "c[\(q)] = measure $\(q);\n" }
        let circuit = try OpenQASMParser.parse(s)
        let channels = ClusterChannels(device: Fixtures.device)
        do {
            _ = try PulseBackend.exactDistribution(circuit, calibration: Fixtures.oracle, device: Fixtures.device, channels: channels)
            Issue.record("a 25-qubit exact distribution must be refused")
        } catch {
            #expect(String(describing: error).contains("2^25 outcomes"), "\(error)")
        }
        var options = PulseBackend.Options(readoutErrors: false)
        options.probes = ["zeros"]
        let r = try PulseBackend.run(circuit, calibration: Fixtures.oracle, device: Fixtures.device, shots: 100, seed: 1,
                                     channels: channels, options: options)
        #expect(r.state?.kind == "mps" && r.state?.maxBondDimension == 1)
        // √X on every qubit: P(all 0) ≈ 2⁻²⁵ up to the pulses' small rotation errors (within a factor 2).
        let p = r.probes[0].probability
        #expect(p > 0.5 * pow(2, -25) && p < 2 * pow(2, -25), "P(zeros) = \(p)")
    }
}
