import BigInt
import Polytope

/// An affine operation of a graph as the engine applies it: every output unit is
/// (Σ weight · input + bias) / divisor over a few taps of its inputs. Dense layers, convolutions,
/// batch-norm scale and shift, constant additions, average pools, reshapes and residual sums are all
/// of this form; each is one small type that lists its taps (`GraphPlan` makes one per graph node).
///
/// The float evaluation, its error bound (`ErrorModel`'s formulas) and the exact evaluation are
/// written once, here, for all of them, so an operation states only what it computes.
protocol AffineOperation: Sendable {
    /// Units of the output.
    var outputCount: Int { get }
    /// Calls `body(slot, index, weight)` for each non-zero term of output u: `weight` times unit
    /// `index` of input `slot`. Weights are finite doubles (exact binary fractions).
    func forEachTap(of u: Int, _ body: (_ slot: Int, _ index: Int, _ weight: Double) -> Void)
    /// The constant term of output u (finite).
    func bias(of u: Int) -> Double
    /// The positive integer divisor of output u (1 except for average pools).
    func divisor(of u: Int) -> Int
    /// Calls `body(u)` for every output u that reads unit `index` of input `slot` (each at least
    /// once). The default names every output, which is always correct.
    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void)
    /// The outputs reading any of `units` of input `slot`, each listed once (in any order), or nil
    /// when the operation has nothing faster than `forEachDependent` unit by unit.
    func dependents(ofInput slot: Int, units: [Int]) -> [Int]?
    /// The float evaluation of the outputs `units` only, written into `out` (other outputs stay as
    /// they are); `changed[slot]` lists the input units changed since `out` was last brought up to
    /// date (an operation may keep partial sums in `out.partials` and use it). Every output is
    /// computed by one fixed formula whatever is asked, so a value's maps never depend on the path
    /// that led to them. An operation may replace the tap-by-tap default with a faster loop that
    /// sums the same terms (in any fixed order: the bound below holds for every order).
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap])
    /// `update`, returning the asked units whose rows came out different from what `out` held
    /// (each once; NaN counts as different).
    func updateListingMoved(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) -> [Int]
    /// Whether a one-input operation's `update` finds the outputs to recompute from `changed` alone
    /// (once its partials are set up) and `updateListingMoved` lists those that moved, so that
    /// callers may pass no `units` (false by default).
    var recomputesFromChanges: Bool { get }
}

extension AffineOperation {
    func bias(of u: Int) -> Double { 0 }
    func divisor(of u: Int) -> Int { 1 }
    var recomputesFromChanges: Bool { false }

    func forEachDependent(ofInput slot: Int, unit index: Int, _ body: (Int) -> Void) {
        for u in 0..<outputCount { body(u) }
    }

    func dependents(ofInput slot: Int, units: [Int]) -> [Int]? { nil }

    func updateListingMoved(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) -> [Int] {
        let n = out.count
        let old = units.map { (out.rows[$0], out.rows[n + $0], out.rows[2 * n + $0]) }
        update(&out, units: units, changed: changed, inputs: inputs)
        return zip(units, old).filter { u, old in
            !(out.rows[u] == old.0 && out.rows[n + u] == old.1 && out.rows[2 * n + u] == old.2)
        }.map(\.0)
    }

    /// ỹ = fl(fl(Σ w·x̃ + b) / k) for each asked unit and row, taps in `forEachTap` order (the bias
    /// only in the constant row; no division when k = 1).
    func update(_ out: inout FloatValueMap, units: [Int], changed: [[Int]], inputs: [FloatValueMap]) {
        let n = outputCount
        for u in units {
            var a = 0.0, b = 0.0, c = 0.0
            forEachTap(of: u) { slot, index, weight in
                let input = inputs[slot]
                a += weight * input.rows[index]
                b += weight * input.rows[input.count + index]
                c += weight * input.rows[2 * input.count + index]
            }
            c += bias(of: u)
            let k = divisor(of: u)
            if k != 1 { let d = Double(k); a /= d; b /= d; c /= d }
            out.rows[u] = a; out.rows[n + u] = b; out.rows[2 * n + u] = c
        }
    }

