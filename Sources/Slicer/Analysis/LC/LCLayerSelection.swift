import Models

/// Which counted layers `lc --layers` keeps: 1-based layer indices (topological order, as the JSON
/// numbers them) or node names, comma-separated. LC is then the sum over the kept layers.
public struct LCLayerSelection: Sendable, Equatable {
    public var items: [String]

    /// Parses "1,3,relu_2"; an empty list is an error.
    public init(parsing text: String) throws {
        items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw TesseraError.badInput("--layers needs node names or layer indices, e.g. 1,3 or /relu/Relu") }
    }

    /// Positions into `layers` in the order given; an unknown name or index, or a repeat, is one error.
    public func resolve(_ layers: [LCLayer]) throws -> [Int] {
        var chosen: [Int] = []
        for item in items {
            let position: Int
            // A number is a layer index even where a node has that name (an MLP's ReLUs are nodes "1", "3", ...).
            if let index = Int(item) {
                guard index >= 1 && index <= layers.count else {
                    throw TesseraError.badInput("--layers: no layer \(index) (the model has layers 1 to \(layers.count))")
                }
                position = index - 1
            } else if let named = layers.firstIndex(where: { $0.name == item }) {
                position = named
            } else {
                let known = layers.prefix(6).map(\.name).joined(separator: ", ")
                throw TesseraError.badInput("--layers: no counted layer is named '\(item)' (layers: \(known)\(layers.count > 6 ? ", ..." : ""); or 1 to \(layers.count))")
            }
            guard !chosen.contains(position) else { throw TesseraError.badInput("--layers names layer \(position + 1) twice") }
            chosen.append(position)
        }
        return chosen
    }
}

extension LCResult {
    /// The same samples with only the counted layers at `positions` (LC is their sum).
    public func keeping(_ positions: [Int]) -> LCResult {
        LCResult(radius: radius, counts: counts.map { row in positions.map { row[$0] } }, layers: positions.count)
    }
}

extension LCReport {
    /// The report with only the counted layers at `positions`.
    public func keeping(_ positions: [Int]) -> LCReport {
        var copy = self
        copy.results = results.map { (set: $0.set, byRadius: $0.byRadius.map { $0.keeping(positions) }) }
        if !layers.isEmpty { copy.layers = positions.map { layers[$0] } }
        return copy
    }
}
