import Dispatch

/// The batched forward pass through a graph model in float64 or float32 (`Scalar`): dense layers and
/// convolutions through OpenBLAS, the batch split over the cores (single-threaded BLAS inside each
/// worker) and cut into chunks so that memory stays bounded. Returns the logits or any node's values.
public struct GraphForward<Scalar: ForwardScalar>: Sendable {
    public let model: GraphModel
    package private(set) var steps: [ForwardStep<Scalar>]
    /// Threads the work is shared out to (chunks of samples or rows, each on one thread).
    public var parallelism = Parallelism.machine
    /// Bytes of values one worker may hold at once (bounds the rows per chunk).
    public var memoryBudget = 128 << 20

    /// Checks every node (parameters against shapes, finite values in `Scalar`); a malformed node is one error.
    public init(model: GraphModel, scalar: Scalar.Type) throws {
        guard !model.inputShape.isEmpty, model.inputShape.allSatisfy({ $0 > 0 }) else {
            throw TesseraError.badInput("the model input '\(model.inputName)' has shape \(model.inputShape)")
        }
        guard model.outputValue >= 0 && model.outputValue <= model.nodes.count else {
            throw TesseraError.badInput("the model output is value \(model.outputValue) of \(model.nodes.count)")
        }
        steps = try model.nodes.indices.map { try ForwardStep(node: $0, of: model) }
        self.model = model
    }

    /// The forward pass of the linear part of the model: every bias, shift and added constant removed.
    /// On the affine nodes it maps a direction v to the change of their values along v.
    package var linearPart: GraphForward {
        var copy = self
        copy.steps = steps.map(\.linearPart)
        return copy
    }

    /// The value a node is known by: its name, the input's name (value 0), or its 1-based position in
    /// topological order (node i produces value i).
    public func value(named name: String) throws -> Int {
        if let index = model.nodes.firstIndex(where: { $0.name == name }) { return index + 1 }
        if name == model.inputName { return 0 }
        if let index = Int(name), index >= 1, index <= model.nodes.count { return index }
        let known = model.nodes.prefix(8).map(\.name).joined(separator: ", ")
        throw TesseraError.badInput("the model has no node '\(name)' (nodes: \(known)\(model.nodes.count > 8 ? ", ..." : ""); or 1 to \(model.nodes.count))")
    }

    /// Values per sample of value `v`.
    public func size(ofValue v: Int) -> Int { model.shape(ofValue: v).reduce(1, *) }

    /// Values of `value` (default: the output) for `count` points given row-major [count × D] (rounded
    /// to `Scalar`); the result is row-major [count × size(ofValue:)], computed in `Scalar`.
    public func run(_ points: [Double], count: Int, value: Int? = nil) throws -> [Double] {
        let target = value ?? model.outputValue
        let dimension = model.inputDimension
        guard points.count == count * dimension else {
            throw TesseraError.badInput("\(points.count) values are not \(count) points of dimension \(dimension)")
        }
        guard target >= 0 && target <= model.nodes.count else { throw TesseraError.badInput("no value \(target) in the model") }
        let plan = ForwardPlan(model: model, steps: steps, needed: [target], given: [0], returned: [target])
        let width = size(ofValue: target)
        let rowsPerChunk = max(1, min(count, memoryBudget / MemoryLayout<Scalar>.stride / plan.peakPerRow))
        let chunks = (count + rowsPerChunk - 1) / rowsPerChunk
        var output = [Double](repeating: 0, count: count * width)
        output.withUnsafeMutableBufferPointer { buffer in
            let out = SharedPointer(buffer.baseAddress)
            let workerCount = parallelism.workers(for: chunks)
            let work = {
                parallelism.perform(workerCount) { worker in
                    var scratch: [Scalar] = []
                    for c in stride(from: worker, to: chunks, by: workerCount) {
                        let rows = c * rowsPerChunk..<min(count, (c + 1) * rowsPerChunk)
                        let input = points[rows.lowerBound * dimension..<rows.upperBound * dimension].map(Scalar.init)
                        let values = evaluate(plan, rows: rows.count, given: [0: input], scratch: &scratch)
                        values[target]!.withUnsafeBufferPointer { result in
                            let start = out.value! + rows.lowerBound * width
                            for i in result.indices { start[i] = Double(result[i]) }
                        }
                    }
                }
            }
            work()
        }
        return output
    }

