import BigInt
import Foundation
import Polytope
import Slicer
import Testing
@testable import Analysis
@testable import Engine
@testable import Models

/// The domain screen: every unit it settles has that sign at every point of the domain (checked by
/// an exact rational forward pass at corners and interior points), and it settles most units of a
/// small domain.
@Suite(.timeLimit(.minutes(20))) struct DomainScreenTests {
    /// Exact points of the domain: up to eight of its corners (evenly spread), the midpoints between
    /// them, and seeded convex combinations.
    static func samplePoints(_ corners: [(s: Double, t: Double)], seed: UInt64) -> [(s: Rational, t: Rational)] {
        let chosen = stride(from: 0, to: corners.count, by: max(1, corners.count / 8)).map { corners[$0] }
        let exact = chosen.map { (s: Rational(Dyadic($0.s)), t: Rational(Dyadic($0.t))) }
        var points = exact
        for i in exact.indices {
            let j = (i + 1) % exact.count
            points.append(((exact[i].s + exact[j].s) / Rational(2), (exact[i].t + exact[j].t) / Rational(2)))
        }
        var random = SeededGenerator(seed: seed)
        for _ in 0..<6 {
            let weights = exact.map { _ in Int(random.next() % 7) + 1 }
            let total = Rational(weights.reduce(0, +))
            var s = Rational.zero, t = Rational.zero
            for (w, p) in zip(weights, exact) { s = s + Rational(w) * p.s; t = t + Rational(w) * p.t }
            points.append((s / total, t / total))
        }
        return points
    }

    /// The first activation level's units that keep one sign on the whole domain, clear of zero by far
    /// more than rounding: those the screen must settle. That level is affine in (s, t), so its sign
    /// on the convex domain is its sign at the corners, where it is evaluated exactly (from its exact
    /// values at three corners).
    static func clearlySignedFirstLevelUnits(_ testCase: GraphVerificationCase, plan: GraphPlan,
                                             corners: [(s: Double, t: Double)]) -> [Int] {
        guard plan.levels > 0, plan.maxPool(level: 0) == nil, corners.count >= 3 else { return [] }
        let point = exactPlanePoint(testCase.anchors)
        let p = corners.prefix(3).map { (s: Rational(Dyadic($0.s)), t: Rational(Dyadic($0.t))) }
        let v = p.map { rationalForward(testCase.graph, at: point($0.s, $0.t)).activationInputs[0] }
        // a·s + b·t + c through the three (non-collinear: the domain is strictly convex) corners.
        let det = (p[1].s - p[0].s) * (p[2].t - p[0].t) - (p[2].s - p[0].s) * (p[1].t - p[0].t)
        return v[0].indices.filter { j in
            let a = ((v[1][j] - v[0][j]) * (p[2].t - p[0].t) - (v[2][j] - v[0][j]) * (p[1].t - p[0].t)) / det
            let b = ((p[1].s - p[0].s) * (v[2][j] - v[0][j]) - (p[2].s - p[0].s) * (v[1][j] - v[0][j])) / det
            let c = v[0][j] - a * p[0].s - b * p[0].t
            let values = corners.map { a * Rational(Dyadic($0.s)) + b * Rational(Dyadic($0.t)) + c }
            let size = values.map { abs($0.doubleValue) }
            let clear = size.allSatisfy { $0 > 1e-6 * (1 + size.max()!) }
            return clear && (values.allSatisfy { $0.signum > 0 } || values.allSatisfy { $0.signum < 0 })
        }
    }

    /// Checks the screen of a case against exact forward passes, and that it settles every clearly
    /// signed unit of the first level; returns (settled, unsettled, clearly signed) counts.
    @discardableResult
    static func checkScreen(_ testCase: GraphVerificationCase, seed: UInt64) throws -> (settled: Int, unsettled: Int, required: Int) {
        let plane = try SlicePlane(anchors: testCase.anchors)
        let plan = try GraphPlan(testCase.graph)
        let corners = try testCase.domain.corners(plane: plane)
        let screen = DomainScreen(plan: plan, plane: plane, corners: corners)
        let a = testCase.anchors.map { $0.map { Rational(Dyadic($0)) } }
        for (s, t) in samplePoints(corners, seed: seed) {
            let input = a[0].indices.map { a[0][$0] + s * (a[1][$0] - a[0][$0]) + t * (a[2][$0] - a[0][$0]) }
            let levels = rationalForward(testCase.graph, at: input).activationInputs
            for m in 0..<plan.levels where plan.maxPool(level: m) == nil {
                let positive = Set(screen.positive[m])
                for (j, value) in levels[m].enumerated() where !screen.isUnsettled[m][j] {
                    if positive.contains(j) {
                        #expect(value.signum > 0, "level \(m) unit \(j) screened positive but is \(value): \(testCase)")
                    } else {
                        #expect(value.signum < 0, "level \(m) unit \(j) screened negative but is \(value): \(testCase)")
                    }
                }
            }
        }
        var settled = 0, unsettled = 0
        for m in 0..<plan.levels where plan.maxPool(level: m) == nil {
            unsettled += screen.unsettled[m].count
            settled += screen.isUnsettled[m].count - screen.unsettled[m].count
            #expect(screen.unsettled[m] == screen.isUnsettled[m].indices.filter { screen.isUnsettled[m][$0] })
        }
        let required = clearlySignedFirstLevelUnits(testCase, plan: plan, corners: corners)
        for j in required {
            #expect(!screen.isUnsettled[0][j], "level 0 unit \(j) keeps one sign on the domain but was not settled: \(testCase)")
        }
        return (settled, unsettled, required.count)
    }

    @Test(arguments: 0..<16)
    func settledUnitsKeepTheirSign(index: Int) throws {
        try Self.checkScreen(graphVerificationCase(index, seed: 11), seed: UInt64(index))
    }

    @Test(arguments: 0..<5)
    func settledUnitsKeepTheirSignPastMaxPools(index: Int) throws {
        try Self.checkScreen(maxPoolVerificationCase(index, seed: 11), seed: UInt64(index))
    }

    /// Non-vacuity of the cases above: most of them have first-level units the screen must settle.
    @Test func mostCasesHaveUnitsTheScreenMustSettle() throws {
        let cases = (0..<16).map { graphVerificationCase($0, seed: 11) } + (0..<5).map { maxPoolVerificationCase($0, seed: 11) }
        let withUnits = try cases.filter { testCase in
            let plane = try SlicePlane(anchors: testCase.anchors)
            return !Self.clearlySignedFirstLevelUnits(testCase, plan: try GraphPlan(testCase.graph),
                                                      corners: try testCase.domain.corners(plane: plane)).isEmpty
        }.count
        #expect(withUnits >= 12, "only \(withUnits) of \(cases.count) cases have first-level units the screen must settle")
    }

    /// Non-vacuity: on a small disk of a convolutional network most units (over 80 %) are settled, with both
    /// signs among them, and every unit the slice cuts is among the unsettled ones.
    @Test func settlesMostUnitsOfASmallDomain() throws {
        let image = (0..<64).map { 0.5 + 0.4 * sin(Double($0) * 0.37) }
        let (graph, anchors) = cnnWorkload(image: image, height: 8, width: 8, radius: 0.01, seed: 3, channels: 4, convolutions: 2)
        let testCase = GraphVerificationCase(graph: graph, anchors: anchors, domain: try DomainSpec(parsing: "disk:1"), family: "cnn")
        let (settled, unsettled, _) = try Self.checkScreen(testCase, seed: 1)
        #expect(settled > 4 * unsettled, "settled \(settled), unsettled \(unsettled)")
        let plane = try SlicePlane(anchors: anchors)
        let screen = DomainScreen(plan: try GraphPlan(graph), plane: plane, corners: try testCase.domain.corners(plane: plane))
        #expect(screen.positive.allSatisfy { !$0.isEmpty })
        #expect(zip(screen.positive, screen.isUnsettled).allSatisfy { $0.count + $1.filter { $0 }.count < $1.count }, "some units settled negative")
        let engine = try runGraphEngine(graph, anchors: anchors, domain: testCase.domain, arithmetic: .certified)
        for m in 0..<engine.plan.levels {
            let cut = zip(engine.positiveSomewhere[m], engine.negativeSomewhere[m]).map { $0 & $1 }
            for j in 0..<screen.isUnsettled[m].count where cut[j >> 6] & (1 << UInt64(j & 63)) != 0 {
                #expect(screen.isUnsettled[m][j], "level \(m) unit \(j) is cut but was settled")
            }
        }
        #expect(engine.layerStats.contains { $0.neuronsCut > 0 }, "the slice cuts some unit")
    }
}
