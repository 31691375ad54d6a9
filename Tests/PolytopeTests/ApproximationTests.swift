import Testing
import BigInt
@testable import Polytope

/// The rounding claims the certified engine's error bounds rest on: `approximateDouble` (Dyadic to
/// Double) is within one ulp, 2^-52 relative, and `approximateQuotient` within 2^-52 relative as
/// well, plus 2^-1074 absolute wherever the result is subnormal; beyond float64's range they are
/// ±infinity or zero. Every check compares with the exact BigInt value.
@Suite(.timeLimit(.minutes(20))) struct ApproximationTests {
    @Test func approximateDoubleIsWithinOneUlpAcrossSizesAndExponents() {
        var random = SplitMix(state: 1)
        for _ in 0..<400 {
            let m = random.bigInt(bits: random.int(1...600))
            // Exponents that keep m·2^e within the normal range.
            let bits = m.magnitude.bitWidth
            let e = random.int((-1020 - bits + 2)...(1020 - bits))
            let value = approximateDouble(m, e)
            #expect(within(value, of: exactValue(m, e), relative: 0x1p-52), "\(m)·2^\(e) → \(value)")
            #expect(value.sign == (m.sign == .minus ? .minus : .plus))
        }
    }

    @Test func approximateDoubleIsExactForDoublesAndRoundsHalfwayToEven() {
        var random = SplitMix(state: 2)
        for _ in 0..<400 {
            let x = random.double()
            let d = Dyadic(x)
            #expect(approximateDouble(d.mantissa, d.exponent) == x, "\(x)")
        }
        // 2^53 + 1 is halfway between 2^53 and 2^53 + 2: ties to even.
        #expect(approximateDouble(BigInt(1) << 53 + 1, 0) == 0x1p53)
        #expect(approximateDouble(BigInt(1) << 53 + 3, 0) == 0x1p53 + 4)
        // Just above halfway, but beyond the top 64 bits: the truncation sees an exact tie and rounds
        // to even, one ulp below the correctly rounded 2^53 + 2 — inside the one-ulp claim, not better.
        let aboveHalfway = (BigInt(1) << 53 + 1) << 100 + 1
        let value = approximateDouble(aboveHalfway, -100)
        #expect(value == 0x1p53 || value == 0x1p53 + 2)
        #expect(within(value, of: exactValue(aboveHalfway, -100), relative: 0x1p-52))
    }

    @Test func approximateDoubleAtTheEndsOfTheRange() {
        var random = SplitMix(state: 3)
        // Subnormal results: one rounding into the subnormal grid, at most 2^-1074 off.
        for _ in 0..<200 {
            let m = random.bigInt(bits: random.int(1...200))
            let e = random.int(-1200...(-1022)) - m.magnitude.bitWidth
            let value = approximateDouble(m, e)
            #expect(within(value, of: exactValue(m, e), relative: 0x1p-52, absolute: smallestSubnormal), "\(m)·2^\(e) → \(value)")
        }
        // Far below: zero of the right sign; far above: infinity.
        #expect(approximateDouble(BigInt(3), -1200) == 0)
        #expect(approximateDouble(BigInt(-3), -1200).sign == .minus)
        #expect(approximateDouble(BigInt(3), 1100) == .infinity)
        #expect(approximateDouble(BigInt(-1) << 5000, 0) == -.infinity)
        #expect(approximateDouble(BigInt(0), 99999) == 0)
        // The largest finite Double and the smallest subnormal come back exactly.
        let largest = Dyadic(Double.greatestFiniteMagnitude), tiny = Dyadic(smallestSubnormal)
        #expect(approximateDouble(largest.mantissa, largest.exponent) == .greatestFiniteMagnitude)
        #expect(approximateDouble(tiny.mantissa, tiny.exponent) == smallestSubnormal)
    }

    @Test func approximateQuotientIsWithinTheClaimedBound() {
        var random = SplitMix(state: 4)
        for _ in 0..<400 {
            let a = random.bigInt(bits: random.int(1...400)), b = random.bigInt(bits: random.int(1...400))
            let value = approximateQuotient(a, b)
            #expect(within(value, of: Rational(a, b), relative: 0x1p-52, absolute: smallestSubnormal), "\(a)/\(b) → \(value)")
        }
        #expect(approximateQuotient(BigInt(1), BigInt(3)) == 1.0 / 3)
        #expect(approximateQuotient(BigInt(-22), BigInt(7)) == -22.0 / 7)
        #expect(approximateQuotient(BigInt(0), BigInt(5)) == 0)
        // Quotients beyond float64's range.
        #expect(approximateQuotient(BigInt(1) << 1100, BigInt(3)) == .infinity)
        #expect(approximateQuotient(BigInt(1), BigInt(1) << 1100) == 0)
        let subnormal = approximateQuotient(BigInt(1), BigInt(3) << 1060)
        #expect(subnormal > 0 && !subnormal.isNormal)
        #expect(within(subnormal, of: Rational(BigInt(1), BigInt(3) << 1060), relative: 0x1p-52, absolute: smallestSubnormal))
    }

    @Test func exactPointApproximationMeetsTheVertexBound() {
        // The engine gives an exactly constructed vertex the bound 4u·max(|s|, |t|) (+ a floor far
        // above 2^-1074): check it on points whose homogeneous coordinates span many magnitudes.
        var random = SplitMix(state: 5)
        for _ in 0..<300 {
            func dyadic() -> Dyadic { Dyadic(mantissa: random.bigInt(bits: random.int(1...120)), exponent: random.int(-300...300)) }
            var w = dyadic()
            if w.signum < 0 { w = -w }
            let point = ExactPoint(x: dyadic(), y: dyadic(), w: w)
            let approximate = point.approximate
            let bound = 4 * 0x1p-53 * max(abs(approximate.x), abs(approximate.y))
            #expect(within(approximate.x, of: point.s, relative: 0, absolute: bound + smallestSubnormal), "\(point.s) → \(approximate.x)")
            #expect(within(approximate.y, of: point.t, relative: 0, absolute: bound + smallestSubnormal), "\(point.t) → \(approximate.y)")
        }
    }

    @Test func scalingByPowersOfTwoIsExactUntilTheRangeEnds() {
        var random = SplitMix(state: 6)
        for _ in 0..<200 {
            let x = Double(sign: .plus, exponent: random.int(-500...500), significand: 1 + Double(random.next() >> 12) * 0x1p-52)
            let k = random.int(-400...400)
            #expect(scaleByPowerOfTwo(x, k) == x * Double(sign: .plus, exponent: k, significand: 1))
            #expect(scaleByPowerOfTwo(-x, k) == -scaleByPowerOfTwo(x, k))
        }
        #expect(scaleByPowerOfTwo(0, 5000) == 0)
        #expect(scaleByPowerOfTwo(1.5, 2000) == .infinity)
        #expect(scaleByPowerOfTwo(1.5, -2000) == 0)
    }
}
