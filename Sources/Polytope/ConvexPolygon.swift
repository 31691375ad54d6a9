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
}
