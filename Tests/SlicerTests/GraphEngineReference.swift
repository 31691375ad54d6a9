@testable import Slicer
import Polytope
import BigInt

/// An independent exact forward pass of a graph model in rational arithmetic, written from the
/// operations' definitions (PyTorch semantics), for checking the engine's patterns.
/// Returns every activation node's input values in order, and the output.
func rationalForward(_ graph: GraphModel, at input: [Rational]) -> (activationInputs: [[Rational]], output: [Rational]) {
    var values: [[Rational]] = [input]
    var activationInputs: [[Rational]] = []
    func r(_ x: Double) -> Rational { Rational(Dyadic(x)) }
    for node in graph.nodes {
        let x = values[node.inputs[0]]
        let inShape = graph.shape(ofValue: node.inputs[0])
        var y: [Rational]
        switch node.op {
        case .dense(let layer):
            y = (0..<layer.outputs).map { j in
                (0..<layer.inputs).reduce(r(layer.bias[j])) { $0 + r(layer.weight(j, $1)) * x[$1] }
            }
        case .conv(let c):
            let (h, w) = (inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            let per = c.inChannels / c.groups
            y = []
            for o in 0..<c.outChannels { for oy in 0..<oh { for ox in 0..<ow {
                var sum = r(c.bias[o])
                let g = o / (c.outChannels / c.groups)
                for ci in 0..<per { for ky in 0..<c.kernelH { for kx in 0..<c.kernelW {
                    let iy = oy * c.strideH - c.pads[0] + ky * c.dilationH, ix = ox * c.strideW - c.pads[1] + kx * c.dilationW
                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                    sum = sum + r(c.weights[((o * per + ci) * c.kernelH + ky) * c.kernelW + kx]) * x[((g * per + ci) * h + iy) * w + ix]
                } } }
                y.append(sum)
            } } }
        case .channelAffine(let scale, let shift):
            let per = x.count / scale.count
            y = x.indices.map { r(scale[$0 / per]) * x[$0] + r(shift[$0 / per]) }
        case .addConstant(let constant):
            y = x.indices.map { x[$0] + r(constant[$0]) }
        case .averagePool(let p, let includePad):
            let (c, h, w) = (inShape[0], inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            y = []
            for ch in 0..<c { for oy in 0..<oh { for ox in 0..<ow {
                let y0 = oy * p.strideH - p.pads[0], x0 = ox * p.strideW - p.pads[1]
                let y1 = min(y0 + p.kernelH, h + p.pads[2]), x1 = min(x0 + p.kernelW, w + p.pads[3])
                var sum = Rational.zero, count = 0
                for iy in max(y0, 0)..<max(max(y0, 0), min(y1, h)) { for ix in max(x0, 0)..<max(max(x0, 0), min(x1, w)) {
                    sum = sum + x[(ch * h + iy) * w + ix]; count += 1
                } }
                y.append(sum / Rational(includePad ? (y1 - y0) * (x1 - x0) : count))
            } } }
        case .globalAveragePool:
            let per = x.count / inShape[0]
            y = (0..<inShape[0]).map { ch in (0..<per).reduce(Rational.zero) { $0 + x[ch * per + $1] } / Rational(per) }
        case .reshape:
            y = x
        case .add:
            let other = values[node.inputs[1]]
            y = x.indices.map { x[$0] + other[$0] }
        case .activation(let a):
            activationInputs.append(x)
            y = x.map { $0.signum > 0 ? $0 : $0 * r(a.negativeSlope) }
        case .maxPool(let p):
            // The largest input of each window (padding is −∞), the first one on ties; its input is a level's.
            activationInputs.append(x)
            let (h, w) = (inShape[1], inShape[2]), (oh, ow) = (node.shape[1], node.shape[2])
            y = []
            for ch in 0..<inShape[0] { for oy in 0..<oh { for ox in 0..<ow {
                var best: Rational? = nil
                for ky in 0..<p.kernelH { for kx in 0..<p.kernelW {
                    let iy = oy * p.strideH - p.pads[0] + ky * p.dilationH, ix = ox * p.strideW - p.pads[1] + kx * p.dilationW
                    guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                    let value = x[(ch * h + iy) * w + ix]
                    if best == nil || value > best! { best = value }
                } }
                y.append(best!)
            } } }
        }
        values.append(y)
    }
    return (activationInputs, values[graph.outputValue])
}

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
