import Render
import Slicer

/// Partitions computed by the real engine on small seeded networks (the standard workload's recipe:
/// He-initialised ReLU MLP, biases N(0, 0.1²), anchors uniform in [0,1]^D, `square:1.5`).
/// Render tests draw these, so every picture they check is of a genuine exact slice.
enum EngineSlices {
    /// 16 → 24 → 24 → 24 → 1: about 400 regions over three hidden layers, a long decision boundary.
    static let binary = make(widths: [16, 24, 24, 24, 1], seed: 3)
    /// 16 → 24 → 24 → 3: three classes, several regions split into class cells.
    static let ternary = make(widths: [16, 24, 24, 3], seed: 5)
    /// 16 → 16 → 16 → 16 → 16 → 1: four hidden layers.
    static let fourLayers = make(widths: [16, 16, 16, 16, 16, 1], seed: 11)
    /// 32 → 64 → 64 → 64 → 1: about 4,000 regions.
    static let dense = make(widths: [32, 64, 64, 64, 1], seed: 1)

    /// The exact slice of a seeded standard-workload network through its own three anchors.
    static func make(widths: [Int], seed: UInt64) -> SliceResult {
        do {
            let (network, anchors) = try standardWorkload(widths: widths, seed: seed)
            return try slice(network: network, anchors: anchors)
        } catch {
            // Reached only if the engine rejects a network it accepted when these fixtures were chosen.
            fatalError("cannot slice the \(widths) test network (seed \(seed)): \(error)")
        }
    }
}
