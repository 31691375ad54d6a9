import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer

struct SliceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slice",
        abstract: "Exact linear regions and decision boundary of a network on the plane through three anchors.")

    @Option(help: "Model: an ONNX graph (.onnx) or a PyTorch nn.Sequential MLP state_dict (.safetensors).") var model: String
    @OptionGroup var anchors: AnchorOptions
    @Option(help: "A graph run's model.onnx, when --model is one of its checkpoints (default: RUN/model.onnx beside RUN/checkpoints/).") var architecture: String?
    @Option(help: "relu, leaky_relu[:alpha] or abs (default: the model's metadata, else relu).") var activation: String?
    @Option(help: "square[:S], triangle[:S], disk:R[@k] or diamond:R[@k].") var domain = "square:1.5"
    @Option(help: "certified (fast, exact results) or exact (rational reference).") var arithmetic = "certified"
    @Option(help: "Stop with an error past this many regions.") var maxRegions = 2_000_000
    @Option(help: "Stop with an error when the slice would need more memory than this many GiB.") var maxMemory = 8.0
    @OptionGroup var threading: ThreadsOption
    @Option(help: "Write the JSON summary here.") var json: String?
    @Option(help: "Write a PNG picture here.") var png: String?
    @Option(help: "Write an SVG picture here.") var svg: String?
    @Option(help: "Write a PDF picture here.") var pdf: String?
    @Option(help: "Write the partition as GeoJSON here (regions, edges, decision boundary, anchors).") var regions: String?
    @Flag(help: "With --regions: add every vertex's exact coordinates as rational strings (slower).") var exactVertices = false
    @OptionGroup var picture: PictureOptions
    @Option(help: "Class names for the picture's legend, comma-separated in label order, e.g. T-shirt/top,Trouser,... (default with --data: the dataset's; else class k).") var classNames: String?
    @Flag(help: "Print per-layer progress on stderr.") var progress = false
    @Option(help: "Slice only strip I of N (the domain cut by N − 1 exact lines of constant s into strips of equal width) and write each output P as P.shard-I-of-N; 'tessera merge P' stitches them.") var shard: String?

    func run() throws {
        let shardSpec = try shard.map(ShardSpec.init(parsing:))
        guard let mode = Arithmetic(rawValue: arithmetic) else {
            throw TesseraError.badInput("unknown arithmetic '\(arithmetic)' (expected certified or exact)")
        }
        guard maxRegions > 0 else { throw TesseraError.badInput("--max-regions must be positive") }
        guard maxMemory.isFinite, maxMemory > 0, maxMemory < 1_048_576 else { throw TesseraError.badInput("--max-memory must be a positive number of GiB") }
        let domainSpec = try parseDomain(domain)
        let override = try activation.map(Activation.init(parsing:))
        _ = try parsedClassNames()
        guard regions != nil || !exactVertices else { throw TesseraError.badInput("--exact-vertices needs --regions") }
        let outputs = [json, png, svg, pdf, regions].compactMap { $0 }
        if shardSpec != nil {
            guard !exactVertices else { throw TesseraError.badInput("--exact-vertices is not available with --shard") }
            guard !outputs.isEmpty else { throw TesseraError.badInput("--shard needs an output file: its parts are written beside it") }
        }
        for path in outputs { try OutputFile.checkWritable(shardSpec.map { ShardPart.path(of: path, shard: $0) } ?? path) }
        var clock = PhaseClock()
        let graph = try ModelLoader.load(checkpoint: model, architecture: try checkpointArchitecture(model: model, explicit: architecture),
                                         activation: override)
        let network = graph.chainNetwork
        clock.lap("load model")
        let input = try anchors.load()
        clock.lap("load anchors")
        var options = SliceOptions(domain: domainSpec, arithmetic: mode, maxRegions: maxRegions,
                                   memoryBudget: Int(maxMemory * Double(1 << 30)))
        // The command exits as soon as its outputs are written.
        options.freesWorkingMemory = false
        options.parallelism = try threading.parallelism()
        options.strip = shardSpec.map { SliceStrip(index: $0.index, count: $0.count) }
        var result: SliceResult
        if let network {
            result = try slice(network: network, anchors: input.anchors, options: options) { layer, regions in
                if progress { printError("layer \(layer): \(regions) regions") }
            }
        } else {
            guard !exactVertices else { throw TesseraError.badInput("--exact-vertices is available for MLP models only") }
            let show = progress
            result = try slice(graph: graph, anchors: input.anchors, options: options) { done, pieces in
                if show { printError("\(done)/\(pieces) pieces of the first layer done") }
            }
        }
        clock.lap("slice")
        if let shardSpec, let strip = options.strip {
            let corners = try domainSpec.corners(plane: try SlicePlane(anchors: input.anchors))
            let part = StripSlice(result, strip: strip, corners: corners)
            try writeParts(command: "slice", shard: shardSpec, outputs: outputs, files: inputFiles(), payload: [:], blob: try part.encoded())
            print("strip \(strip.index)/\(strip.count): \(result.regions.count) regions (\(String(format: "%.3f", result.seconds)) s)")
            fflush(stdout)
            _exit(0)
        }
        // The order a stitched sharded slice is written in, so that both write the same files
        // (--exact-vertices, not sharded, reads the engine's own vertex numbering).
        // The engine's own order stays alive until exit: freeing its many small arrays is wasted work.
        var computed: SliceResult? = nil
        if [regions, png, svg, pdf].allSatisfy({ $0 == nil }) {
            // The JSON summary alone reads only areas and counts: the same values, in place, without the reordering.
            result.canonicaliseSummary(parallelism: options.parallelism)
        } else if !exactVertices {
            computed = result
            result = result.canonicalized(parallelism: options.parallelism)
        }
        try writeOutputs(result, network: network, input: input, domain: domainSpec, parallelism: options.parallelism)
        clock.lap("outputs")
        print("\(result.regions.count) regions, \(result.vertices.count) vertices, \(result.edges.count) edges, "
              + "\(result.boundarySegments.count) boundary segments (\(result.arithmetic), \(String(format: "%.3f", result.seconds)) s)")
        // Everything is written and closed: skip tearing down a partition of possibly millions of
        // objects, and the libraries' exit handlers (OpenBLAS joins its idle threads).
        fflush(stdout)
        withExtendedLifetime(computed) { _exit(0) }
    }

    /// `--class-names` as a list; an empty name is bad input.
    func parsedClassNames() throws -> [String]? {
        guard let classNames else { return nil }
        let names = classNames.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains(where: \.isEmpty) else {
            throw TesseraError.badInput("--class-names '\(classNames)' has an empty name (expected names separated by commas)")
        }
        return names
    }

    /// Writes the JSON, GeoJSON and pictures asked for.
    func writeOutputs(_ result: SliceResult, network: Network?, input: (anchors: [[Double]], labels: [String]?, imageShape: (Int, Int)?),
                      domain domainSpec: DomainSpec, parallelism: Parallelism) throws {
        var style = try picture.settings().style(for: result, labels: input.labels, anchors: input.anchors, dataDirectory: anchors.data)
        if let names = try parsedClassNames() { style.classNames = names }
        // A disk or diamond around one anchor is what the picture shows, not the anchors' triangle.
        if let neighbourhood = neighbourhoodFraming(domainSpec, result) { style.framing = neighbourhood }
        style.domainNote = neighbourhoodNote(domainSpec, anchorLabels: style.anchorLabels)
        var sliceOutputs = SliceOutputs(json: json, regions: regions, exactVertices: exactVertices, pictures: [png, svg, pdf].compactMap { $0 })
        sliceOutputs.parallelism = parallelism
        try sliceOutputs.write(result, network: network, anchors: input.anchors, labels: input.labels, domain: domainSpec, style: style)
    }
}
