import Dispatch
import Foundation
import Render
import Slicer
import Trainer

/// The paper's Figure 1 for a run: the LC curves over every checkpoint beside exact partitions at
/// four checkpoints — (a) the first, (d) the last, and (b), (c) the bottom of the first descent and
/// the top of the ascent after it (`CheckpointChoice.figureOne`), or four explicit steps.
public enum FigureOne {
    /// Draws the figure to the requested outputs; `log` receives progress lines. Returns a one-line summary.
    public static func make(_ request: FigureOneRequest, log: @escaping (String) -> Void = { _ in }) throws -> String {
        let context = try Context(request, log: log)
        let measured = try RunLCCurves(run: context.run, sweep: context.sweep, log: log)
        return try finish(request, context, reports: measured.reports, log: log)
    }

    /// What the figure's LC curve and panels are made from, checked before the long work.
    struct Context {
        var run: RunModels
        var models: [(step: Int, path: String)]
        var dataDirectory: String
        var dataset: Dataset
        var anchors: [[Double]]
        var first: GraphModel
        /// The LC curve's sets (train first), directions and radius.
        var sweep: LCSweep

        init(_ request: FigureOneRequest, log: (String) -> Void) throws {
            try request.check()
            run = try RunModels(runPath: request.runPath)
            models = run.checkpoints
            dataDirectory = try run.dataDirectory(request.data)
            dataset = try Dataset.load(directory: dataDirectory, split: request.split, samples: request.indices)
            let dataset = dataset
            anchors = (0..<dataset.count).map(dataset.image)
            first = try run.model(at: 0)
            guard dataset.dimension == first.inputDimension else {
                throw TesseraError.badInput("the \(request.split) samples have dimension \(dataset.dimension) but the network takes \(first.inputDimension)")
            }
            for node in first.nodes {
                if case .activation(let activation) = node.op, !activation.isPiecewiseAffine {
                    throw TesseraError.badInput("exact slices need piecewise-affine activations, node '\(node.name)' is \(activation)")
                }
            }
            _ = try SlicePlane(anchors: anchors)  // collinear anchors fail now, not after the LC curve
            let sets = request.lcSets
            let sampleSets = try run.sampleSets(splits: sets, limit: request.samples, dataDirectory: request.data,
                                                dimension: first.inputDimension, seed: request.seed)
            let frame = try LCDirections.random(count: request.directions, dimension: first.inputDimension, seed: request.seed)
            log("figure: LC at r = \(request.radius), P = \(request.directions) on \(sets.joined(separator: ", ")) (\(request.samples) samples each) over \(models.count) checkpoints")
            sweep = LCSweep(sets: sampleSets, directions: frame, radii: [request.radius])
            sweep.parallelism = request.parallelism
        }
    }

