import Models
import Testing
@testable import Engine

/// A pattern stored as its differences from a keyframe reads, compares, hashes and writes exactly
/// as the same pattern held as all its words.
@Suite struct ActivationPatternTests {
    /// A pattern of `count` bits with the bits of `seed`'s generator that `density` in 8 picks.
    static func pattern(count: Int, seed: UInt64, density: UInt64 = 4) -> ActivationPattern {
        var random = SeededGenerator(seed: seed)
        var pattern = ActivationPattern(count: count)
        for i in 0..<count where random.next() % 8 < density { pattern[i] = true }
        return pattern
    }

    /// `base` with bits `flipped` inverted.
    static func flipping(_ base: ActivationPattern, _ flipped: [Int]) -> ActivationPattern {
        var pattern = base
        for i in flipped { pattern[i].toggle() }
        return pattern
    }

    @Test func storedAsDifferencesReadsAlike() throws {
        let keyframe = Self.pattern(count: 300, seed: 1)
        // Bits in one word, across word boundaries, the very first and the very last.
        let whole = Self.flipping(keyframe, [0, 5, 63, 64, 127, 130, 200, 299])
        let compact = try #require(whole.storedAsDifferences(from: keyframe, limit: 8))
        #expect(!compact.holdsAllWords && whole.holdsAllWords)
        #expect(compact.words == whole.words && compact.wordCount == whole.wordCount)
        #expect((0..<300).allSatisfy { compact[$0] == whole[$0] })
        #expect((0..<whole.wordCount).allSatisfy { compact.word($0) == whole.word($0) })
        for (start, width) in [(0, 64), (60, 8), (120, 64), (250, 50), (296, 4)] {
            #expect(compact.word(at: start, width: width) == whole.word(at: start, width: width), "\(start) \(width)")
        }
        #expect(compact == whole && whole == compact && compact.hashValue == whole.hashValue)
        #expect(compact.stableHash == whole.stableHash)
        #expect(compact.differences(from: keyframe) == [0, 5, 63, 64, 127, 130, 200, 299])
        #expect(keyframe.differences(from: compact, in: 60..<140) == [63, 64, 127, 130])
        // A long pattern that differs in a few bits holds a small fraction of its words' bytes.
        let long = Self.pattern(count: 64 * 100, seed: 9)
        let near = try #require(Self.flipping(long, [7, 3000, 6399]).storedAsDifferences(from: long, limit: 3))
        #expect(near.ownBytes * 10 < long.ownBytes)
        #expect(Set([compact, whole, keyframe]).count == 2)
    }

    @Test func tooManyDifferencesOrNoneAreNotStoredAsDifferences() throws {
        let keyframe = Self.pattern(count: 300, seed: 2)
        let whole = Self.flipping(keyframe, [1, 2, 3])
        #expect(whole.storedAsDifferences(from: keyframe, limit: 2) == nil)
        let same = try #require(keyframe.storedAsDifferences(from: keyframe, limit: 0))
        #expect(same.holdsAllWords && same == keyframe && same.sharesStoredWords(with: keyframe))
    }

    /// Writes go to the pattern alone: never to the keyframe or to another pattern stored against it.
    @Test func writesExpandAndLeaveTheKeyframeAlone() throws {
        let keyframe = Self.pattern(count: 200, seed: 3)
        let a = Self.flipping(keyframe, [10, 70]), b = Self.flipping(keyframe, [10, 150])
        var x = try #require(a.storedAsDifferences(from: keyframe, limit: 4))
        let y = try #require(b.storedAsDifferences(from: keyframe, limit: 4))
        #expect(x.sharesStoredWords(with: y))
        x[150].toggle()
        x.setBits([1 << 3], at: 128)
        var expected = Self.flipping(a, [150])
        expected[131] = true
        #expect(x.holdsAllWords && x == expected)
        #expect(y == b && !y.holdsAllWords && keyframe == Self.pattern(count: 200, seed: 3))
        var z = y
        z.words[0] ^= 1
        #expect(z == Self.flipping(b, [0]) && y == b)
    }

    /// Order and equality by flips (patterns stored against one keyframe) agree with order and
    /// equality by words.
    @Test func patternsStoredAgainstOneKeyframeCompareByTheirFlips() throws {
        let keyframe = Self.pattern(count: 256, seed: 4)
        let flips: [[Int]] = [[], [3], [3, 100], [100], [3, 255], [200], [3, 100, 200]]
        let whole = flips.map { Self.flipping(keyframe, $0) }
        let compact = try whole.map { try #require($0.storedAsDifferences(from: keyframe, limit: 3)) }
        for i in whole.indices {
            for j in whole.indices {
                #expect((compact[i] == compact[j]) == (i == j), "\(flips[i]) vs \(flips[j])")
                let byWords = (0..<4).first { whole[i].word($0) != whole[j].word($0) }
                #expect(compact[i].firstDifferingWord(from: compact[j], words: 4) == byWords, "\(flips[i]) vs \(flips[j])")
                #expect(compact[i].firstDifferingWord(from: whole[j], words: 4) == byWords, "\(flips[i]) vs \(flips[j])")
            }
        }
    }
}
