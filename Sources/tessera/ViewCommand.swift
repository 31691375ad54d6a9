import ArgumentParser
import Foundation
import Render
import Slicer
import Trainer

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "One self-contained interactive page for a run: every checkpoint's partition behind a slider, with its LC and accuracy curves.",
        discussion: "The page opens from disk in any browser, with no server and no network access.")

    @Argument(help: "A run directory from 'tessera train'.") var runPath: String
    @Option(help: "The page to write (default: RUN/view.html).") var out: String?
    @Option(help: "Three sample indices, e.g. 0,1,2.") var indices = "0,1,2"
    @Option(help: "Dataset split of the indices: train or test.") var split = "train"
    @Option(help: "Dataset directory (default: the run's).") var data: String?
    @Option(help: "square[:S], triangle[:S], disk:R[@k] or diamond:R[@k].") var domain = "square:1.5"
    @Option(help: "Show every N-th checkpoint only (the last is always shown).") var every = 1
    @Option(help: "Stop with an error when a checkpoint's slice passes this many regions.") var maxRegions = 2_000_000
    @Option(help: "Fill the page opens with: pattern, class or slope.") var fill = "pattern"
    @Option(help: "Edges the page opens with: dark or layer.") var edges = "layer"
    @Option(help: "Also write one GeoJSON file of the regions per checkpoint into this directory.") var regions: String?
    @Option(help: "Neighbourhood radius of the LC curves.") var lcRadius = 0.5
    @Option(help: "Samples per set (train, test, random) of the LC curves; 0 draws no LC.") var lcSamples = 200

    func validate() throws {
        guard ["pattern", "class", "slope"].contains(fill) else { throw ValidationError("unknown --fill '\(fill)' (expected pattern, class or slope)") }
        guard ["dark", "layer"].contains(edges) else { throw ValidationError("unknown --edges '\(edges)' (expected dark or layer)") }
        guard every >= 1, maxRegions >= 1 else { throw ValidationError("--every and --max-regions must be positive") }
        guard lcRadius.isFinite, lcRadius > 0, lcSamples >= 0 else { throw ValidationError("--lc-radius must be positive and --lc-samples not negative") }
    }

    func run() throws {
        let directory = RunDirectory(path: runPath)
        let info = try directory.readRunInfo()
        let all = try directory.checkpoints()
        guard !all.isEmpty else { throw TesseraError.badInput("\(runPath) has no checkpoints") }
        let checkpoints = all.enumerated().filter { $0.offset % every == 0 || $0.offset == all.count - 1 }.map(\.element)
        let list = try parseIndices(indices)
        guard list.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices") }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        let dataDirectory = data ?? info.data.directory
        let dataset = try Dataset.load(directory: dataDirectory, split: split)
        let anchors = try dataset.images(at: list)
        let labels = list.map { "\(split) #\($0) · \(ClassNames.name(of: dataset.labels[$0], directory: dataDirectory))" }
        let path = out ?? runPath + "/view.html"
        try OutputFile.checkWritable(path)
        var viewer = RunViewer(runPath: runPath, checkpoints: checkpoints, anchors: anchors, labels: labels,
                               domain: try DomainSpec(parsing: domain), activation: try? info.config.parsedActivation(),
                               dataDirectory: dataDirectory)
        viewer.maxRegions = maxRegions
        viewer.fill = fill
        viewer.edgeStyle = edges
        viewer.lcRadius = lcRadius
        viewer.lcSamples = lcSamples
        try viewer.write(to: path, regionsDirectory: regions)
    }
}

/// Everything the viewer of a run shows: the checkpoints' partitions, accuracy from metrics.csv and
/// the approximate LC of every shown checkpoint. Shared by `view` and `render`.
struct RunViewer {
    var runPath: String
    var checkpoints: [(step: Int, path: String)]
    var anchors: [[Double]]
    var labels: [String]
    var domain: DomainSpec
    var activation: Activation?
    var dataDirectory: String
    var maxRegions = 2_000_000
    var fill = "pattern"
    var edgeStyle = "layer"
    var lcRadius = 0.5
    var lcSamples = 200

