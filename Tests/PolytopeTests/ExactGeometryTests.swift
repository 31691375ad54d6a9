import Testing
import BigInt
@testable import Polytope

/// Exact lines, points and polygons.
@Suite(.timeLimit(.minutes(20))) struct ExactGeometryTests {
    func point(_ s: Double, _ t: Double) -> ExactPoint { ExactPoint(x: Dyadic(s), y: Dyadic(t)) }

    @Test func lineThroughTwoPointsOrientsLeftPositive() {
        let line = ExactLine(through: point(0, 0), point(1, 0))
        #expect(line.side(of: point(0, 0)) == 0 && line.side(of: point(1, 0)) == 0 && line.side(of: point(7, 0)) == 0)
        #expect(line.side(of: point(0.5, 1)) == 1)
        #expect(line.side(of: point(0.5, -0x1p-1000)) == -1)
        #expect((-line).side(of: point(0.5, 1)) == -1)
        #expect(!line.isDegenerate && (line - line).isDegenerate)
    }

    @Test func intersectionsLieOnBothLinesExactly() {
        var random = SplitMix(state: 10)
        var found = 0
        for _ in 0..<200 {
            func line() -> ExactLine {
                func coefficient() -> Dyadic { Dyadic(mantissa: random.bigInt(bits: random.int(1...60)), exponent: random.int(-80...80)) }
                return ExactLine(a: coefficient(), b: coefficient(), c: coefficient())
            }
            let l = line(), m = line()
            guard let x = ExactPoint(intersecting: l, m) else { continue }
            found += 1
            #expect(x.w.signum > 0)
            #expect(l.side(of: x) == 0 && m.side(of: x) == 0)
        }
        #expect(found > 150)
        // Parallel and equal lines have no single intersection.
        let l = ExactLine(a: Dyadic(1), b: Dyadic(2), c: Dyadic(3))
        #expect(ExactPoint(intersecting: l, ExactLine(a: Dyadic(2), b: Dyadic(4), c: Dyadic(-1))) == nil)
        #expect(ExactPoint(intersecting: l, l) == nil)
    }

    @Test func homogeneousPointsNormaliseTheirWeight() {
        let p = ExactPoint(x: Dyadic(3), y: Dyadic(-6), w: Dyadic(-3))
        #expect(p.w.signum > 0)
        #expect(p.s == Rational(-1) && p.t == Rational(2))
        #expect(p.sameLocation(as: point(-1, 2)))
        #expect(!p.sameLocation(as: point(-1, 2.0.nextUp)))
        #expect(p.approximate == Point2(-1, 2))
    }

    @Test func polygonAreasAreExactAndSigned() {
        let square = ConvexPolygon(vertices: [point(0, 0), point(1, 0), point(1, 1), point(0, 1)])
        #expect(square.twiceArea == Rational(2) && square.area == Rational(1))
        let clockwise = ConvexPolygon(vertices: square.vertices.reversed())
        #expect(clockwise.area == Rational(-1))
        // A triangle with tiny and huge coordinates: area 2^-1000·2^1000/2 = 1/2, exactly.
        let triangle = ConvexPolygon(vertices: [point(0, 0), point(0x1p-1000, 0), point(0, 0x1p1000)])
        #expect(triangle.area == Rational(BigInt(1), BigInt(2)))
        #expect(ConvexPolygon(vertices: [point(0, 0), point(1, 1)]).area == Rational.zero)
    }
}
