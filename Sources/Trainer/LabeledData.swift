import Slicer

/// Samples as a row-major [count × dimension] matrix in the training precision, with one-hot targets.
public struct LabeledData<T: TrainScalar>: Sendable {
    public let inputs: [T]
    public let labels: [Int]
    /// Row-major [count × classes], 1 at the label, 0 elsewhere.
    public let targets: [T]
    public let count: Int
    public let dimension: Int
    public let classes: Int

    /// The chosen samples of `dataset` (in the given order); labels must lie in 0..<classes.
    public init(_ dataset: Dataset, indices: [Int], classes: Int) throws {
        let dimension = dataset.dimension
        guard dimension > 0 else { throw TesseraError.badInput("the dataset has zero-dimensional samples") }
        guard dataset.images.count >= dataset.count * dimension, dataset.labels.count >= dataset.count else {
            throw TesseraError.badInput("the dataset's image or label arrays are shorter than its sample count")
        }
        var inputs = [T](); inputs.reserveCapacity(indices.count * dimension)
        var targets = [T](repeating: 0, count: indices.count * classes)
        var labels = [Int](); labels.reserveCapacity(indices.count)
        for (row, index) in indices.enumerated() {
            guard index >= 0, index < dataset.count else { throw TesseraError.badInput("sample index \(index) is out of range") }
            let label = dataset.labels[index]
            guard label >= 0, label < classes else { throw TesseraError.badInput("label \(label) of sample \(index) is outside 0..<\(classes)") }
            for i in index * dimension..<(index + 1) * dimension {
                let value = dataset.images[i]
                guard value.isFinite else { throw TesseraError.badInput("sample \(index) has a NaN or infinite pixel") }
                inputs.append(T(value))
            }
            targets[row * classes + label] = 1
            labels.append(label)
        }
        self.inputs = inputs; self.targets = targets; self.labels = labels
        self.count = indices.count; self.dimension = dimension; self.classes = classes
    }
}
