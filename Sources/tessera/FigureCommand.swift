import ArgumentParser
import Dispatch
import Foundation
import Render
import Slicer
import Trainer

struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "The paper's Figure 1 for a run: partitions at four checkpoints beside the LC curve.",
        discussion: """
        The LC curve is measured at every checkpoint (the run's training samples, test samples and random \
        points). Four checkpoints are pictured: (a) the first, (d) the last, and (b), (c) the bottom of the \
        first descent and the top of the ascent after it — the interior pair i < j with the largest rise of \
        the training-sample LC curve smoothed over 5 checkpoints. When the curve has no rise above 5% of \
        its range (monotone or flat), (b) and (c) are the checkpoints nearest 1/3 and 2/3 of the way in \
        log(step + 1), and the command says so.
        """)

    @Argument(help: "A run directory from 'tessera train'.") var runPath: String
    @Option(help: "Three sample indices of the slice's anchors, e.g. 0,1,2.") var indices: String
    @Option(help: "Split of the anchors: train or test.") var split = "train"
    @Option(help: "IDX dataset directory (default: the run's data).") var data: String?
    @Option(help: "Slice domain: square[:S], triangle[:S], disk:R[@k] or diamond:R[@k].") var domain = "square:1.5"
    @Option(help: "LC neighbourhood radius.") var radius = 0.05
    @Option(help: "LC directions P.") var directions = 25
    @Option(help: "LC samples per set.") var samples = 200
    @Option(help: "LC sample sets, comma-separated (train is the one checkpoints are chosen from).") var lcSets = "train,test,random"
    @Option(help: "Seed for the LC directions and random points.") var seed: UInt64 = 0
    @Option(help: "Explicit checkpoint steps to picture instead of the automatic choice, e.g. 0,40,400,2000.") var steps: String?
    @Option(help: "Side of each partition panel (pixels for PNG, points for PDF).") var panelSize = 560
    @Option(help: "Stop a slice with an error past this many regions.") var maxRegions = 2_000_000
    @Option(help: "PNG output.") var png: String?
    @Option(help: "PDF output.") var pdf: String?
    @Option(help: "JSON: the LC curve and the chosen checkpoints.") var json: String?

    func run() throws {
        guard png != nil || pdf != nil || json != nil else { throw TesseraError.badInput("give at least one of --png, --pdf, --json") }
        if let png { guard png.lowercased().hasSuffix(".png") else { throw TesseraError.badInput("--png \(png) must end in .png") } }
        if let pdf { guard pdf.lowercased().hasSuffix(".pdf") else { throw TesseraError.badInput("--pdf \(pdf) must end in .pdf") } }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("--radius must be a positive number") }
        guard samples >= 1 else { throw TesseraError.badInput("--samples must be at least 1") }
        guard (100...4000).contains(panelSize) else { throw TesseraError.badInput("--panel-size must be between 100 and 4000") }
        guard maxRegions > 0 else { throw TesseraError.badInput("--max-regions must be positive") }
        let sets = lcSets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard sets.first == "train", Set(sets).isSubset(of: ["train", "test", "random"]), Set(sets).count == sets.count else {
            throw TesseraError.badInput("--lc-sets must start with train and use train, test, random once each, got '\(lcSets)'")
        }
        let domainSpec = try DomainSpec(parsing: domain)
        let list = try parseIndices(indices)
        guard list.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices, got \(list.count)") }
        let explicitSteps = try steps.map(parseIndices)
        if let explicitSteps, explicitSteps.count != 4 { throw TesseraError.badInput("--steps needs exactly four steps") }
        for path in [png, pdf, json].compactMap({ $0 }) { try OutputFile.checkWritable(path) }

        let run = RunDirectory(path: runPath)
        let info = try run.readRunInfo()
        let models = try run.checkpoints()
        guard models.count >= 1 else { throw TesseraError.badInput("\(runPath) has no checkpoints") }
        let metrics = (try? run.readMetrics()) ?? []
        let activation = try? info.config.parsedActivation()
        let dataset = try Dataset.load(directory: data ?? info.data.directory, split: split)
        if let bad = list.first(where: { $0 >= dataset.count }) {
            throw TesseraError.badInput("index \(bad) is out of range: the \(split) split has \(dataset.count) samples")
        }
        try draw(run: run, info: info, models: models, metrics: metrics, activation: activation, dataset: dataset,
                 list: list, sets: sets, domainSpec: domainSpec, explicitSteps: explicitSteps)
    }

    func draw(run: RunDirectory, info: RunInfo, models: [(step: Int, path: String)], metrics: [MetricsRow],
              activation: Activation?, dataset: Dataset, list: [Int], sets: [String], domainSpec: DomainSpec,
              explicitSteps: [Int]?) throws {
        let anchors = list.map(dataset.image)
        let first = try ModelFile.load(path: models[0].path, activation: activation).network
        guard dataset.dimension == first.inputDimension else {
            throw TesseraError.badInput("the \(split) samples have dimension \(dataset.dimension) but the network takes \(first.inputDimension)")
        }
        guard first.activation.isPiecewiseAffine else { throw TesseraError.badInput("exact slices need a piecewise-affine activation, the run uses \(first.activation)") }
        _ = try SlicePlane(anchors: anchors)  // collinear anchors fail now, not after the LC curve

        // 1. The LC curve over every checkpoint.
        let sampleSets = try LCSampleSet.make(splits: sets, limit: samples, dataDirectory: data, run: info,
                                              dimension: first.inputDimension, seed: seed)
        let frame = try LCDirections.random(count: directions, dimension: first.inputDimension, seed: seed)
        var curves = [[LCResult]](repeating: [], count: sets.count)
        var networks: [Int: Network] = [:]
        var lastLog = DispatchTime.now().uptimeNanoseconds
        log("figure: LC at r = \(radius), P = \(directions) on \(sets.joined(separator: ", ")) (\(samples) samples each) over \(models.count) checkpoints")
        for (index, entry) in models.enumerated() {
            let network = index == 0 ? first : try ModelFile.load(path: entry.path, activation: first.activation).network
            let estimator = try LCEstimator(network: network, directions: frame, radii: [radius])
            for (s, set) in sampleSets.enumerated() { curves[s].append(try estimator.estimate(samples: set.points)[0]) }
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastLog > 2_000_000_000 || index == models.count - 1 {
                log("  checkpoint \(index + 1)/\(models.count) step \(entry.step): train LC \(String(format: "%.2f", curves[0].last!.mean))")
                lastLog = now
            }
        }
        let stepList = models.map(\.step)
        // 2. The four checkpoints.
        var chosen: [Int]
        var hasAscent = true
        if let explicitSteps {
            chosen = try explicitSteps.map { step in
                guard let i = stepList.firstIndex(of: step) else { throw TesseraError.badInput("--steps: the run has no checkpoint at step \(step)") }
                return i
            }
        } else {
            (chosen, hasAscent) = CheckpointChoice.figureOne(steps: stepList, values: curves[0].map(\.mean))
            if !hasAscent { log("note: the train LC curve has no clear descent-then-ascent; (b), (c) are spread in log(step) instead") }
        }
        let letters = ["a", "b", "c", "d"]
        log("figure: checkpoints " + zip(letters, chosen).map { "(\($0)) step \(stepList[$1])" }.joined(separator: ", "))

        // 3. Exact slices at those checkpoints, two at a time.
        for i in Set(chosen) { networks[i] = i == 0 ? first : try ModelFile.load(path: models[i].path, activation: first.activation).network }
        let options = SliceOptions(domain: domainSpec, arithmetic: .certified, maxRegions: maxRegions)
        let unique = Array(Set(chosen)).sorted()
        let slots = ResultSlots(count: unique.count)
        let nets = unique.map { networks[$0]! }
        let t0 = DispatchTime.now().uptimeNanoseconds
        BLASThreads.singleThreaded {
            DispatchQueue.concurrentPerform(iterations: min(2, unique.count)) { worker in
                for k in stride(from: worker, to: unique.count, by: 2) {
                    slots.set(k, Result { try slice(network: nets[k], anchors: anchors, options: options) })
                    if case .success(let r)? = slots.get(k) {
                        FileHandle.standardError.write(Data("  sliced step \(stepList[unique[k]]): \(r.regions.count) regions (\(String(format: "%.1f", r.seconds)) s)\n".utf8))
                    }
                }
            }
        }
        var slices: [Int: SliceResult] = [:]
        for (k, i) in unique.enumerated() { slices[i] = try slots.get(k)!.get() }
        let sliceSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9

        // 4. The composite.
        func accuracy(at step: Int) -> Double? {
            metrics.last { $0.step <= step && $0.testAccuracy.isFinite }.map { $0.testAccuracy }
        }
        let panels = zip(letters, chosen).map { letter, i -> PartitionPanel in
            let step = stepList[i]
            let acc = accuracy(at: step).map { String(format: " · test acc %.1f%%", 100 * $0) } ?? ""
            return PartitionPanel(result: slices[i]!, subtitle: "(\(letter)) step \(step.formatted())\(acc) · \(slices[i]!.regions.count.formatted()) regions")
        }
        var style = PartitionStyle(fill: .pattern, edges: .dark)
        style.anchorLabels = list.map { "#\($0) · \(ClassNames.name(of: dataset.labels[$0], directory: data ?? info.data.directory))" }
        let side = Int(Double(dataset.dimension).squareRoot().rounded())
        if dataset.rows * dataset.columns == dataset.dimension, dataset.rows >= 4 {
            style.thumbnails = anchors.map { Thumbnail(rows: dataset.rows, columns: dataset.columns, values: $0.map { min(1, max(0, $0)) }) }
        } else if side * side == dataset.dimension, side >= 4 {
            style.thumbnails = anchors.map { Thumbnail(rows: side, columns: side, values: $0.map { min(1, max(0, $0)) }) }
        }
        let plot = lcPlot(steps: stepList, sets: sets, curves: curves, chosen: chosen, letters: letters, metrics: metrics)
        let widths = ([first.inputDimension] + first.hiddenWidths + [first.outputDimension]).map(String.init).joined(separator: "-")
        var figure = CompositeFigure(panels: panels, style: style, columns: 2, panelSize: panelSize, plot: plot, plotPlacement: .left,
                                     title: "Partition of the plane through \(split) samples #\(list.map(String.init).joined(separator: ", #")) while training a \(widths) MLP")
        figure.plotExtent = Int(1.25 * Double(panelSize))
        if let png { try drawComposite(figure, to: png, format: .png) }
        if let pdf { try drawComposite(figure, to: pdf, format: .pdf) }
        if let json {
            var object: [String: Any] = [
                "radius": radius, "directions": directions, "samples": samples, "has_ascent": hasAscent,
                "rule": explicitSteps == nil ? "first; largest rise of the smoothed train LC (b, c); last" : "explicit --steps",
                "steps": stepList, "slice_seconds": sliceSeconds,
                "chosen": zip(letters, chosen).map { letter, i -> [String: Any] in
                    ["label": letter, "step": stepList[i], "regions": slices[i]!.regions.count,
                     "test_accuracy": accuracy(at: stepList[i]) ?? NSNull(),
                     "neurons_cut": slices[i]!.layers.map(\.neuronsCut)]
                },
            ]
            for (s, set) in sets.enumerated() {
                object["lc_\(set)"] = ["mean": curves[s].map(\.mean), "std": curves[s].map(\.std)]
            }
            try OutputFile.writeJSON(object, to: json)
        }
        print("figure: " + zip(letters, chosen).map { "(\($0)) step \(stepList[$1]) \(slices[$1]!.regions.count) regions" }.joined(separator: ", ")
              + String(format: "; slices %.1f s", sliceSeconds))
    }

    /// The LC curves (paper colours, 25%-std bands, log steps) with the pictured checkpoints marked,
    /// and the test accuracy on the right axis.
    func lcPlot(steps: [Int], sets: [String], curves: [[LCResult]], chosen: [Int], letters: [String], metrics: [MetricsRow]) -> LinePlot {
        let x = steps.map { Double($0 + 1) }
        var series = zip(sets, curves).map { set, results in
            PlotSeries(name: "LC \(set)", x: x, y: results.map(\.mean), band: results.map { 0.25 * $0.std }, color: splitColor(set))
        }
        let accuracy = metrics.filter { $0.testAccuracy.isFinite }
        if !accuracy.isEmpty {
            series.append(PlotSeries(name: "test accuracy", x: accuracy.map { Double($0.step + 1) }, y: accuracy.map { 100 * $0.testAccuracy },
                                     color: Color(hex: 0x9a9a9a), axis: .right, dashed: true))
        }
        var plot = LinePlot(title: "Local complexity (r = \(radius), P = \(directions))", xLabel: "training step + 1",
                            yLabel: "LC (neurons cut, sum over layers)", rightLabel: accuracy.isEmpty ? "" : "test accuracy (%)",
                            series: series, markers: zip(letters, chosen).map { PlotMarker(x: Double(steps[$1] + 1), label: $0) })
        if !accuracy.isEmpty { plot.rightRange = 0...100 }
        return plot
    }

    func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}

/// Slice results written by concurrent workers.
final class ResultSlots: @unchecked Sendable {
    private var storage: [Result<SliceResult, Error>?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<SliceResult, Error>) { lock.lock(); storage[i] = value; lock.unlock() }
    func get(_ i: Int) -> Result<SliceResult, Error>? { lock.lock(); defer { lock.unlock() }; return storage[i] }
}
