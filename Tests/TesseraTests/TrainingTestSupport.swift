// Helpers shared by the training tests.

import Foundation
@testable import Trainer

/// A training configuration small enough for tests: a 3-deep, 8-wide MLP on 40 samples.
func smallTrainingConfig(steps: Int) -> TrainingConfig {
    var config = TrainingConfig()
    config.depth = 3; config.width = 8; config.batch = 10; config.trainSize = 40; config.steps = steps
    config.checkpointsPerDecade = 5; config.learningRate = 1e-2; config.seed = 4
    return config
}

/// A fresh path for a run directory (not created).
func temporaryRunPath() -> String { NSTemporaryDirectory() + "tessera-run-\(UUID().uuidString)" }
