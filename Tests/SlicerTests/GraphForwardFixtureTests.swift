import Foundation
import Slicer
import Testing
import TestSupport
@testable import Analysis
@testable import Models

/// The forward pass and the LC estimator on models exported by real PyTorch (both exporters) and on
/// ONNX operator corner cases, against the float64 references stored with them (Fixtures/onnx, made by
/// examples/onnx/make_fixtures.py and lc_reference.py).
@Suite(.timeLimit(.minutes(20))) struct GraphForwardFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/onnx")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Exports whose BatchNorm the exporter folded into float32 convolution weights: the reference is
    /// the unfolded float64 function, so they agree only to float32 rounding.
    static let folded: Set<String> = ["cnn5_w32_bn.dynamo.onnx", "resnet_k4_bn.dynamo.onnx"]

    struct Fixture {
        var file: String, inputs: String, outputs: String
        var externalData: Bool
        var nodes: [(node: String, file: String)]
        /// onnxruntime's float32 logits for this file, when the generator ran it, and their relative
        /// error against the float64 reference as the generator measured it.
        var ort: String?
        var ortError: Double
    }

    static func fixtures() throws -> [Fixture] {
        let data = try Data(contentsOf: directory.appendingPathComponent("index.json"))
        let index = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (index["fixtures"] as! [[String: Any]]).map { entry in
            Fixture(file: entry["file"] as! String, inputs: entry["inputs"] as! String, outputs: entry["outputs"] as! String,
                    externalData: !((entry["external_data"] as? [String]) ?? []).isEmpty,
                    nodes: ((entry["nodes"] as? [[String: Any]]) ?? []).map { ($0["node"] as! String, $0["file"] as! String) },
                    ort: entry["ort"] as? String, ortError: entry["max_relative_error_ort"] as? Double ?? 0)
        }
    }

    /// The model of a fixture (dynamo exports read their weights from the `.onnx.data` beside them).
    func load(_ fixture: Fixture) throws -> GraphModel {
        try ModelLoader.load(path: Self.path(fixture.file))
    }

    @Test func logitsAndNodesMatchThePyTorchReferences() throws {
        var compared = 0, worst = 0.0
        let all = try Self.fixtures()
        for fixture in all {
            let model = try load(fixture)
            let forward = try GraphForward(model: model)
            let inputs = try NPY.read(path: Self.path(fixture.inputs))
            let count = inputs.shape[0]
            let bound = Self.folded.contains(fixture.file) ? 1e-6 : 1e-12
            let logits = try forward.run(inputs.values, count: count)
            let expected = try NPY.read(path: Self.path(fixture.outputs)).values
            let error = relativeError(logits, expected)
            #expect(error <= bound, "\(fixture.file): relative error \(error)")
            worst = max(worst, Self.folded.contains(fixture.file) ? 0 : error)
            for (node, file) in fixture.nodes {
                // A fixed-batch export's node references hold its first point only.
                let reference = try NPY.read(path: Self.path(file))
                let rows = reference.shape[0], dimension = inputs.values.count / count
                let values = try forward.run(Array(inputs.values.prefix(rows * dimension)), count: rows, value: forward.value(named: node))
                #expect(values.count == reference.values.count, "\(fixture.file) node \(node)")
                guard values.count == reference.values.count else { continue }
                let nodeError = relativeError(values, reference.values)
                #expect(nodeError <= bound, "\(fixture.file) node \(node): relative error \(nodeError)")
            }
            compared += 1
        }
        // Every fixture loads and is compared, the dynamo exports with external data among them.
        #expect(compared == all.count && all.filter(\.externalData).count == 8, "compared \(compared) of \(all.count) fixtures")
        #expect(worst <= 1e-12)
    }

    /// A third implementation: onnxruntime's float32 logits (`<model>.ort.npy`) agree with tessera's
    /// float64 forward pass to float32 accuracy, for every file that has them.
    @Test func logitsMatchOnnxruntime() throws {
        let all = try Self.fixtures()
        var files = 0
        for fixture in all {
            guard let ort = fixture.ort else { continue }
            let forward = try GraphForward(model: try load(fixture))
            let inputs = try NPY.read(path: Self.path(fixture.inputs))
            let logits = try forward.run(inputs.values, count: inputs.shape[0])
            let expected = try NPY.read(path: Self.path(ort)).values
            // A fixed-batch export was run on its first point only.
            let compared = Array(logits.prefix(expected.count))
            #expect(!expected.isEmpty && logits.count % expected.count == 0, "\(fixture.file)")
            let error = relativeError(compared, expected)
            // tessera's logits are the reference's to 1e-12: their distance to onnxruntime's is the one
            // the generator measured (float32 arithmetic, float16 weights in init_f16).
            #expect(error <= max(1e-5, 2 * fixture.ortError), "\(fixture.file): relative error \(error) against onnxruntime")
            files += 1
        }
        let stored = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".ort.npy") }
        #expect(files == stored.count && files >= 40, "compared \(files) of \(stored.count) onnxruntime outputs")
    }

    /// The 32-wide CNNs cost most of this test in a debug build: without `fullTests` each is compared
    /// through one export at one radius (0.05); every other model through every export at every radius.
    @Test func lcMatchesThePyTorchEstimatorCountForCount() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("lc-reference.json"))
        let reference = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let frames = try ["random": "lc-frame.npy", "axes": "lc-frame-axes.npy"].mapValues {
            try LCDirections.frame(from: NPY.read(path: Self.path($0)), dimension: 784)
        }
        let points = try PointsFile.load(path: Self.path("lc-points.npy"))
        var compared = 0, windows = 0
        noteFullTestsOnly("lcMatchesThePyTorchEstimatorCountForCount", "the 32-wide CNNs through every export at every radius (here one export at r = 0.05)")
        for entry in reference["models"] as! [[String: Any]] {
            let wide = (entry["model"] as! String).hasPrefix("cnn5_w32") && !fullTests
            let results = (entry["results"] as! [[String: Any]]).filter { !wide || $0["radius"] as? Double == 0.05 }
            for file in (entry["exact_for"] as! [String]).prefix(wide ? 1 : .max) {
                let model = try ModelLoader.load(path: Self.path(file))
                let relu = (entry["layers"] as! [[String: Any]]).map { ($0["onnx_relu_nodes"] as? [String: String])?[file] }
                for result in results {
                    let frame = frames[result["frame"] as? String ?? "random"]!
                    let radius = result["radius"] as! Double
                    let estimator = try LCEstimator(model: model, directions: frame, radii: [radius], countMaxPoolWindows: true, precision: .float32)
                    if relu.allSatisfy({ $0 != nil }) {
                        #expect(estimator.layers.filter { $0.kind == .activation }.map(\.name) == relu.map { $0! }, "\(file)")
                    }
                    let counts = try estimator.estimate(samples: points)[0].counts
                    let activations = estimator.layers.indices.filter { estimator.layers[$0].kind == .activation }
                    let pools = estimator.layers.indices.filter { estimator.layers[$0].kind == .maxPool }
                    #expect(counts.map { row in activations.map { row[$0] } } == result["counts"] as! [[Int]], "\(file) \(result["frame"] ?? "") r = \(radius)")
                    if let expected = result["maxpool_window_counts"] as? [Int] {
                        #expect(counts.map { row in pools.reduce(0) { $0 + row[$1] } } == expected, "\(file) windows r = \(radius)")
                        windows += expected.reduce(0, +)
                    }
                    compared += 1
                }
            }
        }
        #expect(compared == (fullTests ? 51 : 44), "compared \(compared) model-radius pairs")
        #expect(windows > 0)
    }

    @Test func theMLPExportedToONNXHasTheLCOfItsSafetensors() throws {
        let frame = try LCDirections.random(count: 25, dimension: 784, seed: 3)
        let points = try PointsFile.load(path: Self.path("lc-points.npy"))
        let onnx = try LCEstimator(model: ModelLoader.load(path: Self.path("mlp.ts.onnx")), directions: frame,
                                   radii: [0.005, 0.05, 0.5], includeOutput: true, precision: .float32)
        let safetensors = try LCEstimator(model: ModelLoader.load(path: Self.path("mlp.safetensors")), directions: frame,
                                          radii: [0.005, 0.05, 0.5], includeOutput: true, precision: .float32)
        let a = try onnx.estimate(samples: points), b = try safetensors.estimate(samples: points)
        #expect(a == b)
        #expect(a[1].mean > 0)
    }

    @Test func aGraphRunsCheckpointsForwardThroughItsArchitecture() throws {
        let run = Self.path("run-cnn-small")
        let architecture = try #require(ModelLoader.runArchitecture(runDirectory: run))
        let points = try PointsFile.load(path: Self.path("lc-points.npy"))
        var outputs: [[Double]] = []
        for step in ["000000000", "000000010"] {
            let model = try ModelLoader.load(checkpoint: "\(run)/checkpoints/step-\(step).safetensors", architecture: architecture)
            outputs.append(try GraphForward(model: model).run(points.flatMap { $0 }, count: points.count))
        }
        #expect(outputs[0] != outputs[1])   // the checkpoints' weights, not the file's, are used
    }
}
