import Dispatch
import Slicer

/// Mini-batch training of an MLP in precision T: forward and backward through BLAS, MSE against
/// one-hot targets (mean over all elements, as `nn.MSELoss()`), AdamW. Deterministic for a given seed.
public final class TrainingEngine<T: TrainScalar> {
    public let config: TrainingConfig
    public let layout: ParameterLayout
    public let activation: Activation
    /// Flat parameters in `layout` order.
    public internal(set) var parameters: [T]
    public internal(set) var optimizer: AdamW<T>
    public let train: LabeledData<T>
    /// Rows per batch: the configured batch, at most the training set.
    public let batchSize: Int
    let function: ActivationFunction<T>
    /// Parts the batch is split over: fixed, so that the gradient's summation order, and so the
    /// training run, is the same whatever the threads.
    public var workers = 2
    /// Threads the parts run on.
    public var parallelism = Parallelism.machine
    var partWorkspaces: [Workspace<T>] = []
    var evaluationWorkspaces: [Workspace<T>] = []
    var gradient: [T]
    var epochOrder: (epoch: Int, order: [Int])?

    /// Updates taken so far; checkpoint k holds the parameters after k updates.
    public var step: Int { optimizer.step }

    public init(config: TrainingConfig, train: LabeledData<T>) throws {
        try config.validate()
        guard train.count > 0 else { throw TesseraError.badInput("no training samples") }
        self.config = config
        self.train = train
        activation = try config.parsedActivation()
        function = ActivationFunction(kind: activation)
        let hidden = [Int](repeating: config.width, count: config.depth - 1)
        layout = ParameterLayout(sizes: [train.dimension] + hidden + [train.classes])
        parameters = TrainingEngine.initialParameters(layout: layout, seed: config.seed, scale: config.initScale)
        optimizer = AdamW(parameterCount: layout.count, learningRate: config.learningRate, beta1: config.beta1,
                          beta2: config.beta2, epsilon: config.epsilon, weightDecay: config.weightDecay)
        batchSize = min(config.batch, train.count)
        gradient = [T](repeating: 0, count: layout.count)
    }

    /// PyTorch's `nn.Linear` default: weights and bias U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5),
    /// drawn layer by layer, weights row-major then bias; then every parameter × `scale`.
    public static func initialParameters(layout: ParameterLayout, seed: UInt64, scale: Double) -> [T] {
        var generator = SeededGenerator(seed: seed, stream: 0x494E_4954) // "INIT"
        var values = [T](); values.reserveCapacity(layout.count)
        for l in 0..<layout.layers {
            let bound = 1 / Double(layout.inputs(l)).squareRoot()
            for _ in 0..<(layout.outputs(l) * layout.inputs(l) + layout.outputs(l)) {
                values.append(T(generator.uniform(-bound, bound)) * T(scale))
            }
        }
        return values
    }

    /// Training-set rows of the batch for update `step` (0-based): epochs are seeded shuffles; the last
    /// batch of an epoch is short when the batch does not divide the training set (DataLoader's default).
    public func batchIndices(forStep step: Int) -> [Int] {
        let perEpoch = (train.count + batchSize - 1) / batchSize
        let epoch = step / perEpoch, position = step % perEpoch
        if epochOrder?.epoch != epoch {
            var generator = SeededGenerator(seed: config.seed, stream: UInt64(epoch) &+ 1)
            epochOrder = (epoch, generator.permutation(train.count))
        }
        let order = epochOrder!.order
        return Array(order[position * batchSize..<min(train.count, (position + 1) * batchSize)])
    }

    /// Loss, accuracy and the gradient of the loss with respect to `parameters` on the given training rows.
    public func lossAndGradient(indices: [Int]) -> (loss: Double, accuracy: Double, gradient: [T]) {
        let result = computeGradient(indices)
        return (result.loss, result.accuracy, gradient)
    }

