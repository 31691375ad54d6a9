/// The line a·s + b·t + c = 0 (or the affine function a·s + b·t + c) with exact dyadic coefficients.
public struct ExactLine: Sendable {
    public var a: Dyadic
    public var b: Dyadic
    public var c: Dyadic
    public init(a: Dyadic, b: Dyadic, c: Dyadic) { self.a = a; self.b = b; self.c = c }

    /// The line through two exact points, oriented so that points to the left of p→q are positive.
    public init(through p: ExactPoint, _ q: ExactPoint) {
        // Cross product of the homogeneous points.
        a = p.y * q.w - p.w * q.y
        b = p.w * q.x - p.x * q.w
        c = p.x * q.y - p.y * q.x
    }

    public static func - (l: ExactLine, m: ExactLine) -> ExactLine { ExactLine(a: l.a - m.a, b: l.b - m.b, c: l.c - m.c) }
    public static prefix func - (l: ExactLine) -> ExactLine { ExactLine(a: -l.a, b: -l.b, c: -l.c) }

    /// The sign of the affine function at a point, exactly.
    public func side(of p: ExactPoint) -> Int { (a * p.x + b * p.y + c * p.w).signum }

    /// True when both coefficients of s and t vanish (the function is constant).
    public var isDegenerate: Bool { a.isZero && b.isZero }
}

/// A point (x/w, y/w) in homogeneous dyadic coordinates with w > 0.
public struct ExactPoint: Sendable {
    public var x: Dyadic
    public var y: Dyadic
    public var w: Dyadic

    public init(x: Dyadic, y: Dyadic, w: Dyadic = .one) {
        precondition(w.signum != 0, "point at infinity")
        if w.signum < 0 { self.x = -x; self.y = -y; self.w = -w } else { self.x = x; self.y = y; self.w = w }
    }

    /// The intersection of two non-parallel lines (nil when they are parallel or equal).
    public init?(intersecting l: ExactLine, _ m: ExactLine) {
        let w = l.a * m.b - m.a * l.b
        guard !w.isZero else { return nil }
        self.init(x: l.b * m.c - m.b * l.c, y: l.c * m.a - m.c * l.a, w: w)
    }

    public var s: Rational { Rational(x) / Rational(w) }
    public var t: Rational { Rational(y) / Rational(w) }

    /// Approximate coordinates for drawing.
    public var approximate: Point2 {
        let xw = x.normalized(), yw = y.normalized(), ww = w.normalized()
        // x/w = (mx/mw) · 2^(ex − ew).
        let sx = approximateQuotient(xw.mantissa, ww.mantissa)
        let sy = approximateQuotient(yw.mantissa, ww.mantissa)
        return Point2(scaleByPowerOfTwo(sx, xw.exponent - ww.exponent), scaleByPowerOfTwo(sy, yw.exponent - ww.exponent))
    }

    /// Exact equality of the points.
    public func sameLocation(as p: ExactPoint) -> Bool {
        (x * p.w - p.x * w).isZero && (y * p.w - p.y * w).isZero
    }
}

func scaleByPowerOfTwo(_ value: Double, _ k: Int) -> Double {
    if value == 0 { return 0 }
    return Double(sign: value.sign, exponent: value.exponent + k, significand: value.significand)
}
