import Render
import Slicer

/// The names of a run's three anchors, one scheme everywhere: dataset split and sample index, as
/// "train #12 · Sneaker" in pictures ("#12 · Sneaker" under a title naming the split) and `train_12`
/// in CSV columns.
public struct AnchorNames: Sendable, Equatable {
    public var split: String
    public var indices: [Int]
    /// The class name of each anchor ("" when unknown).
    public var classes: [String]

    public init(split: String, indices: [Int], classes: [String]) {
        self.split = split; self.indices = indices; self.classes = classes
    }

    /// The names of samples `indices` of a dataset split, given as loaded alone (`chosen`, from
    /// `Dataset.load(directory:split:samples:)`), with class names from the dataset directory.
    public init(split: String, indices: [Int], chosen: Dataset, directory: String) {
        self.init(split: split, indices: indices,
                  classes: chosen.labels.map { ClassNames.name(of: $0, directory: directory) })
    }

    /// Picture labels: "train #12 · Sneaker".
    public var labels: [String] {
        indices.indices.map { i in "\(split) #\(indices[i])" + (classes[i].isEmpty ? "" : " · \(classes[i])") }
    }

    /// Picture labels where a title already names the split: "#12 · Sneaker".
    public var shortLabels: [String] {
        indices.indices.map { i in "#\(indices[i])" + (classes[i].isEmpty ? "" : " · \(classes[i])") }
    }

    /// CSV column suffixes: "train_12".
    public var columns: [String] { indices.map { "\(split)_\($0)" } }
}
