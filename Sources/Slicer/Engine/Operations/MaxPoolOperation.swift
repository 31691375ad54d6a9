import Models
import Polytope

/// 2-D max pooling of a [C, H, W] input as PyTorch's `max_pool2d` computes it (padding is −∞,
/// dilations, ceil mode): each window outputs its largest input, ties going to the lowest index.
/// On a face it is affine once each window's winner is known, so like an activation it is a level
/// of the engine: faces are split into the cells of each window's upper envelope, and the winner is
/// part of the pattern, one bit per (window, kernel position): bit `window · taps + slot` is set
/// when the input at kernel position `slot` wins.
struct MaxPoolOperation: Sendable {
    let geometry: WindowGeometry
    let channels: Int
    /// The input unit at window · taps + slot, −1 for a position off the input; computed once (the
    /// engine reads them per window on every face).
    let inputUnits: [Int32]

    init(geometry: WindowGeometry, channels: Int) {
        self.geometry = geometry
        self.channels = channels
        let taps = geometry.kernelH * geometry.kernelW
        var units = [Int32](repeating: -1, count: channels * geometry.outH * geometry.outW * taps)
        for w in 0..<(units.count / taps) {
            Self.forEachInput(geometry, of: w) { slot, u in units[w * taps + slot] = Int32(u) }
        }
        inputUnits = units
    }

    /// Output units: one per window.
    var windows: Int { channels * geometry.outH * geometry.outW }
    /// Kernel positions per window (pattern bits per window).
    var taps: Int { geometry.kernelH * geometry.kernelW }
    var patternBits: Int { windows * taps }

    /// The window's inputs that lie inside the input (padding never wins), in increasing index
    /// order: (kernel position, input unit).
    func inputs(of window: Int) -> [(slot: Int, unit: Int)] {
        var result: [(slot: Int, unit: Int)] = []
        forEachInput(of: window) { result.append(($0, $1)) }
        return result
    }

    /// Calls `body` with (kernel position, input unit) for each of the window's inputs, in the order
    /// of `inputs(of:)`, without building the array.
    @inline(__always)
    func forEachInput(of window: Int, _ body: (_ slot: Int, _ unit: Int) -> Void) {
        Self.forEachInput(geometry, of: window, body)
    }

    @inline(__always)
    static func forEachInput(_ g: WindowGeometry, of window: Int, _ body: (_ slot: Int, _ unit: Int) -> Void) {
        let plane = g.outH * g.outW
        let c = window / plane, oh = (window % plane) / g.outW, ow = window % g.outW
        g.forEachPosition(oh, ow) { slot, ih, iw in body(slot, (c * g.inH + ih) * g.inW + iw) }
    }

    /// The input unit at kernel position `slot` of a window (a position on the input).
    func unit(window: Int, slot: Int) -> Int { Int(inputUnits[window * taps + slot]) }

    /// The winning kernel position of a window in a pattern.
    func winner(of window: Int, pattern: ActivationPattern, offset: Int) -> Int {
        let base = offset + window * taps
        for slot in 0..<taps where pattern[base + slot] { return slot }
        preconditionFailure("window \(window) has no winner in the pattern")
    }

    /// Output rows: each window's winner's rows, copied.
    func apply(_ input: FloatValueMap, pattern: ActivationPattern, offset: Int) -> FloatValueMap {
        let n = windows
        var rows = [Double](repeating: 0, count: 3 * n)
        for w in 0..<n {
            let u = unit(window: w, slot: winner(of: w, pattern: pattern, offset: offset))
            rows[w] = input.rows[u]; rows[n + w] = input.rows[input.count + u]; rows[2 * n + w] = input.rows[2 * input.count + u]
        }
        return FloatValueMap(count: n, rows: rows)
    }

    /// Bound of `apply`: a copy adds no rounding, so each window's bound is the largest of its inputs'.
    func bound(_ input: ValueBound) -> ValueBound {
        let n = windows, m = input.count
        var error = [Double](repeating: 0, count: 3 * n), magnitude = error
        for w in 0..<n {
            for (_, u) in inputs(of: w) {
                for r in 0..<3 {
                    error[r * n + w] = max(error[r * n + w], input.error[r * m + u])
                    magnitude[r * n + w] = max(magnitude[r * n + w], input.magnitude[r * m + u])
                }
            }
        }
        return ValueBound(count: n, error: error, magnitude: magnitude)
    }

    /// The exact output: the winners' lines over the input's denominator.
    func apply(_ input: ExactValueMap, pattern: ActivationPattern, offset: Int) -> ExactValueMap {
        ExactValueMap(lines: (0..<windows).map { w in input.lines[unit(window: w, slot: winner(of: w, pattern: pattern, offset: offset))] },
                      denominator: input.denominator)
    }
}
