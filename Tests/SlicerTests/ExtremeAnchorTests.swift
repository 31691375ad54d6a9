import Polytope
import Slicer
import Testing
@testable import Engine

/// Anchors near the ends of float64's range and nearly collinear anchors: the plane is rational, so
/// only an exactly collinear or repeated triple is refused, and both arithmetics agree.
@Suite(.timeLimit(.minutes(20))) struct ExtremeAnchorTests {
    /// Zero-bias networks are positively homogeneous: scaling the anchors by λ > 0 scales every
    /// pre-activation and logit by λ, so the partition in (s, t) is the same.
    static let zeroBiasCases = (0..<48).map { verificationCase($0, seed: 21) }.filter { $0.family == "zero-bias" }

    static func scaled(_ testCase: VerificationCase, by factor: Double) -> VerificationCase {
        var copy = testCase
        copy.anchors = testCase.anchors.map { $0.map { $0 * factor } }
        copy.domain = .square(scale: 1.5)
        return copy
    }

    /// Regions, vertices, edges, boundary segments and the set of activation patterns.
    static func summary(_ testCase: VerificationCase) throws -> [String] {
        let (engine, result) = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
        let patterns = Set(engine.facePattern.map { pattern in (0..<engine.totalHidden).filter { pattern[$0] } })
        return ["\(result.regions.count) regions", "\(result.vertices.count) vertices", "\(result.edges.count) edges",
                "\(result.boundarySegments.count) boundary segments", "patterns \(patterns.map { "\($0)" }.sorted())"]
    }

    @Test(arguments: [0x1p-1000, 0x1p1000, 1e-300, 1e300])
    func certifiedEqualsExactAtExtremeScales(factor: Double) throws {
        #expect(Self.zeroBiasCases.count >= 6)
        for testCase in Self.zeroBiasCases.prefix(6) {
            let extreme = Self.scaled(testCase, by: factor)
            #expect(try compareArithmetics(extreme) == nil, "\(factor): \(extreme)")
        }
    }

    @Test(arguments: [0x1p-1000, 0x1p1000])
    func powerOfTwoScalingKeepsThePartition(factor: Double) throws {
        var nonTrivial = 0
        for testCase in Self.zeroBiasCases.prefix(6) {
            let unit = Self.scaled(testCase, by: 1), extreme = Self.scaled(testCase, by: factor)
            let a = try Self.summary(unit), b = try Self.summary(extreme)
            #expect(a == b, "\(factor): \(testCase)")
            if try runEngine(unit.network, anchors: unit.anchors, arithmetic: .exact).1.regions.count > 4 { nonTrivial += 1 }
            // The frame scales exactly with the anchors.
            let plane = try SlicePlane(anchors: unit.anchors), big = try SlicePlane(anchors: extreme.anchors)
            #expect(big.length1 == plane.length1 * factor && big.height == plane.height * factor && big.uAlong == plane.uAlong * factor)
        }
        #expect(nonTrivial >= 3, "the comparison needs partitions with something in them")
    }

    @Test func mixedMagnitudesInOneAnchorSet() throws {
        // Coordinates from 1e-300 to 1e300 side by side (the plane's extent is set by the large ones).
        var random = TestRandom(seed: 3)
        let network = randomNetwork(widths: [4, 4, 3, 2], activation: .relu, random: &random)
        let magnitudes = [1e300, 3e299, 1e-300, 1]
        let anchors = (0..<3).map { _ in magnitudes.map { $0 * random.uniform() } }
        let testCase = VerificationCase(network: network, anchors: anchors, domain: .square(scale: 1.5), family: "mixed")
        #expect(try compareArithmetics(testCase) == nil)
        let (_, result) = try runEngine(network, anchors: anchors, domain: .square(scale: 1.5), arithmetic: .certified)
        #expect(result.regions.count > 1, "\(result.regions.count) regions")
        #expect(result.vertices.allSatisfy { $0.x.isFinite && $0.y.isFinite })
    }

    @Test func nearlyCollinearAnchorsAreAPlaneWithTheRightHeight() throws {
        // x3 is 2^-40 off the line through x1 and x2: height |d1 × u|/|d1| = 2^-40/√2.
        let anchors: [[Double]] = [[0, 0, 0], [1, 1, 0], [1, 1 + 0x1p-40, 0]]
        let plane = try SlicePlane(anchors: anchors)
        let expected = 0x1p-40 / 2.0.squareRoot()
        #expect(abs(plane.height - expected) <= 4 * expected.ulp)
        #expect(abs(plane.length1 - 2.0.squareRoot()) <= 2 * 2.0.squareRoot().ulp)
        let network = makeNetwork([[([1, -1, 0], 0), ([0, 1, 1], -0.5)], [([1, 1], 0)]])
        for arithmetic in Arithmetic.allCases {
            let result = try slice(network: network, anchors: anchors, options: SliceOptions(arithmetic: arithmetic))
            #expect(result.regions.count >= 2, "\(arithmetic)")
        }
    }

    @Test func onlyExactlyCollinearOrRepeatedAnchorsAreRefused() {
        let collinear: [[[Double]]] = [
            [[1e300, -1e300], [2e300, 0], [1e300, -1e300]],            // repeated
            [[0, 0], [0x1p-1000, 0x1p-1000], [0x1p-999, 0x1p-999]],    // collinear at 2^-1000
            [[1e300, 0, 1], [2e300, 0, 1], [4e300, 0, 1]],             // collinear at 1e300
        ]
        for anchors in collinear {
            #expect(mentions(errorMessage { _ = try SlicePlane(anchors: anchors) }, "collinear or repeated"), "\(anchors)")
        }
        // Distances float64 cannot hold have no picture frame: a clear error, not an infinity.
        let far: [[Double]] = [[-1e308, 0], [1e308, 0], [0, 1e308]]
        #expect(mentions(errorMessage { _ = try SlicePlane(anchors: far) }, "beyond float64's range"))
    }
}
