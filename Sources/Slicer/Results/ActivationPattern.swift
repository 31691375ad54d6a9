/// The on/off state of every hidden neuron of a region, all hidden layers concatenated.
///
/// Held in one of two forms that read alike: all its words, or the words of another pattern (shared
/// with it) and the bits where this one differs (`storedAsDifferences(from:limit:)`). The second
/// form is for the many finished regions of a large slice, which differ from their neighbours in a
/// few of many bits; a write brings back the first.
public struct ActivationPattern: Sendable {
    /// The pattern's words; when `flips` is set, those of the pattern it is stored against.
    @usableFromInline var stored: [UInt64]
    /// The bits, in increasing order, where the pattern differs from `stored`; nil when none (never empty).
    @usableFromInline var flips: [UInt32]?
    public let count: Int

    public init(count: Int) {
        self.count = count
        stored = Array(repeating: 0, count: (count + 63) / 64)
    }

    /// The words: bit i of the pattern is bit i % 64 of word i / 64.
    public var words: [UInt64] {
        @inlinable get { flips == nil ? stored : expandedWords }
        @inlinable set { stored = newValue; flips = nil }
        @inlinable _modify { expand(); yield &stored }
    }

    /// How many words `words` has.
    @inlinable public var wordCount: Int { stored.count }

    /// Word `index` of `words` (without building them).
    @inlinable public func word(_ index: Int) -> UInt64 {
        guard let flips else { return stored[index] }
        var mask: UInt64 = 0
        var i = Self.firstFlip(flips, atLeast: UInt32(index << 6))
        while i < flips.count, Int(flips[i] >> 6) == index { mask |= 1 << UInt64(flips[i] & 63); i += 1 }
        return stored[index] ^ mask
    }

