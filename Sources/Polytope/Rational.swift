import BigInt

/// An exact rational number in lowest terms with a positive denominator.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    public private(set) var numerator: BigInt
    public private(set) var denominator: BigInt

    public init(_ numerator: BigInt, _ denominator: BigInt = 1) {
        precondition(!denominator.isZero, "zero denominator")
        var n = numerator, d = denominator
        if d.sign == .minus { n = -n; d = -d }
        let g = n.magnitude.greatestCommonDivisor(with: d.magnitude)
        if g > 1 { n /= BigInt(g); d /= BigInt(g) }
        self.numerator = n
        self.denominator = d
    }

    public init(_ value: Dyadic) {
        if value.exponent >= 0 { self.init(value.mantissa << value.exponent) }
        else { self.init(value.mantissa, BigInt(1) << (-value.exponent)) }
    }

    public init(_ integer: Int) { self.init(BigInt(integer)) }

    public static let zero = Rational(0)

    public var signum: Int { numerator.isZero ? 0 : (numerator.sign == .minus ? -1 : 1) }

    public static func + (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }
    public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }
    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    public static func / (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    public static func < (a: Rational, b: Rational) -> Bool { (a - b).signum < 0 }

    public var doubleValue: Double { approximateQuotient(numerator, denominator) }
    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
