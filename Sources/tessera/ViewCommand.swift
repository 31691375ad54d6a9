import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer
import Trainer

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "One self-contained interactive page for a run: every checkpoint's partition behind a slider, with its LC and accuracy curves.",
        discussion: "The page opens from disk in any browser, with no server and no network access.")

    @Argument(help: "A run directory from 'tessera train'.") var runPath: String
    @Option(help: "The page to write (default: RUN/view.html).") var out: String?
    @Option(help: "Three sample indices, e.g. 0,1,2.") var indices = "0,1,2"
    @Option(help: "Dataset split of the indices: train or test.") var split = "train"
    @Option(help: "Dataset directory (default: the run's).") var data: String?
    @Option(help: "square[:S], triangle[:S], disk:R[@k] or diamond:R[@k].") var domain = "square:1.5"
    @Option(help: "Show every N-th checkpoint only (the last is always shown).") var every = 1
    @Option(help: "Stop with an error when a checkpoint's slice passes this many regions.") var maxRegions = 2_000_000
    @Option(help: "Fill the page opens with: pattern, class or slope.") var fill = "pattern"
    @Option(help: "Edges the page opens with: dark (as the PNG frames) or layer.") var edges = "dark"
    @Option(help: "Also write one GeoJSON file of the regions per checkpoint into this directory.") var regions: String?
    @Option(help: "Neighbourhood radius of the LC curves.") var lcRadius = 0.5
    @Option(help: "Samples per set (train, test, random) of the LC curves; 0 draws no LC.") var lcSamples = 200

    @OptionGroup var threading: ThreadsOption

    func validate() throws {
        guard ["pattern", "class", "slope"].contains(fill) else { throw ValidationError("unknown --fill '\(fill)' (expected pattern, class or slope)") }
        guard ["dark", "layer"].contains(edges) else { throw ValidationError("unknown --edges '\(edges)' (expected dark or layer)") }
        guard every >= 1, maxRegions >= 1 else { throw ValidationError("--every and --max-regions must be positive") }
        guard lcRadius.isFinite, lcRadius > 0, lcSamples >= 0 else { throw ValidationError("--lc-radius must be positive and --lc-samples not negative") }
    }

    func run() throws {
        let run = try RunModels(runPath: runPath)
        let all = run.checkpoints
        let checkpoints = all.enumerated().filter { $0.offset % every == 0 || $0.offset == all.count - 1 }.map(\.element)
        let list = try parseIndices(indices)
        guard list.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices") }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        let dataDirectory = try run.dataDirectory(data)
        let chosen = try Dataset.load(directory: dataDirectory, split: split, samples: list)
        let anchors = (0..<chosen.count).map(chosen.image)
        let labels = AnchorNames(split: split, indices: list, chosen: chosen, directory: dataDirectory).labels
        let path = out ?? runPath + "/view.html"
        try OutputFile.checkWritable(path)
        var viewer = RunViewer(runPath: runPath, checkpoints: checkpoints, anchors: anchors, labels: labels,
                               domain: try parseDomain(domain), activation: run.activation,
                               dataDirectory: dataDirectory)
        viewer.maxRegions = maxRegions
        viewer.fill = fill
        viewer.edgeStyle = edges
        viewer.lcRadius = lcRadius
        viewer.lcSamples = lcSamples
        viewer.parallelism = try threading.parallelism()
        print(try viewer.write(to: path, regionsDirectory: regions, progress: printError))
    }
}
