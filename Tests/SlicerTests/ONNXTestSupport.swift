// Helpers of the ONNX reader tests: the committed cases made by Fixtures/onnx-cases/make_cases.py.

import Foundation
import Slicer
@testable import Models

/// A file under Fixtures/onnx-cases.
func onnxCase(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/onnx-cases/" + name).path
}

/// The model read from `<name>.onnx`.
func onnxModel(_ name: String) throws -> GraphModel {
    try ONNXModel.load(path: onnxCase(name + ".onnx"))
}

/// make_cases.py's arange: (i mod 9)·scale + offset, as float32.
func caseRange(_ count: Int, scale: Double = 0.25, offset: Double = -1) -> [Double] {
    (0..<count).map { Double(Float(Double($0 % 9) * scale + offset)) }
}

extension GraphNode {
    var dense: DenseLayer? { if case .dense(let layer) = op { return layer } else { return nil } }
    var conv: Conv2D? { if case .conv(let conv) = op { return conv } else { return nil } }
}
