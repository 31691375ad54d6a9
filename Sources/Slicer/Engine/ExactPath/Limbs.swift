import BigInt

/// Fixed-width integers as little-endian 64-bit limbs: the exact path's arithmetic.
///
/// A stored value is two's complement in a fixed number of limbs, chosen per tensor from a proven
/// bound on its magnitude (`ExactFormat`), so sums never allocate and never overflow. Products read
/// magnitudes (`magnitude(of:)` gives sign and magnitude) and are added into a two's-complement
/// accumulator modulo 2^(64·count), which is exact whenever the true result fits, as the bounds
/// guarantee. Everything is integer arithmetic: no rounding anywhere.
enum Limbs {
    typealias Pointer = UnsafeMutablePointer<UInt64>
    typealias ReadPointer = UnsafePointer<UInt64>

    /// Limbs holding every integer of magnitude below 2^bits, with room for the sign.
    static func count(bits: Int) -> Int { bits / 64 + 1 }

    @inline(__always) static func isNegative(_ x: ReadPointer, _ n: Int) -> Bool { Int64(bitPattern: x[n - 1]) < 0 }

    @inline(__always) static func isZero(_ x: ReadPointer, _ n: Int) -> Bool {
        for i in 0..<n where x[i] != 0 { return false }
        return true
    }

    /// −1, 0 or +1.
    @inline(__always) static func signum(_ x: ReadPointer, _ n: Int) -> Int {
        if isNegative(x, n) { return -1 }
        return isZero(x, n) ? 0 : 1
    }

    @inline(__always) static func equal(_ x: ReadPointer, _ y: ReadPointer, _ n: Int) -> Bool {
        for i in 0..<n where x[i] != y[i] { return false }
        return true
    }

    /// x ← ~x.
    @inline(__always) static func complement(_ x: Pointer, _ n: Int) {
        for i in 0..<n { x[i] = ~x[i] }
    }

    /// x ← −x.
    @inline(__always) static func negate(_ x: Pointer, _ n: Int) {
        var carry: UInt64 = 1
        for i in 0..<n {
            let (v, o) = (~x[i]).addingReportingOverflow(carry)
            x[i] = v
            carry = o ? 1 : 0
        }
    }

    /// Writes |x| (n limbs of x, two's complement) to `out` (n limbs) and returns the number of
    /// significant limbs of |x| (0 for zero) and whether x is negative.
    @inline(__always) static func magnitude(of x: ReadPointer, _ n: Int, into out: Pointer) -> (count: Int, negative: Bool) {
        let negative = isNegative(x, n)
        for i in 0..<n { out[i] = x[i] }
        if negative { negate(out, n) }
        var count = n
        while count > 0 && out[count - 1] == 0 { count -= 1 }
        return (count, negative)
    }

    /// acc ← acc + w·x mod 2^(64·accCount), for a magnitude x (xCount limbs) and one limb w.
    @inline(__always) static func addMultiple(_ acc: Pointer, _ accCount: Int, _ x: ReadPointer, _ xCount: Int, _ w: UInt64) {
        var carry: UInt64 = 0
        let end = min(xCount, accCount)
        for j in 0..<end {
            let (high, low) = w.multipliedFullWidth(by: x[j])
            let (s1, o1) = low.addingReportingOverflow(carry)
            let (s2, o2) = acc[j].addingReportingOverflow(s1)
            acc[j] = s2
            // Cannot wrap (as in GMP's addmul_1): w·x[j] + carry < 2^128, so high + o1 < 2^64, and
            // when it equals 2^64 − 1 the low part s1 is 0 and o2 is 0.
            carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        }
        var k = end
        while carry != 0 && k < accCount {
            let (s, o) = acc[k].addingReportingOverflow(carry)
            acc[k] = s
            carry = o ? 1 : 0
            k += 1
        }
    }

    /// acc ← acc − w·x mod 2^(64·accCount), likewise.
    @inline(__always) static func subtractMultiple(_ acc: Pointer, _ accCount: Int, _ x: ReadPointer, _ xCount: Int, _ w: UInt64) {
        var borrow: UInt64 = 0
        let end = min(xCount, accCount)
        for j in 0..<end {
            let (high, low) = w.multipliedFullWidth(by: x[j])
            let (s1, o1) = low.addingReportingOverflow(borrow)
            let (d, o2) = acc[j].subtractingReportingOverflow(s1)
            acc[j] = d
            // Cannot wrap, as in `addMultiple`.
            borrow = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        }
        var k = end
        while borrow != 0 && k < accCount {
            let (d, o) = acc[k].subtractingReportingOverflow(borrow)
            acc[k] = d
            borrow = o ? 1 : 0
            k += 1
        }
    }

    /// acc ← acc + a·b mod 2^(64·accCount), for magnitudes a (aCount limbs) and b (bCount limbs).
    @inline(__always) static func addProduct(_ acc: Pointer, _ accCount: Int, _ a: ReadPointer, _ aCount: Int,
                                             _ b: ReadPointer, _ bCount: Int) {
        for i in 0..<min(aCount, accCount) where a[i] != 0 { addMultiple(acc + i, accCount - i, b, bCount, a[i]) }
    }

