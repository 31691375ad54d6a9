import Foundation
import Polytope
import Render
import Slicer

/// Made-up LC curves shaped like the paper's (descent, ascent, descent) for plot tests and samples.
enum SampleCurves {
    static let steps = (0...40).map { pow(10, Double($0) / 8) }

    static func lc(peak: Double, height: Double) -> [Double] {
        steps.map { s in
            let t = log10(s)
            return 30 - 6 * min(t, 1.5) + height * exp(-pow(t - peak, 2) / 0.5) - 3 * max(t - 3.5, 0)
        }
    }

    static func plot(markers: [Double] = [10, 300, 3000, 60000]) -> LinePlot {
        let train = lc(peak: 2.6, height: 14), test = lc(peak: 2.6, height: 10), random = lc(peak: 2.8, height: 4)
        let accuracy = steps.map { s in 100 / (1 + exp(-(log10(s) - 2.2) * 3)) }
        return LinePlot(title: "local complexity", xLabel: "optimisation step", yLabel: "LC", rightLabel: "accuracy (%)",
                        series: [
                            PlotSeries(name: "train", x: steps, y: train, band: train.map { 0.25 * 0.08 * $0 }, color: .lcTrain),
                            PlotSeries(name: "test", x: steps, y: test, band: test.map { 0.25 * 0.08 * $0 }, color: .lcTest),
                            PlotSeries(name: "random", x: steps, y: random, band: random.map { 0.25 * 0.08 * $0 }, color: .lcRandom),
                            PlotSeries(name: "train accuracy", x: steps, y: accuracy, color: .ink, axis: .right, dashed: true),
                        ],
                        markers: markers.enumerated().map { PlotMarker(x: $1, label: ["a", "b", "c", "d"][$0 % 4]) })
    }
}
