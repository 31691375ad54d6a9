import ArgumentParser
import Foundation
import Render
import Slicer

/// Where the three anchors (or LC samples) come from.
struct AnchorOptions: ParsableArguments {
    @Option(help: "Anchors: .npy or .safetensors with shape [3, D].") var points: String?
    @Option(help: "An MNIST-format (IDX) dataset directory.") var data: String?
    @Option(help: "Three sample indices into the dataset, e.g. 0,1,2.") var indices: String?
    @Option(help: "Dataset split: train or test.") var split = "train"

    /// The anchors and, for dataset samples, their labels and image shape.
    func load() throws -> (anchors: [[Double]], labels: [String]?, imageShape: (Int, Int)?) {
        if let points {
            guard data == nil else { throw TesseraError.badInput("give either --points or --data, not both") }
            let rows = try PointsFile.load(path: points)
            guard rows.count == 3 else { throw TesseraError.badInput("\(points): need exactly 3 anchor rows, found \(rows.count)") }
            return (rows, nil, nil)
        }
        guard let data else { throw TesseraError.badInput("give the anchors with --points P.npy or --data DIR --indices i,j,k") }
        guard let indices else { throw TesseraError.badInput("--data needs --indices i,j,k") }
        let list = try parseIndices(indices)
        guard list.count == 3 else { throw TesseraError.badInput("--indices needs exactly three indices, got \(list.count)") }
        guard split == "train" || split == "test" else { throw TesseraError.badInput("--split must be train or test") }
        let chosen = try Dataset.load(directory: data, split: split, samples: list)
        let anchors = (0..<3).map(chosen.image)
        return (anchors, AnchorNames(split: split, indices: list, chosen: chosen, directory: data).labels, (chosen.rows, chosen.columns))
    }
}

func parseIndices(_ text: String) throws -> [Int] {
    try text.split(separator: ",").map {
        guard let value = Int($0.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw TesseraError.badInput("bad index '\($0)' in '\(text)' (expected non-negative integers)")
        }
        return value
    }
}

func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
