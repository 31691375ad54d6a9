/// Where each Linear layer's weights ([out × in], row-major) and bias live in the flat parameter vector:
/// W1, b1, W2, b2, … (the order of a PyTorch `nn.Sequential` state_dict).
public struct ParameterLayout: Equatable, Sendable {
    /// Layer widths [input, hidden…, output].
    public let sizes: [Int]
    public let weightOffsets: [Int]
    public let biasOffsets: [Int]
    public let count: Int

    public init(sizes: [Int]) {
        self.sizes = sizes
        var weights: [Int] = [], biases: [Int] = [], offset = 0
        for l in 0..<(sizes.count - 1) {
            weights.append(offset); offset += sizes[l] * sizes[l + 1]
            biases.append(offset); offset += sizes[l + 1]
        }
        weightOffsets = weights; biasOffsets = biases; count = offset
    }

    public var layers: Int { sizes.count - 1 }
    public func inputs(_ layer: Int) -> Int { sizes[layer] }
    public func outputs(_ layer: Int) -> Int { sizes[layer + 1] }
}
