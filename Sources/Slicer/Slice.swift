import Foundation
import Models
import Polytope

/// Options of one slice.
public struct SliceOptions: Sendable {
    public var domain: DomainSpec = .square(scale: 1.5)
    public var arithmetic: Arithmetic = .certified
    /// The slice stops with an error when the partition would exceed this many regions.
    public var maxRegions: Int = 2_000_000
    /// ... or when its region maps would need more than this many bytes (default 8 GiB).
    public var memoryBudget: Int = 8 << 30
    /// False when the process exits right after the slice: the engine's working memory (hundreds
    /// of thousands of small arrays) is then left for the system to reclaim instead of freed.
    public var freesWorkingMemory = true
    /// Threads the engines use (the graph engine's certified mode shares its pieces out to them).
    public var parallelism = Parallelism.machine
    /// Slice only this strip of the domain (a share of a sharded slice; `SliceStrip`).
    public var strip: SliceStrip? = nil
    public init(domain: DomainSpec = .square(scale: 1.5), arithmetic: Arithmetic = .certified, maxRegions: Int = 2_000_000,
                memoryBudget: Int = 8 << 30) {
        self.domain = domain; self.arithmetic = arithmetic; self.maxRegions = maxRegions; self.memoryBudget = memoryBudget
    }

    /// The region limit for a network: --max-regions, or fewer when each region's maps (three rows
    /// per neuron of the widest layer, for the current and the next layer) and its share of the
    /// subdivision (about 1 KB) would exceed the memory budget.
    public func regionLimit(for network: Network) -> (limit: Int, byMemory: Bool) {
        let widest = network.layers.map(\.outputs).max() ?? 1
        let bytesPerRegion = 2 * 3 * widest * 8 + 1024
        let byMemory = max(1, memoryBudget / bytesPerRegion)
        return byMemory < maxRegions ? (byMemory, true) : (maxRegions, false)
    }
}

/// Computes the exact partition of the slice through three anchors.
public func slice(network: Network, anchors: [[Double]], options: SliceOptions = SliceOptions(),
                  progress: ((Int, Int) -> Void)? = nil) throws -> SliceResult {
    let start = Date()
    return try slice(network: network, plane: try SlicePlane(anchors: anchors), options: options, start: start, progress: progress)
}

/// The same for a plane already built (callers that also need the plane's geometry skip building it twice).
public func slice(network: Network, plane: SlicePlane, options: SliceOptions = SliceOptions(), start: Date = Date(),
                  progress: ((Int, Int) -> Void)? = nil) throws -> SliceResult {
    let (limit, byMemory) = options.regionLimit(for: network)
    let engine = try Subdivision(network: network, plane: plane, arithmetic: options.arithmetic, maxRegions: limit,
                                 parallelism: options.parallelism)
    engine.settings.limitIsMemory = byMemory
    engine.setUpDomain(try options.domain.corners(plane: plane))
    if let strip = options.strip { try engine.clipDomain(to: strip) }
    try engine.run(progress: progress)
    var clock = PhaseClock()
    let result = engine.makeResult(domain: options.domain, seconds: Date().timeIntervalSince(start))
    clock.lap("result and decision boundary")
    // Tearing down hundreds of thousands of small arrays takes a while: skipped when the process is
    // about to exit.
    if !options.freesWorkingMemory { _ = Unmanaged.passRetained(engine) }
    return result
}
