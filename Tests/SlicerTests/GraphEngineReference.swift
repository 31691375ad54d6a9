import BigInt
import Polytope
import Slicer
@testable import Engine
@testable import Models

/// Exact values over one positive common denominator: value i is numerators[i] / denominator.
/// (A rational per value reduces by a gcd at every operation, which made this reference most of the
/// graph-engine tests' time in a debug build; one denominator a layer needs no gcd.)
struct ScaledValues {
    var numerators: [BigInt]
    var denominator: BigInt

    init(numerators: [BigInt], denominator: BigInt) {
        precondition(denominator.sign == .plus && !denominator.isZero)
        self.numerators = numerators
        self.denominator = denominator
    }

    /// Rationals over their least common denominator.
    init(_ values: [Rational]) {
        var common = BigInt(1)
        for v in values {
            let g = BigInt(common.magnitude.greatestCommonDivisor(with: v.denominator.magnitude))
            common = common / g * v.denominator
        }
        self.init(numerators: values.map { $0.numerator * (common / $0.denominator) }, denominator: common)
    }

    var rationals: [Rational] { numerators.map { Rational($0, denominator) } }

    /// y_j = Σ w·x_k + b_j over `terms(j)` (weights and biases exact binary fractions).
    func affine(outputs: Int, terms: (Int) -> [(weight: Double, input: Int)], bias: (Int) -> Double) -> ScaledValues {
        let rows = (0..<outputs).map { j in (terms(j).map { (Dyadic($0.weight), $0.input) }, Dyadic(bias(j))) }
        // The smallest exponent E ≤ 0 among the coefficients: every m·2^e is (m << (e − E)) / 2^(−E).
        var e = 0
        for (row, b) in rows {
            for (w, _) in row where !w.isZero { e = min(e, w.exponent) }
            if !b.isZero { e = min(e, b.exponent) }
        }
        func scaled(_ d: Dyadic) -> BigInt { d.mantissa << (d.exponent - e) }
        let values = rows.map { row, b in
            row.reduce(b.isZero ? BigInt(0) : scaled(b) * denominator) { $1.0.isZero ? $0 : $0 + scaled($1.0) * numerators[$1.1] }
        }
        return ScaledValues(numerators: values, denominator: denominator << -e)
    }
}

