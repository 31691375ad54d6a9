import Foundation
import Models
import Polytope

/// Exact pre-activation lines of hidden units on the regions of a finished slice, in the anchor
/// triangle's coordinates (s', t'): built layer by layer, once per distinct activation prefix.
// @unchecked: built on one thread, then only read by the workers that compute exact vertices.
final class LineTable: @unchecked Sendable {
    /// A domain side (region −1, layer 0, unit = side) or hidden unit `unit` of `layer` seen from `region`.
    struct Ref: Hashable {
        var region: Int
        var layer: Int
        var unit: Int
        func sameLine(as other: Ref) -> Bool {
            (region < 0) == (other.region < 0) && layer == other.layer && unit == other.unit
        }
    }

    struct LineKey: Hashable {
        var layer: Int
        var unit: Int
        var prefix: [UInt64]
    }

    let result: SliceResult
    let network: Network
    let plane: SlicePlane
    let parallelism: Parallelism
    /// Offset of each hidden layer's units in the concatenated pattern.
    let offsets: [Int]
    private(set) var lines: [LineKey: ExactLine] = [:]

    init(result: SliceResult, network: Network, plane: SlicePlane, parallelism: Parallelism) {
        self.result = result
        self.parallelism = parallelism
        self.network = network
        self.plane = plane
        var offsets: [Int] = [], total = 0
        for width in network.hiddenWidths { offsets.append(total); total += width }
        self.offsets = offsets
    }

    /// The pattern bits of hidden layers 1 ..< layer of a region: what fixes the layer's lines there.
    func prefix(region r: Int, layer: Int) -> [UInt64] {
        let bits = offsets[layer - 1]
        let pattern = result.regions[r].pattern
        var words = (0..<min((bits + 63) / 64, pattern.wordCount)).map(pattern.word)
        if bits % 64 != 0 { words[words.count - 1] &= (1 << UInt64(bits % 64)) - 1 }
        return words
    }

    func line(_ ref: Ref) -> ExactLine {
        lines[LineKey(layer: ref.layer, unit: ref.unit, prefix: prefix(region: ref.region, layer: ref.layer))]!
    }

    /// Computes every line the refs name (domain refs are skipped).
    func prepare(_ refs: [Ref]) throws {
        let neuronRefs = refs.filter { $0.region >= 0 }
        guard let deepest = neuronRefs.map(\.layer).max() else { return }
        guard deepest <= offsets.count else { throw TesseraError.badInput("an edge names a layer the network does not have") }
        // Level 1: the first layer's lines are the same on every region.
        var maps: [[UInt64]: [ExactLine]] = [[]: firstLayerLines()]
        for layer in 1...deepest {
            if layer > 1 {
                // Which prefixes this layer needs: whole maps where deeper layers build on them, else single units.
                var representative: [[UInt64]: Int] = [:]
                var units: [[UInt64]: Set<Int>] = [:]
                var whole: Set<[UInt64]> = []
                for ref in neuronRefs where ref.layer >= layer {
                    let key = prefix(region: ref.region, layer: layer)
                    if representative[key] == nil { representative[key] = ref.region }
                    if ref.layer == layer { units[key, default: []].insert(ref.unit) } else { whole.insert(key) }
                }
                let keys = Array(representative.keys)
                var next = [[ExactLine]](repeating: [], count: keys.count)
                let width = network.layers[layer - 1].outputs
                next.withUnsafeMutableBufferPointer { out in
                    let base = out.baseAddress!
                    parallelism.chunks(keys.count, minimumChunk: 1) { range in
                        for index in range {
                            let key = keys[index], region = representative[key]!
                            let inputs = activated(maps[prefix(region: region, layer: layer - 1)]!, region: region, layer: layer - 1)
                            let wanted = whole.contains(key) ? Array(0..<width) : units[key]!.sorted()
                            var map = [ExactLine](repeating: ExactLine(a: .zero, b: .zero, c: .zero), count: whole.contains(key) ? width : 0)
                            var sparse: [ExactLine] = []
                            for j in wanted {
                                let line = neuronLine(layer: layer, unit: j, inputs: inputs)
                                if whole.contains(key) { map[j] = line } else { sparse.append(line) }
                            }
                            base[index] = whole.contains(key) ? map : sparse
                        }
                    }
                }
                var nextMaps: [[UInt64]: [ExactLine]] = [:]
                for (index, key) in keys.enumerated() {
                    if whole.contains(key) {
                        nextMaps[key] = next[index]
                        for j in units[key] ?? [] { lines[LineKey(layer: layer, unit: j, prefix: key)] = next[index][j] }
                    } else {
                        for (j, line) in zip(units[key]!.sorted(), next[index]) { lines[LineKey(layer: layer, unit: j, prefix: key)] = line }
                    }
                }
                maps = nextMaps
            } else {
                for ref in neuronRefs where ref.layer == 1 {
                    lines[LineKey(layer: 1, unit: ref.unit, prefix: [])] = maps[[]]![ref.unit]
                }
            }
        }
    }

    /// Hidden layer 1's pre-activations as lines in (s', t'): W·(x1 + s'·d1 + t'·u) + b.
    func firstLayerLines() -> [ExactLine] {
        let x1 = plane.anchors[0].map(Dyadic.init)
        let inputs = (0..<x1.count).map { i in
            ExactLine(a: Dyadic(plane.anchors[1][i]) - x1[i], b: Dyadic(plane.anchors[2][i]) - x1[i], c: x1[i])
        }
        let width = network.layers[0].outputs
        var out = [ExactLine](repeating: ExactLine(a: .zero, b: .zero, c: .zero), count: width)
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelism.chunks(width, minimumChunk: 8) { range in
                for j in range { base[j] = neuronLine(layer: 1, unit: j, inputs: inputs) }
            }
        }
        return out
    }

    /// A hidden layer's lines after the activation of `region`'s pattern (slope 1 or the negative slope).
    func activated(_ map: [ExactLine], region r: Int, layer: Int) -> [ExactLine] {
        let pattern = result.regions[r].pattern, offset = offsets[layer - 1]
        let negative = Dyadic(network.activation.negativeSlope)
        return map.enumerated().map { i, line in
            pattern[offset + i] ? line : ExactLine(a: negative * line.a, b: negative * line.b, c: negative * line.c)
        }
    }

    /// Unit j of hidden layer `layer` (1-based) from its inputs as lines.
    func neuronLine(layer: Int, unit j: Int, inputs: [ExactLine]) -> ExactLine {
        let dense = network.layers[layer - 1]
        var a = Dyadic.zero, b = Dyadic.zero, c = Dyadic(dense.bias[j])
        let base = j * dense.inputs
        for i in 0..<dense.inputs {
            let weight = dense.weights[base + i]
            if weight == 0 { continue }
            let w = Dyadic(weight), input = inputs[i]
            if !input.a.isZero { a += w * input.a }
            if !input.b.isZero { b += w * input.b }
            if !input.c.isZero { c += w * input.c }
        }
        return ExactLine(a: a.normalized(), b: b.normalized(), c: c.normalized())
    }
}
