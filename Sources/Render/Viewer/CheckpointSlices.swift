import Foundation
import Slicer

/// Slices a sequence of checkpoints through one plane and keeps what the viewer and the GeoJSON
/// export need of each (the slices themselves are dropped as soon as they are packed).
public struct CheckpointSlices: Sendable {
    public var checkpoints: [(step: Int, path: String)]
    public var anchors: [[Double]]
    public var anchorLabels: [String] = []
    public var domain: DomainSpec
    public var activation: Activation?
    /// A graph run's architecture (its model.onnx): the checkpoints then hold its initializers.
    public var architecture: String?
    public var maxRegions = 2_000_000
    /// Directory for one `frame-<step>.geojson` per checkpoint; nil writes none.
    public var regionsDirectory: String?
    /// Also write every vertex's exact coordinates into the GeoJSON files.
    public var exactVertices = false
    /// Threads: checkpoints are sliced this many at a time.
    public var parallelism = Parallelism.machine
    /// The frame title of a step and its region count.
    public var title: @Sendable (Int, Int) -> String = { step, regions in PartitionStyle.title(step: step, regions: regions) }

    public init(checkpoints: [(step: Int, path: String)], anchors: [[Double]], domain: DomainSpec, activation: Activation?) {
        self.checkpoints = checkpoints; self.anchors = anchors; self.domain = domain; self.activation = activation
    }

    /// The GeoJSON file of a step.
    public func regionsPath(step: Int) -> String? {
        regionsDirectory.map { $0 + "/frame-" + String(format: "%09d", step) + ".geojson" }
    }

    /// One packed frame per checkpoint, in order; as many checkpoints at a time as `parallelism` has threads, one thread each.
    public func frames(progress: (@Sendable (Int, Int, Int) -> Void)? = nil) throws -> [ViewerFrame] {
        var frames = [ViewerFrame?](repeating: nil, count: checkpoints.count)
        var failure: Error?
        let lock = NSLock()
        var done = 0
        let workers = parallelism.workers(for: checkpoints.count)
        parallelism.perform(workers) { worker in
            for index in stride(from: worker, to: checkpoints.count, by: workers) {
                if lock.withLock({ failure != nil }) { return }
                do {
                    let frame = try pack(checkpoints[index])
                    lock.withLock {
                        frames[index] = frame
                        done += 1
                        progress?(done, checkpoints.count, frame.regionCount)
                    }
                } catch {
                    lock.withLock { failure = failure ?? error }
                }
            }
        }
        if let failure { throw failure }
        return frames.compactMap { $0 }
    }

    func pack(_ checkpoint: (step: Int, path: String)) throws -> ViewerFrame {
        let graph = try ModelLoader.load(checkpoint: checkpoint.path, architecture: architecture, activation: activation)
        // Checkpoints are sliced several at a time, so each slice keeps to one thread.
        var options = SliceOptions(domain: domain, maxRegions: maxRegions)
        options.parallelism = .serial
        let result = try slice(graph: graph, anchors: anchors, options: options)
        return try frame(of: result, graph: graph, step: checkpoint.step)
    }

    /// The viewer frame of a checkpoint's slice made elsewhere (and its GeoJSON file, when asked).
    /// `graph` is needed only for `exactVertices`.
    public func frame(of result: SliceResult, graph: GraphModel?, step: Int) throws -> ViewerFrame {
        if let path = regionsPath(step: step) {
            var exact: [ExactPlanePoint]? = nil
            if exactVertices {
                guard let network = graph?.chainNetwork else { throw TesseraError.badInput("exact vertices are available for MLP models only") }
                exact = try ExactVertices.compute(result, network: network, anchors: anchors, domain: domain)
            }
            try OutputFile.write(PartitionGeoJSON.encode(result, exactVertices: exact, anchorLabels: anchorLabels, step: step), to: path)
        }
        return ViewerFrame(result, step: step, title: title(step, result.regions.count))
    }
}
