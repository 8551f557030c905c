// The lattice numbering of DESIGN.md, pinned element by element.
import Testing
import WukongDevice

@Test func wukongLatticeHas72QubitsAnd126Couplers() {
    let t = ChipTopology.wukong
    #expect(t.qubitCount == 72)
    #expect(t.couplerCount == 126)
    #expect(t.checkInvariants().isEmpty)
}

@Test func couplerIdsFollowTheGridFormula() {
    let t = ChipTopology.wukong
    for r in 0..<12 {
        for c in 0..<5 {
            let e = t.endpoints(of: CouplerIndex(5 * r + c))
            #expect(e.low.rawValue == 6 * r + c && e.high.rawValue == 6 * r + c + 1 && e.orientation == .horizontal)
        }
    }
    for r in 0..<11 {
        for c in 0..<6 {
            let e = t.endpoints(of: CouplerIndex(60 + 6 * r + c))
            #expect(e.low.rawValue == 6 * r + c && e.high.rawValue == 6 * r + c + 6 && e.orientation == .vertical)
        }
    }
}

@Test func couplersAreExactlyTheNearestNeighbourPairs() {
    let t = ChipTopology.wukong
    var expected = Set<[Int]>()
    for q in 0..<72 {
        let (r, c) = (q / 6, q % 6)
        if c < 5 { expected.insert([q, q + 1]) }
        if r < 11 { expected.insert([q, q + 6]) }
    }
    let actual = Set(t.couplers.map { [$0.low.rawValue, $0.high.rawValue] })
    #expect(actual == expected)
    for q in t.qubits {
        for c in t.couplersOfQubit[q.rawValue] {
            let e = t.endpoints(of: c)
            #expect(e.low == q || e.high == q)
        }
    }
    #expect(t.neighbours(of: QubitIndex(0)) == [QubitIndex(1), QubitIndex(6)])
    #expect(t.neighbours(of: QubitIndex(14)).map(\.rawValue) == [8, 13, 15, 20])
    #expect(t.coupler(between: QubitIndex(44), QubitIndex(38)) == CouplerIndex(60 + 6 * 6 + 2))
    #expect(t.coupler(between: QubitIndex(5), QubitIndex(6)) == nil)
}

@Test func checkerboardSublatticesAlternate() {
    let t = ChipTopology.wukong
    for e in t.couplers {
        #expect(t.isSublatticeA(e.low) != t.isSublatticeA(e.high))
    }
}
