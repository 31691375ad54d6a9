import ForwardKernels
import Models

/// Per activation layer of `model` (topological order), the units whose input's sign class (+, −, 0)
/// is not the same at every vertex: the paper's estimator on an explicit vertex set (the corners of an
/// exact slice's domain), with `LCEstimator`'s counting rule.
public func signChangeCounts(model: GraphModel, vertices: [[Double]]) throws -> [Int] {
    let layers = LCLayer.layers(of: model, includeOutput: false, maxPoolWindows: false)
    guard !vertices.isEmpty else { return Array(repeating: 0, count: layers.count) }
    var forward = try GraphForward(model: model)
    forward.parallelism = .serial
    for (index, vertex) in vertices.enumerated() where vertex.count != model.inputDimension {
        throw TesseraError.badInput("vertex \(index) has dimension \(vertex.count), the network takes \(model.inputDimension)")
    }
    let observed = Set(layers.map(\.value))
    let plan = ForwardPlan(model: model, steps: forward.steps, needed: observed, given: [0], observed: observed)
    var counts = [Int](repeating: 0, count: layers.count)
    var scratch: [Double] = []
    let workspace = SignWorkspace<Double>()
    counts.withUnsafeMutableBufferPointer { out in
        _ = forward.evaluate(plan, rows: vertices.count, given: [0: vertices.flatMap { $0 }], scratch: &scratch) { value, z in
            for (i, layer) in layers.enumerated() where layer.value == value {
                LCCounting.signChanges(z, units: layer.units, samples: 1, vertexCount: vertices.count,
                                       into: out.baseAddress! + i, stride: 1, workspace: workspace)
            }
        }
    }
    return counts
}
