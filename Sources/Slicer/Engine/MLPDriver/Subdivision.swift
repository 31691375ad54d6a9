import Models
import Polytope

/// Which arithmetic decides the signs of the subdivision.
public enum Arithmetic: String, Sendable, CaseIterable {
    /// Floating point with rigorous error bounds; undecided signs are recomputed exactly.
    case certified
    /// Rational (dyadic) arithmetic for every decision: the reference.
    case exact
}

/// The layer-by-layer subdivision of a convex domain of a slice plane by a network's neurons.
///
/// The combinatorial structure (faces, edges, vertices) is the same whatever the arithmetic; the
/// signs are the sign kernel's (`SignKernel`).
final class Subdivision: ArrangementDriver {
    let network: Network
    /// Where each hidden layer's neurons stand in the concatenated activation pattern.
    let patternLayout: PatternLayout

    var faces: [Face] {
        _read { yield topology.faces }
        _modify { yield &topology.faces }
    }
    var edges: [Edge] {
        _read { yield topology.edges }
        _modify { yield &topology.edges }
    }
    /// Each face's region at the last layer whose maps were built (a registered face column).
    var faceRegion: [Int32] {
        _read { yield records.faces.labels[0].values }
        _modify { yield &records.faces.labels[0].values }
    }

    // Per network layer k: the float maps of every region with their region-independent bounds.
    var maps: [LayerMaps] = []
    /// Per region of the current layer, a point (s, t) of the plane that depends only on the region's
    /// pattern and maps, never on the domain's cut (see `LayerSeeds`): the next layer's base slopes
    /// are the signs there, so a strip of the domain computes the same floats as the whole.
    var seeds: [Double] = []
    /// Every layer's regions, for exact recomputation.
    var history = RegionHistory()
    /// The exact lines, maps and weights computed so far.
    var exact = ExactCaches()

    var layerStats: [LayerStats] = []

    init(network: Network, plane: SlicePlane, arithmetic: Arithmetic, maxRegions: Int, parallelism: Parallelism = .machine) throws {
        guard network.activation.isPiecewiseAffine else {
            throw TesseraError.badInput("activation \(network.activation) is not piecewise affine: the exact engine cannot slice it")
        }
        guard network.inputDimension == plane.dimension else {
            throw TesseraError.badInput("the network takes \(network.inputDimension) inputs but the anchors have \(plane.dimension) coordinates")
        }
        self.network = network
        patternLayout = PatternLayout(widths: network.layers.dropLast().map(\.outputs))
        super.init(plane: plane, kernel: SignKernel(arithmetic), settings: EngineSettings(maxRegions: maxRegions, parallelism: parallelism))
        records.faces.labels = [FaceColumn()]  // faceRegion, inherited by a cut
    }

    var hiddenCount: Int { patternLayout.offsets.count }
    var patternOffsets: [Int] { patternLayout.offsets }
    var totalHidden: Int { patternLayout.total }

    var vertexCount: Int { vertexRecords.count }

    /// Read-only access to the vertex coordinates for hot loops (valid while no vertex is added).
    /// The array is taken first, so that the body may change the records' other columns.
    func withVertexView<R>(_ body: (VertexView) throws -> R) rethrows -> R {
        let vertices = vertexRecords
        return try vertices.withUnsafeBufferPointer { try body(VertexView(records: $0.baseAddress!)) }
    }

    /// The largest |slope| of the activation, which bounds how much a layer can amplify.
    var maxSlope: Double { max(1, abs(network.activation.negativeSlope)) }

    func slope(patternBit: Bool) -> Double {
        patternBit ? network.activation.positiveSlope : network.activation.negativeSlope
    }

    /// Sets up the domain as the single face of region 0.
    func setUpDomain(_ corners: [(s: Double, t: Double)]) {
        setUpDomainFace(corners, patternBits: totalHidden)
    }
}