    func write(to path: String, regionsDirectory: String? = nil) throws {
        try OutputFile.checkWritable(path)
        if let regionsDirectory {
            do { try FileManager.default.createDirectory(atPath: regionsDirectory, withIntermediateDirectories: true) } catch {
                throw TesseraError.io("cannot create \(regionsDirectory): \(error.localizedDescription)")
            }
        }
        let directory = RunDirectory(path: runPath)
        let metrics = (try? directory.readMetrics()) ?? []
        let accuracy = Dictionary(metrics.map { ($0.step, $0.testAccuracy) }, uniquingKeysWith: { $1 })
        var slices = CheckpointSlices(checkpoints: checkpoints, anchors: anchors, domain: domain, activation: activation)
        slices.anchorLabels = labels
        slices.maxRegions = maxRegions
        slices.regionsDirectory = regionsDirectory
        slices.title = { step, regions in
            var text = PartitionStyle.title(step: step, regions: regions)
            if let value = accuracy[step], value.isFinite { text += String(format: " · test acc %.1f%%", 100 * value) }
            return text
        }
        let start = Date()
        let frames = try slices.frames { done, total, regions in
            printError(String(format: "viewer frame %d/%d: %d regions (%.1f s)", done, total, regions, Date().timeIntervalSince(start)))
        }
        var page = ViewerPage(heading: "\(runPath) · plane through \(labels.joined(separator: ", "))", frames: frames,
                              curves: try lcCurves() + accuracyCurves(metrics))
        page.anchorLabels = labels
        page.classNames = ClassNames.names(directory: dataDirectory)
        page.fill = fill
        page.edgeStyle = edgeStyle
        page.leftLabel = "local complexity (r = \(lcRadius))"
        try page.write(to: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("viewer: \(path) (\(frames.count) frames, \(String(format: "%.1f", Double(size) / 1_048_576)) MB)")
    }

    func accuracyCurves(_ metrics: [MetricsRow]) -> [ViewerCurve] {
        let kept = metrics.filter { $0.step > 0 }
        guard !kept.isEmpty else { return [] }
        let steps = kept.map { Double($0.step) }
        return [ViewerCurve(name: "train acc", color: .lcTrain, axis: .right, steps: steps, values: kept.map(\.trainAccuracy), dashed: true),
                ViewerCurve(name: "test acc", color: .lcTest, axis: .right, steps: steps, values: kept.map(\.testAccuracy), dashed: true)]
    }

    /// The paper's estimator (P = 25) at the shown checkpoints, on the run's training samples, test samples and random points.
    func lcCurves() throws -> [ViewerCurve] {
        guard lcSamples > 0 else { return [] }
        let info = try RunDirectory(path: runPath).readRunInfo()
        let first = try ModelFile.load(path: checkpoints[0].path, activation: activation).network
        let dimension = first.inputDimension
        let sets = try LCSampleSet.make(splits: ["train", "test", "random"], limit: lcSamples, dataDirectory: dataDirectory,
                                        run: info, dimension: dimension, seed: 0)
        let directions = try LCDirections.random(count: min(25, dimension), dimension: dimension, seed: 0)
        var values = [[Double]](repeating: [], count: sets.count), bands = values
        for checkpoint in checkpoints {
            let network = try ModelFile.load(path: checkpoint.path, activation: activation).network
            let estimator = try LCEstimator(network: network, directions: directions, radii: [lcRadius])
            for (index, set) in sets.enumerated() {
                let result = try estimator.estimate(samples: set.points)[0]
                values[index].append(result.mean)
                bands[index].append(0.25 * result.std)
            }
        }
        let colors: [String: Color] = ["train": .lcTrain, "test": .lcTest, "random": .lcRandom]
        let steps = checkpoints.map { Double($0.step) }
        return sets.enumerated().map { index, set in
            ViewerCurve(name: "\(set.name) LC", color: colors[set.name] ?? .ink, axis: .left, steps: steps,
                        values: values[index], band: bands[index])
        }
    }
}
