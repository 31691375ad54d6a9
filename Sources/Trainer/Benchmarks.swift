import Dispatch
import Slicer

/// Timing workloads on seeded synthetic data, usable before any data is at hand.
public enum Benchmarks {
    /// Uniform [0,1] images of `dimension` pixels with labels i mod `classes`.
    public static func syntheticDataset(count: Int, dimension: Int, classes: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed, stream: 0x4245_4E43) // "BENC"
        let images = (0..<(count * dimension)).map { _ in generator.nextUnit() }
        return Dataset(images: images, labels: (0..<count).map { $0 % classes }, count: count, rows: 1, columns: dimension)
    }

    /// Steps per second of `config` on synthetic 784-pixel, 10-class data (config.trainSize samples,
    /// config.steps steps, no checkpoints).
    public static func trainerStepsPerSecond(config: TrainingConfig, dimension: Int = 784, classes: Int = 10) throws -> Double {
        let data = syntheticDataset(count: config.trainSize, dimension: dimension, classes: classes, seed: config.seed)
        let engine: (Int) -> Void
        if config.dtype == "f64" {
            let e = try TrainingEngine<Double>(config: config, train: LabeledData(data, indices: Array(0..<data.count), classes: classes))
            engine = { for _ in 0..<$0 { e.trainStep() } }
        } else {
            let e = try TrainingEngine<Float>(config: config, train: LabeledData(data, indices: Array(0..<data.count), classes: classes))
            engine = { for _ in 0..<$0 { e.trainStep() } }
        }
        engine(min(10, config.steps))   // warm-up: thread pool, caches
        let start = DispatchTime.now().uptimeNanoseconds
        engine(config.steps)
        return Double(config.steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Seconds for one LC estimate of `samples` uniform points with a PyTorch-initialised MLP of `sizes`.
    public static func lcSeconds(sizes: [Int], samples: Int, directions: Int, radii: [Double], seed: UInt64,
                                 precision: Precision) throws -> (seconds: Double, mean: Double) {
        let layout = ParameterLayout(sizes: sizes)
        let values = TrainingEngine<Double>.initialParameters(layout: layout, seed: seed, scale: 1)
        let layers = (0..<layout.layers).map { l in
            DenseLayer(inputs: layout.inputs(l), outputs: layout.outputs(l),
                       weights: Array(values[layout.weightOffsets[l]..<layout.biasOffsets[l]]),
                       bias: Array(values[layout.biasOffsets[l]..<(layout.biasOffsets[l] + layout.outputs(l))]))
        }
        let network = try Network(layers: layers, activation: .relu)
        let points = try LCSampleSet.make(splits: ["random"], limit: samples, dataDirectory: nil, run: nil, dimension: sizes[0], seed: seed)[0].points
        let frame = try LCDirections.random(count: directions, dimension: sizes[0], seed: seed)
        let estimator = try LCEstimator(network: network, directions: frame, radii: radii, precision: precision)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try estimator.estimate(samples: points)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result[0].mean)
    }

    /// The paper's CNN at Fashion-MNIST size: input 1×28×28, `depth` × [Conv 3×3, `channels` channels,
    /// padding 1 → ReLU], Flatten, Linear → 10; He-initialised weights, biases N(0, 0.1²), float32-valued,
    /// seeded.
    public static func paperCNN(depth: Int = 4, channels: Int = 32, seed: UInt64) -> GraphModel {
        var random = SeededGenerator(seed: seed, stream: 0x434E_4E) // "CNN"
        func values(_ count: Int, std: Double) -> [Double] { (0..<count).map { _ in Double(Float(random.gaussian() * std)) } }
        var model = GraphModel(inputName: "input", inputShape: [1, 28, 28], nodes: [], outputValue: 0)
        var inChannels = 1
        for layer in 1...depth {
            let conv = Conv2D(inChannels: inChannels, outChannels: channels, kernelH: 3, kernelW: 3, pads: [1, 1, 1, 1],
                              weights: values(channels * inChannels * 9, std: (2 / Double(inChannels * 9)).squareRoot()),
                              bias: values(channels, std: 0.1))
            model.nodes.append(GraphNode(name: "conv\(layer)", opType: "Conv", op: .conv(conv), inputs: [model.nodes.count],
                                         shape: [channels, 28, 28]))
            model.nodes.append(GraphNode(name: "relu\(layer)", opType: "Relu", op: .activation(.relu), inputs: [model.nodes.count],
                                         shape: [channels, 28, 28]))
            inChannels = channels
        }
        let features = channels * 28 * 28
        model.nodes.append(GraphNode(name: "flatten", opType: "Flatten", op: .reshape, inputs: [model.nodes.count], shape: [features]))
        let linear = DenseLayer(inputs: features, outputs: 10, weights: values(10 * features, std: (2 / Double(features)).squareRoot()),
                                bias: values(10, std: 0.1))
        model.nodes.append(GraphNode(name: "fc", opType: "Gemm", op: .dense(linear), inputs: [model.nodes.count], shape: [10]))
        model.outputValue = model.nodes.count
        return model
    }

    /// Seconds for one LC estimate of `samples` uniform points in [0,1]^D on `model`.
    public static func lcSeconds(model: GraphModel, samples: Int, directions: Int, radii: [Double], seed: UInt64,
                                 precision: Precision) throws -> (seconds: Double, mean: Double) {
        let points = try LCSampleSet.make(splits: ["random"], limit: samples, dataDirectory: nil, trainIndices: nil,
                                          dimension: model.inputDimension, seed: seed)[0].points
        let frame = try LCDirections.random(count: directions, dimension: model.inputDimension, seed: seed)
        let estimator = try LCEstimator(model: model, directions: frame, radii: radii, precision: precision)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try estimator.estimate(samples: points)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result[0].mean)
    }
}
