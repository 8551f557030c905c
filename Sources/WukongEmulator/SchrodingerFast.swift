// The fast closed-system kernel: the same steps as StepPlanner/`SchrodingerSolver.stepUnitary`
// (exact lab exponentials for undriven runs, piecewise-constant frame Hamiltonians for driven
// sub-steps), but each step applied as U ← V·e^{−iΛΔt}·V†·U with the Householder–QL eigen-
// decomposition in reusable buffers, the Hamiltonian built in place, and the decompositions of
// undriven steps cached by flux (a CZ pulse's rising and falling edges share them). The reference
// is `SchrodingerSolver.referencePropagator` (Jacobi, one matrix per step), compared in the tests.
import Numerics

/// Applies planned steps to an n × cols complex block (the propagator, or one state as cols = 1).
struct ClosedStepper {
    let planner: StepPlanner
    let n: Int
    let cols: Int
    /// The accumulated block, row-major n × cols.
    var ur: [Double], ui: [Double]
    private var eig: EigenWorkspace
    private var yr: [Double], yi: [Double]
    private var phaseR: [Double], phaseI: [Double]
    /// Exact-step decompositions by flux vector: eigenvalues and real eigenvectors (row-major).
    private var exactCache: [[Double]: (values: [Double], vectors: [Double])] = [:]
    private var lastFlux: [Double] = []
    private var lastDiagonal: [Double] = []
    /// Nonzero couplings (row, column, value), and whether they commute with the frame.
    private let couplingEntries: [(Int, Int, Double)]
    private let couplingCommutes: Bool

    /// Driven steps in the interaction picture of H₀ (CF4) instead of frame midpoints.
    let interaction: Bool
    /// Lab static decompositions by flux (eigenvalues E, real eigenvectors V) and, per driven mode,
    /// Vᵀ·b†·V (real, row-major), for the interaction picture.
    private var labCache: [[Double]: (values: [Double], vectors: [Double], raising: [Int: [Double]])] = [:]
    /// While inside a driven sample in the interaction picture: its flux key.
    private var interactionFlux: [Double]? = nil
    private var h1r: [Double], h1i: [Double], h2r: [Double], h2i: [Double], er: [Double], ei: [Double]
    /// Taylor-series term buffers (n × cols).
    private var tr: [Double] = [], ti: [Double] = [], nr: [Double] = [], ni: [Double] = []

    init(planner: StepPlanner, initial: ComplexMatrix, interaction: Bool = false) {
        self.planner = planner
        self.interaction = interaction
        n = planner.model.dimension
        cols = initial.cols
        precondition(initial.rows == n, "initial block has \(initial.rows) rows, model dimension is \(n)")
        ur = initial.re
        ui = initial.im
        eig = EigenWorkspace(dimension: n)
        yr = Array(repeating: 0, count: n * cols)
        yi = yr
        phaseR = Array(repeating: 0, count: n)
        phaseI = phaseR
        h1r = Array(repeating: 0, count: n * n)
        h1i = h1r; h2r = h1r; h2i = h1r
        er = phaseR; ei = phaseR
        var entries: [(Int, Int, Double)] = []
        let c = planner.couplingH
        for i in 0..<n { for j in 0..<n where c.re[i * n + j] != 0 { entries.append((i, j, c.re[i * n + j])) } }
        couplingEntries = entries
        couplingCommutes = planner.commutesWithFrame(c)
    }

    /// The block as a matrix.
    var block: ComplexMatrix { ComplexMatrix(rows: n, cols: cols, re: ur, im: ui) }

    private mutating func duffingDiagonal(_ flux: [Double]) -> [Double] {
        if flux != lastFlux || lastDiagonal.isEmpty {
            lastFlux = flux
            lastDiagonal = planner.model.duffingDiagonal(extraFluxPhi0: flux)
        }
        return lastDiagonal
    }

