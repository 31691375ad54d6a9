import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer

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
        log(step + 1), and the command says so. Steps are drawn at step + 1 on a log axis, so initialisation \
        (step 0) appears.
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
    @Option(help: "In the PDF, partition panels of more than 5,000 regions are one image of this resolution for the figure printed 7 inches wide; 0 keeps them vectors.") var rasterDpi = 600.0
    @Option(help: "JSON: the LC curve and the chosen checkpoints.") var json: String?
    @Option(help: "Do only share I of N of the LC curve (checkpoints × sets × blocks of samples) and write each output P as P.shard-I-of-N; 'tessera merge P' chooses, slices and draws the panels.") var shard: String?

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        let request = try makeRequest()
        if let shard {
            let spec = try ShardSpec(parsing: shard)
            let (payload, inputs) = try FigureOne.runShare(request, shard: spec, log: printError)
            try writeParts(command: "figure", shard: spec, outputs: [png, pdf, json].compactMap { $0 }, files: inputs, payload: payload)
            return
        }
        print(try FigureOne.make(request, log: printError))
    }

    func makeRequest() throws -> FigureOneRequest {
        var request = FigureOneRequest(runPath: runPath, indices: try parseIndices(indices))
        request.split = split; request.data = data; request.domain = try parseDomain(domain)
        request.radius = radius; request.directions = directions; request.samples = samples
        request.lcSets = lcSets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        request.seed = seed; request.steps = try steps.map(parseIndices)
        request.panelSize = panelSize; request.maxRegions = maxRegions
        request.png = png; request.pdf = pdf; request.json = json
        guard rasterDpi.isFinite, rasterDpi >= 0, rasterDpi <= 2400 else { throw TesseraError.badInput("--raster-dpi must be between 0 and 2400") }
        request.rasterDPI = rasterDpi
        request.parallelism = try threading.parallelism()
        return request
    }
}
