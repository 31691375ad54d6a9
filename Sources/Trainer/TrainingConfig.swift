import Slicer

/// Everything that determines a training run (the defaults are the paper's MNIST setting).
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Number of Linear layers (depth 4 = three hidden layers).
    public var depth = 4
    public var width = 200
    /// `relu`, `leaky_relu[:alpha]`, `gelu` or `abs`.
    public var activation = "relu"
    /// Training samples used.
    public var trainSize = 1000
    /// `first`: the first trainSize samples of the train split; `random`: a seeded subset (sorted indices).
    public var trainSubset = "first"
    /// Test samples evaluated at each checkpoint (the first ones); nil = the whole test split.
    public var testSize: Int? = nil
    /// Optimizer steps (one batch each).
    public var steps = 100_000
    public var batch = 200
    public var learningRate = 1e-3
    public var weightDecay = 0.01
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8
    /// Every parameter is multiplied by this after PyTorch's default initialisation (8 induces grokking).
    public var initScale = 1.0
    public var seed: UInt64 = 0
    /// Training (and checkpoint) precision: `f32` or `f64`.
    public var dtype = "f32"
    /// Log-spaced checkpoints per decade after the first ten steps.
    public var checkpointsPerDecade = 20
    /// Explicit checkpoint steps (overrides `checkpointsPerDecade`; the final step is always added).
    public var checkpointSteps: [Int]? = nil

    public init() {}

    /// The parsed activation.
    public func parsedActivation() throws -> Activation { try Activation(parsing: activation) }

    /// Throws `badInput` for any value the trainer cannot run with.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw TesseraError.badInput(message) } }
        try check(depth >= 1 && depth <= 64, "--depth must be between 1 and 64, got \(depth)")
        try check(width >= 1 && width <= 1_000_000, "--width must be between 1 and 1000000, got \(width)")
        _ = try parsedActivation()
        try check(trainSize >= 1, "--train-size must be at least 1, got \(trainSize)")
        try check(["first", "random"].contains(trainSubset), "--train-subset must be first or random, got \(trainSubset)")
        try check(testSize.map { $0 >= 0 } ?? true, "--test-size must be non-negative")
        try check(steps >= 0, "--steps must be non-negative, got \(steps)")
        try check(batch >= 1, "--batch must be at least 1, got \(batch)")
        try check(learningRate.isFinite && learningRate > 0, "--lr must be positive and finite")
        try check(weightDecay.isFinite && weightDecay >= 0, "--weight-decay must be non-negative and finite")
        try check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam betas must be in [0, 1)")
        try check(epsilon.isFinite && epsilon > 0, "Adam epsilon must be positive")
        try check(initScale.isFinite, "--init-scale must be finite")
        try check(["f32", "f64"].contains(dtype), "--dtype must be f32 or f64, got \(dtype)")
        try check(checkpointsPerDecade >= 1 && checkpointsPerDecade <= 10_000, "--checkpoints-per-decade must be between 1 and 10000")
        if let list = checkpointSteps {
            try check(list.allSatisfy { $0 >= 0 && $0 <= steps }, "--checkpoint-steps must lie in 0...\(steps)")
        }
    }

    /// The checkpoint steps this configuration asks for.
    public var schedule: [Int] {
        if let list = checkpointSteps { return CheckpointSchedule.explicit(list, finalStep: steps) }
        return CheckpointSchedule.logSpaced(perDecade: checkpointsPerDecade, finalStep: steps)
    }
}
