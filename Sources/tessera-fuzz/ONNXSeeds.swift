// Seeds of the `onnx` fuzz target: models written in-process (an MLP, a CNN with every affine and
// piecewise operation) and the committed ONNX test cases when run from the repository.

import Foundation
import Slicer

extension FuzzTarget {
    func onnxSeeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for (index, widths) in [[4, 3, 2], [2, 5, 5, 3]].enumerated() {
            let (network, _) = try standardWorkload(widths: widths, seed: UInt64(index))
            seeds.append(try ONNXModel.encode(GraphModel(network: network)))
        }
        seeds.append(try ONNXModel.encode(smallCNN()))
        // Real exports (TorchScript and dynamo shape sub-graphs) and the hand-built operator cases.
        let directory = "Tests/SlicerTests/Fixtures/onnx-cases"
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names.sorted() where name.hasSuffix(".onnx") && !name.hasPrefix("bad-") {
                if let data = FileManager.default.contents(atPath: directory + "/" + name), data.count < 65536 {
                    seeds.append([UInt8](data))
                }
            }
        }
        return seeds
    }

    /// Conv, batch norm, ReLU, max pool, average pool, a residual sum, PReLU, flatten, dense.
    private func smallCNN() -> GraphModel {
        let conv = Conv2D(inChannels: 1, outChannels: 2, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                          weights: (0..<18).map { Double($0 % 5) - 2 }, bias: [0.5, -0.25])
        let pool = Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2)
        let dense = DenseLayer(inputs: 8, outputs: 3, weights: (0..<24).map { Double($0 % 7) / 4 - 0.75 }, bias: [0, 1, -1])
        let nodes = [
            GraphNode(name: "conv", opType: "Conv", op: .conv(conv), inputs: [0], shape: [2, 4, 4]),
            GraphNode(name: "bn", opType: "BatchNormalization", op: .channelAffine(scale: [2, 0.5], shift: [0, 1]), inputs: [1], shape: [2, 4, 4]),
            GraphNode(name: "relu", opType: "Relu", op: .activation(.relu), inputs: [2], shape: [2, 4, 4]),
            GraphNode(name: "sum", opType: "Add", op: .add, inputs: [3, 1], shape: [2, 4, 4]),
            GraphNode(name: "max", opType: "MaxPool", op: .maxPool(pool), inputs: [4], shape: [2, 2, 2]),
            GraphNode(name: "avg", opType: "AveragePool", op: .averagePool(Pool2D(kernelH: 1, kernelW: 1, strideH: 1, strideW: 1), countIncludePad: true), inputs: [5], shape: [2, 2, 2]),
            GraphNode(name: "flat", opType: "Reshape", op: .reshape, inputs: [6], shape: [8]),
            GraphNode(name: "prelu", opType: "PRelu", op: .activation(.leakyReLU(alpha: 0.25)), inputs: [7], shape: [8]),
            GraphNode(name: "fc", opType: "Gemm", op: .dense(dense), inputs: [8], shape: [3]),
        ]
        return GraphModel(inputName: "x", inputShape: [1, 4, 4], nodes: nodes, outputValue: nodes.count)
    }
}
