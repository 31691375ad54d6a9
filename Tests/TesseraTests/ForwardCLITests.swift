import Foundation
import Slicer
import Testing

/// `tessera forward` and `tessera lc` on ONNX models through the real binary, against the PyTorch
/// references stored with the fixtures (Tests/SlicerTests/Fixtures/onnx).
@Suite(.timeLimit(.minutes(20))) struct ForwardCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SlicerTests/Fixtures/onnx").path
    func fixture(_ name: String) -> String { Self.fixtures + "/" + name }

    func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = b.map(abs).max() ?? 0
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    @Test func logitsAndNodeValuesOfAPyTorchExport() throws {
        let scratch = try CLIScratch()
        let out = scratch.file("logits.npy")
        // float64 matches the float64 references to 1e-12; float32 (the default) to float32 rounding.
        let run = try runTessera(["forward", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("cnn5_w32.inputs.npy"), "--out", out,
                                  "--precision", "float64"])
        #expect(run.status == 0, "\(run)")
        let logits = try NPY.read(path: out)
        #expect(logits.shape == [4, 10])
        #expect(maxRelativeError(logits.values, try NPY.read(path: fixture("cnn5_w32.outputs.npy")).values) <= 1e-12)
        let single = scratch.file("logits32.npy")
        let run32 = try runTessera(["forward", "--model", fixture("cnn5_w32.ts.onnx"), "--points", fixture("cnn5_w32.inputs.npy"), "--out", single])
        #expect(run32.status == 0, "\(run32)")
        let logits32 = try NPY.read(path: single)
        #expect(maxRelativeError(logits32.values, logits.values) <= 1e-4)
        #expect(maxRelativeError(logits32.values, logits.values) > 0, "the default pass is float32")
        let pooled = scratch.file("pooled.npy")
        let node = try runTessera(["forward", "--model", fixture("lenet.ts.onnx"), "--points", fixture("lenet.inputs.npy"),
                                   "--out", pooled, "--node", "/features/features.2/MaxPool", "--precision", "float64"])
        #expect(node.status == 0, "\(node)")
        let values = try NPY.read(path: pooled)
        #expect(values.shape == [4, 6, 14, 14])
        #expect(maxRelativeError(values.values, try NPY.read(path: fixture("lenet.ts.node-features_features.2_MaxPool.npy")).values) <= 1e-12)
    }

    @Test func anMLPSafetensorsForwardsAsItsNetwork() throws {
        let scratch = try CLIScratch()
        let run = try runTessera(["forward", "--model", scratch.file("model.safetensors"), "--points", scratch.file("anchors.npy"),
                                  "--out", scratch.file("y.npy"), "--precision", "float64"])
        #expect(run.status == 0, "\(run)")
        let y = try NPY.read(path: scratch.file("y.npy"))
        // The file holds float32 weights: compare with the network read back from it.
        let network = try ModelFile.load(path: scratch.file("model.safetensors"), activation: nil).network
        #expect(y.shape == [3, 3])
        #expect(maxRelativeError(y.values, scratch.anchors.flatMap { network.preActivations(at: $0).last! }) <= 1e-12)
    }

    @Test func badForwardInputsAreOneLine() throws {
        let scratch = try CLIScratch()
        for (arguments, fragment) in [
            (["--model", scratch.file("model.safetensors"), "--points", scratch.file("anchors.npy"), "--node", "nonesuch"], "no node"),
            (["--model", fixture("cnn5_w32.ts.onnx"), "--points", scratch.file("anchors.npy")], "dimension"),
            (["--model", scratch.file("missing.onnx"), "--points", scratch.file("anchors.npy")], "missing.onnx"),
        ] {
            let run = try runTessera(["forward"] + arguments + ["--out", scratch.file("out.npy")])
            #expect(run.status == 1 && !run.signaled, "\(run)")
            #expect(run.stderrLines.count == 1 && run.stderr.lowercased().contains(fragment), "\(run)")
            #expect(!FileManager.default.fileExists(atPath: scratch.file("out.npy")))
        }
    }

    @Test func lcOfTheMLPExportedToONNXEqualsLCOfItsSafetensors() throws {
        let scratch = try CLIScratch()
        var reports: [[String: Any]] = []
        for model in ["mlp.ts.onnx", "mlp.safetensors"] {
            let json = scratch.file("\(model).json")
            let run = try runTessera(["lc", "--model", fixture(model), "--points", fixture("lc-points.npy"), "--directions", "25",
                                      "--radius", "0.005,0.05,0.5", "--include-output", "--json", json])
            #expect(run.status == 0, "\(run)")
            reports.append(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any])
        }
        func numbers(_ report: [String: Any]) -> [[Double]] {
            (report["radii"] as! [[String: Any]]).map { entry in
                let lc = entry["lc"] as! [String: Double]
                return [lc["mean"]!, lc["std"]!] + (entry["layers"] as! [[String: Any]]).flatMap { [$0["mean"] as! Double, $0["std"] as! Double] }
            }
        }
        #expect(numbers(reports[0]) == numbers(reports[1]))
        #expect(numbers(reports[0])[1][0] > 0)
        let names = ((reports[0]["layers"] as! [[String: Any]])).map { $0["name"] as! String }
        #expect(names == ["/1/Relu", "/3/Relu", "/4/Gemm"])
    }

    @Test func lcOverAGraphRunsCheckpoints() throws {
        let scratch = try CLIScratch()
        let csv = scratch.file("lc.csv")
        let run = try runTessera(["lc", fixture("run-cnn-small"), "--split", "random", "--samples", "4", "--directions", "3",
                                  "--radius", "0.05", "--csv", csv])
        #expect(run.status == 0, "\(run)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)   // header, steps 0 and 10
        #expect(lines[1].hasPrefix("0,random,0.05,4,") && lines[2].hasPrefix("10,random,0.05,4,"))
    }
}
