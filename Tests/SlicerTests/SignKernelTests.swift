import Polytope
import Slicer
import Testing
@testable import Engine

/// The sign kernel: its error model bounds the true error, its predicates agree with exact
/// arithmetic, and the exact kernel never lets a float filter decide.
@Suite struct SignKernelTests {
    /// x + k ulps (k may be negative).
    static func nudge(_ x: Double, _ k: Int) -> Double {
        var y = x
        for _ in 0..<abs(k) { y = k > 0 ? y.nextUp : y.nextDown }
        return y
    }

    /// The float value of a s + b t + c from coefficients and a point within their stated errors is
    /// within `affineFormBound` of the exact value; without its rounding term (γ₃) it is not always.
    @Test func affineFormBoundCoversTheError() {
        var random = TestRandom(seed: 7)
        var roundingMatters = false
        for _ in 0..<2000 {
            let a = random.uniform() * 8, b = random.uniform() * 8, c = random.uniform() * 8
            let s = random.uniform() * 3, t = random.uniform() * 3
            // Float coefficients and point a few ulps off the exact ones, with those distances as bounds.
            let ka = random.int(-3...3), kb = random.int(-3...3), kc = random.int(-3...3), ks = random.int(-2...2), kt = random.int(-2...2)
            let (fa, fb, fc, fs, ft) = (Self.nudge(a, ka), Self.nudge(b, kb), Self.nudge(c, kc), Self.nudge(s, ks), Self.nudge(t, kt))
            let ea = abs(fa - a), eb = abs(fb - b), ec = abs(fc - c), delta = max(abs(fs - s), abs(ft - t))
            let value = fa * fs + fb * ft + fc
            let exact = Rational(Dyadic(a)) * Rational(Dyadic(s)) + Rational(Dyadic(b)) * Rational(Dyadic(t)) + Rational(Dyadic(c))
            let error = Rational(Dyadic(value)) - exact
            let magnitude = error.signum < 0 ? -error : error
            let bound = affineFormBound(a: fa, b: fb, c: fc, ea: ea, eb: eb, ec: ec, s: abs(fs), t: abs(ft), delta: delta)
            #expect(magnitude <= Rational(Dyadic(bound)), "a s + b t + c at \(s), \(t)")
            let withoutRounding = (ea * abs(fs) + eb * abs(ft) + ec + (abs(fa) + ea + abs(fb) + eb) * delta) * boundSafety + boundFloor
            if Rational(Dyadic(withoutRounding)) < magnitude { roundingMatters = true }
        }
        #expect(roundingMatters, "some cases need the rounding term, so the test can fail")
    }

    @Test func theExactKernelLeavesEveryClassUndecided() {
        for (low, high) in [(1.0, 2.0), (-2.0, -1.0), (-1.0, 1.0), (0.0, 0.0)] {
            #expect(SignKernel.exact.classify(low: low, high: high, bound: 0.5) == .undecided)
            let lanes = SIMD8<Double>(repeating: low), tops = SIMD8<Double>(repeating: high), e = SIMD8<Double>(repeating: 0.5)
            #expect(SignKernel.exact.classify(low: lanes, high: tops, bound: e) == (0, 0, 0))
        }
        #expect(SignKernel.exact.dominant(low: [5, 0], high: [6, 1]) == nil)
        #expect(SignKernel.certified.dominant(low: [5, 0], high: [6, 1]) == 0)
        #expect(SignKernel.certified.dominant(low: [5, 0], high: [6, 5.5]) == nil)
        #expect(SignKernel.certified.dominant(low: [.nan, 0], high: [6, 1]) == nil)
    }

    /// The eight-lane classification is the scalar one lane by lane, NaN included.
    @Test func eightLanesClassifyAsOne() {
        var random = TestRandom(seed: 3)
        for _ in 0..<500 {
            var low = SIMD8<Double>(), high = SIMD8<Double>(), bound = SIMD8<Double>()
            for i in 0..<8 {
                let x = random.uniform(), y = random.uniform()
                low[i] = min(x, y); high[i] = max(x, y); bound[i] = abs(random.uniform()) / 4
                if random.int(0...15) == 0 { low[i] = .nan }
            }
            let masks = SignKernel.certified.classify(low: low, high: high, bound: bound)
            for i in 0..<8 {
                let bit: UInt64 = 1 << UInt64(i)
                let expected = SignKernel.certified.classify(low: low[i], high: high[i], bound: bound[i])
                #expect((masks.positive & bit != 0) == (expected == .positive))
                #expect((masks.negative & bit != 0) == (expected == .negative))
                #expect((masks.crossing & bit != 0) == (expected == .crossing))
            }
        }
    }

    /// At the vertices of a real subdivision's faces, both kernels give the faces' edge lines their
    /// exact signs; the exact kernel decides none by floats, the certified one most.
    @Test func signsAreExact() throws {
        var found: Subdivision?
        for index in 0..<40 where found == nil {
            let testCase = verificationCase(index, seed: 9)
            if testCase.family == "wide" { continue }
            let engine = try runEngine(testCase.network, anchors: testCase.anchors, domain: testCase.domain, arithmetic: .certified).0
            if engine.faces.count >= 20 { found = engine }
        }
        let engine = try #require(found)
        for kernel in [SignKernel.certified, .exact] {
            engine.counts = DecisionCounts()
            var checked = 0
            // A line is the function of its unit only within its region: ask it at the vertices of
            // faces there (as the engines do), here each face's own edges' lines.
            for (f, face) in engine.faces.enumerated() {
                for e in face.edges {
                    let line = engine.edgeLines[Int(e)]
                    for v in face.vertices {
                        let expected = engine.exactLine(line.ref).side(of: engine.exactVertex(v))
                        #expect(kernel.sign(line, at: v, in: engine) == expected, "\(kernel) face \(f) edge \(e) vertex \(v)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 100)
            if kernel == .exact { #expect(engine.counts.certified == 0) } else { #expect(engine.counts.certified > engine.counts.exact) }
        }
    }
}
