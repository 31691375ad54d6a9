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
    public static func lcSeconds(sizes: [Int], samples: Int, directions: Int, radii: [Double], seed: UInt64) throws -> (seconds: Double, mean: Double) {
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
        let estimator = try LCEstimator(network: network, directions: frame, radii: radii)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try estimator.estimate(samples: points)
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result[0].mean)
    }
}
