import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Exact vs approximate local complexity over a run's checkpoints (the paper's Fig. 14).",
        discussion: """
        At every sample x and checkpoint: the exact slice of the plane through x spanned by v1, v2 on the \
        diamond x ± r·v1, x ± r·v2 (region count and per-layer neurons_cut), the paper's estimator with \
        P = 2 on the diamond's four corners (the same geometry), and the estimator with all P directions. \
        The directions are one seeded frame for all samples and checkpoints, as in 'tessera lc'.
        """)

    @Argument(help: "A run directory: from 'tessera train', or a graph run (model.onnx and checkpoints/).") var runPath: String
    @Option(help: "Samples per checkpoint.") var samples = 100
    @Option(help: "Neighbourhood radius r (diamond half-diagonal; LC vertices x ± r·v_p).") var radius = 0.05
    @Option(help: "Number P of orthonormal directions for the full estimator (v1, v2 span the slice).") var directions = 25
    @Option(help: "Sample set: train (the run's training samples), test, or random.") var split = "train"
    @Option(help: "Seed for the directions and the random points.") var seed: UInt64 = 0
    @Option(help: "Checkpoints: all, or N for N log-spread ones (always the first and the last).") var checkpoints = "all"
    @Option(help: "certified (fast, exact results) or exact (rational reference).") var arithmetic = "certified"
    @Option(help: "Exact neighbourhood of each sample: diamond (x ± r·v1, x ± r·v2) or disk (radius r, a 64-gon).") var domain = "diamond"
    @Option(help: "Number type of the full estimator's forward passes: float32 or float64 (reproduces earlier numbers).") var precision = "float32"
    @Option(help: "CSV output: one row per checkpoint × sample.") var csv: String?
    @Option(help: "JSON summary: per-checkpoint means, correlations, P = 2 miss rates.") var json: String?
    @Option(help: "Figure (Fig. 14 style), PNG.") var png: String?
    @Option(help: "Figure (Fig. 14 style), PDF.") var pdf: String?

    @Option(help: "Do only share I of N (checkpoints × blocks of samples) and write each output P as P.shard-I-of-N; 'tessera merge P' joins them.") var shard: String?
    @OptionGroup var threading: ThreadsOption

    func run() throws {
        let request = try makeRequest()
        if let shard { try runShare(request, try ShardSpec(parsing: shard)); return }
        let (report, summary) = try RunValidation.run(request, log: printError)
        print(summary)
        if csv == nil && json == nil && png == nil && pdf == nil { print(report.csv, terminator: "") }
    }

    func makeRequest() throws -> RunValidationRequest {
        var request = RunValidationRequest(runPath: runPath)
        request.samples = samples; request.radius = radius; request.directions = directions; request.split = split
        request.seed = seed
        request.precision = try Precision(parsing: precision)
        guard let mode = Arithmetic(rawValue: arithmetic) else {
            throw TesseraError.badInput("unknown arithmetic '\(arithmetic)' (expected certified or exact)")
        }
        request.arithmetic = mode
        guard let shape = ValidationMeasurer.NeighbourhoodShape(rawValue: domain) else {
            throw TesseraError.badInput("unknown --domain '\(domain)' (expected diamond or disk)")
        }
        request.shape = shape
        if checkpoints != "all" {
            guard let n = Int(checkpoints), n >= 1 else { throw TesseraError.badInput("--checkpoints must be 'all' or a positive count, got '\(checkpoints)'") }
            request.checkpoints = n
        }
        request.csv = csv; request.json = json; request.png = png; request.pdf = pdf
        request.parallelism = try threading.parallelism()
        return request
    }
}
