import Foundation
import Slicer

extension BenchCommand {
    /// The CNN workload's radius sweep: regions, seconds and peak memory per radius.
    func runCNN() throws {
        guard let mode = Arithmetic(rawValue: arithmetic) else { throw TesseraError.badInput("unknown arithmetic '\(arithmetic)'") }
        let radii = try radius.split(separator: ",").map { text -> Double in
            guard let r = Double(text.trimmingCharacters(in: .whitespaces)), r > 0, r.isFinite else {
                throw TesseraError.badInput("--radius needs positive numbers, got '\(text)'")
            }
            return r
        }
        guard channels > 0, convolutions >= 0 else { throw TesseraError.badInput("--channels must be positive and --convolutions non-negative") }
        if saveModel != nil || savePoints != nil {
            guard radii.count == 1 else { throw TesseraError.badInput("--save-model and --save-points need a single --radius") }
        } else if saveOnly {
            throw TesseraError.badInput("--save-only needs --save-model or --save-points")
        }
        let image = try Dataset.load(directory: data, split: "train", samples: [imageIndex]).image(0)
        for r in radii {
            let (graph, anchors) = cnnWorkload(image: image, radius: r, seed: seed, channels: channels, convolutions: convolutions)
            try saveCNN(graph, anchors: anchors, radius: r)
            if saveOnly { return }
            var options = SliceOptions(domain: try parseDomain(domain), arithmetic: mode, maxRegions: maxRegions)
            options.parallelism = try threading.parallelism()
            let result = try slice(graph: graph, anchors: anchors, options: options)
            print(String(format: "cnn r %g arithmetic %@: %d regions, %d vertices, %d edges, %d boundary segments, %.3f s, peak RSS %.0f MB; decisions: %d certified, %d symbolic, %d exact",
                         r, result.arithmetic, result.regions.count, result.vertices.count, result.edges.count,
                         result.boundarySegments.count, result.seconds, peakResidentMegabytes(),
                         result.decisions.certified, result.decisions.symbolic, result.decisions.exact))
            print("  layers: " + result.layers.map { "\($0.index): \($0.neuronsCut) cut, \($0.regions) regions" }.joined(separator: "; "))
        }
    }
}

extension BenchCommand {
    /// Writes the CNN workload's model (`.onnx`: the network as it is; `.safetensors`: its
    /// convolutions unrolled into dense layers, a PyTorch `nn.Sequential` state_dict of float32 values,
    /// for dense-only peers) and its anchors (.npy, [3, H·W], float64).
    func saveCNN(_ graph: GraphModel, anchors: [[Double]], radius: Double) throws {
        let metadata = ["workload": "cnn", "seed": "\(seed)", "radius": "\(radius)", "channels": "\(channels)",
                        "convolutions": "\(convolutions)", "image_index": "\(imageIndex)"]
        if let saveModel {
            if saveModel.lowercased().hasSuffix(".onnx") {
                try OutputFile.write(Data(try ONNXModel.encode(graph)), to: saveModel)
            } else if saveModel.lowercased().hasSuffix(".safetensors") {
                guard let network = graph.convolutionsUnrolled.chainNetwork else {
                    throw TesseraError.badInput("the CNN workload does not unroll into a chain of dense layers")
                }
                try ModelFile.save(network, path: saveModel, dtype: .f32, metadata: metadata)
            } else {
                throw TesseraError.badInput("--save-model for the CNN needs a .onnx or .safetensors path, got '\(saveModel)'")
            }
        }
        if let savePoints {
            try NPY.write(Tensor(shape: [3, anchors[0].count], dtype: .f64, values: anchors.flatMap { $0 }), path: savePoints)
        }
    }
}

/// The process's peak resident memory (VmHWM), in megabytes.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
