import Foundation

/// Timings of one benchmark render.
public struct RenderBenchmark: Sendable, CustomStringConvertible {
    public var regions: Int
    public var size: Int
    /// Building the synthetic slice (not part of rendering).
    public var buildSeconds: Double
    /// Drawing and writing the PNG.
    public var renderSeconds: Double
    /// Drawing in memory only (no PNG encoding), for comparison.
    public var drawSeconds: Double
    public var bytes: Int

    public var description: String {
        String(format: "%d regions -> %dx%d PNG (%d bytes): render %.3f s (of which drawing %.3f s; building the synthetic slice %.3f s)",
               regions, size, size, bytes, renderSeconds, drawSeconds, buildSeconds)
    }
}

/// Renders a synthetic partition of about `regions` regions to a size×size PNG and times it.
/// Hidden from users; the CLI exposes it behind a developer flag. Writes to `path` or a temporary file.
public func benchmarkRender(regions: Int = 50_000, size: Int = 1600, to path: String? = nil) throws -> RenderBenchmark {
    let t0 = Date()
    let slice = syntheticSlice(regions: regions, layers: 3, outputs: 1, seed: 7)
    let t1 = Date()
    let target = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("tessera-bench-\(getpid()).png").path
    var style = PartitionStyle(width: size, height: size)
    style.title = PartitionStyle.title(step: 0, regions: slice.regions.count)
    style.anchorLabels = ["a", "b", "c"]
    try drawPartition(slice, style: style, to: target, format: .png)
    let t2 = Date()
    _ = try renderPartitionPixels(slice, style: style)
    let t3 = Date()
    let bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
    if path == nil { try? FileManager.default.removeItem(atPath: target) }
    return RenderBenchmark(regions: slice.regions.count, size: size, buildSeconds: t1.timeIntervalSince(t0),
                           renderSeconds: t2.timeIntervalSince(t1), drawSeconds: t3.timeIntervalSince(t2), bytes: bytes)
}
