/// Word-level reads and copies of runs of pattern bits.
enum PatternBits {
    /// The `count` ≤ 64 bits of `words` from bit `start`, lowest first.
    @inline(__always)
    static func bits(_ words: [UInt64], from start: Int, count: Int) -> UInt64 {
        let w = start >> 6, shift = start & 63
        var x = words[w] >> UInt64(shift)
        if shift + count > 64 { x |= words[w + 1] << UInt64(64 - shift) }
        return count == 64 ? x : x & ((1 << UInt64(count)) - 1)
    }

    /// The first set bit of a run of `count` ≤ 64 bits of `new` (nil when none), and whether the
    /// run equals the one in `old`.
    @inline(__always)
    static func winner(new: [UInt64], old: [UInt64], from start: Int, count: Int) -> (Int?, Bool) {
        let x = bits(new, from: start, count: count), y = bits(old, from: start, count: count)
        return (x == 0 ? nil : x.trailingZeroBitCount, x == y)
    }

    /// Copies the bits `range` of `source` into `target`, leaving its other bits as they are.
    static func copy(from source: [UInt64], into target: inout [UInt64], bits range: Range<Int>) {
        guard !range.isEmpty else { return }
        for w in (range.lowerBound >> 6)...((range.upperBound - 1) >> 6) {
            let low = max(range.lowerBound, w * 64) - w * 64, high = min(range.upperBound, w * 64 + 64) - w * 64
            let mask = high - low == 64 ? ~UInt64(0) : ((1 << UInt64(high - low)) - 1) << UInt64(low)
            target[w] = (target[w] & ~mask) | (source[w] & mask)
        }
    }
}
