// Nelder–Mead simplex minimization, shared by the emulator's CZ search and the calibration's CZ
// refinement on measured (noisy) costs.

/// Minimizes `f` from `start` with initial simplex steps `steps` (reflection 1, expansion 2,
/// contraction ½, shrink ½). Stops when `maxEvaluations` calls would be exceeded or, with a
/// `tolerance`, when the simplex values span less than it. Returns the best point, its value and
/// the number of evaluations.
/// - Complexity: at most `maxEvaluations` (+ the shrink step's n) calls of `f`.
public func nelderMead(start: [Double], steps: [Double], maxEvaluations: Int, tolerance: Double? = 1e-10,
                       _ f: ([Double]) -> Double) -> (point: [Double], value: Double, evaluations: Int) {
    precondition(steps.count == start.count, "one step per coordinate")
    let n = start.count
    var simplex = [start]
    for i in 0..<n { var x = start; x[i] += steps[i]; simplex.append(x) }
    var values = simplex.map(f)
    var count = n + 1
    func combine(_ a: [Double], _ b: [Double], _ t: Double) -> [Double] { zip(a, b).map { $0 + t * ($1 - $0) } }
    while count < maxEvaluations {
        let order = values.indices.sorted { values[$0] < values[$1] }
        simplex = order.map { simplex[$0] }
        values = order.map { values[$0] }
        if let tolerance, values[n] - values[0] < tolerance { break }
        let centroid = (0..<n).map { i in simplex[0..<n].reduce(0) { $0 + $1[i] } / Double(n) }
        let reflected = combine(centroid, simplex[n], -1)
        let fr = f(reflected); count += 1
        if fr < values[0] {
            let expanded = combine(centroid, simplex[n], -2)
            let fe = f(expanded); count += 1
            (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
        } else if fr < values[n - 1] {
            (simplex[n], values[n]) = (reflected, fr)
        } else {
            let contracted = combine(centroid, simplex[n], 0.5)
            let fc = f(contracted); count += 1
            if fc < values[n] {
                (simplex[n], values[n]) = (contracted, fc)
            } else {
                for i in 1...n {
                    simplex[i] = combine(simplex[0], simplex[i], 0.5)
                    values[i] = f(simplex[i]); count += 1
                }
            }
        }
    }
    let best = values.indices.min { values[$0] < values[$1] }!
    return (simplex[best], values[best], count)
}
