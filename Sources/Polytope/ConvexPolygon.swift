/// A convex polygon with exact vertices in counter-clockwise order.
public struct ConvexPolygon: Sendable {
    public var vertices: [ExactPoint]
    public init(vertices: [ExactPoint]) { self.vertices = vertices }

    /// Twice the signed area, exactly (positive for counter-clockwise order).
    public var twiceArea: Rational {
        var sum = Rational.zero
        let n = vertices.count
        guard n >= 3 else { return sum }
        let s = vertices.map(\.s), t = vertices.map(\.t)
        for i in 0..<n {
            let j = (i + 1) % n
            sum = sum + s[i] * t[j] - s[j] * t[i]
        }
        return sum
    }

    public var area: Rational { twiceArea * Rational(1, 2) }

    /// Splits by a line: the part where the function is ≥ 0 and the part where it is ≤ 0.
    /// A vertex on the line goes to both parts; a part without interior is nil.
    public func split(by line: ExactLine) -> (positive: ConvexPolygon?, negative: ConvexPolygon?) {
        let signs = vertices.map { line.side(of: $0) }
        guard signs.contains(1), signs.contains(-1) else {
            return (signs.contains(1) ? self : nil, signs.contains(-1) ? self : nil)
        }
        var positive: [ExactPoint] = [], negative: [ExactPoint] = []
        let n = vertices.count
        for i in 0..<n {
            let p = vertices[i], sp = signs[i]
            if sp >= 0 { positive.append(p) }
            if sp <= 0 { negative.append(p) }
            let j = (i + 1) % n
            if sp * signs[j] < 0 {
                let edge = ExactLine(through: p, vertices[j])
                let crossing = ExactPoint(intersecting: edge, line)!
                positive.append(crossing)
                negative.append(crossing)
            }
        }
        return (ConvexPolygon(vertices: positive), ConvexPolygon(vertices: negative))
    }
}
