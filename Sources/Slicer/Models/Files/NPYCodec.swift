// NumPy .npy arrays: header versions 1.0, 2.0 and 3.0; float, integer and boolean elements in either
// byte order; C or Fortran order.

/// The `.npy` reader and writer behind `NPY.read/write`.
enum NPYCodec {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    static func read(path: String) throws -> Tensor {
        try decode(BinaryFile.readAll(path: path), path: path)
    }

    /// Parses a whole `.npy` file held in memory; `path` only names it in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> Tensor {
        func bad(_ problem: String) -> TesseraError { BinaryFile.bad(path, problem) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw bad("not a .npy file (bad magic)") }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default: throw bad("unsupported .npy version \(major).\(minor)")
        }
        guard bytes.count >= 8 + lengthBytes else { throw bad("truncated header") }
        let headerLength = Int(bytes.littleEndianInteger(at: 8, count: lengthBytes))
        let dataStart = 8 + lengthBytes + headerLength
        guard dataStart <= bytes.count else {
            throw bad("header length \(headerLength) exceeds file size \(bytes.count)")
        }
        // Versions 1 and 2 use latin-1 headers; numpy only writes ASCII there, and 3.0 is UTF-8.
        guard let text = String(validating: bytes[(8 + lengthBytes)..<dataStart], as: UTF8.self) else {
            throw bad("header is not text")
        }
        let header: [String: PythonLiteral]
        do {
            guard case .dictionary(let dictionary) = try PythonLiteral.parse(text) else {
                throw TesseraError.badInput("not a dictionary")
            }
            header = dictionary
        } catch {
            throw bad("malformed header dictionary (\(error))")
        }

        if case .tuple? = header["descr"] { throw bad("structured dtypes (records) are not supported") }
        guard case .string(let descr)? = header["descr"] else { throw bad("header has no 'descr' string") }
        guard case .boolean(let fortran)? = header["fortran_order"] else { throw bad("header has no 'fortran_order' flag") }
        guard case .tuple(let rawShape)? = header["shape"] else { throw bad("header has no 'shape' tuple") }
        guard let element = NPYElement(descriptor: descr) else {
            throw bad("dtype '\(descr)' is not supported (expected a float, integer or boolean type such as '<f8', '<f4', '<i8', '|u1' or '|b1')")
        }
        var shape: [Int] = []
        for entry in rawShape {
            guard case .integer(let dimension) = entry, dimension >= 0 else {
                throw bad("shape entries must be non-negative integers")
            }
            shape.append(dimension)
        }
        guard let count = elementCount(shape),
              case let (byteLength, overflow) = count.multipliedReportingOverflow(by: element.size), !overflow else {
            throw bad("shape \(shape) has too many elements")
        }
        let available = bytes.count - dataStart
        guard available == byteLength else {
            throw bad("data is \(available) bytes but shape \(shape) of \(descr) needs \(byteLength)")
        }
        let stored: [Double]
        do {
            stored = try element.decodeAll(bytes, offset: dataStart, count: count)
        } catch TesseraError.badInput(let problem) {
            throw bad(problem)
        }
        let values = fortran ? fortranToRowMajor(stored, shape: shape) : stored
        return Tensor(shape: shape, dtype: element.tensorDType, values: values)
    }

    /// Writes float64 (`<f8`) whatever the tensor's dtype (its values are Doubles), atomically.
    static func write(_ tensor: Tensor, path: String) throws {
        guard tensor.shape.allSatisfy({ $0 >= 0 }), elementCount(tensor.shape) == tensor.values.count else {
            throw BinaryFile.bad(path, "tensor has shape \(tensor.shape) but \(tensor.values.count) values")
        }
        let shapeText: String
        switch tensor.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(tensor.shape[0]),)"
        default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = Array("{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
        // numpy pads with spaces and a final newline so the data starts 64-byte aligned.
        let version: UInt8 = header.count + 1 + 10 <= 65_535 ? 1 : 2
        let prefixLength = version == 1 ? 10 : 12
        while (prefixLength + header.count + 1) % 64 != 0 { header.append(UInt8(ascii: " ")) }
        header.append(UInt8(ascii: "\n"))
        var bytes = magic + [version, 0]
        bytes.appendLittleEndian(UInt64(header.count), count: version == 1 ? 2 : 4)
        bytes += header
        bytes.reserveCapacity(bytes.count + 8 * tensor.values.count)
        for value in tensor.values { bytes.appendLittleEndian(value.bitPattern, count: 8) }
        try BinaryFile.writeAtomically(path: path, bytes: bytes)
    }
}

/// The subset of Python literal syntax a `.npy` header uses: a dict of strings, booleans, None,
/// integers and tuples/lists, e.g. `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
indirect enum PythonLiteral: Equatable {
    case string(String), integer(Int), boolean(Bool), none
    case tuple([PythonLiteral])
    case dictionary([String: PythonLiteral])

    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = Parser(characters: Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.position == parser.characters.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private struct Parser {
        var characters: [Unicode.Scalar]
        var position = 0
        var depth = 0

        func failure(_ problem: String) -> TesseraError { .badInput("\(problem) at character \(position)") }

        mutating func skipSpace() {
            while position < characters.count, characters[position].properties.isWhitespace { position += 1 }
        }

        mutating func take(_ expected: Unicode.Scalar) -> Bool {
            skipSpace()
            guard position < characters.count, characters[position] == expected else { return false }
            position += 1
            return true
        }

        mutating func value() throws -> PythonLiteral {
            skipSpace()
            guard position < characters.count else { throw failure("unexpected end") }
            depth += 1
            defer { depth -= 1 }
            guard depth < 32 else { throw failure("nesting too deep") }
            switch characters[position] {
            case "{":
                position += 1
                var entries: [String: PythonLiteral] = [:]
                while !take("}") {
                    guard case .string(let key) = try value() else { throw failure("dictionary key is not a string") }
                    guard take(":") else { throw failure("expected ':'") }
                    entries[key] = try value()
                    guard take(",") || (position < characters.count && characters[position] == "}") else {
                        throw failure("expected ',' or '}'")
                    }
                }
                return .dictionary(entries)
            case "(", "[":
                let close: Unicode.Scalar = characters[position] == "(" ? ")" : "]"
                position += 1
                var items: [PythonLiteral] = []
                while !take(close) {
                    items.append(try value())
                    guard take(",") || (position < characters.count && characters[position] == close) else {
                        throw failure("expected ',' or '\(close)'")
                    }
                }
                return .tuple(items)
            case "'", "\"":
                let quote = characters[position]
                position += 1
                var text = String.UnicodeScalarView()
                while position < characters.count, characters[position] != quote {
                    guard characters[position] != "\\" else { throw failure("escapes in strings are not supported") }
                    text.append(characters[position])
                    position += 1
                }
                guard position < characters.count else { throw failure("unterminated string") }
                position += 1
                return .string(String(text))
            default:
                var word = ""
                while position < characters.count, characters[position].properties.isAlphabetic
                        || ("0"..."9").contains(characters[position]) || characters[position] == "-"
                        || characters[position] == "_" {
                    word.unicodeScalars.append(characters[position])
                    position += 1
                }
                switch word {
                case "True": return .boolean(true)
                case "False": return .boolean(false)
                case "None": return .none
                default:
                    // numpy once wrote long dimensions as `3L`; accept that suffix.
                    let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
                    guard let integer = Int(digits) else {
                        throw failure(word.isEmpty ? "unexpected character '\(characters[position])'" : "'\(word)' is not a literal")
                    }
                    return .integer(integer)
                }
            }
        }
    }
}