    /// Applies one step.
    mutating func apply(_ step: StepPlanner.StepDescriptor) {
        let dt = step.t1 - step.t0
        if interaction, let (block, k) = step.drive {
            applyInteraction(step, block: block, sample: k)
            return
        }
        if let (block, k) = step.drive {
            // Frame Hamiltonian at the midpoint, built in the eigen workspace.
            let tm = (step.t0 + step.t1) / 2
            let d = duffingDiagonal(step.flux)
            let e = planner.frameEnergies
            for i in 0..<(n * n) { eig.ar[i] = 0; eig.ai[i] = 0 }
            for i in 0..<n { eig.ar[i * n + i] = d[i] - e[i] }
            for (i, j, g) in couplingEntries {
                let w = (e[i] - e[j]) * tm
                eig.ar[i * n + j] += g * .cos(w)
                eig.ai[i * n + j] += g * .sin(w)
            }
            planner.addDrives(block, sample: k, atNs: tm, re: &eig.ar, im: &eig.ai)
            applyExponentialOfWorkspace(dt: dt)
            return
        }
        // Undriven: the lab Hamiltonian (real), or H − H_f when the couplings commute with the frame.
        let entry: (values: [Double], vectors: [Double])
        if let cached = exactCache[step.flux] {
            entry = cached
        } else {
            let d = duffingDiagonal(step.flux)
            let e = planner.frameEnergies
            for i in 0..<(n * n) { eig.ar[i] = 0; eig.ai[i] = 0 }
            for i in 0..<n { eig.ar[i * n + i] = couplingCommutes ? d[i] - e[i] : d[i] }
            for (i, j, g) in couplingEntries { eig.ar[i * n + j] += g }
            eig.decomposeBlocks(real: true)
            entry = (eig.values, eig.vr)
            exactCache[step.flux] = entry
        }
        if couplingCommutes {
            applyEigen(values: entry.values, vr: entry.vectors, vi: nil, dt: dt)
        } else {
            // U_frame = D(t1)·exp(−iHΔt)·D(t0)†, D(t) = diag(e^{iEₘt}).
            scaleRows(time: -step.t0)
            applyEigen(values: entry.values, vr: entry.vectors, vi: nil, dt: dt)
            scaleRows(time: step.t1)
        }
    }

    // MARK: Interaction picture of H₀ with fourth-order commutator-free Magnus sub-steps.