    /// One AdamW update on the next batch; returns that batch's loss and accuracy (before the update).
    @discardableResult
    public func trainStep() -> (loss: Double, accuracy: Double) {
        let result = computeGradient(batchIndices(forStep: step))
        optimizer.update(&parameters, gradient: gradient)
        return result
    }

    /// Fills `gradient`: the rows are split in `workers` contiguous parts, each forwarded and back-propagated
    /// on its own core with single-threaded BLAS; the part gradients are then summed in a fixed order.
    func computeGradient(_ indices: [Int]) -> (loss: Double, accuracy: Double) {
        let rows = indices.count, c = train.classes
        let parts = max(1, min(workers, rows))
        if partWorkspaces.count != parts || partWorkspaces[0].capacity < (rows + parts - 1) / parts {
            let capacity = max((rows + parts - 1) / parts, (batchSize + parts - 1) / parts)
            partWorkspaces = (0..<parts).map { _ in Workspace(layout: layout, capacity: capacity) }
        }
        // Per-part sums, written by the parts at distinct slots (raw memory: no shared array mutation).
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * parts)
        defer { sums.deallocate() }
        // ∂/∂y of mean((y − t)²) over all rows × classes elements of the batch.
        let scale = T(2) / T(rows * c)
        let work = { (part: Int) in
            let range = (part * rows / parts)..<((part + 1) * rows / parts)
            let stats = self.partGradient(Array(indices[range]), scale: scale, space: self.partWorkspaces[part])
            sums[2 * part] = stats.loss * Double(range.count * c)
            sums[2 * part + 1] = stats.accuracy * Double(range.count)
        }
        if parts > 1 {
            parallelism.perform(parts, work)
        } else {
            work(0)
        }
        gradient.withUnsafeMutableBufferPointer { g in
            let first = partWorkspaces[0].gradient
            for i in 0..<g.count { g[i] = first[i] }
            for part in 1..<parts {
                let other = partWorkspaces[part].gradient
                for i in 0..<g.count { g[i] += other[i] }
            }
        }
        let squared = (0..<parts).reduce(0.0) { $0 + sums[2 * $1] }, correct = (0..<parts).reduce(0.0) { $0 + sums[2 * $1 + 1] }
        return (squared / Double(rows * c), correct / Double(rows))
    }

    /// Forward and backward of some batch rows into `space.gradient`; loss and accuracy of those rows.
    func partGradient(_ indices: [Int], scale: T, space: Workspace<T>) -> (loss: Double, accuracy: Double) {
        let rows = indices.count, d = train.dimension, c = train.classes
        var input = [T](repeating: 0, count: rows * d)
        var target = [T](repeating: 0, count: rows * c)
        for (r, index) in indices.enumerated() {
            for i in 0..<d { input[r * d + i] = train.inputs[index * d + i] }
            for i in 0..<c { target[r * c + i] = train.targets[index * c + i] }
        }
        var stats = (loss: 0.0, accuracy: 0.0)
        input.withUnsafeBufferPointer { x in
            parameters.withUnsafeBufferPointer { p in
                let output = space.forward(x.baseAddress!, rows: rows, parameters: p.baseAddress!, activation: function)
                stats = Metrics.lossAndAccuracy(output, target, labels: indices.map { train.labels[$0] }, rows: rows, classes: c)
                for i in 0..<(rows * c) { space.dz[i] = (output[i] - target[i]) * scale }
                space.backward(x.baseAddress!, rows: rows, parameters: p.baseAddress!, activation: function,
                               gradient: space.gradient)
            }
        }
        return stats
    }

    /// MSE (mean over all elements) and accuracy of the current parameters on a data set.
    public func evaluate(_ data: LabeledData<T>) throws -> (loss: Double, accuracy: Double) {
        guard data.dimension == train.dimension, data.classes == train.classes else {
            throw TesseraError.badInput("evaluation data has shape [\(data.dimension)] / \(data.classes) classes, the model [\(train.dimension)] / \(train.classes)")
        }
        guard data.count > 0 else { return (0, 0) }
        let chunk = 500
        let chunks = (data.count + chunk - 1) / chunk
        let parts = max(1, min(workers, chunks))
        if evaluationWorkspaces.count != parts {
            evaluationWorkspaces = (0..<parts).map { _ in Workspace(layout: layout, capacity: chunk) }
        }
        // Per-chunk sums in raw memory, added up in chunk order so the result does not depend on scheduling.
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * chunks)
        defer { sums.deallocate() }
        let d = data.dimension, c = data.classes
        let work = { (part: Int) in
            let space = self.evaluationWorkspaces[part]
            for index in stride(from: part, to: chunks, by: parts) {
                let start = index * chunk, rows = min(chunk, data.count - start)
                data.inputs.withUnsafeBufferPointer { x in
                    self.parameters.withUnsafeBufferPointer { p in
                        let output = space.forward(x.baseAddress! + start * d, rows: rows, parameters: p.baseAddress!, activation: self.function)
                        let stats = Metrics.lossAndAccuracy(output, Array(data.targets[(start * c)..<((start + rows) * c)]),
                                                            labels: Array(data.labels[start..<start + rows]), rows: rows, classes: c)
                        sums[2 * index] = stats.loss * Double(rows * c)
                        sums[2 * index + 1] = stats.accuracy * Double(rows)
                    }
                }
            }
        }
        if parts > 1 {
            parallelism.perform(parts, work)
        } else {
            work(0)
        }
        let squared = (0..<chunks).reduce(0.0) { $0 + sums[2 * $1] }, correct = (0..<chunks).reduce(0.0) { $0 + sums[2 * $1 + 1] }
        return (squared / Double(data.count * c), correct / Double(data.count))
    }

    /// The current parameters as a Slicer network (every value converts to Double exactly).
    public func network() throws -> Network {
        let layers = (0..<layout.layers).map { l in
            DenseLayer(inputs: layout.inputs(l), outputs: layout.outputs(l),
                       weights: parameters[layout.weightOffsets[l]..<layout.biasOffsets[l]].map(Double.init),
                       bias: parameters[layout.biasOffsets[l]..<(layout.biasOffsets[l] + layout.outputs(l))].map(Double.init))
        }
        return try Network(layers: layers, activation: activation)
    }

    /// Continues from saved state: parameters from `network`, AdamW moments and step count.
    public func restore(network: Network, firstMoment: [T], secondMoment: [T], step: Int) throws {
        guard [network.inputDimension] + network.layers.map(\.outputs) == layout.sizes else {
            throw TesseraError.badInput("the checkpoint's layer sizes do not match the run configuration \(layout.sizes)")
        }
        guard firstMoment.count == layout.count, secondMoment.count == layout.count, step >= 0 else {
            throw TesseraError.badInput("the optimizer state does not match the model (\(layout.count) parameters)")
        }
        var values = [T](); values.reserveCapacity(layout.count)
        for layer in network.layers {
            for w in layer.weights + layer.bias {
                // Checkpoints hold T values; anything else would silently change the run.
                guard Double(T(w)) == w else { throw TesseraError.badInput("checkpoint value \(w) is not exact in \(T.dtype.rawValue)") }
                values.append(T(w))
            }
        }
        parameters = values
        optimizer.firstMoment = firstMoment
        optimizer.secondMoment = secondMoment
        optimizer.step = step
    }
}

enum Metrics {
    /// Mean squared error over rows × classes and the fraction of rows whose first argmax is the label.
    static func lossAndAccuracy<T: TrainScalar>(_ output: UnsafePointer<T>, _ target: [T], labels: [Int], rows: Int, classes: Int) -> (loss: Double, accuracy: Double) {
        var squared = 0.0, correct = 0
        for r in 0..<rows {
            var best = 0
            for j in 0..<classes {
                let y = output[r * classes + j]
                let difference = Double(y) - Double(target[r * classes + j])
                squared += difference * difference
                if y > output[r * classes + best] { best = j }
            }
            if best == labels[r] { correct += 1 }
        }
        return (squared / Double(rows * classes), Double(correct) / Double(rows))
    }
}
