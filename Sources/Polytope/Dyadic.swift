import BigInt

/// An exact binary fraction m · 2^e with a big-integer mantissa. Every finite float is one.
///
/// Sums, differences and products of dyadics are dyadic, so networks with float weights evaluated
/// at dyadic points never need a division.
public struct Dyadic: Sendable, CustomStringConvertible {
    public var mantissa: BigInt
    public var exponent: Int

    public init(mantissa: BigInt, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    public init(_ integer: Int) { self.init(mantissa: BigInt(integer), exponent: 0) }

    public static let zero = Dyadic(mantissa: 0, exponent: 0)
    public static let one = Dyadic(mantissa: 1, exponent: 0)

    /// The exact value of a finite Double (nil for NaN or infinity).
    public init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        if value == 0 { self = .zero; return }
        // value = significand · 2^(exponent − 52) with an integer significand.
        let significand = Int64(bitPattern: UInt64(value.significandBitPattern) | (value.isNormal ? 1 << 52 : 0))
        let exponent = value.isNormal ? Int(value.exponent) - 52 : -1074
        self.init(mantissa: BigInt(value.sign == .minus ? -significand : significand), exponent: exponent)
        normalize()
    }

    /// The exact value of a finite Double; traps on NaN or infinity (callers validate inputs first).
    public init(_ value: Double) {
        guard let exact = Dyadic(exactly: value) else { preconditionFailure("non-finite value \(value)") }
        self = exact
    }

    /// −1, 0 or +1.
    @inlinable public var signum: Int { mantissa.isZero ? 0 : (mantissa.sign == .minus ? -1 : 1) }
    @inlinable public var isZero: Bool { mantissa.isZero }

    /// Removes trailing zero bits of the mantissa, so equal values have equal representations.
    public mutating func normalize() {
        if mantissa.isZero { exponent = 0; return }
        let zeros = mantissa.magnitude.trailingZeroBitCount
        if zeros > 0 {
            mantissa >>= zeros
            exponent += zeros
        }
    }

    public func normalized() -> Dyadic { var copy = self; copy.normalize(); return copy }

    public static func + (a: Dyadic, b: Dyadic) -> Dyadic {
        if a.mantissa.isZero { return b }
        if b.mantissa.isZero { return a }
        if a.exponent == b.exponent { return Dyadic(mantissa: a.mantissa + b.mantissa, exponent: a.exponent) }
        if a.exponent < b.exponent {
            return Dyadic(mantissa: a.mantissa + (b.mantissa << (b.exponent - a.exponent)), exponent: a.exponent)
        }
        return Dyadic(mantissa: (a.mantissa << (a.exponent - b.exponent)) + b.mantissa, exponent: b.exponent)
    }

    public static prefix func - (a: Dyadic) -> Dyadic { Dyadic(mantissa: -a.mantissa, exponent: a.exponent) }
    public static func - (a: Dyadic, b: Dyadic) -> Dyadic { a + (-b) }

    public static func * (a: Dyadic, b: Dyadic) -> Dyadic {
        if a.mantissa.isZero || b.mantissa.isZero { return .zero }
        return Dyadic(mantissa: a.mantissa * b.mantissa, exponent: a.exponent + b.exponent)
    }

    public static func += (a: inout Dyadic, b: Dyadic) { a = a + b }

    /// Multiplication by 2^k, exact.
    public func scaled(byPowerOfTwo k: Int) -> Dyadic { Dyadic(mantissa: mantissa, exponent: exponent + k) }

    /// The nearest Double (to within one ulp; used for drawing and measuring, never for decisions).
    public var doubleValue: Double { approximateDouble(mantissa, exponent) }

    public var description: String { "\(mantissa)·2^\(exponent)" }
}

extension Dyadic: Equatable, Comparable {
    public static func == (a: Dyadic, b: Dyadic) -> Bool { (a - b).isZero }
    public static func < (a: Dyadic, b: Dyadic) -> Bool { (a - b).signum < 0 }
}

/// m · 2^e as a Double, computed from the top 64 bits of m so it is accurate to about one ulp.
func approximateDouble(_ m: BigInt, _ e: Int) -> Double {
    if m.isZero { return 0 }
    let bits = m.magnitude.bitWidth
    let shift = max(0, bits - 64)
    let top = Double(UInt64(m.magnitude >> shift))
    let value = Double(sign: .plus, exponent: e + shift, significand: top)
    return m.sign == .minus ? -value : value
}

/// a / b as a Double to within a couple of ulps, for big integers of any size.
public func approximateQuotient(_ a: BigInt, _ b: BigInt) -> Double {
    if a.isZero { return 0 }
    precondition(!b.isZero, "division by zero")
    // Scale a so the integer quotient carries at least 64 significant bits.
    let shift = max(0, b.magnitude.bitWidth - a.magnitude.bitWidth + 66)
    let q = (a << shift) / b
    return approximateDouble(q, -shift)
}
