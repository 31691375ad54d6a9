import Foundation
import Polytope

/// Options of one slice.
public struct SliceOptions: Sendable {
    public var domain: DomainSpec = .square(scale: 1.5)
    public var arithmetic: Arithmetic = .certified
    /// The slice stops with an error when the partition would exceed this many regions.
    public var maxRegions: Int = 2_000_000
    public init(domain: DomainSpec = .square(scale: 1.5), arithmetic: Arithmetic = .certified, maxRegions: Int = 2_000_000) {
        self.domain = domain; self.arithmetic = arithmetic; self.maxRegions = maxRegions
    }
}

/// Computes the exact partition of the slice through three anchors (SPEC §1).
public func slice(network: Network, anchors: [[Double]], options: SliceOptions = SliceOptions(),
                  progress: ((Int, Int) -> Void)? = nil) throws -> SliceResult {
    let start = Date()
    return try slice(network: network, plane: try SlicePlane(anchors: anchors), options: options, start: start, progress: progress)
}

/// The same for a plane already built (callers that also need the plane's geometry skip building it twice).
public func slice(network: Network, plane: SlicePlane, options: SliceOptions = SliceOptions(), start: Date = Date(),
                  progress: ((Int, Int) -> Void)? = nil) throws -> SliceResult {
    let engine = try Subdivision(network: network, plane: plane, arithmetic: options.arithmetic, maxRegions: options.maxRegions)
    engine.setUpDomain(try options.domain.corners(plane: plane))
    try engine.run(progress: progress)
    var clock = PhaseClock()
    let result = engine.makeResult(domain: options.domain, seconds: Date().timeIntervalSince(start))
    clock.lap("result and decision boundary")
    return result
}
