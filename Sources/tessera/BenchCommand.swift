import ArgumentParser
import Foundation
import Render
import Slicer

/// Times the engine on the standard seeded workload (no files needed).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Slice the standard seeded workload and print time and counts.",
        discussion: "The standard workload: a He-initialised ReLU MLP (784→200→200→200→200→10 by default, see --widths) with biases N(0, 0.1²), sliced through three anchors uniform in [0,1]^784 on square:1.5; weights and anchors are float32 values drawn from --seed.")

    @Option(help: "Layer widths, inputs first.") var widths = "784,200,200,200,200,10"
    @Option(help: "Seed of the weights and anchors.") var seed: UInt64 = 0
    @Option(help: "certified or exact.") var arithmetic = "certified"
    @Option(help: "Domain, e.g. square:1.5.") var domain = "square:1.5"
    @Option(help: "Stop with an error past this many regions.") var maxRegions = 2_000_000
    @Option(help: "Also save the workload's model here (safetensors, float32; for --cnn .onnx, or .safetensors with the convolutions unrolled into dense layers).") var saveModel: String?
    @Option(help: "Also save the workload's anchors here (.npy, [3, D]).") var savePoints: String?
    @Flag(help: "Only save the workload; do not slice.") var saveOnly = false
    @Option(help: "Also render the partition to this PNG and time the rendering.") var png: String?
    @Option(help: "Size of the rendered PNG in pixels.") var size = 1600
    @Flag(help: "The CNN workload instead: four 3×3 convolutions on a Fashion-MNIST image, sliced at each --radius.") var cnn = false
    @Option(help: "CNN: radii of the anchor triangle, comma-separated.") var radius = "0.025,0.05,0.1,0.2,0.4"
    @Option(help: "CNN: dataset directory.") var data = "/usr/share/datasets/fashion-mnist"
    @Option(help: "CNN: training image index.") var imageIndex = 0
    @Option(help: "CNN: channels per convolution.") var channels = 32
    @Option(help: "CNN: number of convolutions.") var convolutions = 4
    @OptionGroup var threading: ThreadsOption

    func run() throws {
        if cnn { return try runCNN() }
        let parts = widths.split(separator: ",", omittingEmptySubsequences: false)
        let widthList = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard widthList.count == parts.count, widthList.count >= 2, widthList.allSatisfy({ $0 > 0 }) else { throw TesseraError.badInput("--widths needs at least two positive integers") }
        // Refuse absurd sizes up front rather than overflowing or running out of memory later.
        var parameters = 0
        for (inputs, outputs) in zip(widthList, widthList.dropFirst()) {
            let (weights, overflow) = inputs.multipliedReportingOverflow(by: outputs)
            guard !overflow, weights <= 200_000_000, parameters + weights + outputs <= 200_000_000 else {
                throw TesseraError.badInput("--widths \(widths) needs too many parameters (at most 200000000)")
            }
            parameters += weights + outputs
        }
        guard let mode = Arithmetic(rawValue: arithmetic) else { throw TesseraError.badInput("unknown arithmetic '\(arithmetic)'") }
        let (network, anchors) = try standardWorkload(widths: widthList, seed: seed)
        if let saveModel { try ModelFile.save(network, path: saveModel, dtype: .f32, metadata: ["workload": "spec7", "seed": "\(seed)"]) }
        if let savePoints { try NPY.write(Tensor(shape: [3, widthList[0]], dtype: .f64, values: anchors.flatMap { $0 }), path: savePoints) }
        if saveOnly { return }
        var options = SliceOptions(domain: try parseDomain(domain), arithmetic: mode, maxRegions: maxRegions)
        options.parallelism = try threading.parallelism()
        let result = try slice(network: network, anchors: anchors, options: options) { layer, regions in
            FileHandle.standardError.write(Data("layer \(layer): \(regions) regions\n".utf8))
        }
        if let png {
            let start = Date()
            var style = PartitionStyle(width: size, height: size)
            style.title = "\(result.regions.count) regions"
            try drawPartition(result, style: style, to: png, format: .png)
            print(String(format: "rendered %d regions to a %dx%d PNG in %.3f s", result.regions.count, size, size, Date().timeIntervalSince(start)))
        }
        print("widths \(widths) arithmetic \(result.arithmetic): \(result.regions.count) regions, \(result.vertices.count) vertices, \(result.edges.count) edges, \(result.boundarySegments.count) boundary segments, \(String(format: "%.3f", result.seconds)) s; decisions: \(result.decisions.certified) certified, \(result.decisions.symbolic) symbolic, \(result.decisions.exact) exact")
    }
}
