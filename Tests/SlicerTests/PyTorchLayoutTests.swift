import Foundation
import Slicer
import Testing
@testable import Engine
@testable import Models

/// A state_dict written by the reference safetensors implementation (make_safetensors_fixture.py)
/// loads as the same network: its logits at the anchors match numpy's, and it slices.
@Suite(.timeLimit(.minutes(20))) struct PyTorchLayoutTests {
    @Test func referenceWriterFileLoadsAsTheSameNetwork() throws {
        let (network, metadata) = try ModelFile.load(path: fixture("pytorch_layout.safetensors"), activation: nil)
        #expect(metadata["format"] == "pt")
        #expect(network.layers.map(\.outputs) == [8, 8, 10])
        #expect(network.inputDimension == 784)
        let anchors = try PointsFile.load(path: fixture("pytorch_layout_anchors.npy"))
        let expected = try NPY.read(path: fixture("pytorch_layout_logits.npy"))
        for (i, anchor) in anchors.enumerated() {
            let logits = network.preActivations(at: anchor).last!
            for (j, value) in logits.enumerated() {
                // Two float64 evaluations of the same sums, in different orders.
                #expect(abs(value - expected.values[i * 10 + j]) <= 1e-12 * max(1, abs(value)))
            }
        }
        let result = try slice(network: network, anchors: anchors)
        #expect(result.regions.count > 1)
        #expect(result.layers.map(\.neurons) == [8, 8])
    }
}
