import Foundation
import Models

/// Computes the exact partition of the slice through three anchors for a graph model: a chain of
/// dense layers goes to the MLP engine, every other graph (convolutions, pools, batch norm,
/// residual sums) to the graph engine.
/// `progress` is told (pieces done, pieces) while the graph engine shares its work out.
public func slice(graph: GraphModel, anchors: [[Double]], options: SliceOptions = SliceOptions(),
                  progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SliceResult {
    let start = Date()
    return try slice(graph: graph, plane: try SlicePlane(anchors: anchors), options: options, start: start, progress: progress)
}

/// The same for a plane already built.
public func slice(graph: GraphModel, plane: SlicePlane, options: SliceOptions = SliceOptions(), start: Date = Date(),
                  progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SliceResult {
    if let network = graph.chainNetwork {
        var result = try slice(network: network, plane: plane, options: options, start: start)
        result.batchNormScale = graph.hasBatchNormScale
        return result
    }
    return try sliceWithGraphEngine(graph: graph, plane: plane, options: options, start: start, progress: progress)
}

/// Always the graph engine, even for a chain of dense layers (for comparisons with the MLP engine).
public func sliceWithGraphEngine(graph: GraphModel, plane: SlicePlane, options: SliceOptions = SliceOptions(),
                                 start: Date = Date(), progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SliceResult {
    let engine = try GraphSubdivision(graph: graph, plane: plane, arithmetic: options.arithmetic, maxRegions: options.maxRegions,
                                      parallelism: options.parallelism)
    engine.progress = progress
    engine.setUpDomain(try options.domain.corners(plane: plane))
    if let strip = options.strip { try engine.clipDomain(to: strip) }
    try engine.run()
    return engine.makeResult(domain: options.domain, seconds: Date().timeIntervalSince(start))
}
