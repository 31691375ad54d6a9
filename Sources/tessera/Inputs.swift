import ArgumentParser
import Foundation
import Pipelines
import Render
import Slicer

/// Where the three anchors (or LC samples) come from.
struct AnchorOptions: ParsableArguments {
    @Option(help: "Anchors: .npy or .safetensors with shape [3, D].") var points: String?
    @Option(help: "An MNIST-format (IDX) dataset directory.") var data: String?
    @Option(help: "Three sample indices into the dataset, e.g. 0,1,2.") var indices: String?
    @Option(help: "Dataset split: train or test.") var split = "train"

    /// Missing anchors are a usage error, found before any file is read.
    func validate() throws {
        if points == nil && data == nil { throw ValidationError("give the anchors with --points P.npy or --data DIR --indices i,j,k") }
        if points == nil && indices == nil { throw ValidationError("--data needs --indices i,j,k") }
    }

    /// The anchors and, for dataset samples, their labels and image shape.
    func load() throws -> (anchors: [[Double]], labels: [String]?, imageShape: (Int, Int)?) {
        if let points {
            guard data == nil else { throw TesseraError.badInput("give either --points or --data, not both") }
            let rows = try PointsFile.load(path: points)
            guard rows.count == 3 else { throw TesseraError.badInput("\(points): need exactly 3 anchor rows, found \(rows.count)") }
            return (rows, nil, nil)
        }
        // A missing option is a usage error (exit 2), like one ArgumentParser finds.
        guard let data else { throw ValidationError("give the anchors with --points P.npy or --data DIR --indices i,j,k") }
        guard let indices else { throw ValidationError("--data needs --indices i,j,k") }
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
        // Not an integer is a usage error (exit 2); a negative one is bad input (exit 1).
        let item = $0.trimmingCharacters(in: .whitespaces)
        guard let value = Int(item) else {
            if !item.isEmpty, item.allSatisfy(\.isNumber) { throw TesseraError.badInput("index '\(item)' in '\(text)' is out of range") }
            throw ValidationError("the value '\(text)' is invalid for '--indices' (expected non-negative integers, comma-separated)")
        }
        guard value >= 0 else { throw TesseraError.badInput("bad index '\(item)' in '\(text)' (expected non-negative integers)") }
        return value
    }
}

/// A `--domain` value: text that is not of the domain's form (`disk:abc`) is a usage error (exit 2),
/// a well-formed value that makes no sense (`square:-1`) is bad input (exit 1).
func parseDomain(_ text: String) throws -> DomainSpec {
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    if parts.count == 2 {
        let numbers = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard Double(numbers[0]) != nil, numbers.count == 1 || Int(numbers[1]) != nil else {
            throw ValidationError("the value '\(text)' is invalid for '--domain' (expected square[:S], triangle[:S], disk:R[@k] or diamond:R[@k], with numbers S, R and k)")
        }
    }
    return try DomainSpec(parsing: text)
}

func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
