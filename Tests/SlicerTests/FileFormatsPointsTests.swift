// Points files: .npy and single-tensor .safetensors, with shape and finiteness checks.

import Testing
import Slicer

@Suite(.timeLimit(.minutes(20))) struct FileFormatsPoints {
    let rows: [[Double]] = [[0, 0.5, 1], [0.25, -1, 2], [3, 4, 5]]

    @Test func loadsNpyAndSafetensors() throws {
        let scratch = ScratchDirectory()
        let tensor = Tensor(shape: [3, 3], dtype: .f64, values: rows.flatMap { $0 })
        try NPY.write(tensor, path: scratch.file("p.npy"))
        #expect(try PointsFile.load(path: scratch.file("p.npy")) == rows)
        try SafeTensors.write(path: scratch.file("p.safetensors"), tensors: [("anchors", Tensor(shape: [3, 3], dtype: .f32, values: tensor.values))], metadata: [:])
        #expect(try PointsFile.load(path: scratch.file("p.safetensors")) == rows)
        // numpy's own float32 file, and a wide [N, D] one.
        #expect(try PointsFile.load(path: fixture("points_f32.npy")) == [[-0.6875, -0.5625, -0.4375, -0.3125],
                                                                         [-0.1875, -0.0625, 0.0625, 0.1875],
                                                                         [0.3125, 0.4375, 0.5625, 0.6875]])
        try NPY.write(Tensor(shape: [2, 784], dtype: .f64, values: (0..<1568).map { Double($0) / 1568 }), path: scratch.file("wide.npy"))
        let wide = try PointsFile.load(path: scratch.file("wide.npy"))
        #expect(wide.count == 2 && wide[1].count == 784 && wide[1][0] == 0.5)
    }

    @Test func rejectsWrongShapesCountsAndValues() throws {
        let scratch = ScratchDirectory()
        func message(_ name: String) -> String? { errorMessage { _ = try PointsFile.load(path: scratch.file(name)) } }
        try NPY.write(Tensor(shape: [3], dtype: .f64, values: [1, 2, 3]), path: scratch.file("flat.npy"))
        #expect(mentions(message("flat.npy"), "flat.npy: array has shape [3], expected 2-D [N, D]"))
        try NPY.write(Tensor(shape: [0, 4], dtype: .f64, values: []), path: scratch.file("none.npy"))
        #expect(mentions(message("none.npy"), "none.npy: holds no points"))
        try NPY.write(Tensor(shape: [2, 2], dtype: .f64, values: [1, 2, .nan, 4]), path: scratch.file("nan.npy"))
        #expect(mentions(message("nan.npy"), "nan.npy: point 1 coordinate 0 is nan"))
        try SafeTensors.write(path: scratch.file("inf.safetensors"), tensors: [("x", Tensor(shape: [1, 2], dtype: .f16, values: [1, -.infinity]))], metadata: [:])
        #expect(mentions(message("inf.safetensors"), "inf.safetensors: point 0 coordinate 1 is -inf"))
        let two = [("b", Tensor(shape: [1, 2], dtype: .f32, values: [1, 2])), ("a", Tensor(shape: [1, 2], dtype: .f32, values: [1, 2]))]
        try SafeTensors.write(path: scratch.file("two.safetensors"), tensors: two, metadata: [:])
        #expect(mentions(message("two.safetensors"), "two.safetensors: holds 2 tensors ('a', 'b'); expected exactly one 2-D tensor"))
        try SafeTensors.write(path: scratch.file("zero.safetensors"), tensors: [], metadata: ["k": "v"])
        #expect(mentions(message("zero.safetensors"), "holds 0 tensors; expected exactly one"))
        try SafeTensors.write(path: scratch.file("cube.safetensors"), tensors: [("x", Tensor(shape: [1, 1, 2], dtype: .f32, values: [1, 2]))], metadata: [:])
        #expect(mentions(message("cube.safetensors"), "tensor 'x' has shape [1, 1, 2], expected 2-D [N, D]"))
        scratch.write("points.txt", Array("1 2 3\n".utf8))
        #expect(mentions(message("points.txt"), "points.txt: unknown points format"))
        scratch.write("fake.npy", Array("1 2 3\n".utf8))
        #expect(mentions(message("fake.npy"), "fake.npy: not a .npy file"))
        #expect(mentions(message("missing.npy"), "missing.npy: cannot open"))
    }
}
