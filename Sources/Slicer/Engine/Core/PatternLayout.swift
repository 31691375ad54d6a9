/// Where each activation level's bits stand in a face's concatenated activation pattern.
struct PatternLayout {
    /// The first bit of each level.
    let offsets: [Int]
    /// Bits of all levels.
    let total: Int

    init(widths: [Int]) {
        var offsets: [Int] = [], total = 0
        for width in widths { offsets.append(total); total += width }
        self.offsets = offsets
        self.total = total
    }
}
