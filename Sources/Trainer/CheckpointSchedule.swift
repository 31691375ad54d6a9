#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which steps get a checkpoint: every step early, log-spaced later, so LC curves fill a log axis.
public enum CheckpointSchedule {
    /// Steps 0…10, then round(10 · 10^(k/perDecade)) for k = 1, 2, … up to `finalStep`, then `finalStep`.
    /// Sorted, without duplicates.
    public static func logSpaced(perDecade: Int, finalStep: Int) -> [Int] {
        var steps = Set(0...min(10, max(0, finalStep)))
        if finalStep > 10 {
            var k = 1
            while true {
                let step = Int((10 * pow(10, Double(k) / Double(max(1, perDecade)))).rounded())
                if step > finalStep { break }
                steps.insert(step)
                k += 1
            }
        }
        steps.insert(max(0, finalStep))
        return steps.sorted()
    }

    /// The given steps plus `finalStep`, sorted, without duplicates.
    public static func explicit(_ list: [Int], finalStep: Int) -> [Int] {
        Set(list + [finalStep]).sorted()
    }
}
