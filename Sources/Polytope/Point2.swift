/// A floating-point point, used for drawing and measurement only (never for decisions).
public struct Point2: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }

    public static func + (a: Point2, b: Point2) -> Point2 { Point2(a.x + b.x, a.y + b.y) }
    public static func - (a: Point2, b: Point2) -> Point2 { Point2(a.x - b.x, a.y - b.y) }
    public static func * (k: Double, a: Point2) -> Point2 { Point2(k * a.x, k * a.y) }
    public var length: Double { (x * x + y * y).squareRoot() }
}

/// Shoelace area of a simple polygon given counter-clockwise (positive) or clockwise (negative).
public func signedArea(_ polygon: [Point2]) -> Double {
    guard polygon.count >= 3 else { return 0 }
    var twice = 0.0
    for i in polygon.indices {
        let a = polygon[i], b = polygon[(i + 1) % polygon.count]
        twice += a.x * b.y - a.y * b.x
    }
    return twice / 2
}
