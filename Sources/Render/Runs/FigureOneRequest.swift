import Render
import Slicer

/// What the paper's Figure 1 for a run is drawn from: the run, the anchors, the LC settings and the outputs.
public struct FigureOneRequest: Sendable {
    public var runPath: String
    /// Three sample indices of the slice's anchors.
    public var indices: [Int]
    /// Split of the anchors: train or test.
    public var split = "train"
    /// IDX dataset directory (nil: the run's data).
    public var data: String?
    public var domain: DomainSpec = .square(scale: 1.5)
    /// LC neighbourhood radius, number of directions P, samples per set and sets (train first).
    public var radius = 0.05
    public var directions = 25
    public var samples = 200
    public var lcSets = ["train", "test", "random"]
    public var seed: UInt64 = 0
    /// Four checkpoint steps to picture instead of the automatic choice.
    public var steps: [Int]?
    public var panelSize = 560
    /// Resolution of the PDF's partition images for the figure printed 7 inches wide; 0 keeps vectors.
    public var rasterDPI = 600.0
    public var maxRegions = 2_000_000
    public var png: String?, pdf: String?, json: String?
    /// Threads for the LC curve and the slices.
    public var parallelism = Parallelism.machine

    public init(runPath: String, indices: [Int]) { self.runPath = runPath; self.indices = indices }

    /// Everything that can be checked before the long work.
    func check() throws {
        guard png != nil || pdf != nil || json != nil else { throw TesseraError.badInput("give at least one of --png, --pdf, --json") }
        if let png { guard png.lowercased().hasSuffix(".png") else { throw TesseraError.badInput("--png \(png) must end in .png") } }
        if let pdf { guard pdf.lowercased().hasSuffix(".pdf") else { throw TesseraError.badInput("--pdf \(pdf) must end in .pdf") } }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        guard radius.isFinite, radius > 0 else { throw TesseraError.badInput("--radius must be a positive number") }
        guard samples >= 1 else { throw TesseraError.badInput("--samples must be at least 1") }
        guard (100...4000).contains(panelSize) else { throw TesseraError.badInput("--panel-size must be between 100 and 4000") }
        guard maxRegions > 0 else { throw TesseraError.badInput("--max-regions must be positive") }
        guard lcSets.first == "train", Set(lcSets).isSubset(of: ["train", "test", "random"]), Set(lcSets).count == lcSets.count else {
            throw TesseraError.badInput("--lc-sets must start with train and use train, test, random once each, got '\(lcSets.joined(separator: ","))'")
        }
        guard indices.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices, got \(indices.count)") }
        if let steps, steps.count != 4 { throw TesseraError.badInput("--steps needs exactly four steps") }
        for path in [png, pdf, json].compactMap({ $0 }) { try OutputFile.checkWritable(path) }
    }
}
