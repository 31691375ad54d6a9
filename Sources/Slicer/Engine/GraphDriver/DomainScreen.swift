/// A domain-wide screen of the activation units: which units certainly keep one sign on the whole
/// domain (whatever the pattern of the point), so that faces need test only the others.
///
/// Each value is enclosed, unit by unit, by an affine form of the plane: for every point (s, t) of
/// the domain, the exact network's value x(s, t) satisfies |x(s, t) − (a·s + b·t + c)| ≤ e, with
/// a, b, c, e doubles (taken as the exact numbers they are). The forms are propagated once through
/// the graph (affine arithmetic):
/// - input: a = fl(x2 − x1), b = fl(x3 − x1), c = x1, e = 2u(|a|·S + |b|·T) (each difference is
///   rounded once), with S, T the largest |s|, |t| at the domain's corners;
/// - affine output Σ w·x + bias over k (weights and bias exact doubles): the float sums A, B, C in
///   any order, and e = (Σ|w|·e_x + γ_{t+2}(Σ|w||a_x|·S + Σ|w||b_x|·T + Σ|w||c_x| + |bias|)) / k
///   (Higham's bound for each t-term sum and the division, as in `AffineOperation.bound`);
/// - a unit's range on the domain: the form is affine, so its extremes over the convex domain are at
///   corners, where its float value is within γ₃(|a|S + |b|T + |c|) (`CertifiedLine.evaluate`); with
///   the e, L ≤ min x and U ≥ max x;
/// - activation σ (slope 1 for x > 0, α else): L > 0 gives y = x (the same form), U < 0 gives
///   y = α·x (each coefficient rounded once: + 2u|result|); otherwise, with any float λ (the chord
///   slope), y = λ·x + d(x) where d = σ − λ·id is piecewise linear with its kink at 0, so on [L, U]
///   it lies between the min and max of d(L), d(0) = 0, d(U), each computed within
///   4u(|σ(L)| + |λL| + |σ(U)| + |λU|); with m, h the midpoint and half-width of that range,
///   y = λa·s + λb·t + (λc + m) ± (|λ|e + h + 2u|m| + 2u(|λa|S + |λb|T + |λc| + |λc + m|));
/// - max pool: the window's output lies between the largest L and the largest U of its inputs, a
///   constant form.
/// Every computed bound is multiplied by `boundSafety` and raised by `boundFloor`, which covers its
/// own rounding (see ErrorModel.swift). NaN or infinite values settle nothing: every comparison
/// with them fails, so such units stay unsettled.
struct DomainScreen {
    /// Per level: the activation's input units that may take both signs on the domain, increasing.
    var unsettled: [[Int]]
    /// Per level: the units certainly positive on the whole domain.
    var positive: [[Int]]
    /// Per level: true at the unsettled units.
    var isUnsettled: [[Bool]]

    /// A value's enclosure: rows a, b, c (`count` each) and the error e per unit.
    struct Forms {
        var count: Int
        var a: [Double], b: [Double], c: [Double], e: [Double]

        init(count: Int) {
            self.count = count
            a = [Double](repeating: 0, count: count); b = a; c = a; e = a
        }
    }