/// An independent exact forward pass of a graph model in rational arithmetic, written from the
/// operations' definitions (PyTorch semantics), for checking the engine's patterns.
/// Returns every activation node's input values in order, and the output.
func rationalForward(_ graph: GraphModel, at input: [Rational]) -> (activationInputs: [[Rational]], output: [Rational]) {
    var values: [ScaledValues] = [ScaledValues(input)]
    var activationInputs: [[Rational]] = []
    for node in graph.nodes {
        let x = values[node.inputs[0]]
        let inShape = graph.shape(ofValue: node.inputs[0])
        var y: ScaledValues
        switch node.op {
        case .dense(let layer):
            y = x.affine(outputs: layer.outputs, terms: { j in (0..<layer.inputs).map { (layer.weight(j, $0), $0) } },
                         bias: { layer.bias[$0] })
        case .conv(let c):
            let (h, w) = (inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            let per = c.inChannels / c.groups
            y = x.affine(outputs: c.outChannels * oh * ow, terms: { j in
                let (o, oy, ox) = (j / (oh * ow), (j / ow) % oh, j % ow)
                let g = o / (c.outChannels / c.groups)
                var terms: [(weight: Double, input: Int)] = []
                for ci in 0..<per { for ky in 0..<c.kernelH { for kx in 0..<c.kernelW {
                    let iy = oy * c.strideH - c.pads[0] + ky * c.dilationH, ix = ox * c.strideW - c.pads[1] + kx * c.dilationW
                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                    terms.append((c.weights[((o * per + ci) * c.kernelH + ky) * c.kernelW + kx], ((g * per + ci) * h + iy) * w + ix))
                } } }
                return terms
            }, bias: { c.bias[$0 / (oh * ow)] })
        case .channelAffine(let scale, let shift):
            let per = x.numerators.count / scale.count
            y = x.affine(outputs: x.numerators.count, terms: { [(scale[$0 / per], $0)] }, bias: { shift[$0 / per] })
        case .addConstant(let constant):
            y = x.affine(outputs: x.numerators.count, terms: { [(1, $0)] }, bias: { constant[$0] })
        case .averagePool(let p, let includePad):
            let (c, h, w) = (inShape[0], inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            var sums: [BigInt] = [], divisors: [Int] = []
            for ch in 0..<c { for oy in 0..<oh { for ox in 0..<ow {
                let y0 = oy * p.strideH - p.pads[0], x0 = ox * p.strideW - p.pads[1]
                let y1 = min(y0 + p.kernelH, h + p.pads[2]), x1 = min(x0 + p.kernelW, w + p.pads[3])
                var sum = BigInt(0), count = 0
                for iy in max(y0, 0)..<max(max(y0, 0), min(y1, h)) { for ix in max(x0, 0)..<max(max(x0, 0), min(x1, w)) {
                    sum += x.numerators[(ch * h + iy) * w + ix]; count += 1
                } }
                sums.append(sum); divisors.append(includePad ? (y1 - y0) * (x1 - x0) : count)
            } } }
            // sum / (d·D) = sum·(L/d) / (L·D) with L the divisors' least common multiple.
            let l = divisors.reduce(1) { a, b in a / gcd(a, b) * b }
            y = ScaledValues(numerators: zip(sums, divisors).map { $0 * BigInt(l / $1) }, denominator: x.denominator * BigInt(l))
        case .globalAveragePool:
            let per = x.numerators.count / inShape[0]
            y = ScaledValues(numerators: (0..<inShape[0]).map { ch in (0..<per).reduce(BigInt(0)) { $0 + x.numerators[ch * per + $1] } },
                             denominator: x.denominator * BigInt(per))
        case .reshape:
            y = x
        case .add:
            let other = values[node.inputs[1]]
            y = ScaledValues(numerators: x.numerators.indices.map { x.numerators[$0] * other.denominator + other.numerators[$0] * x.denominator },
                             denominator: x.denominator * other.denominator)
        case .activation(let a):
            activationInputs.append(x.rationals)
            y = x.affine(outputs: x.numerators.count, terms: { [(x.numerators[$0].signum() > 0 ? 1 : a.negativeSlope, $0)] }, bias: { _ in 0 })
        case .maxPool(let p):
            // The largest input of each window (padding is −∞), the first one on ties; its input is a level's.
            activationInputs.append(x.rationals)
            let (h, w) = (inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            var best: [BigInt] = []
            for ch in 0..<inShape[0] { for oy in 0..<oh { for ox in 0..<ow {
                var largest: BigInt? = nil
                for ky in 0..<p.kernelH { for kx in 0..<p.kernelW {
                    let iy = oy * p.strideH - p.pads[0] + ky * p.dilationH, ix = ox * p.strideW - p.pads[1] + kx * p.dilationW
                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                    let value = x.numerators[(ch * h + iy) * w + ix]
                    if largest == nil || value > largest! { largest = value }
                } }
                best.append(largest!)
            } } }
            y = ScaledValues(numerators: best, denominator: x.denominator)
        }
        values.append(y)
    }
    return (activationInputs, values[graph.outputValue].rationals)
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

/// The input point x1 + s·(x2 − x1) + t·(x3 − x1) of the anchors' plane, exactly.
func exactPlanePoint(_ anchors: [[Double]]) -> (Rational, Rational) -> [Rational] {
    let x1 = anchors[0].map { Rational(Dyadic($0)) }
    let d1 = zip(anchors[1], anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
    let d2 = zip(anchors[2], anchors[0]).map { Rational(Dyadic($0)) - Rational(Dyadic($1)) }
    return { s, t in x1.indices.map { x1[$0] + s * d1[$0] + t * d2[$0] } }
}

/// The pattern of an exact forward pass, given its activation inputs: each activation unit's sign
/// bit, each max-pool window's first largest input.
func exactPattern(_ plan: GraphPlan, levelInputs: [[Rational]]) -> ActivationPattern {
    var pattern = ActivationPattern(count: plan.patternBits)
    for (m, values) in levelInputs.enumerated() {
        if let pool = plan.maxPool(level: m) {
            for w in 0..<pool.windows {
                var best = pool.inputs(of: w)[0]
                for candidate in pool.inputs(of: w) where values[candidate.unit] > values[best.unit] { best = candidate }
                pattern[plan.patternOffsets[m] + w * pool.taps + best.slot] = true
            }
        } else {
            for (j, z) in values.enumerated() where z.signum > 0 { pattern[plan.patternOffsets[m] + j] = true }
        }
    }
    return pattern
}

/// Every face's exact signed area (positive when counter-clockwise) and the domain's area.
func exactAreas(_ engine: GraphSubdivision) -> (faces: [Rational], domain: Rational) {
    let domain = ConvexPolygon(vertices: (0..<engine.domainCorners.count).map { engine.exactVertex(Int32($0)) })
    let faces = engine.topology.faces.map { ConvexPolygon(vertices: $0.vertices.map { engine.exactVertex($0) }).area }
    return (faces, domain.area)
}

/// The exact sum of rationals, added in pairs: a running sum's denominator grows with every term, and
/// its gcds made summing a partition's areas most of a debug test's time.
func exactSum(_ values: [Rational]) -> Rational {
    var level = values
    while level.count > 1 {
        level = stride(from: 0, to: level.count, by: 2).map { $0 + 1 < level.count ? level[$0] + level[$0 + 1] : level[$0] }
    }
    return level.first ?? .zero
}
