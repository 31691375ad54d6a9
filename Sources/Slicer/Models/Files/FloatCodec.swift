// Exact conversions between Double and the stored float formats (F64, F32, F16, BF16).

extension DType {
    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .f64: return 8
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }

    /// Exponent and fraction widths of the IEEE-style binary format.
    var exponentBits: Int {
        switch self { case .f64: return 11; case .f32, .bf16: return 8; case .f16: return 5 }
    }
    var fractionBits: Int {
        switch self { case .f64: return 52; case .f32: return 23; case .f16: return 10; case .bf16: return 7 }
    }

    /// The Double nearest `value` among this dtype's values (round to nearest, ties to even;
    /// magnitudes past the largest finite value become ±infinity, as IEEE 754 conversion does).
    public func rounded(_ value: Double) -> Double { decode(encode(value)) }

    /// The stored bit pattern of `value`, rounded to nearest, ties to even, directly from the
    /// Double (no intermediate Float, which could round twice).
    func encode(_ value: Double) -> UInt64 {
        switch self {
        case .f64: return value.bitPattern
        case .f32: return UInt64(Float(value).bitPattern)  // Float(Double) is IEEE round-to-nearest-even.
        case .f16, .bf16: return DType.encodeNarrow(value, exponentBits: exponentBits, fractionBits: fractionBits)
        }
    }

    /// The exact Double of a stored bit pattern (every value of these formats is a Double).
    func decode(_ bits: UInt64) -> Double {
        switch self {
        case .f64: return Double(bitPattern: bits)
        case .f32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .f16, .bf16: return DType.decodeNarrow(bits, exponentBits: exponentBits, fractionBits: fractionBits)
        }
    }

    /// Decodes `count` little-endian elements starting at byte `offset` (callers check the bounds).
    func decodeAll(_ bytes: [UInt8], offset: Int, count: Int) -> [Double] {
        let size = byteCount
        return [Double](unsafeUninitializedCapacity: count) { values, initialised in
            bytes.withUnsafeBytes { raw in
                for index in 0..<count {
                    let at = offset + index * size
                    let bits: UInt64
                    switch self {
                    case .f64: bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    case .f32: bits = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                    case .f16, .bf16: bits = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                    }
                    values[index] = decode(bits)
                }
            }
            initialised = count
        }
    }

    static func decodeNarrow(_ bits: UInt64, exponentBits: Int, fractionBits: Int) -> Double {
        let fractionMask: UInt64 = (1 << UInt64(fractionBits)) - 1
        let exponentMask: UInt64 = (1 << UInt64(exponentBits)) - 1
        let negative = (bits >> UInt64(exponentBits + fractionBits)) & 1 == 1
        let fraction = bits & fractionMask
        let exponentField = (bits >> UInt64(fractionBits)) & exponentMask
        let bias = (1 << (exponentBits - 1)) - 1
        let magnitude: Double
        if exponentField == exponentMask {
            magnitude = fraction == 0 ? .infinity : .nan
        } else if exponentField == 0 {
            // Subnormal: fraction × 2^(1 − bias − fractionBits), exact in Double.
            magnitude = Double(sign: .plus, exponent: 1 - bias - fractionBits, significand: Double(fraction))
        } else {
            magnitude = Double(sign: .plus, exponent: Int(exponentField) - bias - fractionBits,
                               significand: Double(fraction | (fractionMask + 1)))
        }
        return negative ? -magnitude : magnitude
    }

    static func encodeNarrow(_ value: Double, exponentBits: Int, fractionBits: Int) -> UInt64 {
        let signBit: UInt64 = value.sign == .minus ? 1 << UInt64(exponentBits + fractionBits) : 0
        let exponentMask: UInt64 = (1 << UInt64(exponentBits)) - 1
        let infinity = exponentMask << UInt64(fractionBits)
        if value.isNaN { return signBit | infinity | 1 << UInt64(fractionBits - 1) }  // quiet NaN
        let magnitude = Swift.abs(value)
        if magnitude.isInfinite { return signBit | infinity }
        if magnitude == 0 { return signBit }
        let bias = (1 << (exponentBits - 1)) - 1
        let minimumExponent = 1 - bias
        // Scale so one unit in the last place of the target is 1, then round to an integer: the
        // scaling is by a power of two, hence exact, and Double's rounding gives ties-to-even.
        var exponent = max(Int(magnitude.exponent), minimumExponent)
        let units = Double(sign: .plus, exponent: fractionBits - exponent, significand: magnitude)
            .rounded(.toNearestOrEven)
        if exponent == minimumExponent && units < Double(1 << fractionBits) {
            return signBit | UInt64(units)  // subnormal (or zero after rounding)
        }
        var significand = UInt64(units)
        if significand == 1 << UInt64(fractionBits + 1) {  // rounding carried into the next binade
            significand >>= 1
            exponent += 1
        }
        let exponentField = exponent + bias
        if exponentField >= Int(exponentMask) { return signBit | infinity }
        return signBit | UInt64(exponentField) << UInt64(fractionBits) | (significand & ((1 << UInt64(fractionBits)) - 1))
    }
}