    /// Screens every activation level of `plan` over the convex domain with these corners.
    init(plan: GraphPlan, plane: SlicePlane, corners: [(s: Double, t: Double)]) {
        let sMax = corners.map { abs($0.s) }.max() ?? 0, tMax = corners.map { abs($0.t) }.max() ?? 0
        let d = plane.dimension
        var input = Forms(count: d)
        for i in 0..<d {
            input.a[i] = plane.d1[i]; input.b[i] = plane.u[i]; input.c[i] = plane.anchors[0][i]
            input.e[i] = certifiedBound(roundingError(units: 2, of: abs(input.a[i]) * sMax + abs(input.b[i]) * tMax))
        }
        var forms = [input]
        var unsettled = [[Int]](repeating: [], count: plan.levels), positive = unsettled
        var isUnsettled = [[Bool]](repeating: [], count: plan.levels)

        /// L and U of unit i of a form, and whether it is certainly positive / negative.
        func range(_ x: Forms, _ i: Int) -> (low: Double, high: Double) {
            var zMin = Double.infinity, zMax = -Double.infinity
            for corner in corners {
                let z = x.a[i] * corner.s + x.b[i] * corner.t + x.c[i]
                zMin = min(zMin, z); zMax = max(zMax, z)
            }
            if zMin.isNaN || zMax.isNaN { return (.nan, .nan) }
            let margin = certifiedBound(gamma3 * (abs(x.a[i]) * sMax + abs(x.b[i]) * tMax + abs(x.c[i])) + x.e[i])
            return ((zMin - margin).nextDown, (zMax + margin).nextUp)
        }

        for (index, step) in plan.steps.enumerated() {
            let inputs = plan.graph.nodes[index].inputs.map { forms[$0] }
            switch step {
            case .affine(let operation):
                forms.append(DomainScreen.affine(operation, inputs, sMax: sMax, tMax: tMax))
            case .piecewise(let activation):
                let m = plan.activationNodes.firstIndex(of: index)!
                let x = inputs[0], alpha = activation.negativeSlope
                var y = Forms(count: x.count)
                var flags = [Bool](repeating: false, count: x.count)
                for i in 0..<x.count {
                    let (low, high) = range(x, i)
                    if low > 0 {
                        positive[m].append(i)
                        y.a[i] = x.a[i]; y.b[i] = x.b[i]; y.c[i] = x.c[i]; y.e[i] = x.e[i]
                    } else if high < 0 {
                        y.a[i] = alpha * x.a[i]; y.b[i] = alpha * x.b[i]; y.c[i] = alpha * x.c[i]
                        y.e[i] = certifiedBound(abs(alpha) * x.e[i] + roundingError(units: 2, of: abs(y.a[i]) * sMax + abs(y.b[i]) * tMax + abs(y.c[i])))
                    } else {
                        unsettled[m].append(i)
                        flags[i] = true
                        func sigma(_ z: Double) -> Double { z > 0 ? z : alpha * z }
                        let width = high - low
                        let lambda = width > 0 ? (sigma(high) - sigma(low)) / width : 1
                        let dLow = sigma(low) - lambda * low, dHigh = sigma(high) - lambda * high
                        let dError = certifiedBound(roundingError(units: 4, of: abs(sigma(low)) + abs(lambda * low) + abs(sigma(high)) + abs(lambda * high)))
                        let dMin = min(0, dLow, dHigh) - dError, dMax = max(0, dLow, dHigh) + dError
                        let mid = (dMin + dMax) / 2
                        let half = certifiedBound((dMax - dMin) / 2 + roundingError(units: 2, of: abs(mid)))
                        y.a[i] = lambda * x.a[i]; y.b[i] = lambda * x.b[i]
                        let lc = lambda * x.c[i]
                        y.c[i] = lc + mid
                        y.e[i] = certifiedBound(abs(lambda) * x.e[i] + half
                                            + roundingError(units: 2, of: abs(y.a[i]) * sMax + abs(y.b[i]) * tMax + abs(lc) + abs(y.c[i])))
                        // NaN anywhere (from a NaN or infinite range) keeps NaN in e, which settles nothing downstream.
                        if !(y.e[i].isFinite && y.c[i].isFinite) { y.e[i] = .nan }
                    }
                }
                isUnsettled[m] = flags
                forms.append(y)
            case .maxPool(let pool):
                let x = inputs[0]
                var y = Forms(count: pool.windows)
                for w in 0..<pool.windows {
                    var low = -Double.infinity, high = -Double.infinity
                    for (_, i) in pool.inputs(of: w) {
                        let r = range(x, i)
                        if r.low.isNaN { low = .nan; high = .nan; break }
                        low = max(low, r.low); high = max(high, r.high)
                    }
                    let mid = (low + high) / 2
                    y.c[w] = mid
                    y.e[w] = certifiedBound((high - low) / 2 + roundingError(units: 2, of: abs(mid)))
                    if !y.e[w].isFinite { y.e[w] = .nan }
                }
                forms.append(y)
            }
            // Free what no later node reads.
            for v in plan.graph.nodes[index].inputs where plan.lastUse[v] <= index { forms[v] = Forms(count: 0) }
        }
        self.unsettled = unsettled
        self.positive = positive
        self.isUnsettled = isUnsettled
    }

    /// An affine operation's output forms (see the type's comment for the bound).
    static func affine(_ operation: any AffineOperation, _ inputs: [Forms], sMax: Double, tMax: Double) -> Forms {
        var y = Forms(count: operation.outputCount)
        for o in 0..<operation.outputCount {
            var a = 0.0, b = 0.0, c = 0.0, e = 0.0, magnitude = 0.0
            var taps = 0
            operation.forEachTap(of: o) { slot, index, weight in
                let x = inputs[slot], w = abs(weight)
                taps += 1
                a += weight * x.a[index]; b += weight * x.b[index]; c += weight * x.c[index]
                e += w * x.e[index]
                magnitude += w * (abs(x.a[index]) * sMax + abs(x.b[index]) * tMax + abs(x.c[index]))
            }
            let bias = operation.bias(of: o)
            c += bias
            magnitude += abs(bias)
            let k = operation.divisor(of: o)
            if k != 1 { let dk = Double(k); a /= dk; b /= dk; c /= dk }
            y.a[o] = a; y.b[o] = b; y.c[o] = c
            y.e[o] = certifiedBound(dotProductError(propagated: e, magnitude: magnitude, gamma: gamma(taps + 2)) / Double(k))
        }
        return y
    }
}