    /// The lab static decomposition at `flux` and Vᵀb†V for every mode driven in `block`.
    private mutating func labEntry(_ flux: [Double], block: PulseBlock) -> (values: [Double], vectors: [Double], raising: [Int: [Double]]) {
        var entry: (values: [Double], vectors: [Double], raising: [Int: [Double]])
        if let cached = labCache[flux] {
            entry = cached
        } else {
            let d = duffingDiagonal(flux)
            for i in 0..<(n * n) { eig.ar[i] = 0; eig.ai[i] = 0 }
            for i in 0..<n { eig.ar[i * n + i] = d[i] }
            for (i, j, g) in couplingEntries { eig.ar[i * n + j] += g }
            eig.decomposeBlocks(real: true)
            entry = (eig.values, eig.vr, [:])
        }
        let model = planner.model
        for w in block.drives where entry.raising[w.element] == nil {
            // B = Vᵀ·b†·V with ⟨m + stride|b†|m⟩ = √(nₖ(m) + 1).
            let v = entry.vectors, stride = model.strides[w.element], top = model.levels[w.element] - 1
            var bv = [Double](repeating: 0, count: n * n)  // b†·V
            for m in 0..<n {
                let occ = model.occupation(m, mode: w.element)
                if occ >= top { continue }
                let amp = Double(occ + 1).squareRoot()
                for j in 0..<n { bv[(m + stride) * n + j] += amp * v[m * n + j] }
            }
            var b = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for p in 0..<n {
                    let a = v[i * n + p]
                    if a == 0 { continue }
                    for j in 0..<n { b[p * n + j] += a * bv[i * n + j] }
                }
            }
            entry.raising[w.element] = b
        }
        labCache[flux] = entry
        return entry
    }

    /// H_I(τ) = e^{iH₀τ}·H_d,lab(τ)·e^{−iH₀τ} in H₀'s eigenbasis, into (hr, hi).
    private static func interactionHamiltonian(_ block: PulseBlock, sample k: Int, at tau: Double, planner: StepPlanner,
                                               entry: (values: [Double], vectors: [Double], raising: [Int: [Double]]),
                                               re hr: inout [Double], im hi: inout [Double]) {
        let n = planner.model.dimension
        for i in 0..<(n * n) { hr[i] = 0; hi[i] = 0 }
        for d in block.drives where k < d.samples.count && d.samples[k] != .zero {
            let b = entry.raising[d.element]!
            let rabi = 2 * Double.pi * planner.model.elements[d.element].driveRabiGHz
            let omega = d.samples[k] * Complex(length: 1, phase: d.phaseRad)
            let carrier = omega * Complex<Double>(length: 1, phase: -2 * .pi * d.frequencyGHz * tau)
            // Lab drive: RWA (rabi/2)(Ω̃e^{−iντ} b† + h.c.); full rabi·Re[Ω̃e^{−iντ}](b + b†).
            let (cr, ci): (Double, Double) = planner.options.driveRWA
                ? (rabi / 2 * carrier.real, rabi / 2 * carrier.imaginary) : (rabi * carrier.real, 0)
            for m in 0..<n {
                for j in 0..<n {
                    let bmj = b[m * n + j], bjm = b[j * n + m]
                    // c·B_mj + conj(c)·B_jm (B real).
                    hr[m * n + j] += cr * (bmj + bjm)
                    hi[m * n + j] += ci * (bmj - bjm)
                }
            }
        }
        // Elementwise e^{i(E_m − E_n)τ}.
        let e = entry.values
        for m in 0..<n {
            for j in 0..<n where hr[m * n + j] != 0 || hi[m * n + j] != 0 {
                let w = (e[m] - e[j]) * tau
                let c = Double.cos(w), s = Double.sin(w)
                let a = hr[m * n + j], b = hi[m * n + j]
                hr[m * n + j] = a * c - b * s
                hi[m * n + j] = a * s + b * c
            }
        }
    }

    /// One driven sub-step in the interaction picture: enter it at the sample start, two CF4
    /// exponentials, leave it at the sample end (so recorded states are in the frame).
    private mutating func applyInteraction(_ step: StepPlanner.StepDescriptor, block: PulseBlock, sample k: Int) {
        let entry = labEntry(step.flux, block: block)
        if interactionFlux != step.flux {
            // X_I = diag(e^{iEt})·Vᵀ·D(t)†·X_frame.
            scaleRows(time: -step.t0)
            applyReal(entry.vectors, transposed: true)
            scaleRows(by: entry.values, time: step.t0)
            interactionFlux = step.flux
        }
        let h = step.t1 - step.t0
        let r3 = 3.0.squareRoot()
        let tau1 = step.t0 + (0.5 - r3 / 6) * h, tau2 = step.t0 + (0.5 + r3 / 6) * h
        let a1 = (3 - 2 * r3) / 12, a2 = (3 + 2 * r3) / 12
        Self.interactionHamiltonian(block, sample: k, at: tau1, planner: planner, entry: entry, re: &h1r, im: &h1i)
        Self.interactionHamiltonian(block, sample: k, at: tau2, planner: planner, entry: entry, re: &h2r, im: &h2i)
        // U ≈ exp(−ih(a1·H1 + a2·H2))·exp(−ih(a2·H1 + a1·H2)), the right factor first.
        for (w1, w2) in [(a2, a1), (a1, a2)] {
            for i in 0..<(n * n) {
                eig.ar[i] = w1 * h1r[i] + w2 * h2r[i]
                eig.ai[i] = w1 * h1i[i] + w2 * h2i[i]
            }
            applyExponentialOfWorkspace(dt: h)
        }
        if step.endsSample {
            // X_frame = D(t)·V·diag(e^{−iEt})·X_I.
            scaleRows(by: entry.values, time: -step.t1)
            applyReal(entry.vectors, transposed: false)
            scaleRows(time: step.t1)
            interactionFlux = nil
        }
    }

    /// U ← exp(−iHΔt)·U for the Hermitian H in the eigen workspace's input buffers: in closed form
    /// for 3 × 3 H; else by the Taylor series of the action (below) for state blocks (cols < n),
    /// where it costs O(n²) per term instead of an O(n³) decomposition; by the eigen-decomposition
    /// for propagators.
    private mutating func applyExponentialOfWorkspace(dt: Double) {
        // One 3-level transmon: the closed form, for states too (cheaper than ~20 Taylor terms).
        if n == 3 && applyHermitian3(dt: dt) { return }
        if cols < n {
            applyTaylor(dt: dt)
            return
        }
        var real = true
        for x in eig.ai where x != 0 { real = false; break }
        eig.decompose(real: real)
        applyEigen(values: eig.values, vr: eig.vr, vi: real ? nil : eig.vi, dt: dt)
    }

    /// U ← exp(−iHΔt)·U for a 3 × 3 Hermitian H (one transmon with 3 levels) in closed form, without
    /// the iterative eigen-solver: eigenvalues by the trigonometric solution of the characteristic
    /// cubic, eigenvectors as the (bilinear) cross product of two rows of H − λI, E = V·e^{−iΛΔt}·V†.
    /// Returns false (nothing applied) when two eigenvalues lie closer than 1e-3 of the spectrum's
    /// spread, where those formulas lose accuracy; the general path then runs instead. Error ≲
    /// ε‖H‖/gap ≈ 1e-13 per step (tested against the reference propagator to 1e-10).
    private mutating func applyHermitian3(dt: Double) -> Bool {
        let ar = eig.ar, ai = eig.ai
        let h00 = ar[0], h11 = ar[4], h22 = ar[8]
        let (x01r, x01i) = (ar[1], ai[1]), (x02r, x02i) = (ar[2], ai[2]), (x12r, x12i) = (ar[5], ai[5])
        let m = (h00 + h11 + h22) / 3
        let b0 = h00 - m, b1 = h11 - m, b2 = h22 - m
        let o01 = x01r * x01r + x01i * x01i, o02 = x02r * x02r + x02i * x02i, o12 = x12r * x12r + x12i * x12i
        let q = (b0 * b0 + b1 * b1 + b2 * b2 + 2 * (o01 + o02 + o12)) / 6
        if !(q > 0) { return false }
        let p = q.squareRoot()
        // det(B) = b0b1b2 + 2Re(h01·h12·h20) − b0|h12|² − b1|h02|² − b2|h01|², h20 = conj(h02).
        let tr = x01r * x12r - x01i * x12i, ti = x01r * x12i + x01i * x12r
        let triple = tr * x02r + ti * x02i
        let det = b0 * b1 * b2 + 2 * triple - b0 * o12 - b1 * o02 - b2 * o01
        let r = max(-1, min(1, det / (2 * p * p * p)))
        let phi = Double.acos(r) / 3
        let l0 = m + 2 * p * Double.cos(phi)
        let l2 = m + 2 * p * Double.cos(phi + 2 * Double.pi / 3)
        let l1 = 3 * m - l0 - l2
        let spread = l0 - l2
        if !(min(l0 - l1, l1 - l2) > 1e-3 * spread) { return false }
        // Eigenvectors: rows of M = H − λI (row 0 = (h00−λ, h01, h02), row 1 = (h10, h11−λ, h12),
        // row 2 = (h20, h21, h22−λ), h10 = conj(h01), …); v = the largest of the three pairwise
        // bilinear cross products rᵢ × rⱼ (M v = 0 for every row when λ is a simple eigenvalue).
        // Written out in scalars: no allocation on this path.
        let h10r = x01r, h10i = -x01i, h20r = x02r, h20i = -x02i, h21r = x12r, h21i = -x12i
        for col in 0..<3 {
            let lambda = col == 0 ? l0 : (col == 1 ? l1 : l2)
            let a0 = h00 - lambda, a1 = h11 - lambda, a2 = h22 - lambda
            // rows as (re, im) triples
            let r0 = ((a0, 0.0), (x01r, x01i), (x02r, x02i))
            let r1 = ((h10r, h10i), (a1, 0.0), (x12r, x12i))
            let r2 = ((h20r, h20i), (h21r, h21i), (a2, 0.0))
            @inline(__always) func mul(_ x: (Double, Double), _ y: (Double, Double)) -> (Double, Double) {
                (x.0 * y.0 - x.1 * y.1, x.0 * y.1 + x.1 * y.0)
            }
            @inline(__always) func cross(_ x: ((Double, Double), (Double, Double), (Double, Double)),
                                         _ y: ((Double, Double), (Double, Double), (Double, Double)))
                -> (Double, (Double, Double), (Double, Double), (Double, Double)) {
                let m12 = mul(x.1, y.2), m21 = mul(x.2, y.1)
                let m20 = mul(x.2, y.0), m02 = mul(x.0, y.2)
                let m01 = mul(x.0, y.1), m10 = mul(x.1, y.0)
                let z0 = (m12.0 - m21.0, m12.1 - m21.1), z1 = (m20.0 - m02.0, m20.1 - m02.1), z2 = (m01.0 - m10.0, m01.1 - m10.1)
                return (z0.0 * z0.0 + z0.1 * z0.1 + z1.0 * z1.0 + z1.1 * z1.1 + z2.0 * z2.0 + z2.1 * z2.1, z0, z1, z2)
            }
            var best = cross(r0, r1)
            let c02 = cross(r0, r2)
            if c02.0 > best.0 { best = c02 }
            let c12 = cross(r1, r2)
            if c12.0 > best.0 { best = c12 }
            if !(best.0 > 0) { return false }
            let scale = 1 / best.0.squareRoot()
            eig.vr[col] = best.1.0 * scale; eig.vi[col] = best.1.1 * scale
            eig.vr[3 + col] = best.2.0 * scale; eig.vi[3 + col] = best.2.1 * scale
            eig.vr[6 + col] = best.3.0 * scale; eig.vi[6 + col] = best.3.1 * scale
        }
        eig.values[0] = l0; eig.values[1] = l1; eig.values[2] = l2
        applyEigen3(values: eig.values, vr: eig.vr, vi: eig.vi, dt: dt)
        return true
    }

    /// U ← exp(−iHΔt)·U by the Taylor series Σₖ(−iHh)ᵏ/k!·U, with Δt split into p pieces h so that
    /// ‖H‖₁h ≤ 1; terms are summed until the largest entry of a term falls below 1e-17 (the
    /// remainder of the alternating-free tail is then below ~1e-17 too, since ‖H‖₁h/k < 1/k).
    private mutating func applyTaylor(dt: Double) {
        let n = self.n, c = cols
        if tr.count != n * c {
            tr = Array(repeating: 0, count: n * c)
            ti = tr; nr = tr; ni = tr
        }
        var norm = 0.0
        for j in 0..<n {
            var col = 0.0
            for i in 0..<n { col += abs(eig.ar[i * n + j]) + abs(eig.ai[i * n + j]) }
            norm = max(norm, col)
        }
        let pieces = max(1, Int((norm * abs(dt)).rounded(.up)))
        let h = dt / Double(pieces)
        eig.ar.withUnsafeBufferPointer { ar in
        eig.ai.withUnsafeBufferPointer { ai in
        ur.withUnsafeMutableBufferPointer { uR in
        ui.withUnsafeMutableBufferPointer { uI in
        tr.withUnsafeMutableBufferPointer { tR in
        ti.withUnsafeMutableBufferPointer { tI in
        nr.withUnsafeMutableBufferPointer { nR in
        ni.withUnsafeMutableBufferPointer { nI in
            for _ in 0..<pieces {
                for x in 0..<(n * c) { tR[x] = uR[x]; tI[x] = uI[x] }
                for k in 1...40 {
                    for x in 0..<(n * c) { nR[x] = 0; nI[x] = 0 }
                    for i in 0..<n {
                        for j in 0..<n {
                            let a = ar[i * n + j], b = ai[i * n + j]
                            if a == 0 && b == 0 { continue }
                            for x in 0..<c {
                                let p = tR[j * c + x], q = tI[j * c + x]
                                nR[i * c + x] += a * p - b * q
                                nI[i * c + x] += a * q + b * p
                            }
                        }
                    }
                    // term ← (−i·h/k)·H·term.
                    let f = h / Double(k)
                    var largest = 0.0
                    for x in 0..<(n * c) {
                        let r = f * nI[x], m = -f * nR[x]
                        tR[x] = r
                        tI[x] = m
                        uR[x] += r
                        uI[x] += m
                        largest = max(largest, abs(r), abs(m))
                    }
                    if largest < 1e-17 { break }
                }
            }
        }}}}}}}}
    }

    /// Rows m of the block times e^{i·valuesₘ·t}.
    private mutating func scaleRows(by values: [Double], time t: Double) {
        scaleRowsByPhase(&ur, &ui, rows: n, cols: cols, energies: values, time: t)
    }

    /// X ← V·X or Vᵀ·X for a real row-major V.
    private mutating func applyReal(_ v: [Double], transposed: Bool) {
        let c = cols
        for i in 0..<(n * c) { yr[i] = 0; yi[i] = 0 }
        for i in 0..<n {
            for j in 0..<n {
                let a = transposed ? v[j * n + i] : v[i * n + j]
                if a == 0 { continue }
                for x in 0..<c {
                    yr[i * c + x] += a * ur[j * c + x]
                    yi[i * c + x] += a * ui[j * c + x]
                }
            }
        }
        swap(&ur, &yr)
        swap(&ui, &yi)
    }

    /// Rows m of the block times e^{iEₘt}.
    private mutating func scaleRows(time t: Double) {
        scaleRowsByPhase(&ur, &ui, rows: n, cols: cols, energies: planner.frameEnergies, time: t)
    }

    /// U ← V·diag(e^{−iλΔt})·V†·U for n = 3 and complex V, unrolled: E = V·diag(p)·V† in scalars,
    /// then each column of U multiplied by E (the closed-form 3-level step's hot path).
    private mutating func applyEigen3(values: [Double], vr: [Double], vi: [Double], dt: Double) {
        let c = cols
        let p0 = (Double.cos(values[0] * dt), -Double.sin(values[0] * dt))
        let p1 = (Double.cos(values[1] * dt), -Double.sin(values[1] * dt))
        let p2 = (Double.cos(values[2] * dt), -Double.sin(values[2] * dt))
        // E_ij = Σ_k V_ik p_k conj(V_jk).
        var er = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), ei = er
        withUnsafeMutableBytes(of: &er) { erb in
        withUnsafeMutableBytes(of: &ei) { eib in
            let eR = erb.bindMemory(to: Double.self), eI = eib.bindMemory(to: Double.self)
            for i in 0..<3 {
                // a_k = V_ik·p_k
                let v0 = (vr[3 * i], vi[3 * i]), v1 = (vr[3 * i + 1], vi[3 * i + 1]), v2 = (vr[3 * i + 2], vi[3 * i + 2])
                let a0 = (v0.0 * p0.0 - v0.1 * p0.1, v0.0 * p0.1 + v0.1 * p0.0)
                let a1 = (v1.0 * p1.0 - v1.1 * p1.1, v1.0 * p1.1 + v1.1 * p1.0)
                let a2 = (v2.0 * p2.0 - v2.1 * p2.1, v2.0 * p2.1 + v2.1 * p2.0)
                for j in 0..<3 {
                    // conj(V_jk) = (vr, −vi)
                    let w0r = vr[3 * j], w0i = -vi[3 * j], w1r = vr[3 * j + 1], w1i = -vi[3 * j + 1]
                    let w2r = vr[3 * j + 2], w2i = -vi[3 * j + 2]
                    eR[3 * i + j] = a0.0 * w0r - a0.1 * w0i + a1.0 * w1r - a1.1 * w1i + a2.0 * w2r - a2.1 * w2i
                    eI[3 * i + j] = a0.0 * w0i + a0.1 * w0r + a1.0 * w1i + a1.1 * w1r + a2.0 * w2i + a2.1 * w2r
                }
            }
        }}
        withUnsafeBytes(of: er) { erb in
        withUnsafeBytes(of: ei) { eib in
        ur.withUnsafeMutableBufferPointer { uR in
        ui.withUnsafeMutableBufferPointer { uI in
            let eR = erb.bindMemory(to: Double.self), eI = eib.bindMemory(to: Double.self)
            for x in 0..<c {
                let x0r = uR[x], x0i = uI[x], x1r = uR[c + x], x1i = uI[c + x], x2r = uR[2 * c + x], x2i = uI[2 * c + x]
                for i in 0..<3 {
                    let a = eR[3 * i], b = eI[3 * i], d = eR[3 * i + 1], e = eI[3 * i + 1], f = eR[3 * i + 2], g = eI[3 * i + 2]
                    uR[i * c + x] = a * x0r - b * x0i + d * x1r - e * x1i + f * x2r - g * x2i
                    uI[i * c + x] = a * x0i + b * x0r + d * x1i + e * x1r + f * x2i + g * x2r
                }
            }
        }}}}
    }

    /// U ← V·diag(e^{−iλΔt})·V†·U (V real when `vi` is nil).
    private mutating func applyEigen(values: [Double], vr: [Double], vi: [Double]?, dt: Double) {
        for j in 0..<n {
            phaseR[j] = Double.cos(values[j] * dt)
            phaseI[j] = -Double.sin(values[j] * dt)
        }
        let c = cols
        for i in 0..<(n * c) { yr[i] = 0; yi[i] = 0 }
        let hasImaginary = vi != nil
        let vim = vi ?? []
        // Y = V†U: Y[j, :] += conj(V[i, j])·U[i, :].
        vr.withUnsafeBufferPointer { vr in
        vim.withUnsafeBufferPointer { vim in
        ur.withUnsafeBufferPointer { uR in
        ui.withUnsafeBufferPointer { uI in
        yr.withUnsafeMutableBufferPointer { yR in
        yi.withUnsafeMutableBufferPointer { yI in
            for i in 0..<n {
                for j in 0..<n {
                    let a = vr[i * n + j], b = hasImaginary ? -vim[i * n + j] : 0
                    if a == 0 && b == 0 { continue }
                    for x in 0..<c {
                        let p = uR[i * c + x], q = uI[i * c + x]
                        yR[j * c + x] += a * p - b * q
                        yI[j * c + x] += a * q + b * p
                    }
                }
            }
        }}}}}}
        for j in 0..<n {
            let pr = phaseR[j], pi = phaseI[j]
            for x in 0..<c {
                let a = yr[j * c + x], b = yi[j * c + x]
                yr[j * c + x] = a * pr - b * pi
                yi[j * c + x] = a * pi + b * pr
            }
        }
        // U = V·Y.
        for i in 0..<(n * c) { ur[i] = 0; ui[i] = 0 }
        vr.withUnsafeBufferPointer { vr in
        vim.withUnsafeBufferPointer { vim in
        yr.withUnsafeBufferPointer { yR in
        yi.withUnsafeBufferPointer { yI in
        ur.withUnsafeMutableBufferPointer { uR in
        ui.withUnsafeMutableBufferPointer { uI in
            for i in 0..<n {
                for j in 0..<n {
                    let a = vr[i * n + j], b = hasImaginary ? vim[i * n + j] : 0
                    if a == 0 && b == 0 { continue }
                    for x in 0..<c {
                        let p = yR[j * c + x], q = yI[j * c + x]
                        uR[i * c + x] += a * p - b * q
                        uI[i * c + x] += a * q + b * p
                    }
                }
            }
        }}}}}}
    }
}
