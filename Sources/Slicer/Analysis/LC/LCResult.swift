/// The approximate local complexity at one radius, over a set of samples (the paper's Section 3.2).
public struct LCResult: Sendable, Equatable {
    public var radius: Double
    /// Number of samples the statistics are over.
    public var samples: Int
    /// Per counted layer (hidden layers, then the output layer when included): mean over samples.
    public var layerMeans: [Double]
    /// Per counted layer: population standard deviation over samples (divides by N, not N − 1).
    public var layerStds: [Double]
    /// Mean over samples of LC(x) = the sum over counted layers.
    public var mean: Double
    /// Population standard deviation of LC(x) over samples.
    public var std: Double
    /// counts[sample][layer]: units whose pre-activation sign is not the same at all 2P vertices.
    public var counts: [[Int]]

    /// LC(x) per sample (the sum over counted layers).
    public var totals: [Int] { counts.map { $0.reduce(0, +) } }

    public init(radius: Double, counts: [[Int]], layers: Int) {
        self.radius = radius
        self.samples = counts.count
        self.counts = counts
        layerMeans = []
        layerStds = []
        for layer in 0..<layers {
            let (mean, std) = LCResult.meanAndStd(counts.map { $0[layer] })
            layerMeans.append(mean)
            layerStds.append(std)
        }
        (mean, std) = LCResult.meanAndStd(counts.map { $0.reduce(0, +) })
    }

    /// Mean and population standard deviation; (0, 0) for no values.
    static func meanAndStd(_ values: [Int]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance.squareRoot())
    }
}
