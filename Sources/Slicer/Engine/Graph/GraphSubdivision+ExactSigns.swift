import BigInt
import Polytope

/// Exact mode's classification of a level's units on a face, every sign by integer arithmetic.
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
                let total = units?.count ?? n
                for i in 0..<total {
                    let j = units?[i] ?? i
                    let a = base + j * limbs, b = base + (n + j) * limbs, c = base + (2 * n + j) * limbs
                    let (countA, negativeA) = Limbs.magnitude(of: a, limbs, into: magA)
                    let (countB, negativeB) = Limbs.magnitude(of: b, limbs, into: magB)
                    if let box {
                        // The least value over the box: each term at its own least end.
                        if boxTerm(acc, boxLimbs, c: c, limbs, box.shift, magA, countA, negativeA, negativeA ? box.sHigh : box.sLow,
                                   magB, countB, negativeB, negativeB ? box.tHigh : box.tLow, corner) > 0 {
                            positive.append(j); continue
                        }
                        if boxTerm(acc, boxLimbs, c: c, limbs, box.shift, magA, countA, negativeA, negativeA ? box.sLow : box.sHigh,
                                   magB, countB, negativeB, negativeB ? box.tLow : box.tHigh, corner) < 0 {
                            negative.append(j); continue
                        }
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

    /// The sign of A·S + B·T + C·2^shift (S, T a box corner), in `acc` of `accLimbs` limbs.
    @inline(__always)
    private func boxTerm(_ acc: Limbs.Pointer, _ accLimbs: Int, c: Limbs.Pointer, _ limbs: Int, _ shift: Int,
                         _ magA: Limbs.Pointer, _ countA: Int, _ negativeA: Bool, _ s: Int64,
                         _ magB: Limbs.Pointer, _ countB: Int, _ negativeB: Bool, _ t: Int64, _ corner: Limbs.Pointer) -> Int {
        Limbs.shiftedLeft(c, limbs, by: shift, into: acc, accLimbs)
        corner[0] = s.magnitude
        Limbs.addSignedProduct(acc, accLimbs, magA, countA, corner, s == 0 ? 0 : 1, negative: negativeA != (s < 0))
        corner[1] = t.magnitude
        Limbs.addSignedProduct(acc, accLimbs, magB, countB, corner + 1, t == 0 ? 0 : 1, negative: negativeB != (t < 0))
        return Limbs.signum(acc, accLimbs)
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
