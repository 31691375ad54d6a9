import Testing
import Foundation
import Slicer
@testable import Trainer

@Suite(.timeLimit(.minutes(20))) struct TrainerTests {
    func smallConfig(seed: UInt64 = 1, depth: Int = 3, width: Int = 16) -> TrainingConfig {
        var config = TrainingConfig()
        config.depth = depth; config.width = width; config.batch = 20; config.steps = 200
        config.learningRate = 1e-2; config.seed = seed
        return config
    }

    func engine<T: TrainScalar>(_: T.Type, _ config: TrainingConfig, count: Int = 60) throws -> TrainingEngine<T> {
        let data = SyntheticData.clusters(count: count, dimension: 8, classes: 3, seed: 7)
        return try TrainingEngine<T>(config: config, train: LabeledData(data, indices: Array(0..<count), classes: 3))
    }

    @Test func shortRunLowersTrainingLoss() throws {
        let trainer = try engine(Float.self, smallConfig())
        let before = try trainer.evaluate(trainer.train)
        for _ in 0..<200 { trainer.trainStep() }
        let after = try trainer.evaluate(trainer.train)
        #expect(after.loss < 0.5 * before.loss)
        #expect(after.accuracy == 1)
    }

    @Test func sameSeedGivesBitIdenticalParameters() throws {
        let a = try engine(Float.self, smallConfig(seed: 5)), b = try engine(Float.self, smallConfig(seed: 5))
        let c = try engine(Float.self, smallConfig(seed: 6))
        for _ in 0..<50 { a.trainStep(); b.trainStep(); c.trainStep() }
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
        #expect(a.parameters.map(\.bitPattern) != c.parameters.map(\.bitPattern))
    }

    @Test func initialisationFollowsPyTorchBoundsAndScale() throws {
        let layout = ParameterLayout(sizes: [9, 16, 4])
        let plain = TrainingEngine<Double>.initialParameters(layout: layout, seed: 3, scale: 1)
        let scaled = TrainingEngine<Double>.initialParameters(layout: layout, seed: 3, scale: 8)
        #expect(scaled == plain.map { $0 * 8 })
        for l in 0..<layout.layers {
            let bound = 1 / Double(layout.inputs(l)).squareRoot()
            let end = layout.biasOffsets[l] + layout.outputs(l)
            let values = plain[layout.weightOffsets[l]..<end]
            #expect(values.allSatisfy { abs($0) <= bound })
            // Uniform draws use most of the interval.
            #expect(values.map { abs($0) }.max()! > 0.8 * bound)
        }
    }

    @Test func everyEpochVisitsEverySampleOnce() throws {
        let trainer = try engine(Double.self, smallConfig(), count: 50)   // batch 20: batches of 20, 20, 10
        for epoch in 0..<3 {
            let batches = (0..<3).map { trainer.batchIndices(forStep: epoch * 3 + $0) }
            #expect(batches.map(\.count) == [20, 20, 10])
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<50))
        }
        #expect(trainer.batchIndices(forStep: 0) != trainer.batchIndices(forStep: 3))
    }

    @Test func logSpacedScheduleHasEveryEarlyStepAndTwentyPerDecade() {
        let steps = CheckpointSchedule.logSpaced(perDecade: 20, finalStep: 100_000)
        #expect(Array(steps.prefix(11)) == Array(0...10))
        #expect(steps.last == 100_000)
        #expect(zip(steps, steps.dropFirst()).allSatisfy { $0 < $1 })
        for decade in [10, 100, 1000, 10_000] {
            #expect(steps.filter { $0 >= decade && $0 < decade * 10 }.count == 20)
        }
        #expect(CheckpointSchedule.logSpaced(perDecade: 5, finalStep: 37) == Array(0...10) + [16, 25, 37])
        #expect(CheckpointSchedule.logSpaced(perDecade: 20, finalStep: 0) == [0])
    }

    @Test func explicitScheduleIsTheListPlusTheFinalStep() throws {
        var config = smallConfig()
        config.steps = 500
        config.checkpointSteps = [100, 0, 7, 100]
        try config.validate()
        #expect(config.schedule == [0, 7, 100, 500])
        config.checkpointSteps = [501]
        #expect(throws: TesseraError.self) { try config.validate() }
    }

    /// Linear model (depth 1): the gradient and two AdamW updates computed by hand in textbook form.
    @Test func adamWMatchesHandComputedUpdates() throws {
        var config = TrainingConfig()
        config.depth = 1; config.batch = 2; config.seed = 9
        config.learningRate = 0.1; config.weightDecay = 0.5
        let data = Dataset(images: [0.25, 0.5, 1.0, 0.75], labels: [0, 1], count: 2, rows: 1, columns: 2)
        let trainer = try TrainingEngine<Double>(config: config, train: LabeledData(data, indices: [0, 1], classes: 2))
        var p = trainer.parameters  // W00 W01 W10 W11 b0 b1
        var m = [Double](repeating: 0, count: 6), v = m
        let x = [[0.25, 0.5], [1.0, 0.75]], t = [[1.0, 0.0], [0.0, 1.0]]
        for step in 1...2 {
            var g = [Double](repeating: 0, count: 6)
            for r in 0..<2 {
                for i in 0..<2 {
                    let y = p[2 * i] * x[r][0] + p[2 * i + 1] * x[r][1] + p[4 + i]
                    let dy = 2 * (y - t[r][i]) / 4
                    g[2 * i] += dy * x[r][0]; g[2 * i + 1] += dy * x[r][1]; g[4 + i] += dy
                }
            }
            for k in 0..<6 {
                m[k] = 0.9 * m[k] + 0.1 * g[k]
                v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k]
                let mHat: Double = m[k] / (1 - pow(0.9, Double(step)))
                let vHat: Double = v[k] / (1 - pow(0.999, Double(step)))
                let decayed: Double = p[k] * (1 - 0.1 * 0.5)
                p[k] = decayed - 0.1 * mHat / (vHat.squareRoot() + 1e-8)
            }
            trainer.trainStep()
            for k in 0..<6 { #expect(abs(trainer.parameters[k] - p[k]) <= 1e-12 * max(1, abs(p[k]))) }
        }
        #expect(trainer.step == 2)
    }

    @Test(arguments: ["relu", "leaky_relu:0.1", "gelu", "abs"])
    func gradientMatchesFiniteDifferences(activation: String) throws {
        var config = smallConfig(depth: 3, width: 5)
        config.activation = activation
        let trainer = try engine(Double.self, config, count: 12)
        let rows = Array(0..<12)
        let analytic = trainer.lossAndGradient(indices: rows).gradient
        let h = 1e-6
        for k in stride(from: 0, to: trainer.layout.count, by: 7) {
            let saved = trainer.parameters[k]
            trainer.parameters[k] = saved + h
            let up = trainer.lossAndGradient(indices: rows).loss
            trainer.parameters[k] = saved - h
            let down = trainer.lossAndGradient(indices: rows).loss
            trainer.parameters[k] = saved
            #expect(abs((up - down) / (2 * h) - analytic[k]) <= 1e-6 + 1e-4 * abs(analytic[k]))
        }
    }

    @Test func networkExportAndRestoreRoundTrip() throws {
        let a = try engine(Float.self, smallConfig(seed: 2))
        for _ in 0..<5 { a.trainStep() }
        let b = try engine(Float.self, smallConfig(seed: 2))
        try b.restore(network: a.network(), firstMoment: a.optimizer.firstMoment, secondMoment: a.optimizer.secondMoment, step: a.step)
        for _ in 0..<5 { a.trainStep(); b.trainStep() }
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
        let network = try a.network()
        #expect(network.layers.map(\.outputs) == [16, 16, 3])
        #expect(network.layers[0].weights.map { Float($0) } == Array(a.parameters[0..<128]))
    }

    @Test func badConfigurationsAreRejected() throws {
        for change in [{ (c: inout TrainingConfig) in c.depth = 0 }, { $0.activation = "swish" }, { $0.batch = 0 },
                       { $0.dtype = "f16" }, { $0.learningRate = .nan }, { $0.trainSubset = "odd" }] {
            var config = smallConfig()
            change(&config)
            #expect(throws: TesseraError.self) { try config.validate() }
        }
        let data = Dataset(images: [0, 1], labels: [0, 5], count: 2, rows: 1, columns: 1)
        #expect(throws: TesseraError.self) { try LabeledData<Float>(data, indices: [0, 1], classes: 3) }
    }
}
