import Foundation

/// Round tick values (1, 2 or 5 times a power of ten) covering lo...hi with about `target` ticks,
/// and never fewer than four (two ticks on an axis do not say how it is scaled).
func niceTicks(_ lo: Double, _ hi: Double, target: Int = 5) -> [Double] {
    guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
    var step = niceStep((hi - lo) / Double(max(target, 1)))
    while ((hi / step).rounded(.down) - (lo / step).rounded(.up)) < 3 {
        // The next 1-2-5 step down: 10 → 5 → 2 → 1.
        let power = pow(10, log10(step).rounded(.down)), m = (step / power).rounded()
        step = m == 1 ? power / 2 : m == 2 ? power : 2 * power
    }
    let first = (lo / step).rounded(.up)
    let last = (hi / step).rounded(.down)
    guard last >= first, last - first < 1000 else { return [lo, hi] }
    // Multiplying integers by the step keeps labels like 0.3 free of drift.
    return stride(from: first, through: last, by: 1).map { $0 * step }
}

/// The 1-2-5 step nearest above a raw step.
func niceStep(_ raw: Double) -> Double {
    let power = pow(10, (log10(raw)).rounded(.down))
    let m = raw / power
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power
}

/// A tick label with as many decimals as the tick spacing needs.
func tickLabel(_ value: Double, step: Double) -> String {
    if abs(value) < step * 1e-9 { return "0" }
    let decimals = max(0, Int((-log10(step)).rounded(.up)))
    if abs(value) >= 1e5 || (abs(value) < 1e-3 && value != 0) { return String(format: "%.1e", value) }
    return String(format: "%.\(min(decimals, 6))f", value)
}
