// .npy: numpy-written fixtures, hand-built headers of every version, the writer, malformed inputs.

import Foundation
import Testing
import Slicer

/// A fixture file checked in under Tests/SlicerTests/Fixtures (made by make_npy_fixtures.py).
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name).path
}

@Suite(.timeLimit(.minutes(20))) struct FileFormatsNPY {
    /// (np.arange(12).reshape(3, 4) - 5.5) / 8, exact in float16/32/64.
    let expected = (0..<12).map { (Double($0) - 5.5) / 8 }

    @Test(arguments: [("points_f64.npy", DType.f64), ("points_f32.npy", .f32), ("points_f16.npy", .f16),
                      ("points_f32_v2.npy", .f32)])
    func readsNumpyWrittenFiles(name: String, dtype: DType) throws {
        let tensor = try NPY.read(path: fixture(name))
        #expect(tensor == Tensor(shape: [3, 4], dtype: dtype, values: expected))
    }

    @Test func readsFortranOrderAsRowMajor() throws {
        #expect(try NPY.read(path: fixture("points_fortran.npy")) == Tensor(shape: [3, 4], dtype: .f64, values: expected))
        #expect(try PointsFile.load(path: fixture("points_fortran.npy")) == (0..<3).map { Array(expected[4 * $0..<4 * $0 + 4]) })
        // Values equal to their own C-order index: any mix-up of the three strides shows.
        #expect(try NPY.read(path: fixture("cube_fortran.npy")) == Tensor(shape: [2, 3, 4], dtype: .f64, values: (0..<24).map(Double.init)))
        // Qᵀ of a QR factorisation, as np.save writes it (Fortran order), is the same frame as its C-order copy.
        let frame = try NPY.read(path: fixture("frame_qr_fortran.npy"))
        #expect(frame == (try NPY.read(path: fixture("frame_qr_c.npy"))))
        #expect(try LCDirections.frame(from: frame, dimension: 8).count == 3)
    }

    @Test func readsBigEndianArrays() throws {
        #expect(try NPY.read(path: fixture("points_bigendian.npy")) == Tensor(shape: [3, 4], dtype: .f64, values: expected))
        let scratch = ScratchDirectory()
        let big = scratch.write("big.npy", handNPY("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", [0x01, 0x02, 0xFF, 0xFE]))
        #expect(try NPY.read(path: big) == Tensor(shape: [2], dtype: .f64, values: [258, -2]))
        let little = scratch.write("little.npy", handNPY("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", [0x01, 0x02, 0xFF, 0xFE]))
        #expect(try NPY.read(path: little) == Tensor(shape: [2], dtype: .f64, values: [513, -257]))
    }

    /// numpy's fixtures of every numeric dtype: [[lowest, 0, 1], [highest, 7, 100]] (64-bit extremes
    /// that float64 holds exactly).
    static let dtypes: [(name: String, dtype: DType, lowest: Double, highest: Double)] = {
        var cases: [(String, DType, Double, Double)] = [
            ("dtype_i1.npy", .f64, -128, 127), ("dtype_u1.npy", .f64, 0, 255),
        ]
        for order in ["le", "be"] {
            cases += [
                ("dtype_\(order)_i2.npy", .f64, -32768, 32767), ("dtype_\(order)_u2.npy", .f64, 0, 65535),
                ("dtype_\(order)_i4.npy", .f64, -2_147_483_648, 2_147_483_647), ("dtype_\(order)_u4.npy", .f64, 0, 4_294_967_295),
                ("dtype_\(order)_i8.npy", .f64, -0x1p63, 0x1p63 - 0x1p10), ("dtype_\(order)_u8.npy", .f64, 0, 0x1p64 - 0x1p11),
                ("dtype_\(order)_f2.npy", .f16, -65504, 65504),
                ("dtype_\(order)_f4.npy", .f32, -Double(Float.greatestFiniteMagnitude), Double(Float.greatestFiniteMagnitude)),
                ("dtype_\(order)_f8.npy", .f64, -.greatestFiniteMagnitude, .greatestFiniteMagnitude),
            ]
        }
        return cases
    }()

    @Test(arguments: dtypes.indices)
    func readsEveryNumericDtypeExactly(index: Int) throws {
        let (name, dtype, lowest, highest) = Self.dtypes[index]
        #expect(try NPY.read(path: fixture(name)) == Tensor(shape: [2, 3], dtype: dtype, values: [lowest, 0, 1, highest, 7, 100]), "\(name)")
    }

    @Test func readsBooleanAndImageArraysAsPoints() throws {
        #expect(try NPY.read(path: fixture("dtype_b1.npy")) == Tensor(shape: [2, 3], dtype: .f64, values: [1, 0, 1, 0, 0, 1]))
        #expect(try PointsFile.load(path: fixture("images_u8.npy")) == [[0, 128, 255, 3], [255, 254, 1, 0], [7, 7, 7, 7]])
        #expect(try NPY.read(path: fixture("labels_i64.npy")) == Tensor(shape: [3], dtype: .f64, values: [0, 1, 2]))
    }

    @Test func refusesValuesFloat64CannotHoldAndUnsupportedDtypes() {
        #expect(mentions(errorMessage { _ = try NPY.read(path: fixture("int64_inexact.npy")) },
                         "int64_inexact.npy: element 1 is 9007199254740993, which float64 cannot hold exactly"))
        #expect(mentions(errorMessage { _ = try PointsFile.load(path: fixture("uint64_inexact.npy")) },
                         "uint64_inexact.npy: element 0 is 18446744073709551615, which float64 cannot hold exactly"))
        let scratch = ScratchDirectory()
        let cases: [(header: String, data: [UInt8], problem: String)] = [
            ("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", [1, 2], "boolean element 1 is byte 2, not 0 or 1"),
            ("{'descr': '<c16', 'fortran_order': False, 'shape': (0,), }", [], "dtype '<c16' is not supported"),
            ("{'descr': '|f8', 'fortran_order': False, 'shape': (0,), }", [], "dtype '|f8' is not supported"),
            ("{'descr': '<U3', 'fortran_order': False, 'shape': (0,), }", [], "dtype '<U3' is not supported"),
            ("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (0,), }", [], "structured dtypes (records) are not supported"),
        ]
        for (header, data, problem) in cases {
            let path = scratch.write("x.npy", handNPY(header, data))
            #expect(mentions(errorMessage { _ = try NPY.read(path: path) }, path + ": ", problem), "\(header)")
        }
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

    /// The writer reproduces numpy's own `np.save` output byte for byte (fixtures made by numpy).
    @Test(arguments: [("numpy_written_2x3.npy", Tensor(shape: [2, 3], dtype: .f64, values: [0.1, -2, 3e300, 4, 5, -0.0])),
                      ("numpy_written_3.npy", Tensor(shape: [3], dtype: .f64, values: [0.5, 1, -1])),
                      ("numpy_written_scalar.npy", Tensor(shape: [], dtype: .f64, values: [7]))])
    func writesWhatNumpyWrites(name: String, tensor: Tensor) throws {
        let scratch = ScratchDirectory()
        let path = scratch.file("ours.npy")
        try NPY.write(tensor, path: path)
        let ours = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let numpys = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture(name))))
        #expect(ours == numpys, "\(name): \(String(decoding: ours.prefix(80), as: UTF8.self))")
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