    /// The figure from the LC curve's reports (one per checkpoint): the four checkpoints chosen, sliced and drawn.
    static func finish(_ request: FigureOneRequest, _ context: Context, reports: [LCReport], log: @escaping (String) -> Void) throws -> String {
        let (run, models, dataDirectory, dataset, anchors, first) = (context.run, context.models, context.dataDirectory,
                                                                      context.dataset, context.anchors, context.first)
        let metrics = (try? run.directory.readMetrics()) ?? []
        let sets = request.lcSets
        let curves = sets.indices.map { set in reports.map { $0.results[set].byRadius[0] } }
        let stepList = models.map(\.step)

        // 2. The four checkpoints.
        var chosen: [Int]
        var hasAscent = true
        if let explicit = request.steps {
            chosen = try explicit.map { step in
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
        let unique = Array(Set(chosen)).sorted()
        let nets = try unique.map { i in i == 0 ? first : try run.model(at: i) }
        var options = SliceOptions(domain: request.domain, arithmetic: .certified, maxRegions: request.maxRegions)
        options.parallelism = request.parallelism
        let t0 = DispatchTime.now().uptimeNanoseconds
        let results = try sliceConcurrently(nets, anchors: anchors, options: options) { k, result in
            log("  sliced step \(groupedDigits(stepList[unique[k]])): \(regionCount(result.regions.count)) (\(String(format: "%.1f", result.seconds)) s)")
        }
        var slices: [Int: SliceResult] = [:]
        for (k, i) in unique.enumerated() { slices[i] = results[k] }
        let sliceSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9

        // 4. The composite.
        func accuracy(at step: Int) -> Double? {
            metrics.last { $0.step <= step && $0.testAccuracy.isFinite }.map { $0.testAccuracy }
        }
        let panels = zip(letters, chosen).map { letter, i -> PartitionPanel in
            let step = stepList[i]
            let acc = accuracy(at: step).map { String(format: " · test acc %.1f%%", 100 * $0) } ?? ""
            return PartitionPanel(result: slices[i]!, subtitle: "(\(letter)) step \(groupedDigits(step))\(acc) · \(regionCount(slices[i]!.regions.count))")
        }
        var style = PartitionStyle(fill: .pattern, edges: .dark)
        // A neighbourhood of one anchor (disk, diamond) is what the panels show, not the anchors' triangle.
        if let neighbourhood = neighbourhoodFraming(request.domain, slices.values.first) { style.framing = neighbourhood }
        style.anchorLabels = AnchorNames(split: request.split, indices: request.indices, chosen: dataset, directory: dataDirectory).shortLabels
        style.domainNote = neighbourhoodNote(request.domain, anchorLabels: style.anchorLabels)
        if request.rasterDPI > 0 { style.rasterDPI = request.rasterDPI } else { style.rasterAbove = .max }
        let side = Int(Double(dataset.dimension).squareRoot().rounded())
        if dataset.rows * dataset.columns == dataset.dimension, dataset.rows >= 4 {
            style.thumbnails = anchors.map { Thumbnail(rows: dataset.rows, columns: dataset.columns, values: $0.map { min(1, max(0, $0)) }) }
        } else if side * side == dataset.dimension, side >= 4 {
            style.thumbnails = anchors.map { Thumbnail(rows: side, columns: side, values: $0.map { min(1, max(0, $0)) }) }
        }
        let plot = figureLCPlot(steps: stepList, sets: sets, curves: curves, chosen: chosen, letters: letters, metrics: metrics,
                                radius: request.radius, directions: request.directions)
        var figure = CompositeFigure(panels: panels, style: style, columns: 2, panelSize: request.panelSize, plot: plot, plotPlacement: .left,
                                     title: "Partition of the plane through \(request.split) samples #\(request.indices.map(String.init).joined(separator: ", #")) while training a \(run.describe(first))")
        figure.plotExtent = Int(1.25 * Double(request.panelSize))
        if let png = request.png { try drawComposite(figure, to: png, format: .png) }
        if let pdf = request.pdf { try drawComposite(figure, to: pdf, format: .pdf) }
        if let json = request.json {
            var object: [String: Any] = [
                "radius": request.radius, "directions": request.directions, "samples": request.samples, "has_ascent": hasAscent,
                "rule": request.steps == nil ? "first; largest rise of the smoothed train LC (b, c); last" : "explicit --steps",
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
        return "figure: " + zip(letters, chosen).map { "(\($0)) step \(groupedDigits(stepList[$1])) \(regionCount(slices[$1]!.regions.count))" }.joined(separator: ", ")
            + String(format: "; slices %.1f s", sliceSeconds)
    }

    /// Slices each network through the same anchors, as many at a time as `options.parallelism` has
    /// threads (each on one); `done` is called as each finishes. The first failure is thrown.
    static func sliceConcurrently(_ networks: [GraphModel], anchors: [[Double]], options: SliceOptions,
                                  done: @escaping (Int, SliceResult) -> Void) throws -> [SliceResult] {
        var results = [Result<SliceResult, Error>?](repeating: nil, count: networks.count)
        var oneThread = options
        oneThread.parallelism = networks.count > 1 ? .serial : options.parallelism
        let lock = NSLock()
        let workers = options.parallelism.workers(for: networks.count)
        options.parallelism.perform(workers) { worker in
            for k in stride(from: worker, to: networks.count, by: workers) {
                let result = Result { try slice(graph: networks[k], anchors: anchors, options: oneThread) }
                lock.withLock {
                    results[k] = result
                    if case .success(let r) = result { done(k, r) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }
}

/// The framing of a slice whose domain is a neighbourhood of one anchor (`disk`, `diamond`): the
/// domain alone, so that a small neighbourhood fills the picture, with a ring around it where the
/// far anchors' arrows and thumbnails go (outside the domain, away from regions they are not in);
/// nil for the other domains.
public func neighbourhoodFraming(_ domain: DomainSpec, _ result: SliceResult?) -> Framing? {
    guard let result, domain.kind == "disk" || domain.kind == "diamond" else { return nil }
    return Framing(around: result.domainPolygon, margin: 0.3)
}

/// What a neighbourhood picture shows, said in the picture: "disk of radius 0.3 around #0"; nil for
/// the other domains.
public func neighbourhoodNote(_ domain: DomainSpec, anchorLabels: [String]) -> String? {
    let (shape, radius, anchor): (String, Double, Int)
    switch domain {
    case .disk(let r, let k): (shape, radius, anchor) = ("disk", r, k)
    case .diamond(let r, let k): (shape, radius, anchor) = ("diamond", r, k)
    default: return nil
    }
    // The sample's "#index" from its label, else the anchor's number.
    let name = anchor - 1 < anchorLabels.count ? anchorLabels[anchor - 1].split(separator: " ").first { $0.hasPrefix("#") }.map(String.init) : nil
    return "\(shape) of radius \(formatRadius(radius)) around \(name ?? "anchor \(anchor)") (input-space units)"
}
