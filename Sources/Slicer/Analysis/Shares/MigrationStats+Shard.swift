extension MigrationStats {
    /// The measures as a share recorded them (a sharded render's partition rows), in the order
    /// edge length, near anchors, near boundary, area near anchors, area near boundary.
    public static func recorded(_ values: [Double]) -> MigrationStats? {
        guard values.count == 5 else { return nil }
        return MigrationStats(edgeLength: values[0], nearAnchors: values[1], nearBoundary: values[2],
                              areaNearAnchors: values[3], areaNearBoundary: values[4])
    }
}
