import BigInt
import Foundation
import Polytope
import Slicer
import Testing
import TestSupport
@testable import Engine
@testable import Models

/// Exact mode's path (`ExactPath`): fixed-width integer arithmetic against BigInt, the path's exact
/// maps against a fresh exact evaluation of every region, and exact ≡ certified on a small CNN.
@Suite(.timeLimit(.minutes(20))) struct GraphEngineExactPathTests {
    /// Seeded integers of up to `limbs`·64 − 2 bits, either sign, with runs of zero and all-ones limbs.
    func randomInteger(_ random: inout SeededGenerator, limbs: Int) -> BigInt {
        let count = Int(random.next() % UInt64(limbs)) + 1
        var magnitude = BigUInt(0)
        for i in 0..<count {
            let kind = random.next() % 4
            let word: UInt64 = kind == 0 ? 0 : kind == 1 ? ~0 : random.next()
            magnitude |= BigUInt(word) << (64 * i)
        }
        magnitude >>= Int(random.next() % 64) + 2
        return random.next() % 2 == 0 ? BigInt(magnitude) : -BigInt(magnitude)
    }

    @Test func limbArithmeticEqualsBigIntArithmetic() {
        var random = SeededGenerator(seed: 7)
        var shifts = 0
        for _ in 0..<2000 {
            let n = Int(random.next() % 4) + 1
            let acc = randomInteger(&random, limbs: n + 3), a = randomInteger(&random, limbs: n), b = randomInteger(&random, limbs: 2)
            let size = n + 5
            var buffer = [UInt64](repeating: 0, count: 3 * size)
            buffer.withUnsafeMutableBufferPointer { p in
                let x = p.baseAddress!, ma = x + size, mb = ma + size
                #expect(Limbs.store(acc, into: x, size))
                Limbs.store(a, into: ma, size); Limbs.store(b, into: mb, size)
                let (ca, na) = Limbs.magnitude(of: ma, size, into: ma)
                let (cb, nb) = Limbs.magnitude(of: mb, size, into: mb)
                Limbs.addSignedProduct(x, size, ma, ca, mb, cb, negative: na != nb)
                #expect(Limbs.bigInt(x, size) == acc + a * b, "\(acc) + \(a)·\(b)")
                #expect(Limbs.signum(x, size) == (acc + a * b).signum())
                let k = Int(random.next() % 130)
                Limbs.store(a, into: ma, n + 1)
                Limbs.shiftedLeft(ma, n + 1, by: k, into: x, size)
                if (a << k).magnitude.bitWidth < 64 * size - 1 {
                    #expect(Limbs.bigInt(x, size) == a << k, "\(a) << \(k)")
                    shifts += 1
                }
            }
        }
        // Most shifts fit their buffer (n + 5 limbs for a value of at most n limbs, k < 130 bits).
        #expect(shifts > 1500, "only \(shifts) of 2000 shifts were checked")
    }

    @Test func boxCornersAreTheVertexCoordinatesRoundedOutward() {
        // (1/3, −7/3) and (1/5, −7/5), times 2^10.
        let p = ExactPoint(x: Dyadic(1), y: Dyadic(-7), w: Dyadic(3))
        let q = ExactPoint(x: Dyadic(3), y: Dyadic(-21), w: Dyadic(15))
        let box = ExactBox([p, q], shift: 10)!
        #expect(box.sLow == 204 && box.sHigh == 342, "1/5·1024 = 204.8, 1/3·1024 = 341.33")
        #expect(box.tLow == -2390 && box.tHigh == -1433, "−7/3·1024 = −2389.33, −7/5·1024 = −1433.6")
        let exact = ExactBox.bounds(Dyadic(4), over: Dyadic(2), shift: 3)!
        #expect(exact.floor == 16 && exact.ceiling == 16)
    }

    /// The logits the path finishes each region with equal the reference's fresh evaluation of the
    /// region, and every line was read off the path (no fallback).
    @Test(arguments: 0..<16)
    func pathLogitsEqualAFreshExactEvaluation(index: Int) throws {
        let testCase = index < 12 ? graphVerificationCase(index, seed: 13) : maxPoolVerificationCase(index - 12, seed: 13)
        let engine = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .exact)
        let path = try #require(engine.exactPath)
        let v = engine.plan.graph.outputValue
        #expect(engine.topology.faces.count > 1 || ["zero-bias", "duplicated-dead"].contains(testCase.family),
                "a non-trivial partition: \(testCase)")
        #expect(path.logits.count == engine.topology.faces.count, "every region has its logits")
        for f in engine.topology.faces.indices {
            let reference = engine.exactState(level: engine.plan.levels, region: Int32(f))[v]!
            #expect(reference.denominator == path.formats[v].denominator)
            let logits = try #require(path.logits[Int32(f)])
            #expect(logits.count == engine.outputCount && reference.lines.count == engine.outputCount, "region \(f) of \(testCase)")
            for (mine, theirs) in zip(logits, reference.lines) {
                #expect(mine.a == theirs.a && mine.b == theirs.b && mine.c == theirs.c, "region \(f) of \(testCase)")
            }
        }
        #expect(path.fallbacks == 0, "\(testCase)")
    }

    /// A reduced CNN workload (two 3×3 convolutions of 4 channels on a 10×10 image): exact and
    /// certified give the same regions, patterns, edges, vertices and decision boundary. Without
    /// `fullTests` on the central quarter of the square (exact mode is slow in a debug build).
    @Test func exactEqualsCertifiedOnASmallCNN() throws {
        var random = SeededGenerator(seed: 3)
        let image: [Double] = (0..<100).map { i in
            let wave: Double = 0.4 * sin(Double(i) * 0.7)
            let lit: Double = random.nextUnit() > 0.2 ? 1 : 0
            return Double(Float(0.5 + wave * lit))
        }
        let (graph, anchors) = cnnWorkload(image: image, height: 10, width: 10, radius: 1.5, seed: 4, channels: 4, convolutions: 2)
        noteFullTestsOnly("exactEqualsCertifiedOnASmallCNN", "the whole square (here its central quarter)")
        let engines = try [Arithmetic.certified, .exact].map {
            try runGraphEngine(graph, anchors: anchors, domain: .square(scale: fullTests ? 1.5 : 0.75), arithmetic: $0)
        }
        #expect(engines[0].topology.faces.count > (fullTests ? 200 : 50), "a non-trivial partition: \(engines[0].topology.faces.count) regions")
        let signatures = engines.map { CombinatorialSignature($0) }
        #expect(CombinatorialSignature.difference(certified: signatures[0], exact: signatures[1]) == nil)
        #expect(engines[1].exactPath!.fallbacks == 0)
    }
}
