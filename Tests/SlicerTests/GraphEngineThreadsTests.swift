import Slicer
import Testing
@testable import Engine
import TestSupport

/// The graph engine on several threads gives the one-thread subdivision: the same faces in the same
/// order, the same vertices (one per point where two copies met on a seam), patterns, edges, vertex
/// lines, decision boundary and layer statistics.
@Suite(.serialized, .oneAtATime, .timeLimit(.minutes(20))) struct GraphEngineThreadsTests {
    /// Two cases of each family; CI's `tessera verify --graphs` sweep compares thousands more (certified
    /// on two threads against exact on one).
    static let cases = (0..<16).map { graphVerificationCase($0, seed: 11) }

    @Test(arguments: [2, 3])
    func threadsGiveTheOneThreadSubdivision(threads: Int) throws {
        var shared = 0, twins = 0
        for (index, testCase) in Self.cases.enumerated() {
            #expect(try compareGraphThreads(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, threads: threads) == nil,
                    "case \(index): \(testCase)")
            let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain,
                                            arithmetic: .certified, threads: threads, roundRobin: true)
            if engine.sharing.workers > 1 { shared += 1 }
            twins += engine.sharing.seamTwins
        }
        // Not vacuous: most cases are shared out, and copies meet at common vertices on seams.
        #expect(shared > Self.cases.count / 2, "only \(shared) of \(Self.cases.count) cases were shared out")
        #expect(twins > 0)
    }

    @Test func aSmallCNNOnTwoThreadsEqualsOneThread() throws {
        // A 12×12 image, three convolutions of 4 channels: a few hundred regions.
        let image = (0..<144).map { Double(($0 * 37) % 256) / 255 }
        let (graph, anchors) = cnnWorkload(image: image, height: 12, width: 12, radius: 1.0, seed: 3, channels: 4, convolutions: 3)
        #expect(try compareGraphThreads(graph, anchors: anchors, domain: .square(scale: 1.5), threads: 2) == nil)
        // Whichever copy is free takes the next run: the same subdivision whatever the timing.
        #expect(try compareGraphThreads(graph, anchors: anchors, domain: .square(scale: 1.5), threads: 2, roundRobin: false) == nil)
        let engine = try runGraphEngine(graph, anchors: anchors, domain: .square(scale: 1.5), arithmetic: .certified, threads: 2, roundRobin: true)
        #expect(engine.sharing.workers == 2 && engine.sharing.seamTwins > 0 && engine.topology.faces.count > 100, "\(engine.topology.faces.count) faces")
    }

    @Test func degenerateFamiliesOnTwoThreadsEqualExact() throws {
        var compared = 0, nonTrivial = 0
        for index in 0..<32 {
            let testCase = graphVerificationCase(index, seed: 13)
            guard ["zero-bias", "concurrent", "duplicated-dead", "integer"].contains(testCase.family) else { continue }
            #expect(try compareGraphArithmetics(testCase, threads: 2) == nil, "case \(index): \(testCase)")
            compared += 1
            let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified)
            if engine.topology.faces.count > 1 { nonTrivial += 1 }
        }
        // Four of the eight families, on each of 32 cases: 16 compared, most of them cut into regions.
        #expect(compared == 16, "compared \(compared) degenerate cases")
        #expect(nonTrivial >= 12, "only \(nonTrivial) of \(compared) partitions have more than one region")
    }
}

/// Max-pool graphs are shared out too (a max pool after the first level): its envelopes merge and
/// renumber only what one copy made for one piece, and the merge of the copies gives the one-thread
/// subdivision.
@Suite(.serialized, .timeLimit(.minutes(20))) struct MaxPoolThreadsTests {
    static let cases = (0..<20).map { maxPoolVerificationCase($0, seed: 17) }

    @Test(arguments: [2, 3])
    func maxPoolGraphsOnSeveralThreadsGiveTheOneThreadSubdivision(threads: Int) throws {
        var shared = 0, twins = 0
        for (index, testCase) in Self.cases.enumerated() {
            let difference = try compareGraphThreads(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, threads: threads)
            #expect(difference == nil, "case \(index): \(testCase): \(difference ?? "")")
            let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain,
                                            arithmetic: .certified, threads: threads, roundRobin: true)
            if engine.sharing.workers > 1 { shared += 1 }
            twins += engine.sharing.seamTwins
        }
        // Not vacuous: the families with an activation before the pool (four in five) are shared out.
        #expect(shared >= Self.cases.count / 2, "only \(shared) of \(Self.cases.count) cases were shared out")
        #expect(twins > 0)
    }
}
