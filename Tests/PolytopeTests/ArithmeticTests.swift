import Testing
import BigInt
@testable import Polytope

/// Dyadic and Rational arithmetic against each other and against BigInt cross-multiplication.
@Suite(.timeLimit(.minutes(20))) struct ArithmeticTests {
    func randomDyadic(_ random: inout SplitMix) -> Dyadic {
        random.next() % 8 == 0 ? .zero : Dyadic(mantissa: random.bigInt(bits: random.int(1...150)), exponent: random.int(-400...400))
    }

    @Test func dyadicOperationsAreTheRationalOnes() {
        var random = SplitMix(state: 7)
        for _ in 0..<400 {
            let a = randomDyadic(&random), b = randomDyadic(&random)
            let ra = Rational(a), rb = Rational(b)
            #expect(Rational(a + b) == ra + rb)
            #expect(Rational(a - b) == ra - rb)
            #expect(Rational(a * b) == ra * rb)
            #expect(Rational(-a) == -ra)
            #expect((a < b) == (ra < rb))
            #expect((a == b) == (ra == rb))
            #expect(a.signum == ra.signum)
            #expect(Rational(a.scaled(byPowerOfTwo: 37)) == ra * Rational(BigInt(1) << 37))
        }
    }

    @Test func dyadicsOfDoublesAreExactAndNormalised() {
        var random = SplitMix(state: 8)
        var values = (0..<400).map { _ in random.double() }
        values += [0, -0.0, 1, -1, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude,
                   .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 0.1, 1e300, 1e-300]
        for x in values {
            let d = Dyadic(x)
            #expect(d.doubleValue == x || (x == 0 && d.doubleValue == 0), "\(x)")
            // Normalised: odd mantissa (or zero with exponent 0), so equal values look alike.
            #expect(d.isZero ? d.exponent == 0 : d.mantissa.magnitude.trailingZeroBitCount == 0)
            if x.nextUp.isFinite { #expect(Dyadic(x) < Dyadic(x.nextUp)) }
            if x.nextDown.isFinite { #expect(Dyadic(x.nextDown) < Dyadic(x)) }
        }
        #expect(Dyadic(exactly: .nan) == nil && Dyadic(exactly: .infinity) == nil && Dyadic(exactly: -.infinity) == nil)
        #expect(Rational(Dyadic(0.1)) == Rational(BigInt(3602879701896397), BigInt(1) << 55))
        #expect(Rational(Dyadic(.leastNonzeroMagnitude)) == Rational(BigInt(1), BigInt(1) << 1074))
        let unnormalised = Dyadic(mantissa: 12, exponent: -3)
        #expect(unnormalised.normalized().mantissa == 3 && unnormalised.normalized().exponent == -1)
        #expect(unnormalised == Dyadic(mantissa: 3, exponent: -1))
    }

    @Test func rationalsAreInLowestTermsAndObeyTheFieldLaws() {
        var random = SplitMix(state: 9)
        for _ in 0..<300 {
            let n = random.bigInt(bits: random.int(1...90)), d = random.bigInt(bits: random.int(1...90))
            let q = Rational(n, d)
            #expect(q.denominator.sign == .plus)
            #expect(q.numerator.magnitude.greatestCommonDivisor(with: q.denominator.magnitude) == 1)
            // Same value as n/d: cross-multiplication.
            #expect(q.numerator * d == n * q.denominator)
            let r = Rational(random.bigInt(bits: random.int(1...90)), random.bigInt(bits: random.int(1...90)))
            #expect((q + r) - r == q)
            #expect((q * r) / r == q)
            #expect(q * (r + Rational(1)) == q * r + q)
            #expect((q < r) == ((q - r).signum < 0))
            #expect(within(q.doubleValue, of: q, relative: 0x1p-52, absolute: smallestSubnormal))
        }
        #expect(Rational(BigInt(6), BigInt(-4)).description == "-3/2")
        #expect(Rational(BigInt(0), BigInt(-7)) == Rational.zero && Rational(BigInt(0), BigInt(-7)).denominator == 1)
        #expect(Rational(4).description == "4")
    }
}