    /// One pass over `rows` rows on the calling thread: runs `plan`, shows each observed value to
    /// `observe` when it exists, and returns the plan's returned values.
    package func evaluate(_ plan: ForwardPlan, rows: Int, given: [Int: [Scalar]], scratch: inout [Scalar],
                  observe: (Int, UnsafeBufferPointer<Scalar>) -> Void = { _, _ in }) -> [Int: [Scalar]] {
        var values = given
        for v in given.keys.sorted() where plan.observed.contains(v) { values[v]!.withUnsafeBufferPointer { observe(v, $0) } }
        for v in plan.releaseAtStart { values[v] = nil }
        if scratch.count < plan.scratch { scratch = [Scalar](repeating: 0, count: plan.scratch) }
        for (p, n) in plan.order.enumerated() {
            let node = model.nodes[n]
            let count = rows * size(ofValue: n + 1)
            var result: [Scalar]
            if case .reshape = steps[n] {
                result = values[node.inputs[0]]!   // shares the storage
            } else if plan.rectifiedByReaders[p] {
                result = values[node.inputs[0]]!   // shares the storage, unrectified: its readers rectify it
            } else if plan.inPlace[p] {
                result = values.removeValue(forKey: node.inputs[0])!
                result.withUnsafeMutableBufferPointer { y in
                    run(steps[n], node: n, input: UnsafePointer(y.baseAddress!), values: values, rows: rows, into: y.baseAddress!, scratch: &scratch)
                }
            } else {
                result = [Scalar](unsafeUninitializedCapacity: count) { y, initialized in
                    values[node.inputs[0]]!.withUnsafeBufferPointer { x in
                        run(steps[n], node: n, input: x.baseAddress!, values: values, rows: rows, rectify: plan.rectifiesInput[p],
                            into: y.baseAddress!, scratch: &scratch)
                    }
                    initialized = count
                }
            }
            if plan.observed.contains(n + 1) { result.withUnsafeBufferPointer { observe(n + 1, $0) } }
            values[n + 1] = result
            for v in plan.release[p] { values[v] = nil }
        }
        return values.filter { plan.returned.contains($0.key) }
    }

    /// Node `n` alone on `rows` rows of its inputs (in the node's input order), by `step` (default: its own).
    func runStep(_ n: Int, inputs: [[Scalar]], rows: Int, step: ForwardStep<Scalar>? = nil) -> [Scalar] {
        let node = model.nodes[n]
        var values: [Int: [Scalar]] = [:]
        for (input, value) in zip(node.inputs, inputs) { values[input] = value }
        var scratch = [Scalar](repeating: 0, count: max(1, (step ?? steps[n]).scratchSize))
        let count = rows * size(ofValue: n + 1)
        return [Scalar](unsafeUninitializedCapacity: count) { y, initialized in
            inputs[0].withUnsafeBufferPointer { x in
                run(step ?? steps[n], node: n, input: x.baseAddress!, values: values, rows: rows, into: y.baseAddress!, scratch: &scratch)
            }
            initialized = count
        }
    }

    /// Runs `step`, node `n`'s kernel or a variant of it: `input` is its first input (read through a ReLU
    /// with `rectify`), `values` holds the others.
    private func run(_ step: ForwardStep<Scalar>, node n: Int, input x: UnsafePointer<Scalar>, values: [Int: [Scalar]], rows: Int,
                     rectify: Bool = false, into y: UnsafeMutablePointer<Scalar>, scratch: inout [Scalar]) {
        let count = rows * size(ofValue: n + 1)
        switch step {
        case .dense(let layer): layer.run(x, rows: rows, into: y)
        case .conv(let conv):
            scratch.withUnsafeMutableBufferPointer { conv.run(x, rows: rows, rectify: rectify, into: y, scratch: $0.baseAddress ?? y) }
        case .channelAffine(let scale, let shift, let plane):
            ForwardElementwise.channelAffine(x, rows: rows, scale: scale, shift: shift, plane: plane, into: y)
        case .addConstant(let constant): ForwardElementwise.addConstant(x, rows: rows, constant: constant, into: y)
        case .averagePool(let pool): pool.run(x, rows: rows, into: y)
        case .globalAveragePool(let channels, let plane):
            ForwardGlobalAveragePool.run(x, rows: rows, channels: channels, plane: plane, into: y)
        case .maxPool(let pool): pool.run(x, rows: rows, into: y)
        case .reshape: y.update(from: x, count: count)
        case .add:
            values[model.nodes[n].inputs[1]]!.withUnsafeBufferPointer { b in
                ForwardElementwise.add(x, b.baseAddress!, count: count, into: y)
            }
        case .activation(let activation): ForwardElementwise.activation(activation, x, count: count, into: y)
        }
    }
}

/// A raw pointer whose disjoint ranges different workers write.
package struct SharedPointer<T>: @unchecked Sendable { package let value: T; package init(_ value: T) { self.value = value } }

extension GraphForward where Scalar == Double {
    /// The float64 pass (reproduces earlier numbers bit for bit).
    public init(model: GraphModel) throws { try self.init(model: model, scalar: Double.self) }
}