    /// acc ← acc ± a·b (minus when `negative`).
    @inline(__always) static func addSignedProduct(_ acc: Pointer, _ accCount: Int, _ a: ReadPointer, _ aCount: Int,
                                                   _ b: ReadPointer, _ bCount: Int, negative: Bool) {
        if negative {
            for i in 0..<min(aCount, accCount) where a[i] != 0 { subtractMultiple(acc + i, accCount - i, b, bCount, a[i]) }
        } else {
            for i in 0..<min(aCount, accCount) where a[i] != 0 { addMultiple(acc + i, accCount - i, b, bCount, a[i]) }
        }
    }

    /// floor(x / 2^p) when it fits in an Int64 (x of n limbs, two's complement), else nil.
    @inline(__always) static func leading(_ x: ReadPointer, _ n: Int, bit p: Int) -> Int64? {
        let fill: UInt64 = isNegative(x, n) ? ~0 : 0
        @inline(__always) func limb(_ i: Int) -> UInt64 { i < n ? x[i] : fill }
        let w = p >> 6, b = UInt64(p & 63)
        let low = b == 0 ? limb(w) : (limb(w) >> b) | (limb(w + 1) << (64 - b))
        let value = Int64(bitPattern: low)
        // Every bit from p + 63 up must repeat the value's sign.
        let expected: UInt64 = value < 0 ? ~0 : 0
        let top = p + 63, tw = top >> 6, tb = UInt64(top & 63)
        guard UInt64(bitPattern: Int64(bitPattern: limb(tw)) >> tb) == expected else { return nil }
        for i in (tw + 1)..<max(tw + 1, n) where x[i] != expected { return nil }
        return value
    }

    /// Bit length of |x| (n limbs, two's complement), a bound within one bit for negative x.
    static func bitLength(_ x: ReadPointer, _ n: Int) -> Int {
        let fill: UInt64 = isNegative(x, n) ? ~0 : 0
        var i = n - 1
        while i >= 0 && x[i] == fill { i -= 1 }
        if i < 0 { return 0 }
        return 64 * i + (64 - (x[i] ^ fill).leadingZeroBitCount) + 1
    }

    /// out ← x sign-extended from xCount to outCount ≥ xCount limbs.
    @inline(__always) static func copyExtended(_ x: ReadPointer, _ xCount: Int, into out: Pointer, _ outCount: Int) {
        for i in 0..<xCount { out[i] = x[i] }
        let fill: UInt64 = isNegative(x, xCount) ? ~0 : 0
        for i in xCount..<outCount { out[i] = fill }
    }

    /// out ← x · 2^k (k ≥ 0), x sign-extended, truncated to outCount limbs.
    static func shiftedLeft(_ x: ReadPointer, _ xCount: Int, by k: Int, into out: Pointer, _ outCount: Int) {
        let fill: UInt64 = isNegative(x, xCount) ? ~0 : 0
        @inline(__always) func limb(_ i: Int) -> UInt64 { i < 0 ? 0 : (i < xCount ? x[i] : fill) }
        let limbShift = k / 64, bitShift = k % 64
        for i in 0..<outCount {
            let j = i - limbShift
            out[i] = bitShift == 0 ? limb(j) : (limb(j) << UInt64(bitShift)) | (limb(j - 1) >> UInt64(64 - bitShift))
        }
    }

    /// acc ← acc − x, both n limbs.
    @inline(__always) static func subtract(_ acc: Pointer, _ x: ReadPointer, _ n: Int) {
        var borrow = false
        for i in 0..<n {
            let (d1, o1) = acc[i].subtractingReportingOverflow(x[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
            acc[i] = d2
            borrow = o1 || o2
        }
    }

    /// The integer held in x (n limbs, two's complement).
    static func bigInt(_ x: ReadPointer, _ n: Int) -> BigInt {
        let negative = isNegative(x, n)
        var words = (0..<n).map { UInt(x[$0]) }
        if negative {
            var carry: UInt = 1
            for i in 0..<n { let (v, o) = (~words[i]).addingReportingOverflow(carry); words[i] = v; carry = o ? 1 : 0 }
        }
        let magnitude = BigUInt(words: words)
        return BigInt(sign: negative ? .minus : .plus, magnitude: magnitude)
    }

    /// Writes v into n limbs (two's complement); false when |v| does not fit below 2^(64n − 1).
    @discardableResult
    static func store(_ v: BigInt, into out: Pointer, _ n: Int) -> Bool {
        let words = Array(v.magnitude.words)
        for i in 0..<n { out[i] = i < words.count ? UInt64(words[i]) : 0 }
        let fits = v.magnitude.bitWidth < 64 * n
        if v.sign == .minus && !v.isZero { negate(out, n) }
        return fits
    }
}
