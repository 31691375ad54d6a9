import Foundation
import Slicer
import Testing
import TestSupport

/// The research loop on graph models through the real binary: a graph run (model.onnx + state_dict
/// checkpoints, Tests/SlicerTests/Fixtures/onnx/run-cnn-small: a 2-convolution, 4-channel CNN trained
/// 10 steps by a PyTorch loop) through slice, render, figure, validate and lc, and LC on the
/// committed CNN and ResNet fixtures against the PyTorch estimator's committed counts.
@Suite(.timeLimit(.minutes(20))) struct GraphRunCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SlicerTests/Fixtures/onnx").path
    func fixture(_ name: String) -> String { Self.fixtures + "/" + name }
    var run: String { fixture("run-cnn-small") }
    /// Small neighbourhoods of training image 0 keep the exact slices of the CNN to a few regions.
    let domain = "disk:0.02@1"

    func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    func csvRows(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test func sliceRenderAndFigureOfAGraphRunAgree() throws {
        let scratch = try CLIScratch()
        // slice of a checkpoint: the architecture found beside checkpoints/, or given explicitly.
        var regions: [String: Int] = [:]
        for (name, extra) in [("found", [String]()), ("explicit", ["--architecture", fixture("run-cnn-small/model.onnx")])] {
            let out = scratch.file("\(name).json")
            let slice = try runTessera(["slice", "--model", "\(run)/checkpoints/step-000000010.safetensors", "--data", "/usr/share/datasets/fashion-mnist",
                                        "--indices", "0,1,2", "--domain", domain, "--json", out] + extra)
            #expect(slice.status == 0, "\(slice)")
            regions[name] = try json(out)["regions"] as? Int
        }
        #expect(regions["found"] != nil && regions["found"] == regions["explicit"])
        #expect((regions["found"] ?? 0) >= 1)

        let render = try runTessera(["render", run, "--indices", "0,1,2", "--domain", domain, "--out", scratch.file("render")])
        #expect(render.status == 0, "\(render)")
        let rows = try csvRows(scratch.file("render/partition.csv"))
        #expect(rows.map { $0["step"] } == ["0", "10"])
        #expect(rows.last?["regions"].flatMap { Int($0) } == regions["found"])
        #expect(FileManager.default.fileExists(atPath: scratch.file("render/frame-000000010.png")))

        let figure = try runTessera(["figure", run, "--indices", "0,1,2", "--domain", domain, "--samples", "4", "--directions", "5", "--lc-sets", "train",
                                     "--steps", "0,0,10,10", "--png", scratch.file("figure.png"), "--json", scratch.file("figure.json")])
        #expect(figure.status == 0, "\(figure)")
        let chosen = try json(scratch.file("figure.json"))["chosen"] as! [[String: Any]]
        #expect(chosen.map { $0["regions"] as! Int }.last == regions["found"])
        #expect(chosen.map { $0["regions"] as! Int }.first.map(String.init) == rows.first?["regions"])
        #expect(FileManager.default.fileExists(atPath: scratch.file("figure.png")))
    }

    @Test func validateOnAGraphRunInDiamondsAndDisks() throws {
        let scratch = try CLIScratch()
        for shape in ["diamond", "disk"] {
            let csv = scratch.file("\(shape).csv")
            let validate = try runTessera(["validate", run, "--samples", "3", "--radius", "0.05", "--directions", "5", "--domain", shape,
                                           "--csv", csv, "--json", scratch.file("\(shape).json")])
            #expect(validate.status == 0, "\(validate)")
            let rows = try csvRows(csv)
            #expect(rows.count == 6)   // 2 checkpoints × 3 samples
            for row in rows {
                let value = { (key: String) in Int(row[key] ?? "") ?? -1 }
                // The vertices' sign changes are a subset of the exact cut (the domain is convex and holds them).
                for layer in 1...2 {
                    #expect(value("lc2_layer\(layer)") >= 0 && value("lc2_layer\(layer)") <= value("exact_cut_layer\(layer)"), "\(shape) \(row)")
                }
                // Every cut unit splits the neighbourhood: at least one more region than cuts in the first layer.
                #expect(value("exact_regions") >= 1 + value("exact_cut_layer1"), "\(shape) \(row)")
            }
            #expect(try json(scratch.file("\(shape).json"))["domain"] as? String == shape)
        }
    }

    /// `lc --model M --points --frame` per layer against the committed PyTorch estimator's counts
    /// (examples/onnx/lc_reference.py: forward hooks on the ReLU inputs, float64), CNNs and ResNets
    /// with and without batch norm. Counts are integers: their per-layer sums over the five points
    /// must agree exactly (the library test `lcMatchesThePyTorchEstimatorCountForCount` compares every
    /// point's count); the stds are floating summaries of those counts, and the JSON text carries them
    /// to 16 digits, so they are compared to 1e-12.
    ///
    /// Exactly-zero pre-activations: the axis frame on the zero-bias LeNet gives 5,230 of them (units
    /// whose receptive field is black background at every vertex are exactly 0 there). Both
    /// implementations give zero its own sign class (−1, 0, +1): a unit that is 0 at every vertex is
    /// not counted, one that is 0 at most vertices and ±r·w at the two moved ones is. The zeros are
    /// exact in both, not rounding (sums of 0·w are 0 in floating point), so the counts agree exactly
    /// there too: no sign flip at zero is tolerated or needs to be.
    ///
    /// The two 32-wide CNNs take minutes in a debug build: they run with `fullTests`, which CI sets in a
    /// step of its own against the release binary (scripts/run-full-tests.sh).
    @Test func lcPerLayerEqualsThePyTorchEstimatorOnCNNsAndResNets() throws {
        let scratch = try CLIScratch()
        let reference = try json(fixture("lc-reference.json"))
        let wide: [(model: String, file: String, frame: String)] = [
            ("cnn5_w32", "cnn5_w32.ts.onnx", "random"), ("cnn5_w32_bn", "cnn5_w32_bn.ts.onnx", "random"),
        ]
        noteFullTestsOnly("lcPerLayerEqualsThePyTorchEstimatorOnCNNsAndResNets", "the 32-wide CNNs cnn5_w32 and cnn5_w32_bn")
        let cases = (fullTests ? wide : []) + [
            ("resnet_k4", "resnet_k4.ts.onnx", "random"), ("resnet_k4_bn", "resnet_k4_bn.ts.onnx", "random"),
            ("lenet_zero_bias", "lenet_zero_bias.ts.onnx", "axes"),
        ]
        var compared = 0
        for entry in cases {
            let model = (reference["models"] as! [[String: Any]]).first { $0["model"] as? String == entry.model }!
            let results = (model["results"] as! [[String: Any]]).filter { $0["frame"] as? String == entry.frame }
            let relu = (model["layers"] as! [[String: Any]]).map { ($0["onnx_relu_nodes"] as! [String: String])[entry.file]! }
            let out = scratch.file("\(entry.model).json")
            let lc = try runTessera(["lc", "--model", fixture(entry.file), "--points", fixture("lc-points.npy"),
                                     "--frame", fixture(entry.frame == "axes" ? "lc-frame-axes.npy" : "lc-frame.npy"),
                                     "--radius", results.map { "\($0["radius"] as! Double)" }.joined(separator: ","), "--json", out])
            #expect(lc.status == 0, "\(lc)")
            let radii = try json(out)["radii"] as! [[String: Any]]
            #expect(radii.count == results.count)
            for (mine, theirs) in zip(radii, results) {
                #expect(mine["radius"] as? Double == theirs["radius"] as? Double)
                let counts = theirs["counts"] as! [[Int]]
                let layers = mine["layers"] as! [[String: Any]]
                // The layers are the ReLUs in order, their units the ReLU inputs (the ResNets' batch-norm outputs).
                #expect(layers.map { $0["name"] as? String } == relu, "\(entry.file)")
                for (l, layer) in layers.enumerated() {
                    let column = counts.map { $0[l] }
                    let mean = layer["mean"] as! Double
                    #expect(mean * Double(counts.count) == Double(column.reduce(0, +)), "\(entry.file) r = \(theirs["radius"]!) layer \(l + 1)")
                    let std = layer["std"] as! Double, expected = populationStd(column)
                    #expect(abs(std - expected) <= 1e-12 * max(1, expected), "\(entry.file) layer \(l + 1): \(std) vs \(expected)")
                    let published = (theirs["layers"] as! [[String: Any]])[l]
                    #expect(published["mean"] as? Double == Double(column.reduce(0, +)) / Double(counts.count))
                }
                let totals = counts.map { $0.reduce(0, +) }
                #expect(((mine["lc"] as! [String: Double])["mean"]! * Double(counts.count)) == Double(totals.reduce(0, +)))
                compared += 1
            }
        }
        #expect(compared == 3 * cases.count)
    }

    func populationStd(_ values: [Int]) -> Double {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
    }

    @Test func lcLayersByNameOrIndexAndTheDeformation() throws {
        let scratch = try CLIScratch()
        let model = fixture("resnet_k4_bn.ts.onnx")
        // float64: the input stage's diameter is checked to 1e-12 below (float32 rounds it at ~1e-8).
        let common = ["lc", "--model", model, "--points", fixture("lc-points.npy"), "--frame", fixture("lc-frame.npy"),
                      "--precision", "float64"]
        let all = scratch.file("all.json"), some = scratch.file("some.json")
        #expect(try runTessera(common + ["--radius", "0.05", "--json", all]).status == 0)
        let chosen = try runTessera(common + ["--radius", "0.05", "--layers", "/stages/stages.1/stages.1.0/relu1/Relu,1",
                                              "--json", some, "--deformation", "--deformation-plot", scratch.file("deformation.png"),
                                              "--plot", scratch.file("profile.png")])
        #expect(chosen.status == 0, "\(chosen)")
        let full = try json(all)["layers"] as! [[String: Any]]
        let picked = try json(some)
        let layers = picked["layers"] as! [[String: Any]]
        #expect(layers.map { $0["name"] as? String } == [full[2]["name"] as? String, full[0]["name"] as? String])
        #expect(layers.map { $0["mean"] as? Double } == [full[2]["mean"] as? Double, full[0]["mean"] as? Double])
        let sum = (full[2]["mean"] as! Double) + (full[0]["mean"] as! Double)
        #expect(abs((picked["lc"] as! [String: Double])["mean"]! - sum) <= 1e-12 * sum)
        // The deformation: the input stage is the cross-polytope itself, eccentricity = diameter = 2√2·r.
        let deformation = (picked["deformation"] as! [String: Any])["results"] as! [[String: Any]]
        let stages = deformation[0]["stages"] as! [[String: Any]]
        #expect(stages.count == full.count + 1)
        let input = stages[0]
        for key in ["eccentricity", "diameter"] {
            let value = (input[key] as! [String: Any])["mean"] as! Double
            #expect(abs(value - 2 * 2.0.squareRoot() * 0.05) <= 1e-12, "\(key) \(value)")
            #expect(stages.dropFirst().allSatisfy { (($0[key] as! [String: Any])["mean"] as! Double) > 0 })
        }
        #expect(FileManager.default.fileExists(atPath: scratch.file("deformation.png")))
        #expect(FileManager.default.fileExists(atPath: scratch.file("profile.png")))   // one model: its layer profile
    }

    @Test func badGraphRunInputsAreOneLine() throws {
        let scratch = try CLIScratch()
        let checkpoint = "\(run)/checkpoints/step-000000010.safetensors"
        for (arguments, fragment) in [
            (["lc", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("lc-points.npy"), "--layers", "99", "--json", scratch.file("x.json")], "no layer 99"),
            (["lc", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("lc-points.npy"), "--layers", "nonesuch", "--json", scratch.file("x.json")], "nonesuch"),
            (["lc", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("lc-points.npy"), "--layers", "1,1", "--json", scratch.file("x.json")], "twice"),
            (["lc", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("lc-points.npy"), "--deformation-plot", scratch.file("x.png")], "--deformation"),
            (["validate", run, "--domain", "square", "--json", scratch.file("x.json")], "diamond or disk"),
            (["slice", "--model", checkpoint, "--architecture", scratch.file("model.safetensors"), "--data", "/usr/share/datasets/fashion-mnist",
              "--indices", "0,1,2", "--json", scratch.file("x.json")], "--architecture"),
            (["slice", "--model", checkpoint, "--architecture", fixture("cnn5_w32.ts.onnx"), "--data", "/usr/share/datasets/fashion-mnist",
              "--indices", "0,1,2", "--json", scratch.file("x.json")], "step-000000010"),
        ] {
            let result = try runTessera(arguments)
            #expect(result.status == 1 && !result.signaled, "\(arguments): \(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(fragment), "\(arguments): \(result)")
            #expect(!FileManager.default.fileExists(atPath: scratch.file("x.json")) && !FileManager.default.fileExists(atPath: scratch.file("x.png")))
        }
    }
}
