import BigInt
import Polytope

/// Exact mode's classification of a level's units on a face, every sign by integer arithmetic.
/// Units fixed on the whole domain are not tested (`GraphSubdivision+ExactFixed`).
///
/// A unit's integers (A, B, C) are read off the exact path. First the face's box (`ExactBox`): the
/// smallest and largest of A·s + B·t + C over the box are exact integers; above zero, the unit is
/// positive at every vertex, below, negative. Otherwise the unit is evaluated at each vertex,
/// sign(A·x + B·y + C·w) with the vertex in homogeneous integers. The categories are those of
/// `classify`, decided exactly: positive at some vertex and negative at none, the reverse, both
/// (crossing); units zero at every vertex (zero on the face) are left to the caller as undecided.
extension GraphSubdivision {
    func classifyExactly(units: [Int]?, vertices: [Int32], level m: Int)
        -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int]) {
        guard let path = exactPath else { preconditionFailure("exact mode without its exact maps") }
        // Units fixed on the whole domain are set on every face (`setFixedBits`), never tested.
        let fixed = fixedUnits(level: m, path: path)
        return decideExactly(units: units?.filter { fixed.isVarying[$0] } ?? fixed.varying, vertices: vertices, level: m,
                             leadingBit: fixed.leadingBit)
    }

    /// The classification of `units` on the polygon with these vertices.
    func decideExactly(units: [Int], vertices: [Int32], level m: Int, leadingBit: Int?)
        -> (positive: [Int], negative: [Int], crossing: [Int], ambiguous: [Int]) {
        guard let path = exactPath else { preconditionFailure("exact mode without its exact maps") }
        let v = plan.graph.nodes[plan.activationNodes[m]].inputs[0]
        let n = plan.valueCounts[v], limbs = path.formats[v].limbs, base = path.storage[v]
        let points = vertices.map { exactVertex($0) }
        let box = path.boxShift.flatMap { ExactBox(points, shift: $0) }
        let corners = HomogeneousVertices(points)
        // |A·S| < 2^(64·limbs + 61) and |C·2^shift| < 2^(64·limbs + shift): room for three such terms.
        let boxLimbs = limbs + (max(box?.shift ?? 0, 62) + 2) / 64 + 1
        let vertexLimbs = limbs + corners.width + 1
        var positive: [Int] = [], negative: [Int] = [], crossing: [Int] = [], ambiguous: [Int] = []
        let scratchSize = 3 * limbs + boxLimbs + vertexLimbs + 2
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: scratchSize) { scratch in
            let magA = scratch.baseAddress!, magB = magA + limbs, magC = magB + limbs
            let acc = magC + limbs, vertexAcc = acc + boxLimbs, corner = vertexAcc + vertexLimbs
            corners.magnitudes.withUnsafeBufferPointer { coordinates in
                for j in units {
                    let a = base + j * limbs, b = base + (n + j) * limbs, c = base + (2 * n + j) * limbs
                    if let box, let p = leadingBit, box.shift <= 62,
                       let sign = leadingSign(a, b, c, limbs, bit: p, box: box) {
                        if sign > 0 { positive.append(j) } else { negative.append(j) }
                        continue
                    }
                    let (countA, negativeA) = Limbs.magnitude(of: a, limbs, into: magA)
                    let (countB, negativeB) = Limbs.magnitude(of: b, limbs, into: magB)
                    if let box {
                        // The least value over the box, each term at its own least end; then the
                        // largest, which adds |A|·(width in s) + |B|·(width in t).
                        Limbs.shiftedLeft(c, limbs, by: box.shift, into: acc, boxLimbs)
                        let s = negativeA ? box.sHigh : box.sLow, t = negativeB ? box.tHigh : box.tLow
                        corner[0] = s.magnitude
                        Limbs.addSignedProduct(acc, boxLimbs, magA, countA, corner, s == 0 ? 0 : 1, negative: negativeA != (s < 0))
                        corner[1] = t.magnitude
                        Limbs.addSignedProduct(acc, boxLimbs, magB, countB, corner + 1, t == 0 ? 0 : 1, negative: negativeB != (t < 0))
                        if Limbs.signum(acc, boxLimbs) > 0 { positive.append(j); continue }
                        corner[0] = UInt64(box.sHigh - box.sLow); corner[1] = UInt64(box.tHigh - box.tLow)
                        Limbs.addProduct(acc, boxLimbs, magA, countA, corner, corner[0] == 0 ? 0 : 1)
                        Limbs.addProduct(acc, boxLimbs, magB, countB, corner + 1, corner[1] == 0 ? 0 : 1)
                        if Limbs.isNegative(acc, boxLimbs) { negative.append(j); continue }
                    }
                    let (countC, negativeC) = Limbs.magnitude(of: c, limbs, into: magC)
                    var isPositive = false, isNegative = false
                    for k in 0..<corners.count {
                        for l in 0..<vertexLimbs { vertexAcc[l] = 0 }
                        let x = coordinates.baseAddress! + 3 * k * corners.width
                        Limbs.addSignedProduct(vertexAcc, vertexLimbs, magA, countA, x, corners.counts[3 * k],
                                               negative: negativeA != corners.negative[3 * k])
                        Limbs.addSignedProduct(vertexAcc, vertexLimbs, magB, countB, x + corners.width, corners.counts[3 * k + 1],
                                               negative: negativeB != corners.negative[3 * k + 1])
                        Limbs.addSignedProduct(vertexAcc, vertexLimbs, magC, countC, x + 2 * corners.width, corners.counts[3 * k + 2],
                                               negative: negativeC != corners.negative[3 * k + 2])
                        let s = Limbs.signum(vertexAcc, vertexLimbs)
                        if s > 0 { isPositive = true } else if s < 0 { isNegative = true }
                        if isPositive && isNegative { break }
                    }
                    if isPositive && isNegative { crossing.append(j) }
                    else if isPositive { positive.append(j) }
                    else if isNegative { negative.append(j) }
                    else { ambiguous.append(j) }
                }
            }
        }
        return (positive, negative, crossing, ambiguous)
    }

    /// The sign of A·s + B·t + C on the whole box when the leading parts settle it, else nil.
    ///
    /// With a = ⌊A/2^p⌋ and 0 ≤ A − a·2^p < 2^p (likewise b, c), and S, T the box's coordinates
    /// times 2^shift (|S|, |T| < 2^62): F = A·S + B·T + C·2^shift = 2^p·(a·S + b·T + c·2^shift) + R
    /// with −2^(p+63) < R < 2^p·(2^63 + 2^shift). So the least value m of a·S + b·T + c·2^shift over
    /// the box (each term at its own end) gives F > 0 when m ≥ 2^63, and the largest M gives F < 0
    /// when M ≤ −(2^63 + 2^shift). All in exact integers (|each term| < 2^125, shift ≤ 62).
    @inline(__always)
    private func leadingSign(_ a: Limbs.ReadPointer, _ b: Limbs.ReadPointer, _ c: Limbs.ReadPointer, _ limbs: Int,
                             bit p: Int, box: ExactBox) -> Int? {
        guard let la = Limbs.leading(a, limbs, bit: p), let lb = Limbs.leading(b, limbs, bit: p),
              let lc = Limbs.leading(c, limbs, bit: p) else { return nil }
        let constant = Int128(lc) << box.shift
        let least = Int128(la) * Int128(la < 0 ? box.sHigh : box.sLow) + Int128(lb) * Int128(lb < 0 ? box.tHigh : box.tLow) + constant
        if least >= Int128(1) << 63 { return 1 }
        let largest = Int128(la) * Int128(la < 0 ? box.sLow : box.sHigh) + Int128(lb) * Int128(lb < 0 ? box.tLow : box.tHigh) + constant
        if largest <= -((Int128(1) << 63) + (Int128(1) << box.shift)) { return -1 }
        return nil
    }
}

/// Exact points as homogeneous integers (x, y, w)·2^e with one exponent per point: the sign of
/// a·x + b·y + c·w is the sign of the line at the point (w > 0). Sign and magnitude, `width` limbs.
struct HomogeneousVertices {
    var count: Int
    var width: Int
    var magnitudes: [UInt64]
    var counts: [Int]
    var negative: [Bool]

    init(_ points: [ExactPoint]) {
        count = points.count
        let integers: [BigInt] = points.flatMap { p -> [BigInt] in
            let parts = [p.x, p.y, p.w]
            let e = parts.filter { !$0.isZero }.map(\.exponent).min() ?? 0
            return parts.map { $0.isZero ? 0 : $0.mantissa << ($0.exponent - e) }
        }
        width = max(1, integers.map { $0.magnitude.words.count }.max() ?? 1)
        var magnitudes = [UInt64](repeating: 0, count: integers.count * width)
        counts = integers.map { $0.isZero ? 0 : $0.magnitude.words.count }
        negative = integers.map { $0.sign == .minus && !$0.isZero }
        for (i, value) in integers.enumerated() {
            for (j, word) in value.magnitude.words.enumerated() { magnitudes[i * width + j] = UInt64(word) }
        }
        self.magnitudes = magnitudes
    }
}
