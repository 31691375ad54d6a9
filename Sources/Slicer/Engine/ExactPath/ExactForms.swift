import BigInt
import Polytope

/// How the exact path holds one value: unit u's row r (the coefficient of s, of t, the constant) is
/// X · 2^exponent / denominator with an integer X, |X| < 2^bits on every face. The exponent and
/// denominator are fixed per value (the lowest power of two and the lcm any face can need), so all
/// arithmetic on the path is on integers of a fixed width, and a value's integers on a face are a
/// function of the face's pattern alone, whatever path led there.
struct ExactFormat {
    var exponent: Int
    var denominator: BigInt
    var bits: Int
    var limbs: Int { Limbs.count(bits: bits) }
}

/// Integer weights as sign and magnitude, `width` limbs each, indexed like the operation's weights.
struct IntegerWeights {
    var width: Int
    var magnitudes: [UInt64]
    /// Significant limbs of each magnitude (0 for a zero weight).
    var counts: [Int32]
    var negative: [Bool]
    /// |weight| < 2^bits for every weight.
    var bits: Int

    init(_ values: [BigInt]) {
        bits = values.map { $0.magnitude.bitWidth }.max() ?? 0
        width = max(1, (bits + 63) / 64)
        magnitudes = [UInt64](repeating: 0, count: values.count * width)
        counts = [Int32](repeating: 0, count: values.count)
        negative = values.map { $0.sign == .minus && !$0.isZero }
        for (i, value) in values.enumerated() {
            let words = Array(value.magnitude.words)
            counts[i] = Int32(value.isZero ? 0 : words.count)
            for (j, word) in words.enumerated() { magnitudes[i * width + j] = UInt64(word) }
        }
    }
}

/// The exact form of an affine node: with input formats (e_s, D_s), L = lcm(D_s) and M = lcm of the
/// divisors k_u, output u is Σ w·x + b over k_u, held over the denominator L·M at exponent e, where
/// e is the lowest exponent of any term w·x (w = m_w·2^{k_w}, x at e_s) or bias. Its integer is then
/// Σ T·X + B with the integer weights T = m_w·(L/D_s)·(M/k_u)·2^{k_w + e_s − e} and the integer bias
/// B = m_b·L·(M/k_u)·2^{k_b − e}: no division, no rounding, no gcd.
struct ExactAffineForm {
    enum Readers {
        case indexed(any IndexedReaders)
        case table(ReaderTable)
    }

    var output: ExactFormat
    /// Per input slot, the integer weights by index (`Readers` names the index of each tap).
    var weights: [IntegerWeights]
    /// The integer bias of each output (its constant row's start), two's complement, `output.limbs` each.
    var bias: [UInt64]
    var readers: Readers

    init(_ operation: any AffineOperation, inputs: [ExactFormat], inputCounts: [Int]) {
        var inputLCM = BigInt(1)
        for input in inputs { inputLCM = inputLCM.leastCommonMultiple(with: input.denominator) }
        var divisorLCM = BigInt(1)
        for u in 0..<operation.outputCount where operation.divisor(of: u) != 1 {
            divisorLCM = divisorLCM.leastCommonMultiple(with: BigInt(operation.divisor(of: u)))
        }
        let pairs: [(weight: Double, divisor: Int)]
        let maxTaps: Int
        if let indexed = operation as? any IndexedReaders {
            readers = .indexed(indexed)
            pairs = indexed.indexedWeights.map { ($0, 1) }
            maxTaps = indexed.maxTaps
        } else {
            let table = ReaderTable(operation, inputCounts: inputCounts)
            readers = .table(table)
            pairs = table.weights
            maxTaps = table.maxTaps
        }
        let dyadicWeights = pairs.map { Dyadic($0.weight) }
        let biases = (0..<operation.outputCount).map { Dyadic(operation.bias(of: $0)) }
        // The lowest exponent of any term or bias.
        var exponent = Int.max
        for w in dyadicWeights where !w.isZero {
            for input in inputs { exponent = min(exponent, w.exponent + input.exponent) }
        }
        for b in biases where !b.isZero { exponent = min(exponent, b.exponent) }
        if exponent == Int.max { exponent = 0 }
        weights = inputs.map { input in
            let slotScale = inputLCM / input.denominator
            return IntegerWeights(zip(dyadicWeights, pairs).map { w, pair in
                w.isZero ? 0 : (w.mantissa * slotScale * (divisorLCM / BigInt(pair.divisor))) << (w.exponent + input.exponent - exponent)
            })
        }
        let biasIntegers = biases.enumerated().map { u, b in
            b.isZero ? BigInt(0) : (b.mantissa * inputLCM * (divisorLCM / BigInt(operation.divisor(of: u)))) << (b.exponent - exponent)
        }
        // |Σ T·X| < taps · 2^(bits of T) · 2^(bits of X), and adding |B| < 2^(bits of B) at most doubles the larger.
        var termBits = 0
        for (slot, input) in inputs.enumerated() { termBits = max(termBits, weights[slot].bits + input.bits) }
        termBits += max(0, Int.bitWidth - (max(maxTaps, 1) - 1).leadingZeroBitCount)
        let biasBits = biasIntegers.map { $0.magnitude.bitWidth }.max() ?? 0
        output = ExactFormat(exponent: exponent, denominator: inputLCM * divisorLCM, bits: max(termBits, biasBits) + 1)
        let limbs = output.limbs
        var bias = [UInt64](repeating: 0, count: operation.outputCount * limbs)
        bias.withUnsafeMutableBufferPointer { buffer in
            for (u, b) in biasIntegers.enumerated() where !b.isZero { Limbs.store(b, into: buffer.baseAddress! + u * limbs, limbs) }
        }
        self.bias = bias
    }
}

/// The exact form of an activation: output = input on the positive side, α·input elsewhere. With
/// α = m·2^k (m odd), the output's exponent is e_in + min(0, k): the positive side is the input's
/// integer shifted left by max(0, −k), the other side the input's integer times m·2^max(0, k).
struct ExactActivationForm {
    var output: ExactFormat
    var positiveShift: Int
    var slope: IntegerWeights

    init(_ activation: ActivationOperation, input: ExactFormat) {
        let alpha = Dyadic(activation.negativeSlope)
        if alpha.isZero {
            positiveShift = 0
            slope = IntegerWeights([0])
            output = input
            return
        }
        let exponent = input.exponent + min(0, alpha.exponent)
        positiveShift = input.exponent - exponent
        slope = IntegerWeights([alpha.mantissa << (alpha.exponent + input.exponent - exponent)])
        output = ExactFormat(exponent: exponent, denominator: input.denominator,
                             bits: max(input.bits + positiveShift, input.bits + slope.bits))
    }
}
