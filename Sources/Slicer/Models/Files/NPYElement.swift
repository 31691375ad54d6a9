// The element types of `.npy` files numpy writes: floats, integers and booleans in either byte order.

/// A numpy dtype descriptor such as `<f8`, `>i4`, `|u1` or `|b1`, and the exact decoding of its elements.
struct NPYElement: Equatable {
    enum Kind: Equatable { case float, signed, unsigned, boolean }
    var kind: Kind
    /// Bytes per element.
    var size: Int
    var bigEndian: Bool

    /// Parses a descriptor: byte order (`<` little, `>` big, `=` native, `|` not applicable, only for
    /// one-byte types), kind letter and size; nil for anything else (complex, strings, objects, dates).
    init?(descriptor: String) {
        let characters = Array(descriptor)
        guard characters.count >= 3, let size = Int(String(characters[2...])) else { return nil }
        switch (characters[1], size) {
        case ("f", 2), ("f", 4), ("f", 8): kind = .float
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
        case ("b", 1): kind = .boolean
        default: return nil
        }
        switch characters[0] {
        case "<": bigEndian = false
        case ">": bigEndian = true
        case "=": bigEndian = UInt16(1).bigEndian == 1
        case "|" where size == 1: bigEndian = false
        default: return nil
        }
        self.size = size
    }

    /// The tensor dtype reported for these elements: the float format itself, else float64 (every
    /// value read is checked to be exact in it).
    var tensorDType: DType {
        switch (kind, size) {
        case (.float, 2): return .f16
        case (.float, 4): return .f32
        default: return .f64
        }
    }

    /// Decodes `count` elements stored from byte `offset` (callers check the bounds), each to the
    /// Double of the same value; a 64-bit integer that float64 cannot hold exactly, or a boolean byte
    /// other than 0 or 1, is an error naming the element.
    func decodeAll(_ bytes: [UInt8], offset: Int, count: Int) throws -> [Double] {
        var values = [Double](repeating: 0, count: count)
        var inexact: (index: Int, text: String)? = nil
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                func element<T: FixedWidthInteger>(_ index: Int, as type: T.Type) -> T {
                    let stored = raw.loadUnaligned(fromByteOffset: offset + index * size, as: T.self)
                    return bigEndian ? T(bigEndian: stored) : T(littleEndian: stored)
                }
                func exactly<T: BinaryInteger>(_ index: Int, _ value: T) -> Double {
                    if let exact = Double(exactly: value) { return exact }
                    if inexact == nil { inexact = (index, "\(value)") }
                    return 0
                }
                switch (kind, size) {
                case (.float, 2): for i in 0..<count { out[i] = DType.f16.decode(UInt64(element(i, as: UInt16.self))) }
                case (.float, 4): for i in 0..<count { out[i] = Double(Float(bitPattern: element(i, as: UInt32.self))) }
                case (.float, _): for i in 0..<count { out[i] = Double(bitPattern: element(i, as: UInt64.self)) }
                case (.signed, 1): for i in 0..<count { out[i] = Double(element(i, as: Int8.self)) }
                case (.signed, 2): for i in 0..<count { out[i] = Double(element(i, as: Int16.self)) }
                case (.signed, 4): for i in 0..<count { out[i] = Double(element(i, as: Int32.self)) }
                case (.signed, _): for i in 0..<count { out[i] = exactly(i, element(i, as: Int64.self)) }
                case (.unsigned, 1): for i in 0..<count { out[i] = Double(element(i, as: UInt8.self)) }
                case (.unsigned, 2): for i in 0..<count { out[i] = Double(element(i, as: UInt16.self)) }
                case (.unsigned, 4): for i in 0..<count { out[i] = Double(element(i, as: UInt32.self)) }
                case (.unsigned, _): for i in 0..<count { out[i] = exactly(i, element(i, as: UInt64.self)) }
                case (.boolean, _):
                    for i in 0..<count {
                        let byte = element(i, as: UInt8.self)
                        if byte > 1, inexact == nil { inexact = (i, "byte \(byte)") }
                        out[i] = Double(byte)
                    }
                }
            }
        }
        if let (index, text) = inexact {
            throw TesseraError.badInput(kind == .boolean
                ? "boolean element \(index) is \(text), not 0 or 1"
                : "element \(index) is \(text), which float64 cannot hold exactly (integers beyond 2^53 lose digits)")
        }
        return values
    }
}

/// Reorders the values of a Fortran-order (first index fastest) array of `shape` into C order
/// (last index fastest).
func fortranToRowMajor(_ values: [Double], shape: [Int]) -> [Double] {
    guard shape.count > 1, !values.isEmpty else { return values }
    // Fortran strides: the first dimension is contiguous.
    var strides = [Int](repeating: 1, count: shape.count)
    for k in 1..<shape.count { strides[k] = strides[k - 1] * shape[k - 1] }
    var result = [Double](repeating: 0, count: values.count)
    var index = [Int](repeating: 0, count: shape.count)
    var source = 0
    for target in result.indices {
        result[target] = values[source]
        // Advance the C-order odometer (last index fastest), keeping the Fortran offset in step.
        var k = shape.count - 1
        while k >= 0 {
            index[k] += 1
            source += strides[k]
            if index[k] < shape[k] { break }
            source -= strides[k] * shape[k]
            index[k] = 0
            k -= 1
        }
    }
    return result
}
