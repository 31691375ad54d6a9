import Slicer

/// Small labelled data sets built in memory for the trainer tests.
enum SyntheticData {
    /// `count` samples of dimension `dimension` in [0, 1]: class k puts its mass near a class-specific corner,
    /// so the classes are linearly separable.
    static func clusters(count: Int, dimension: Int, classes: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var images: [Double] = [], labels: [Int] = []
        for i in 0..<count {
            let label = i % classes
            for d in 0..<dimension {
                let centre = d % classes == label ? 0.8 : 0.2
                images.append(min(1, max(0, centre + generator.uniform(-0.15, 0.15))))
            }
            labels.append(label)
        }
        return Dataset(images: images, labels: labels, count: count, rows: 1, columns: dimension)
    }
}
