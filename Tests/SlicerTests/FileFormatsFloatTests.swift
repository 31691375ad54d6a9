// Exact Double <-> F32/F16/BF16 conversions: known values, ties, subnormals, exhaustive round trips.

import Slicer
import Testing
@testable import Models

@Suite(.timeLimit(.minutes(20))) struct FileFormatsFloat {
    @Test func float16KnownValues() {
        let cases: [(Double, UInt64)] = [
            (1.0, 0x3C00), (-2.5, 0xC100), (65504, 0x7BFF), (0.0, 0x0000), (-0.0, 0x8000),
            (0x1p-24, 0x0001),            // smallest subnormal
            (1023 * 0x1p-24, 0x03FF),     // largest subnormal
            (0x1p-14, 0x0400),            // smallest normal
            (0x1p-25, 0x0000),            // half the smallest subnormal: tie, to even (zero)
            (3 * 0x1p-26, 0x0001),        // 0.75 of the smallest subnormal rounds up
            (1 + 0x1p-11, 0x3C00),        // tie between 1 and 1+2^-10: to even
            (1 + 3 * 0x1p-11, 0x3C02),    // tie between 1+2^-10 and 1+2^-9: to even
            (65519.99, 0x7BFF),           // just below the overflow threshold
            (65520, 0x7C00),              // the threshold itself rounds to infinity
            (-.infinity, 0xFC00),
        ]
        for (value, bits) in cases {
            #expect(DType.f16.encode(value) == bits, "\(value)")
        }
        #expect(DType.f16.decode(0x3555) == 0x1.554p-2)
        #expect(DType.f16.decode(DType.f16.encode(.nan)).isNaN)
    }

    @Test func bfloat16KnownValues() {
        let cases: [(Double, UInt64)] = [
            (1.0, 0x3F80), (-2.5, 0xC020), (65504, 0x4780),  // 65504 rounds to 65536 in bfloat16
            (0x1p-133, 0x0001), (0x1p-126, 0x0080),
            (1 + 0x1p-8, 0x3F80),              // tie: to even
            (1 + 0x1p-8 + 0x1p-30, 0x3F81),    // rounding through Float first would give 0x3F80
            (0x1.FFp127, 0x7F80),              // past the largest finite value: infinity
        ]
        for (value, bits) in cases {
            #expect(DType.bf16.encode(value) == bits, "\(value)")
        }
        #expect(DType.bf16.rounded(65504) == 65536)
    }

    @Test(arguments: [DType.f16, DType.bf16])
    func everyNarrowPatternRoundTrips(dtype: DType) {
        var mismatches = 0
        for bits in UInt64(0)...0xFFFF {
            let value = dtype.decode(bits)
            if value.isNaN { continue }
            if dtype.encode(value) != bits { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func float32MatchesHardwareRounding() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = Double(bitPattern: generator.next())
            guard !value.isNaN else { continue }
            #expect(DType.f32.encode(value) == UInt64(Float(value).bitPattern))
        }
    }

    @Test func narrowRoundingPicksANearestValue() {
        // Between two neighbouring representable values, rounding lands on one of them, the closer one.
        var generator = SystemRandomNumberGenerator()
        for dtype in [DType.f16, .bf16] {
            for _ in 0..<5_000 {
                let value = Double.random(in: -60_000...60_000, using: &generator) * (Bool.random() ? 1 : 0x1p-20)
                let bits = dtype.encode(value)
                let rounded = dtype.decode(bits)
                let neighbours = [dtype.decode(bits &+ 1), dtype.decode(bits &- 1)].filter(\.isFinite)
                #expect(neighbours.allSatisfy { Swift.abs($0 - value) >= Swift.abs(rounded - value) }, "\(dtype) \(value)")
            }
        }
    }
}
