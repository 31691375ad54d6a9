import Foundation
import Render
import Slicer

extension PartitionSequence {
    /// Renders the frames, partition.csv, migration.png and the viewer page at `page` (with GeoJSON
    /// files in `regionsDirectory`, if given) from one slice of each checkpoint. Returns the viewer's summary line.
    @discardableResult
    public func renderWithViewer(_ viewer: RunViewer, page: String, regionsDirectory: String? = nil,
                                 progress: @escaping (String) -> Void = { _ in }) throws -> String {
        try OutputFile.checkWritable(page)
        let packer = try viewer.checkpointSlices(regionsDirectory: regionsDirectory)
        let frames = FrameSlots(count: checkpoints.count)
        try render(progress: progress) { index, result in
            frames.put(try packer.frame(of: result, graph: nil, step: checkpoints[index].step), at: index)
        }
        return try viewer.writePage(to: page, frames: frames.all)
    }
}

/// One slot per checkpoint, filled from the render's worker threads.
private final class FrameSlots: @unchecked Sendable {
    private var slots: [ViewerFrame?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func put(_ frame: ViewerFrame, at index: Int) { lock.withLock { slots[index] = frame } }
    var all: [ViewerFrame] { lock.withLock { slots.compactMap { $0 } } }
}
