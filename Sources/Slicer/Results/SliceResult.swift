import Polytope

/// A part of a region where one class wins (only for regions the decision boundary crosses).
public struct ClassCell: Sendable {
    public var polygon: [Point2]
    public var label: Int
    public init(polygon: [Point2], label: Int) { self.polygon = polygon; self.label = label }
}

/// One linear region of the slice. Coordinates are input-space units in the plane's orthonormal frame.
public struct SliceRegion: Sendable {
    /// Counter-clockwise indices into `SliceResult.vertices`.
    public var vertexIndices: [Int]
    public var pattern: ActivationPattern
    /// The class winning at the region's centroid (for K = 1: 1 if the output is positive, else 0).
    public var predictedClass: Int
    /// Non-empty only when the decision boundary crosses the region.
    public var classCells: [ClassCell]
    /// Norm of the in-plane gradient of the winning logit, per input-space unit.
    public var slope: Double
    /// Area in input-space units.
    public var area: Double

    public init(vertexIndices: [Int], pattern: ActivationPattern, predictedClass: Int, classCells: [ClassCell], slope: Double, area: Double) {
        self.vertexIndices = vertexIndices
        self.pattern = pattern
        self.predictedClass = predictedClass
        self.classCells = classCells
        self.slope = slope
        self.area = area
    }
}

/// An edge of the partition; `layer` 0 marks the domain boundary, otherwise the hidden layer (1-based)
/// and neuron (0-based within the layer) whose zero set made it.
public struct SliceEdge: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var layer: Int
    public var neuron: Int
    public init(from: Int, to: Int, layer: Int, neuron: Int) {
        self.from = from; self.to = to; self.layer = layer; self.neuron = neuron
    }
}

/// Per-hidden-layer statistics of a slice.
public struct LayerStats: Sendable, Codable, Equatable {
    /// 1-based hidden layer index.
    public var index: Int
    public var neurons: Int
    /// Neurons whose zero set meets the domain interior.
    public var neuronsCut: Int
    /// Region count after this layer's subdivision.
    public var regions: Int
    /// For a max-pool layer (whose `neurons` are its windows and `neuronsCut` the windows whose
    /// winner changes in the domain): the positions of a window, its bits in the pattern (bit
    /// w·positions + p is set when window w's winner is its kernel position p, row-major). Nil for
    /// activation layers (one bit per unit: its input is positive).
    public var windowPositions: Int? = nil
    /// Bit j set when unit j (for a max pool: window slot j) is positive (wins) somewhere in the domain,
    /// and when it is negative somewhere: what `neuronsCut` counts, kept so strips can be joined.
    public var positiveSomewhere: [UInt64]? = nil
    public var negativeSomewhere: [UInt64]? = nil
    public init(index: Int, neurons: Int, neuronsCut: Int, regions: Int) {
        self.index = index; self.neurons = neurons; self.neuronsCut = neuronsCut; self.regions = regions
    }

    /// The statistics, not how a run marked its units (which differs between arithmetics).
    public static func == (a: LayerStats, b: LayerStats) -> Bool {
        a.index == b.index && a.neurons == b.neurons && a.neuronsCut == b.neuronsCut && a.regions == b.regions
            && a.windowPositions == b.windowPositions
    }
}

/// Everything a slice computes: the partition, the decision boundary, statistics, and the framing.
public struct SliceResult: Sendable {
    /// "exact" or "certified": the arithmetic that ran.
    public var arithmetic: String
    public var domainKind: String
    /// Domain corners, counter-clockwise, in the plane frame (input-space units, origin at anchor 1).
    public var domainPolygon: [Point2]
    public var domainArea: Double
    /// The three anchors in the plane frame.
    public var anchors: [Point2]
    public var vertices: [Point2]
    public var regions: [SliceRegion]
    public var edges: [SliceEdge]
    public var boundarySegments: [(Point2, Point2)]
    public var layers: [LayerStats]
    /// Number of network outputs (logits).
    public var outputs: Int
    public var seconds: Double
    /// How the sign decisions were taken (certified by a float bound, symbolic, exact).
    public var decisions = DecisionCounts()
    /// A strip's slice (`SliceOptions.strip`): the exact (s, t) of its corners and of every vertex on its seams.
    /// Indices are `vertices`' for the partition; the decision boundary's own vertices follow them.
    public var stripVertices: [Int: ExactPoint] = [:]
    /// A strip's slice: `boundarySegments` as vertex indices (in `stripVertices`' numbering).
    public var stripSegmentVertices: [(Int, Int)] = []
    /// True when the model's batch-norm scales γ/√(σ²+ε) were taken as their float64 roundings.
    public var batchNormScale = false

    public init(arithmetic: String, domainKind: String, domainPolygon: [Point2], domainArea: Double,
                anchors: [Point2], vertices: [Point2], regions: [SliceRegion], edges: [SliceEdge],
                boundarySegments: [(Point2, Point2)], layers: [LayerStats], outputs: Int, seconds: Double) {
        self.arithmetic = arithmetic
        self.domainKind = domainKind
        self.domainPolygon = domainPolygon
        self.domainArea = domainArea
        self.anchors = anchors
        self.vertices = vertices
        self.regions = regions
        self.edges = edges
        self.boundarySegments = boundarySegments
        self.layers = layers
        self.outputs = outputs
        self.seconds = seconds
    }

    public var boundaryLength: Double { boundarySegments.reduce(0) { $0 + ($1.1 - $1.0).length } }
}
