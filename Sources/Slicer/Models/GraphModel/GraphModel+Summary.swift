import Foundation

// The model summary `tessera inspect` prints: a torchinfo-style table.

extension GraphModel {
    /// Parameters a node holds (weights and biases; a folded batch norm's scale and shift).
    public func parameterCount(_ node: GraphNode) -> Int {
        switch node.op {
        case .dense(let layer): return layer.weights.count + layer.bias.count
        case .conv(let conv): return conv.weights.count + conv.bias.count
        case .channelAffine(let scale, let shift): return scale.count + shift.count
        case .addConstant(let constant): return constant.count
        case .averagePool, .globalAveragePool, .maxPool, .reshape, .add, .activation: return 0
        }
    }

    /// The node's piecewise units: one per unit of a piecewise-affine activation, one per max-pool
    /// window; smooth activations count their units too (for LC) and say so; nil for affine nodes.
    public func piecewiseUnits(_ node: GraphNode) -> (count: Int, kind: String)? {
        let count = node.shape.reduce(1, *)
        switch node.op {
        case .activation(let activation): return (count, activation.isPiecewiseAffine ? "units" : "units, smooth")
        case .maxPool: return (count, "windows")
        default: return nil
        }
    }

    /// A table with one row per node: name, operator, output shape (with the batch as `batch`),
    /// piecewise units and parameters, then totals and `notes`.
    public func summary(batchName: String = "N", notes: [String] = []) -> String {
        func shape(_ dimensions: [Int]) -> String { "[" + ([batchName] + dimensions.map(String.init)).joined(separator: ", ") + "]" }
        func grouped(_ value: Int) -> String {
            let digits = String(value)
            var result = ""
            for (index, character) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
                result.append(character)
            }
            return result
        }
        var rows: [[String]] = [["Node", "Operator", "Output shape", "Piecewise units", "Parameters"]]
        rows.append([inputName, "input", shape(inputShape), "", ""])
        var parameters = 0, units = 0, smoothUnits = 0
        for node in nodes {
            let count = parameterCount(node)
            parameters += count
            var unitText = ""
            if let piecewise = piecewiseUnits(node) {
                unitText = "\(grouped(piecewise.count)) \(piecewise.kind)"
                if piecewise.kind.hasSuffix("smooth") { smoothUnits += piecewise.count } else { units += piecewise.count }
            }
            rows.append([node.name, node.opType, shape(node.shape), unitText, count > 0 ? grouped(count) : ""])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        let rightAligned: Set<Int> = [3, 4]
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = String(repeating: "=", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        var text = [rule, line(rows[0]), rule] + rows.dropFirst().map(line) + [rule]
        text.append("Input: \(shape(inputShape)) (\(grouped(inputDimension)) values per sample)")
        text.append("Output: \(outputValue == 0 ? inputName : nodes[outputValue - 1].name) \(shape(self.shape(ofValue: outputValue)))")
        text.append("Parameters: \(grouped(parameters))")
        let maxPools = nodes.filter { if case .maxPool = $0.op { return true } else { return false } }.count
        text.append("Piecewise units: \(grouped(units))" + (maxPools > 0 ? " (including max-pool windows)" : "")
                    + (smoothUnits > 0 ? "; smooth units: \(grouped(smoothUnits)) (LC only, not sliceable exactly)" : ""))
        if let network = chainNetwork {
            text.append("Chain MLP: \(([network.inputDimension] + network.layers.map(\.outputs)).map(String.init).joined(separator: "-")) \(network.activation)")
        }
        if hasBatchNormScale && !notes.contains(where: { $0.hasPrefix("batch norm") }) {
            text.append("Note: batch norm scale rounded to float64")
        }
        for note in notes { text.append("Note: \(note)") }
        return text.joined(separator: "\n")
    }
}