    @inlinable public subscript(index: Int) -> Bool {
        get {
            let bit = stored[index >> 6] & (1 << UInt64(index & 63)) != 0
            guard let flips else { return bit }
            let i = Self.firstFlip(flips, atLeast: UInt32(index))
            return bit != (i < flips.count && flips[i] == UInt32(index))
        }
        set {
            expand()
            if newValue { stored[index >> 6] |= 1 << UInt64(index & 63) }
            else { stored[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    /// Calls `body` with the words (built for it when the pattern is stored as differences).
    @inlinable public func withWords<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        if flips == nil { return try stored.withUnsafeBufferPointer(body) }
        return try expandedWords.withUnsafeBufferPointer(body)
    }

    /// Holds all the words again (a pattern about to be written or read often).
    @inlinable public mutating func expand() {
        if flips != nil { stored = expandedWords; flips = nil }
    }

    @usableFromInline var expandedWords: [UInt64] {
        var words = stored
        if let flips { for i in flips { words[Int(i >> 6)] ^= 1 << UInt64(i & 63) } }
        return words
    }

    /// The index of the first flip at or after bit `bit`.
    @inlinable static func firstFlip(_ flips: [UInt32], atLeast bit: UInt32) -> Int {
        var low = 0, high = flips.count
        while low < high {
            let middle = (low + high) >> 1
            if flips[middle] < bit { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension ActivationPattern {
    /// This pattern stored as the bits where it differs from `keyframe` (a pattern of as many bits,
    /// held as all its words), whose words it then shares; nil when more than `limit` bits differ.
    func storedAsDifferences(from keyframe: ActivationPattern, limit: Int) -> ActivationPattern? {
        precondition(keyframe.flips == nil && keyframe.count == count && keyframe.stored.count == stored.count,
                     "a keyframe holds all the words of a pattern of as many bits")
        let found: [UInt32]?? = withWords { mine in
            keyframe.stored.withUnsafeBufferPointer { theirs in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: limit + 1) { scratch -> [UInt32]?? in
                    var differing = 0
                    for w in mine.indices {
                        var diff = mine[w] ^ theirs[w]
                        while diff != 0 {
                            guard differing < limit else { return .none }
                            scratch[differing] = UInt32(w << 6 + diff.trailingZeroBitCount)
                            differing += 1
                            diff &= diff - 1
                        }
                    }
                    // Exactly as many as differ: these arrays are what a large slice keeps per region.
                    return differing == 0 ? .some(nil) : .some(Array(scratch[..<differing]))
                }
            }
        }
        guard case .some(let flips) = found else { return nil }
        var compact = self
        compact.stored = keyframe.stored
        compact.flips = flips
        return compact
    }

    /// True when the pattern holds all its words (not stored as differences).
    var holdsAllWords: Bool { flips == nil }

    /// Heap bytes this pattern holds on its own: its words, or its flips (the words it is stored
    /// against are shared and not counted); array headers included.
    var ownBytes: Int {
        if let flips { return 32 + 4 * flips.capacity }
        return stored.capacity == 0 ? 0 : 32 + 8 * stored.capacity
    }
}

extension ActivationPattern: Hashable {
    /// Equal when they have the same bits, whatever their stored forms.
    public static func == (a: ActivationPattern, b: ActivationPattern) -> Bool {
        guard a.count == b.count, a.stored.count == b.stored.count else { return false }
        if a.flips == nil, b.flips == nil { return a.stored == b.stored }
        if let x = a.flips, let y = b.flips, a.sharesStoredWords(with: b) { return x == y }
        return a.withWords { x in b.withWords { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        withWords { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension ActivationPattern {
    /// A hash stable across processes and runs (FNV-1a over the words), used for colours.
    public var stableHash: UInt64 {
        withWords { words in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for word in words {
                for shift in stride(from: 0, to: 64, by: 8) {
                    hash ^= (word >> UInt64(shift)) & 0xff
                    hash = hash &* 0x100_0000_01b3
                }
            }
            return hash
        }
    }

    /// Indices in `range` where two patterns differ.
    public func differences(from other: ActivationPattern, in range: Range<Int>) -> [Int] {
        var result: [Int] = []
        guard !range.isEmpty else { return result }
        withWords { mine in
            other.withWords { theirs in
                for w in (range.lowerBound >> 6)...((range.upperBound - 1) >> 6) {
                    var diff = mine[w] ^ theirs[w]
                    while diff != 0 {
                        let index = w * 64 + diff.trailingZeroBitCount
                        if range.contains(index) { result.append(index) }
                        diff &= diff - 1
                    }
                }
            }
        }
        return result
    }

    /// The `width` (1...64) bits from index `start` on, as the low bits of a word.
    public func word(at start: Int, width: Int) -> UInt64 {
        let shift = UInt64(start & 63), index = start >> 6
        var value = word(index) >> shift
        if shift > 0, index + 1 < wordCount { value |= word(index + 1) << (64 - shift) }
        return width == 64 ? value : value & ((1 << UInt64(width)) - 1)
    }

    /// The first of the first `words` words where two patterns differ, or nil. Patterns stored
    /// against the same words are compared by their flips alone.
    public func firstDifferingWord(from other: ActivationPattern, words: Int) -> Int? {
        if let mine = flips, let theirs = other.flips, sharesStoredWords(with: other) {
            var i = 0
            while i < mine.count, i < theirs.count, mine[i] == theirs[i] { i += 1 }
            let bit = min(i < mine.count ? Int(mine[i]) : Int.max, i < theirs.count ? Int(theirs[i]) : Int.max)
            return bit == Int.max || bit >> 6 >= words ? nil : bit >> 6
        }
        return withWords { x in other.withWords { y in (0..<words).first { x[$0] != y[$0] } } }
    }

    /// True when both hold the very same stored words (as patterns stored against one keyframe do).
    func sharesStoredWords(with other: ActivationPattern) -> Bool {
        stored.withUnsafeBufferPointer { x in other.stored.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    /// Sets bit offset + i for every bit i set in `mask`.
    public mutating func setBits(_ mask: [UInt64], at offset: Int) {
        expand()
        let shift = UInt64(offset & 63)
        for (w, bits) in mask.enumerated() where bits != 0 {
            let target = (offset >> 6) + w
            stored[target] |= bits << shift
            if shift > 0, bits >> (64 - shift) != 0 { stored[target + 1] |= bits >> (64 - shift) }
        }
    }

    /// Indices of neurons that differ between two patterns.
    public func differences(from other: ActivationPattern) -> [Int] {
        differences(from: other, in: 0..<count)
    }
}
