// TensorProto (initializers and Constant values) -> ONNXConstant, every length checked against the file.

import Foundation

enum ONNXLimits {
    /// No tensor, constant or computed value may hold more elements than this.
    static let maximumElements = 1 << 31
    /// Constants tessera materialises itself (a broadcast bias) stay below this many elements.
    static let maximumMaterialised = 1 << 24
    /// Largest rank accepted anywhere.
    static let maximumRank = 8
}

extension Onnx_TensorProto.DataType {
    /// The name ONNX gives the type, for messages.
    var onnxName: String {
        switch self {
        case .float: return "FLOAT"
        case .float16: return "FLOAT16"
        case .bfloat16: return "BFLOAT16"
        case .double: return "DOUBLE"
        case .int64: return "INT64"
        case .int32: return "INT32"
        case .bool: return "BOOL"
        case .string: return "STRING"
        default: return "type \(rawValue)"
        }
    }
}

enum ONNXTensorDecoding {
    /// Decodes a tensor's elements: FLOAT, FLOAT16, BFLOAT16 and DOUBLE to Double (exactly);
    /// INT64, INT32, INT8, UINT8 and BOOL to integers. `what` names the tensor in errors.
    /// `directory` is where external data files are looked for (the model's directory); nil refuses them.
    static func decode(_ tensor: Onnx_TensorProto, what: String, directory: String? = nil) throws -> ONNXConstant {
        func bad(_ problem: String) -> ONNXNodeError { ONNXNodeError(message: "\(what) \(problem)") }
        if tensor.dataLocation == .external || !tensor.externalData.isEmpty {
            guard let directory else {
                throw bad("keeps its data in an external file, which is only read next to a model file (or export with torch.onnx.export(..., external_data=False))")
            }
            var inline = tensor
            inline.rawData = try ONNXExternalData.read(tensor, directory: directory, what: what)
            inline.externalData = []
            inline.dataLocation = .default
            return try decode(inline, what: what)
        }
        if tensor.hasSegment { throw bad("is a segmented tensor, which is not supported") }
        guard tensor.dims.count <= ONNXLimits.maximumRank else { throw bad("has rank \(tensor.dims.count), more than \(ONNXLimits.maximumRank)") }
        var shape: [Int] = []
        var count = 1
        for dimension in tensor.dims {
            guard dimension >= 0, dimension <= Int64(ONNXLimits.maximumElements) else { throw bad("has a dimension \(dimension)") }
            shape.append(Int(dimension))
            count *= Int(dimension)
            guard count <= ONNXLimits.maximumElements else { throw bad("declares shape \(tensor.dims), more than 2^31 elements") }
        }
        let type = Onnx_TensorProto.DataType(rawValue: Int(tensor.dataType)) ?? .undefined
        let raw = tensor.hasRawData ? [UInt8](tensor.rawData) : nil

        func checkCount(_ available: Int, _ field: String) throws {
            guard available == count else {
                throw bad("of shape \(shape) needs \(count) values but its \(field) holds \(available) (truncated or inconsistent file?)")
            }
        }
        func rawElements(_ size: Int) throws -> [UInt8]? {
            guard let raw else { return nil }
            guard raw.count == count * size else {
                throw bad("of shape \(shape) needs \(count * size) bytes of \(type.onnxName) but raw_data holds \(raw.count) (truncated or inconsistent file?)")
            }
            return raw
        }

        switch type {
        case .float, .float16, .bfloat16, .double:
            let dtype: DType = type == .float ? .f32 : type == .float16 ? .f16 : type == .bfloat16 ? .bf16 : .f64
            if let raw = try rawElements(dtype.byteCount) {
                return .floats(shape: shape, values: dtype.decodeAll(raw, offset: 0, count: count))
            }
            switch type {
            case .float:
                try checkCount(tensor.floatData.count, "float_data")
                return .floats(shape: shape, values: tensor.floatData.map(Double.init))
            case .double:
                try checkCount(tensor.doubleData.count, "double_data")
                return .floats(shape: shape, values: tensor.doubleData)
            default:
                // FLOAT16 and BFLOAT16 keep their bit patterns in int32_data.
                try checkCount(tensor.int32Data.count, "int32_data")
                return .floats(shape: shape, values: tensor.int32Data.map { dtype.decode(UInt64(UInt16(truncatingIfNeeded: $0))) })
            }
        case .int64:
            if let raw = try rawElements(8) {
                return .ints(shape: shape, values: (0..<count).map { .known(Int(Int64(truncatingIfNeeded: raw.littleEndianInteger(at: 8 * $0, count: 8)))) })
            }
            try checkCount(tensor.int64Data.count, "int64_data")
            return .ints(shape: shape, values: tensor.int64Data.map { .known(Int($0)) })
        case .int32, .int8, .uint8, .bool, .int16, .uint16:
            let size = type == .int32 ? 4 : (type == .int16 || type == .uint16) ? 2 : 1
            let signed = type == .int32 || type == .int8 || type == .int16
            if let raw = try rawElements(size) {
                return .ints(shape: shape, values: (0..<count).map { index in
                    let bits = raw.littleEndianInteger(at: size * index, count: size)
                    let shift = UInt64(64 - 8 * size)
                    return .known(signed ? Int(Int64(bitPattern: bits << shift) >> Int64(shift)) : Int(bits))
                })
            }
            try checkCount(tensor.int32Data.count, "int32_data")
            return .ints(shape: shape, values: tensor.int32Data.map { .known(Int($0)) })
        default:
            throw bad("has data type \(type.onnxName), which tessera does not read (FLOAT, FLOAT16, BFLOAT16, DOUBLE and integer shapes only)")
        }
    }
}