    /// Every output from scratch (`update` on all units).
    func apply(_ inputs: [FloatValueMap]) -> FloatValueMap {
        var out = FloatValueMap(zeros: outputCount)
        update(&out, units: Array(0..<outputCount), changed: inputs.map { Array(0..<$0.count) }, inputs: inputs)
        return out
    }

    /// The bound of `apply`. With m inputs bounded by E (error) and B (magnitude of the computed
    /// values), for an output with t taps:
    /// |fl(Σ w x̃ + b) − (Σ w x + b)| ≤ Σ|w|E + γ_{t+1}(Σ|w|B + |b|) (Higham's dot-product bound in any
    /// summation order; weights are exact), and the division by k adds u·|S̃|/k, so
    /// E_y = (Σ|w|E + γ_{t+2}(Σ|w|B + |b|)) / k and B_y = (1 + γ_{t+2})(Σ|w|B + |b|) / k.
    /// The bounds are computed in floating point from non-negative terms; `boundSafety` and
    /// `boundFloor` cover their own rounding (see ErrorModel.swift).
    func bound(_ inputs: [ValueBound]) -> ValueBound {
        let n = outputCount
        var error = [Double](repeating: 0, count: 3 * n), magnitude = error
        for u in 0..<n {
            var taps = 0
            var e = (0.0, 0.0, 0.0), m = (0.0, 0.0, 0.0)
            forEachTap(of: u) { slot, index, weight in
                let input = inputs[slot], w = abs(weight), count = input.count
                taps += 1
                e.0 += w * input.error[index]; e.1 += w * input.error[count + index]; e.2 += w * input.error[2 * count + index]
                m.0 += w * input.magnitude[index]; m.1 += w * input.magnitude[count + index]; m.2 += w * input.magnitude[2 * count + index]
            }
            m.2 += abs(bias(of: u))
            let g = gamma(taps + 2), k = Double(divisor(of: u))
            let rows = [(e.0, m.0), (e.1, m.1), (e.2, m.2)]
            for (r, (er, mr)) in rows.enumerated() {
                error[r * n + u] = certifiedBound(dotProductError(propagated: er, magnitude: mr, gamma: g) / k)
                magnitude[r * n + u] = certifiedBound(dotProductMagnitude(mr, gamma: g) / k)
            }
        }
        return ValueBound(count: n, error: error, magnitude: magnitude)
    }

    /// The exact outputs: with input denominators D_i, L = lcm(D_i)·lcm(k_u), output u's line is
    /// Σ w·(L / (D_slot·k_u))·x + b·(L / k_u) over the denominator L.
    func apply(_ inputs: [ExactValueMap]) -> ExactValueMap {
        let n = outputCount
        var inputLCM = BigInt(1)
        for input in inputs { inputLCM = inputLCM.leastCommonMultiple(with: input.denominator) }
        var divisorLCM = BigInt(1)
        for u in 0..<n where divisor(of: u) != 1 { divisorLCM = divisorLCM.leastCommonMultiple(with: BigInt(divisor(of: u))) }
        let slotScale = inputs.map { (inputLCM / $0.denominator).dyadic }
        var lines: [ExactLine] = []
        lines.reserveCapacity(n)
        for u in 0..<n {
            let perUnit = (divisorLCM / BigInt(divisor(of: u))).dyadic
            var a = Dyadic.zero, b = Dyadic.zero, c = Dyadic.zero
            forEachTap(of: u) { slot, index, weight in
                let x = inputs[slot].lines[index]
                let w = Dyadic(weight) * slotScale[slot]
                if !x.a.isZero { a += w * x.a }
                if !x.b.isZero { b += w * x.b }
                if !x.c.isZero { c += w * x.c }
            }
            let biasValue = bias(of: u)
            if biasValue != 0 { c += Dyadic(biasValue) * inputLCM.dyadic }
            lines.append(ExactLine(a: (a * perUnit).normalized(), b: (b * perUnit).normalized(), c: (c * perUnit).normalized()))
        }
        return ExactValueMap(lines: lines, denominator: inputLCM * divisorLCM)
    }
}
