import Foundation
import Slicer
import Testing
@testable import Engine
@testable import Models

/// Each operator's converter on hand-built ONNX files: attributes, parameters, shapes.
@Suite(.timeLimit(.minutes(20))) struct ONNXOperatorTests {
    @Test func gemmAppliesAlphaBetaAndTransposes() throws {
        let model = try onnxModel("gemm-alpha-beta")
        #expect(model.nodes.count == 1)
        let layer = try #require(model.nodes[0].dense)
        let b = caseRange(12)  // B is [K = 4, M = 3]
        #expect(layer.inputs == 4 && layer.outputs == 3)
        let expected: [Double] = (0..<3).flatMap { out in (0..<4).map { k in 2 * b[k * 3 + out] } }
        #expect(layer.weights == expected)
        #expect(layer.bias == [0.5, 1, 1.5])
        let transB = try #require(try onnxModel("gemm-transb").nodes.first?.dense)
        #expect(transB.weights == caseRange(12))
        #expect(transB.bias == [0.5, 0.5, 0.5])
    }

    @Test func matMulThenAddOfABiasIsOneDenseLayer() throws {
        let model = try onnxModel("matmul-add")
        #expect(model.nodes.count == 1)
        let layer = try #require(model.nodes[0].dense)
        let w = caseRange(12)
        let expected: [Double] = (0..<3).flatMap { out in (0..<4).map { k in w[k * 3 + out] } }
        #expect(layer.weights == expected)
        #expect(layer.bias == [0.25, 0.75, 1.25])
        #expect(model.chainNetwork?.layers == [layer])
        // When the MatMul's output is also read elsewhere, the bias stays a separate addition.
        let shared = try onnxModel("matmul-add-shared")
        #expect(shared.nodes.map(\.opType) == ["MatMul", "Add", "Add"])
        #expect(shared.nodes[0].dense?.bias == [0, 0, 0])
        #expect(shared.nodes[1].op == .addConstant([0.25, 0.75, 1.25]))
        #expect(shared.nodes[2].op == .add && shared.nodes[2].inputs == [2, 1])
        #expect(shared.chainNetwork == nil)
    }

    @Test func convReadsStridesPadsDilationsAndGroups() throws {
        let model = try onnxModel("conv-attributes")
        let conv = try #require(model.nodes.first?.conv)
        #expect(conv == Conv2D(inChannels: 2, outChannels: 4, kernelH: 2, kernelW: 3, strideH: 2, strideW: 1, pads: [1, 0, 2, 1],
                               dilationH: 2, dilationW: 1, groups: 2, weights: caseRange(24), bias: [0, 0, 0, 0]))
        #expect(model.nodes[0].shape == [4, 3, 4])
    }

    @Test func convAutoPadPutsTheOddUnitWhereTheModeSays() throws {
        for (name, pads, shape) in [("conv-same-upper", [0, 0, 1, 1], [3, 3, 3]), ("conv-same-lower", [1, 1, 0, 0], [3, 3, 3]),
                                    ("conv-valid", [0, 0, 0, 0], [3, 2, 2])] {
            let model = try onnxModel(name)
            let conv = try #require(model.nodes.first?.conv)
            #expect(conv.pads == pads, "\(name)")
            #expect(model.nodes[0].shape == shape, "\(name)")
            #expect(conv.bias == caseRange(3))
        }
    }

    @Test func addOfAChannelBiasFoldsIntoTheConvolution() throws {
        let model = try onnxModel("conv-add-bias")
        #expect(model.nodes.count == 1)
        #expect(model.nodes[0].conv?.bias == [0.5, 1.5, 2.5])
        #expect(model.nodes[0].shape == [3, 3, 3])
    }

    @Test func batchNormFoldsScaleAndShiftInFloat64() throws {
        let model = try onnxModel("batchnorm")
        let epsilon = Double(Float(1e-3))
        let gamma = [1.5, -0.5], beta = [0.25, 1.0], mean = [Double(Float(0.1)), -2], variance = [2, Double(Float(0.3))]
        let scale = (0..<2).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
        let shift = (0..<2).map { beta[$0] - scale[$0] * mean[$0] }
        #expect(model.nodes.map(\.op) == [.channelAffine(scale: scale, shift: shift)])
        #expect(model.hasBatchNormScale)
        #expect(mentions(errorMessage { _ = try onnxModel("batchnorm-training") }, "node 'y' (BatchNormalization)", "training_mode"))
    }

    @Test func poolsReadCeilModePaddingAndCountIncludePad() throws {
        let average = try onnxModel("averagepool")
        #expect(average.nodes[0].op == .averagePool(Pool2D(kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, pads: [1, 1, 1, 1], ceilMode: true),
                                                    countIncludePad: true))
        #expect(average.nodes[0].shape == [2, 3, 3])
        let exclude = try onnxModel("averagepool-exclude-pad")
        #expect(exclude.nodes[0].op == .averagePool(Pool2D(kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, pads: [1, 1, 0, 0]),
                                                    countIncludePad: false))
        let max = try onnxModel("maxpool")
        #expect(max.nodes[0].op == .maxPool(Pool2D(kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, dilationH: 2, dilationW: 2, ceilMode: true)))
        #expect(max.nodes[0].shape == [2, 2, 2])
        let overlapping = try onnxModel("maxpool-overlapping")
        #expect(overlapping.nodes[0].op == .maxPool(Pool2D(kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, pads: [1, 1, 1, 1])))
        #expect(mentions(errorMessage { _ = try onnxModel("maxpool-indices") }, "node 'y' (MaxPool)", "Indices"))
        let reduced = try onnxModel("reducemean-spatial")
        #expect(reduced.nodes.map(\.op) == [.globalAveragePool, .globalAveragePool, .reshape, .reshape, .add])
        #expect(reduced.nodes.map(\.shape) == [[2, 1, 1], [2, 1, 1], [2], [2], [2]])
        let global = try onnxModel("globalaveragepool")
        #expect(global.nodes.map(\.op) == [.globalAveragePool, .reshape])
        #expect(global.nodes.map(\.shape) == [[2, 1, 1], [2]])
    }

    @Test func relabellingsKeepTheBatchAndResolveZeroAndMinusOne() throws {
        #expect(try onnxModel("flatten").nodes.map(\.shape) == [[50]])
        #expect(try onnxModel("reshape-copy-infer").nodes.map(\.shape) == [[2, 25]])
        #expect(try onnxModel("fixed-batch").nodes.map(\.shape) == [[50]])
        let passThrough = try onnxModel("identity-dropout-constant")
        #expect(passThrough.nodes.map(\.opType) == ["Identity", "Dropout", "Add"])
        #expect(passThrough.nodes.map(\.op) == [.reshape, .reshape, .addConstant([1, 2, 3, 4])])
        #expect(mentions(errorMessage { _ = try onnxModel("bad-flatten-axis2") }, "node 'y' (Flatten)", "batch"))
    }

    @Test func exportersShapeSubgraphsFoldToAConstantReshape() throws {
        for name in ["shape-subgraph-torchscript", "shape-subgraph-dynamo"] {
            let model = try onnxModel(name)
            #expect(model.nodes.map(\.op) == [.reshape], "\(name)")
            #expect(model.nodes.map(\.shape) == [[50]], "\(name)")
        }
        let message = errorMessage { _ = try onnxModel("bad-dynamic-shape") }
        #expect(mentions(message, "node 'twice' (Mul)", "dynamic shape"))
    }

    @Test func inputNormalisationBecomesPerChannelAffineMaps() throws {
        let model = try onnxModel("normalize-input")
        let minusMean = [Double](repeating: -0.5, count: 25) + [Double](repeating: 1, count: 25)
        #expect(model.nodes.map(\.op) == [.addConstant(minusMean), .channelAffine(scale: [2, 4], shift: [0, 0]),
                                          .channelAffine(scale: [2, 2], shift: [0, 0])])
        #expect(mentions(errorMessage { _ = try onnxModel("bad-scale-inside-channel") }, "node 'y' (Mul)", "varies inside a channel"))
    }

    @Test func activationsMapToTheirCases() throws {
        let model = try onnxModel("activations")
        #expect(model.nodes.map(\.op) == [.activation(.relu), .activation(.leakyReLU(alpha: 0.125)),
                                          .activation(.leakyReLU(alpha: 0.375)), .activation(.abs)])
        #expect(model.nodes.map(\.opType) == ["Relu", "LeakyRelu", "PRelu", "Abs"])
        #expect(try onnxModel("prelu-equal-channels").nodes.map(\.op) == [.activation(.leakyReLU(alpha: 0.25))])
        #expect(mentions(errorMessage { _ = try onnxModel("bad-prelu-channels") }, "node 'y' (PRelu)", "2 different slopes"))
        let smooth = try onnxModel("smooth-activations")
        // The second Sigmoid only feeds x·sigmoid(x), which becomes one SiLU node.
        #expect(smooth.nodes.map(\.op) == [.activation(.sigmoid), .activation(.tanh), .activation(.gelu),
                                           .activation(.geluTanh), .activation(.silu)])
        #expect(smooth.nodes.allSatisfy { if case .activation(let a) = $0.op { return !a.isPiecewiseAffine } else { return false } })
        #expect(smooth.chainNetwork == nil)
    }

    @Test func theErfFormOfGELUBecomesOneGELUNode() throws {
        let dynamo = try onnxModel("gelu-erf-dynamo")
        #expect(dynamo.nodes.map(\.op) == [.activation(.gelu)])
        #expect(dynamo.nodes.map(\.opType) == ["Gelu"])
        let exported = try onnxModel("torch-gelu-torchscript")
        #expect(exported.nodes.map(\.opType) == ["Gemm", "Gelu", "Gemm"])
        #expect(exported.nodes[1].op == .activation(.gelu) && exported.nodes[1].inputs == [1] && exported.nodes[2].inputs == [2])
        #expect(exported.chainNetwork == nil)
        #expect(mentions(errorMessage { _ = try onnxModel("bad-erf-alone") }, "node 'erf' (Erf)", "only inside GELU"))
    }

    @Test func aTrailingSoftmaxIsDroppedAndAnInnerOneRefused() throws {
        let details = try ONNXModel.details(path: onnxCase("softmax-trailing.onnx"))
        #expect(details.model.nodes.map(\.opType) == ["Gemm"])
        #expect(details.model.outputValue == 1)
        #expect(details.notes.contains { $0.contains("LogSoftmax") })
        #expect(mentions(errorMessage { _ = try onnxModel("bad-softmax-inside") }, "node 's' (Softmax)", "only a softmax at the output"))
    }

    @Test func everyInitializerDtypeAndFieldFormReadsTheSameExactValues() throws {
        let expected = caseRange(12, scale: 0.375, offset: -1.5)
        for name in ["f32", "f16", "f64", "bf16"] {
            for form in ["raw", "typed"] {
                let layer = try #require(try onnxModel("dtype-\(name)-\(form)").nodes.first?.dense, "\(name)-\(form)")
                #expect(layer.weights == expected, "\(name)-\(form)")
            }
        }
    }

    @Test func externalDataIsReadFromBesideTheModel() throws {
        let layer = try #require(try onnxModel("external-data").nodes.first?.dense)
        #expect(layer.weights == caseRange(12))
        // The same graph named as if it lived elsewhere: its data file is not beside it.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: onnxCase("external-data.onnx"))))
        let message = errorMessage { _ = try ONNXModel.decode(bytes, path: "/nonexistent/model.onnx") }
        #expect(mentions(message, "/nonexistent/model.onnx: initializer 'W'", "'external-data.onnx.data', which cannot be opened"))
    }

    @Test func inferredShapesAreCheckedAgainstValueInfo() throws {
        let message = errorMessage { _ = try onnxModel("bad-value-info") }
        #expect(mentions(message, "node 'r' (Relu)", "inferred shape [N, 4]", "[?, 5]"))
    }
}
