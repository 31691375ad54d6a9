import Foundation
import Render
import Slicer
import Trainer

/// Everything the viewer of a run shows: the checkpoints' partitions, accuracy from metrics.csv and
/// the approximate LC of every shown checkpoint. Shared by `view`, `render` and the demo.
public struct RunViewer {
    public var runPath: String
    public var checkpoints: [(step: Int, path: String)]
    public var anchors: [[Double]]
    public var labels: [String]
    public var domain: DomainSpec
    public var activation: Activation?
    public var dataDirectory: String
    public var maxRegions = 2_000_000
    /// Threads for the slices and the LC curves.
    public var parallelism = Parallelism.machine
    /// The fill the page opens with: pattern, class or slope.
    public var fill = "pattern"
    /// The edges the page opens with: dark or layer.
    public var edgeStyle = "dark"
    public var lcRadius = 0.5
    /// Samples per set (train, test, random) of the LC curves; 0 draws none.
    public var lcSamples = 200

    public init(runPath: String, checkpoints: [(step: Int, path: String)], anchors: [[Double]], labels: [String], domain: DomainSpec,
                activation: Activation?, dataDirectory: String) {
        self.runPath = runPath; self.checkpoints = checkpoints; self.anchors = anchors; self.labels = labels
        self.domain = domain; self.activation = activation; self.dataDirectory = dataDirectory
    }

    /// Writes the page (and, with `regionsDirectory`, one GeoJSON file per checkpoint); `progress`
    /// receives a line per frame. Returns a one-line summary.
    @discardableResult
    public func write(to path: String, regionsDirectory: String? = nil, progress: @escaping (String) -> Void = { _ in }) throws -> String {
        try OutputFile.checkWritable(path)
        let slices = try checkpointSlices(regionsDirectory: regionsDirectory)
        let start = Date()
        let frames = try slices.frames { done, total, regions in
            progress(String(format: "viewer frame %d/%d: %@ regions (%.1f s since the start)", done, total, groupedDigits(regions), Date().timeIntervalSince(start)))
        }
        return try writePage(to: path, frames: frames)
    }

    /// What packs the page's frames: titles with the test accuracy, GeoJSON files into `regionsDirectory`
    /// (created here). Its `frame(of:graph:step:)` packs a slice made elsewhere, so a checkpoint is sliced once.
    public func checkpointSlices(regionsDirectory: String?) throws -> CheckpointSlices {
        if let regionsDirectory {
            do { try FileManager.default.createDirectory(atPath: regionsDirectory, withIntermediateDirectories: true) } catch {
                throw TesseraError.io("cannot create \(regionsDirectory): \(error.localizedDescription)")
            }
        }
        let metrics = (try? RunDirectory(path: runPath).readMetrics()) ?? []
        let accuracy = Dictionary(metrics.map { ($0.step, $0.testAccuracy) }, uniquingKeysWith: { $1 })
        var slices = CheckpointSlices(checkpoints: checkpoints, anchors: anchors, domain: domain, activation: activation)
        slices.parallelism = parallelism
        slices.anchorLabels = labels
        slices.architecture = ModelLoader.runArchitecture(runDirectory: runPath)
        slices.maxRegions = maxRegions
        slices.regionsDirectory = regionsDirectory
        slices.title = { step, regions in
            var text = PartitionStyle.title(step: step, regions: regions)
            if let value = accuracy[step], value.isFinite { text += String(format: " · test acc %.1f%%", 100 * value) }
            return text
        }
        return slices
    }

    /// Writes the page from frames already packed, one per checkpoint in order. Returns a one-line summary.
    @discardableResult
    public func writePage(to path: String, frames: [ViewerFrame], lcValues: [[[Double]]]? = nil) throws -> String {
        guard frames.count == checkpoints.count else {
            throw TesseraError.badInput("the viewer needs one frame per checkpoint: \(frames.count) for \(checkpoints.count)")
        }
        let metrics = (try? RunDirectory(path: runPath).readMetrics()) ?? []
        var page = ViewerPage(heading: "\(runPath) · plane through \(labels.joined(separator: ", "))", frames: frames,
                              curves: try lcCurves(values: lcValues) + accuracyCurves(metrics))
        page.anchorLabels = labels
        page.classNames = ClassNames.names(directory: dataDirectory)
        page.fill = fill
        page.edgeStyle = edgeStyle
        page.neighbourhoodView = domain.kind == "disk" || domain.kind == "diamond"
        page.leftLabel = "local complexity (r = \(lcRadius))"
        page.bandNote = "bands: ± 25% of the std over the samples"
        try page.write(to: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return "viewer: \(path) (\(frames.count) frames, \(String(format: "%.1f", Double(size) / 1_048_576)) MiB)"
    }

    func accuracyCurves(_ metrics: [MetricsRow]) -> [ViewerCurve] {
        // Every checkpoint, step 0 included: the page draws step + 1 on its log axis.
        let kept = metrics
        guard !kept.isEmpty else { return [] }
        let steps = kept.map { Double($0.step) }
        return [ViewerCurve(name: "train acc", color: .lcTrain, axis: .right, steps: steps, values: kept.map(\.trainAccuracy), dashed: true),
                ViewerCurve(name: "test acc", color: .lcTest, axis: .right, steps: steps, values: kept.map(\.testAccuracy), dashed: true)]
    }

    /// The paper's estimator (P = 25) at the shown checkpoints, on the run's training samples, test
    /// samples and random points; `values` (from `lcValues(at:)` of every checkpoint) if measured already.
    func lcCurves(values given: [[[Double]]]? = nil) throws -> [ViewerCurve] {
        guard lcSamples > 0 else { return [] }
        let names = ["train", "test", "random"]
        let byCheckpoint = try given ?? lcValues(at: 0..<checkpoints.count)
        guard byCheckpoint.count == checkpoints.count, byCheckpoint.allSatisfy({ $0.count == names.count && $0.allSatisfy { $0.count == 2 } }) else {
            throw TesseraError.badInput("the viewer's LC values do not fit its checkpoints")
        }
        let colors: [String: Color] = ["train": .lcTrain, "test": .lcTest, "random": .lcRandom]
        let steps = checkpoints.map { Double($0.step) }
        return names.enumerated().map { index, name in
            ViewerCurve(name: "\(name) LC", color: colors[name] ?? .ink, axis: .left, steps: steps,
                        values: byCheckpoint.map { $0[index][0] }, band: byCheckpoint.map { $0[index][1] })
        }
    }

    /// [checkpoint][set][mean, band] of the LC curves at the checkpoints `range` (sets train, test, random).
    public func lcValues(at range: Range<Int>) throws -> [[[Double]]] {
        guard lcSamples > 0, !range.isEmpty else { return range.map { _ in [] } }
        let run = try RunModels(runPath: runPath, activation: activation)
        let first = try run.model(path: checkpoints[0].path)
        let dimension = first.inputDimension
        let sets = try run.sampleSets(splits: ["train", "test", "random"], limit: lcSamples, dataDirectory: dataDirectory,
                                      dimension: dimension, seed: 0)
        let directions = try LCDirections.random(count: min(25, dimension), dimension: dimension, seed: 0)
        return try checkpoints[range].map { checkpoint in
            // The viewer's LC curve in float32, lc's default precision.
            var estimator = try LCEstimator(model: run.model(path: checkpoint.path), directions: directions, radii: [lcRadius],
                                            precision: .float32)
            estimator.parallelism = parallelism
            return try sets.map { set in
                let result = try estimator.estimate(samples: set.points)[0]
                return [result.mean, 0.25 * result.std]
            }
        }
    }
}
