// The parsers under test, each with a seed corpus generated in-process from valid files.

import CZlib
import Foundation
import Slicer

/// The valid files each parser's mutations start from (`FuzzTarget` is in Slicer, shared with the
/// corpus replay of `swift test`).
extension FuzzTarget {
    /// Feeds `bytes` to the parser through a file at `path` (plus the format's suffix); returns the
    /// error text, nil when the input parsed.
    func run(_ bytes: [UInt8], path: String) -> String? {
        let file = path + fileSuffix
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            fatalError("tessera-fuzz: cannot write \(file)")
        }
        return parse(path: file)
    }

    /// Valid (and a few nearly valid) files of this format.
    func seeds(scratch: String) throws -> [[UInt8]] {
        func saved(_ write: (String) throws -> Void) throws -> [UInt8] {
            let file = scratch + "/seed"
            try write(file)
            defer { try? FileManager.default.removeItem(atPath: file) }
            return [UInt8](FileManager.default.contents(atPath: file)!)
        }
        switch self {
        case .safetensors:
            var seeds: [[UInt8]] = []
            for dtype in DType.allCases {
                seeds.append(try saved { path in
                    try SafeTensors.write(path: path, tensors: [
                        ("a", Tensor(shape: [2, 3], dtype: dtype, values: [1, -2, 0.5, 3, 1e-3, -0.0])),
                        ("b", Tensor(shape: [3], dtype: dtype, values: [0, 65504, -1])),
                        ("empty", Tensor(shape: [0, 4], dtype: dtype, values: [])),
                        ("scalar", Tensor(shape: [], dtype: dtype, values: [7])),
                    ], metadata: ["format": "pt", "note": "seed"])
                })
            }
            seeds.append(Array(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"__metadata__":{"k":"v"}}"#.utf8))
            seeds[seeds.count - 1] = littleEndian(UInt64(seeds[seeds.count - 1].count), 8) + seeds[seeds.count - 1] + [0, 0, 128, 63]
            return seeds
        case .model:
            var seeds: [[UInt8]] = []
            for (index, widths) in [[4, 3, 2], [2, 5, 5, 3], [3, 1]].enumerated() {
                let (network, _) = try standardWorkload(widths: widths, seed: UInt64(index))
                for dtype in [DType.f32, .f16] {
                    seeds.append(try saved { try ModelFile.save(network, path: $0, dtype: dtype, metadata: ["seed": "\(index)"]) })
                }
            }
            // A prefixed state_dict with odd indices, as PyTorch writes for nn.Sequential inside a module.
            seeds.append(try saved { path in
                try SafeTensors.write(path: path, tensors: [
                    ("net.layers.1.weight", Tensor(shape: [2, 2], dtype: .f32, values: [1, 2, 3, 4])),
                    ("net.layers.1.bias", Tensor(shape: [2], dtype: .f32, values: [0, 1])),
                    ("net.layers.3.weight", Tensor(shape: [1, 2], dtype: .bf16, values: [1, -1])),
                    ("net.layers.3.bias", Tensor(shape: [1], dtype: .f64, values: [0.5])),
                ], metadata: ["activation": "leaky_relu:0.1"])
            })
            return seeds
        case .onnx:
            return try onnxSeeds()
        case .npy:
            var seeds: [[UInt8]] = []
            seeds.append(try saved { try NPY.write(Tensor(shape: [3, 4], dtype: .f64, values: (0..<12).map(Double.init)), path: $0) })
            seeds.append(try saved { try NPY.write(Tensor(shape: [2], dtype: .f64, values: [1, 2]), path: $0) })
            seeds.append(try saved { try NPY.write(Tensor(shape: [], dtype: .f64, values: [3]), path: $0) })
            seeds.append(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", major: 1, data: (0..<6).flatMap { littleEndian(UInt64(Float($0).bitPattern), 4) }))
            seeds.append(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2L, 1L), }", major: 2, data: [0, 60, 0, 188]))
            seeds.append(npy("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": [1, 1]}", major: 3, data: littleEndian(Double.pi.bitPattern, 8)))
            // Fortran order, big-endian floats and integers, 64-bit integers, bytes and booleans.
            seeds.append(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", major: 1, data: (0..<6).flatMap { littleEndian(Double($0).bitPattern, 8) }))
            seeds.append(npy("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 1, 2), }", major: 1, data: (0..<4).flatMap { bigEndian(UInt64(Float($0).bitPattern), 4) }))
            seeds.append(npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }", major: 1, data: [-3, 0, 7, Int32.min].flatMap { bigEndian(UInt64(UInt32(bitPattern: $0)), 4) }))
            seeds.append(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", major: 1, data: littleEndian(1 << 53, 8) + littleEndian(UInt64(bitPattern: -5), 8)))
            seeds.append(npy("{'descr': '>u8', 'fortran_order': False, 'shape': (1, 1), }", major: 1, data: bigEndian(UInt64.max - 2047, 8)))
            seeds.append(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", major: 1, data: [0, 1, 127, 128, 254, 255]))
            seeds.append(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (1, 3), }", major: 1, data: [1, 0, 1]))
            return seeds
        case .idx, .idxgz:
            let images = idx(type: 8, dimensions: [3, 2, 2], data: (0..<12).map { UInt8($0 * 20) })
            let labels = idx(type: 8, dimensions: [3], data: [1, 7, 9])
            let empty = idx(type: 8, dimensions: [0, 28, 28], data: [])
            let plain = [images, labels, empty]
            return self == .idx ? plain : plain.map { gzip($0) }
        }
    }

    /// Format-aware offsets where length fields live, for the "interesting integer" mutation.
    func lengthFieldOffsets(_ input: [UInt8]) -> [(offset: Int, width: Int, bigEndian: Bool)] {
        switch self {
        case .safetensors, .model: return [(0, 8, false), (0, 4, false)]
        case .npy: return [(8, 2, false), (8, 4, false)]
        case .idx:
            let dimensions = input.count >= 4 ? Int(input[3]) : 1
            return [(2, 1, false), (3, 1, false)] + (0..<max(1, min(dimensions, 4))).map { (4 + 4 * $0, 4, true) }
        case .idxgz: return [(0, 4, false)]
        // The model's first field (the IR version or the graph) and its length varint.
        case .onnx: return [(1, 1, false), (1, 2, false), (3, 1, false)]
        }
    }

    func npy(_ header: String, major: UInt8, data: [UInt8]) -> [UInt8] {
        let text = Array((header + "\n").utf8)
        return [0x93] + Array("NUMPY".utf8) + [major, 0] + littleEndian(UInt64(text.count), major == 1 ? 2 : 4) + text + data
    }

    func idx(type: UInt8, dimensions: [UInt32], data: [UInt8]) -> [UInt8] {
        [0, 0, type, UInt8(dimensions.count)] + dimensions.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - UInt32($0)))) } } + data
    }
}

func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
}

func bigEndian(_ value: UInt64, _ count: Int) -> [UInt8] { littleEndian(value, count).reversed() }

/// gzip-compresses `bytes` in memory (zlib's deflate with a gzip wrapper).
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    // windowBits 15 + 16 selects the gzip wrapper.
    guard deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                        ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { fatalError("deflateInit2 failed") }
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    let produced: Int = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = uInt(target.count)
            guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { fatalError("deflate failed") }
            return target.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(produced))
}
