// .npy: numpy-written fixtures, hand-built headers of every version, the writer, malformed inputs.

import Foundation
import Testing
import Slicer

/// A fixture file checked in under Tests/SlicerTests/Fixtures (made by make_npy_fixtures.py).
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
}

@Suite struct FileFormatsNPY {
    /// (np.arange(12).reshape(3, 4) - 5.5) / 8, exact in float16/32/64.
    let expected = (0..<12).map { (Double($0) - 5.5) / 8 }

    @Test(arguments: [("points_f64.npy", DType.f64), ("points_f32.npy", .f32), ("points_f16.npy", .f16),
                      ("points_f32_v2.npy", .f32)])
    func readsNumpyWrittenFiles(name: String, dtype: DType) throws {
        let tensor = try NPY.read(path: fixture(name))
        #expect(tensor == Tensor(shape: [3, 4], dtype: dtype, values: expected))
    }

    @Test func refusesUnsupportedNumpyLayouts() {
        #expect(mentions(errorMessage { _ = try NPY.read(path: fixture("points_fortran.npy")) }, "points_fortran.npy: ", "Fortran"))
        #expect(mentions(errorMessage { _ = try NPY.read(path: fixture("points_bigendian.npy")) }, "big-endian dtype '>f8'"))
        #expect(mentions(errorMessage { _ = try NPY.read(path: fixture("labels_i64.npy")) }, "dtype '<i8' is not supported"))
    }

    @Test func readsHandBuiltHeadersOfEveryVersion() throws {
        let scratch = ScratchDirectory()
        let data = float32Bytes([1, -2.5, 0.5])
        // Different key order, double quotes, no trailing comma, odd spacing: still a valid dict literal.
        let v1 = scratch.write("v1.npy", handNPY(#"{"shape":( 3 ,), "fortran_order" : False,"descr":"<f4"}"#, data))
        #expect(try NPY.read(path: v1) == Tensor(shape: [3], dtype: .f32, values: [1, -2.5, 0.5]))
        let v2 = scratch.write("v2.npy", handNPY("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 1), }", data, major: 2))
        #expect(try NPY.read(path: v2).shape == [1, 3, 1])
        let v3 = scratch.write("v3.npy", handNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", float64Bytes([7]), major: 3))
        #expect(try NPY.read(path: v3) == Tensor(shape: [], dtype: .f64, values: [7]))
        let empty = scratch.write("empty.npy", handNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", []))
        #expect(try NPY.read(path: empty) == Tensor(shape: [0, 5], dtype: .f64, values: []))
    }

    @Test func writeThenReadAndNumpyAlignment() throws {
        let scratch = ScratchDirectory()
        for shape in [[2, 3], [4], [], [1, 2, 2]] {
            let count = shape.reduce(1, *)
            let tensor = Tensor(shape: shape, dtype: .f64, values: (0..<count).map { Double($0) * 0.1 - 0.3 })
            let path = scratch.file("w.npy")
            try NPY.write(tensor, path: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect((bytes.count - 8 * count) % 64 == 0, "header is padded to 64 bytes like numpy's")
            #expect(bytes[bytes.count - 8 * count - 1] == UInt8(ascii: "\n"))
            #expect(try NPY.read(path: path) == tensor)
        }
        // A float32 tensor is written as float64 with the same values.
        try NPY.write(Tensor(shape: [2], dtype: .f32, values: [0.5, 3]), path: scratch.file("f.npy"))
        #expect(try NPY.read(path: scratch.file("f.npy")) == Tensor(shape: [2], dtype: .f64, values: [0.5, 3]))
        #expect(mentions(errorMessage { try NPY.write(Tensor(shape: [3], dtype: .f64, values: [1]), path: scratch.file("x.npy")) },
                         "x.npy: tensor has shape [3] but 1 values"))
        #expect(mentions(errorMessage { try NPY.write(Tensor(shape: [1], dtype: .f64, values: [1]), path: "/proc/nope/x.npy") },
                         "/proc/nope/x.npy: cannot write"))
    }

    /// Runs python3 (found on PATH) with arguments; nil when it cannot be started.
    static func python(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static let numpyAvailable = python(["-c", "import numpy"])?.status == 0

    @Test(.enabled(if: numpyAvailable, "needs python3 with numpy"))
    func numpyReadsWhatWeWrite() throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("ours.npy")
        try NPY.write(Tensor(shape: [2, 3], dtype: .f64, values: [0.1, -2, 3e300, 4, 5, -0.0]), path: path)
        let result = Self.python(["-c", "import numpy as n, sys; a = n.load(sys.argv[1]); print(a.dtype, a.shape, a.flags.c_contiguous, a.tolist())", path])
        #expect(result?.status == 0)
        #expect(result?.output == "float64 (2, 3) True [[0.1, -2.0, 3e+300], [4.0, 5.0, -0.0]]\n")
    }

    static let malformed: [(name: String, bytes: [UInt8], problem: String)] = {
        let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
        return [
            ("magic", Array("NUMPY not really".utf8), "bad magic"),
            ("version", handNPY(header, float64Bytes([1, 2]), major: 4), "unsupported .npy version 4.0"),
            ("headerlength", [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0x7F, 0x7B], "header length 32767 exceeds file size"),
            ("truncated", handNPY(header, float64Bytes([1])), "data is 8 bytes but shape [2] of <f8 needs 16"),
            ("trailing", handNPY(header, float64Bytes([1, 2, 3])), "data is 24 bytes"),
            ("notdict", handNPY("[1, 2]", []), "malformed header"),
            ("unclosed", handNPY("{'descr': '<f8', 'shape': (2,", []), "malformed header"),
            ("garbage", handNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } extra", []), "malformed header"),
            ("noshape", handNPY("{'descr': '<f8', 'fortran_order': False}", []), "no 'shape' tuple"),
            ("nodescr", handNPY("{'fortran_order': False, 'shape': (2,)}", []), "no 'descr' string"),
            ("shapevalue", handNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", []), "non-negative integers"),
            ("overflow", handNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", []), "too many elements"),
            ("object", handNPY("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", []), "dtype '|O' is not supported"),
        ]
    }()

    @Test(arguments: malformed.indices)
    func malformedFilesAreRejected(index: Int) {
        let scratch = ScratchDirectory()
        let (name, bytes, problem) = Self.malformed[index]
        let path = scratch.write(name + ".npy", bytes)
        let message = errorMessage { _ = try NPY.read(path: path) }
        #expect(mentions(message, path + ": ", problem), "\(name): \(message ?? "no error")")
    }
}
