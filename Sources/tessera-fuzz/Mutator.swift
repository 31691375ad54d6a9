// A seeded mutation engine: bit flips, byte edits, insertions, deletions, truncation, splicing,
// interesting integers in length fields and in decimal text, and format tokens.

import Slicer

struct Mutator {
    var random: SeededGenerator
    let target: FuzzTarget
    let maximumLength: Int

    static let interestingIntegers: [UInt64] = [
        0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 512, 1000, 1024, 4096, 65535, 65536,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 100_000_000, 100_000_001,
        UInt64(Int64.max), UInt64(bitPattern: Int64.min), UInt64.max, UInt64.max - 7,
    ]
    static let interestingDecimals = [
        "-1", "0", "1", "2", "-0", "00", "1.5", "1e3", "1e400", "-1e400", "255", "256", "65536", "4294967295",
        "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "NaN", "true", "null",
    ]
    static let tokens = [
        "F64", "F32", "F16", "BF16", "I8", "U8", "F8_E4M3", "<f8", "<f4", "<f2", ">f8", "|u1", "<i8", "True", "False",
        "None", "(", ")", "[", "]", "{", "}", "\"", "'", ":", ",", " ", "\\", "\\u0000", "L", "dtype", "shape",
        "data_offsets", "__metadata__", "fortran_order", "descr", "weight", "bias", ".weight", ".bias", "0.", "1.",
        "net.", "activation", "relu", "gelu", "abs", "leaky_relu:0.1", "leaky_relu:nan", "\u{FEFF}", "\u{0}",
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},",
    ].map { Array($0.utf8) }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(random.next() % UInt64(bound)) }
    mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }

    /// One to five stacked mutations of `input` (with `corpus` as the splicing partner pool).
    mutating func mutate(_ input: [UInt8], corpus: [[UInt8]]) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + below(5)) { mutateOnce(&bytes, corpus: corpus) }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes
    }

    mutating func mutateOnce(_ bytes: inout [UInt8], corpus: [[UInt8]]) {
        switch below(12) {
        case 0:  // flip one bit
            guard !bytes.isEmpty else { return }
            bytes[below(bytes.count)] ^= 1 << UInt8(below(8))
        case 1:  // set one byte
            guard !bytes.isEmpty else { return }
            bytes[below(bytes.count)] = [0, 0xFF, 0x7F, 0x80, UInt8(truncatingIfNeeded: random.next())][below(5)]
        case 2:  // insert random bytes
            let position = below(bytes.count + 1)
            bytes.insert(contentsOf: (0..<(1 + below(8))).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: position)
        case 3:  // delete a range
            guard !bytes.isEmpty else { return }
            let start = below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(16)))
        case 4:  // truncate
            guard !bytes.isEmpty else { return }
            bytes.removeLast(1 + below(min(bytes.count, chance(2) ? 8 : bytes.count)))
        case 5:  // splice with another corpus entry
            guard let other = corpus.randomElement(using: &random), !other.isEmpty else { return }
            let cut = below(bytes.count + 1), otherCut = below(other.count)
            bytes = Array(bytes[..<cut]) + other[otherCut...]
        case 6:  // interesting integer into a length field of the format
            let fields = target.lengthFieldOffsets(bytes)
            let field = fields[below(fields.count)]
            let value = chance(3) ? UInt64(bytes.count) &+ UInt64(bitPattern: Int64(below(17) - 8)) : Mutator.interestingIntegers[below(Mutator.interestingIntegers.count)]
            write(value, into: &bytes, at: field.offset, width: field.width, bigEndian: field.bigEndian)
        case 7:  // interesting integer anywhere
            guard !bytes.isEmpty else { return }
            let width = [1, 2, 4, 8][below(4)]
            write(Mutator.interestingIntegers[below(Mutator.interestingIntegers.count)], into: &bytes,
                  at: below(bytes.count), width: width, bigEndian: chance(2))
        case 8, 9:  // replace a decimal number in header text
            let runs = decimalRuns(bytes)
            guard let run = runs.randomElement(using: &random) else { return }
            bytes.replaceSubrange(run, with: Array(Mutator.interestingDecimals[below(Mutator.interestingDecimals.count)].utf8))
        case 10:  // insert or overwrite a format token
            let token = Mutator.tokens[below(Mutator.tokens.count)]
            let position = below(bytes.count + 1)
            if chance(2) || position + token.count > bytes.count {
                bytes.insert(contentsOf: token, at: position)
            } else {
                bytes.replaceSubrange(position..<(position + token.count), with: token)
            }
        default:  // duplicate a chunk (repeated keys, long headers)
            guard !bytes.isEmpty else { return }
            let start = below(bytes.count)
            let chunk = bytes[start..<min(bytes.count, start + 1 + below(64))]
            bytes.insert(contentsOf: chunk, at: below(bytes.count + 1))
        }
    }

    func write(_ value: UInt64, into bytes: inout [UInt8], at offset: Int, width: Int, bigEndian: Bool) {
        guard offset >= 0, offset + width <= bytes.count else { return }
        for index in 0..<width {
            let shift = UInt64(8 * (bigEndian ? width - 1 - index : index))
            bytes[offset + index] = UInt8(truncatingIfNeeded: value >> shift)
        }
    }

    /// Ranges of ASCII digits (with a leading minus) in the first 4 KiB, where headers live.
    func decimalRuns(_ bytes: [UInt8]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var index = 0
        let end = min(bytes.count, 4096)
        while index < end {
            if (0x30...0x39).contains(bytes[index]) {
                var start = index
                if start > 0 && bytes[start - 1] == UInt8(ascii: "-") { start -= 1 }
                while index < end && (0x30...0x39).contains(bytes[index]) { index += 1 }
                runs.append(start..<index)
            } else {
                index += 1
            }
        }
        return runs
    }
}
