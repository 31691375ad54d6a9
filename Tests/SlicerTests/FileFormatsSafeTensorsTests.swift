// safetensors: round trips, a hand-built file, the writer's layout, and every malformed-input class.

import Foundation
import Testing
import Slicer

@Suite(.timeLimit(.minutes(20))) struct FileFormatsSafeTensors {
    /// Representable, non-NaN values of `dtype` including zeros, subnormals and the extremes.
    func sampleValues(_ dtype: DType, count: Int) -> [Double] {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -2.5, dtype.rounded(0x1p-140), -dtype.rounded(0x1p-140)]
        while values.count < count {
            let candidate = dtype.rounded(Double(bitPattern: generator.next()) )
            if candidate.isFinite { values.append(candidate) }
            else { values.append(dtype.rounded(Double.random(in: -1e4...1e4))) }
        }
        return values
    }

    @Test(arguments: DType.allCases)
    func roundTripIsBitIdentical(dtype: DType) throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("t.safetensors")
        let matrix = Tensor(shape: [3, 5], dtype: dtype, values: sampleValues(dtype, count: 15))
        let vector = Tensor(shape: [4], dtype: dtype, values: [.infinity, -.infinity, 7, -0.0])
        let empty = Tensor(shape: [0, 3], dtype: dtype, values: [])
        let scalar = Tensor(shape: [], dtype: dtype, values: [3])
        try SafeTensors.write(path: path, tensors: [("m", matrix), ("v", vector), ("e", empty), ("s", scalar)],
                              metadata: ["note": "round trip", "x": "y"])
        let (tensors, metadata) = try SafeTensors.read(path: path)
        #expect(metadata == ["note": "round trip", "x": "y"])
        #expect(Set(tensors.keys) == ["m", "v", "e", "s"])
        for (name, original) in [("m", matrix), ("v", vector), ("e", empty), ("s", scalar)] {
            let read = try #require(tensors[name])
            #expect(read.shape == original.shape && read.dtype == original.dtype)
            #expect(read.values.map(\.bitPattern) == original.values.map(\.bitPattern), "\(name)")
        }
    }

    @Test func writerRoundsToTheDtype() throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("r.safetensors")
        let values = [0.1, 1 + 0x1p-11, 1 + 0x1p-8 + 0x1p-30]
        try SafeTensors.write(path: path, tensors: [
            ("a", Tensor(shape: [3], dtype: .f32, values: values)),
            ("b", Tensor(shape: [3], dtype: .f16, values: values)),
            ("c", Tensor(shape: [3], dtype: .bf16, values: values)),
        ], metadata: [:])
        let tensors = try SafeTensors.read(path: path).tensors
        #expect(tensors["a"]?.values == values.map { Double(Float($0)) })
        #expect(tensors["b"]?.values == [0x1.998p-4, 1, 1 + 0x1p-8])
        #expect(tensors["c"]?.values == [0x1.9Ap-4, 1, 1 + 0x1p-7])
    }

    @Test func readsAHandBuiltFile() throws {
        let scratch = ScratchDirectory()
        // Four tensors in four dtypes, offsets deliberately not in name order.
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"# +
            #""h":{"dtype":"F16","shape":[1,2],"data_offsets":[16,20]},"# +
            #""b":{"dtype":"BF16","shape":[2,1],"data_offsets":[20,24]},"# +
            #""d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#
        let data: [UInt8] = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0,   // F32 1, -2.5
                             0, 0, 0, 0, 0, 0, 0xF0, 0x3F,                      // F64 1
                             0x00, 0x3C, 0xFF, 0x7B,                            // F16 1, 65504
                             0x80, 0x3F, 0x20, 0xC0]                            // BF16 1, -2.5
        let path = scratch.write("hand.safetensors", handSafetensors(header, data))
        let (tensors, metadata) = try SafeTensors.read(path: path)
        #expect(metadata == ["format": "pt"])
        #expect(tensors["w"] == Tensor(shape: [2], dtype: .f32, values: [1, -2.5]))
        #expect(tensors["d"] == Tensor(shape: [1], dtype: .f64, values: [1]))
        #expect(tensors["h"] == Tensor(shape: [1, 2], dtype: .f16, values: [1, 65504]))
        #expect(tensors["b"] == Tensor(shape: [2, 1], dtype: .bf16, values: [1, -2.5]))
        // An unpadded header is legal too.
        let unpadded = scratch.write("unpadded.safetensors",
                                     handSafetensors(#"{"x":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#,
                                                     [0, 0, 0x80, 0x3F], pad: false))
        #expect(try SafeTensors.read(path: unpadded).tensors["x"]?.values == [1])
    }

    @Test func writerLayoutFollowsTheFormat() throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("layout.safetensors")
        try SafeTensors.write(path: path, tensors: [
            ("z", Tensor(shape: [2], dtype: .f32, values: [1, 2])),
            ("a", Tensor(shape: [1], dtype: .f64, values: [-1])),
        ], metadata: ["format": "pt"])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 16)
        let header = try #require(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        #expect((header["z"] as? [String: Any])?["data_offsets"] as? [Int] == [0, 8])
        #expect((header["a"] as? [String: Any])?["data_offsets"] as? [Int] == [8, 16])
        #expect(Array(bytes[(8 + length)...]) == float32Bytes([1, 2]) + float64Bytes([-1]))
        #expect(scratch.contents == ["layout.safetensors"])  // no temporary file left behind
    }

    @Test func writeReplacesAtomicallyAndReportsUnwritablePaths() throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("m.safetensors")
        let one = [("x", Tensor(shape: [1], dtype: .f64, values: [1]))]
        try SafeTensors.write(path: path, tensors: one, metadata: [:])
        try SafeTensors.write(path: path, tensors: [("y", Tensor(shape: [1], dtype: .f64, values: [2]))], metadata: [:])
        #expect(try SafeTensors.read(path: path).tensors.keys.sorted() == ["y"])

        let missing = scratch.file("no/such/dir/m.safetensors")
        #expect(throws: TesseraError.io("\(missing): cannot write (No such file or directory)")) {
            try SafeTensors.write(path: missing, tensors: one, metadata: [:])
        }
        // A directory in the way: the rename fails and the temporary file is cleaned up.
        try FileManager.default.createDirectory(atPath: scratch.file("taken"), withIntermediateDirectories: false)
        let message = errorMessage { try SafeTensors.write(path: scratch.file("taken"), tensors: one, metadata: [:]) }
        #expect(mentions(message, scratch.file("taken"), "cannot write"))
        #expect(Set(scratch.contents) == ["m.safetensors", "taken"])
    }

    @Test func writeRejectsInconsistentTensors() {
        let scratch = ScratchDirectory()
        let path = scratch.file("bad.safetensors")
        func message(_ tensors: [(name: String, tensor: Tensor)]) -> String? {
            errorMessage { try SafeTensors.write(path: path, tensors: tensors, metadata: [:]) }
        }
        #expect(mentions(message([("x", Tensor(shape: [2, 2], dtype: .f32, values: [1]))]), path, "shape [2, 2]", "1 values"))
        #expect(mentions(message([("x", Tensor(shape: [1], dtype: .f16, values: [1e6]))]), "too large for F16"))
        #expect(mentions(message([("x", Tensor(shape: [1], dtype: .f32, values: [1])),
                                  ("x", Tensor(shape: [1], dtype: .f32, values: [1]))]), "appears twice"))
        #expect(mentions(message([("__metadata__", Tensor(shape: [1], dtype: .f32, values: [1]))]), "__metadata__"))
        #expect(scratch.contents.isEmpty)
    }

    /// Each malformed file and a fragment its error must contain.
    static let malformed: [(name: String, bytes: [UInt8], problem: String)] = {
        let good = #""x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
        let data = float32Bytes([1, 2])
        return [
            ("short", [1, 2, 3], "too short"),
            ("hugeheader", littleEndian(12_345_678, 8) + Array(repeating: 0x20, count: 792), "header length 12345678 exceeds file size 800"),
            ("capped", littleEndian(1 << 40, 8) + [0x7B, 0x7D], "exceeds the 100000000-byte limit"),
            ("notjson", handSafetensors("{not json", []), "not valid JSON"),
            ("array", handSafetensors("[1, 2]", []), "not a JSON object"),
            ("entry", handSafetensors(#"{"x": 3}"#, []), "entry 'x' is not a JSON object"),
            ("dtype", handSafetensors(#"{"x":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}"#, [1, 2]), "unsupported dtype 'I8'"),
            ("nodtype", handSafetensors(#"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, data), "no dtype"),
            ("shape", handSafetensors(#"{"x":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, data), "shape entry"),
            ("negative", handSafetensors(#"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data), "shape entry"),
            ("boolshape", handSafetensors(#"{"x":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, data), "shape entry"),
            ("overflow", handSafetensors(#"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data), "too many elements"),
            ("offsets", handSafetensors(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, data), "data_offsets"),
            ("range", handSafetensors(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#, data), "outside the 8-byte data section"),
            ("reversed", handSafetensors(#"{"x":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data), "outside"),
            ("truncated", handSafetensors("{\(good)}", Array(data.prefix(5))), "outside the 5-byte data section"),
            ("length", handSafetensors(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data), "hold 8 bytes but shape [3] of F32 needs 12"),
            ("overlap", handSafetensors("{\(good)," + #""y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data), "'x' and 'y' overlap"),
            ("metadata", handSafetensors(#"{"__metadata__":{"k":1}}"#, []), "__metadata__ value for 'k' is not a string"),
        ]
    }()

    @Test(arguments: malformed.indices)
    func malformedFilesAreRejected(index: Int) {
        let scratch = ScratchDirectory()
        let (name, bytes, problem) = Self.malformed[index]
        let path = scratch.write(name + ".safetensors", bytes)
        let message = errorMessage { _ = try SafeTensors.read(path: path) }
        #expect(mentions(message, path + ": ", problem), "\(name): \(message ?? "no error")")
        #expect(message?.contains("\n") == false)
    }

    @Test func missingFilesAndDirectoriesAreBadInput() {
        let scratch = ScratchDirectory()
        #expect(mentions(errorMessage { _ = try SafeTensors.read(path: scratch.file("none")) }, "none: cannot open"))
        #expect(mentions(errorMessage { _ = try SafeTensors.read(path: scratch.path) }, "not a regular file"))
    }
}
