import Slicer
import Testing
@testable import Engine

/// Per-face columns stay aligned with the faces through every operation that changes faces: a cut
/// adds a face, compaction moves and drops faces, a copy takes all, the thread merge gathers all.
@Suite struct FaceColumnsTests {
    /// Patterns, an inherited label, a fresh label (−1) and a real column three wide.
    func columns() -> FaceColumns {
        var columns = FaceColumns()
        columns.labels = [FaceColumn(), FaceColumn(fresh: -1)]
        columns.reals = [FaceColumn(width: 3, fresh: 0)]
        columns.startDomainFace(pattern: ActivationPattern(count: 5))
        return columns
    }

    @Test func cutsCopiesCompactionAndMergeKeepEveryColumnAligned() {
        var a = columns()
        #expect(a.faceCount == 1 && a.isAligned && a.labels[1][0] == -1 && a.reals[0].values == [0, 0, 0])
        a.labels[0][0] = 7
        a.reals[0].values = [1, 2, 3]
        a.patterns.values[0].words[0] = 0b101
        a.addFace(from: 0)  // face 1 cut from face 0
        #expect(a.faceCount == 2 && a.isAligned)
        #expect(a.labels[0][1] == 7 && a.labels[1][1] == -1 && Array(a.reals[0].values[3...]) == [0, 0, 0])
        #expect(a.patterns.values[1].words[0] == 0b101)

        // A copy goes on on its own.
        var b = a
        b.addFace(from: 1)
        b.labels[1][2] = 1
        b.reals[0].values[6] = 9
        #expect(a.faceCount == 2 && a.isAligned && b.faceCount == 3 && b.isAligned)

        // Compaction: face 2 moved to 1, the rest dropped.
        var c = b
        c.moveFace(2, to: 1)
        c.truncate(toFaces: 2)
        #expect(c.faceCount == 2 && c.isAligned && c.labels[1][1] == 1 && Array(c.reals[0].values[3...]) == [9, 0, 0])

        // Merge: face 0 of copy 0, faces 2 and 1 of copy 1; labels of copy 1 shifted by 10.
        let merged = FaceColumns.gathered([a, b], sources: [(0, 0), (1, 2), (1, 1)]) { column, value, worker in
            column == 1 && worker == 1 && value >= 0 ? value + 10 : value
        }
        #expect(merged.faceCount == 3 && merged.isAligned)
        #expect(merged.labels[1].values == [-1, 11, -1] && merged.labels[0].values == [7, 7, 7])
        #expect(merged.reals[0].values == [1, 2, 3, 9, 0, 0, 0, 0, 0])
    }

    /// Finished faces are stored against the last pattern kept whole, which changes when one differs
    /// in too many bits; waiting pieces against the piece worked on. Every face reads as it was,
    /// through moves, truncation and a merge.
    @Test func patternsOfFacesNotWorkedOnAreStoredAsDifferences() {
        let count = 64 * 80, limit = FaceColumns.storedDifferencesLimit(count)
        var columns = FaceColumns()
        columns.labels = [FaceColumn(fresh: -1)]
        columns.startDomainFace(pattern: ActivationPatternTests.pattern(count: count, seed: 7))
        for _ in 0..<5 { columns.addFace(from: 0) }
        // Faces 1 and 2 differ from face 0 in a few bits, face 3 in more than the limit, face 4 in a few from face 3.
        for i in [3, 900, 4000] { columns.patterns.values[1][i].toggle() }
        columns.patterns.values[2][77].toggle()
        for i in 0...limit { columns.patterns.values[3][5 * i].toggle() }
        columns.patterns.values[4] = columns.patterns.values[3]
        columns.patterns.values[4][1].toggle()
        let whole = columns.patterns.values

        columns.storeWaiting([0, 1, 2], against: 0)
        #expect(columns.patterns.values[0].holdsAllWords && !columns.patterns.values[1].holdsAllWords)
        #expect(!columns.patterns.values[2].holdsAllWords && columns.patterns.values == whole)
        columns.expandPattern(face: 1)
        #expect(columns.patterns.values[1].holdsAllWords && columns.patterns.values[1] == whole[1])

        for f in 0..<5 { columns.finishPattern(face: f) }
        let stored = columns.patterns.values
        #expect(stored == whole)
        #expect(stored.map(\.holdsAllWords) == [true, false, false, true, false, true])
        #expect(stored[4].sharesStoredWords(with: stored[3]) && stored[1].sharesStoredWords(with: stored[0]))
        #expect(stored[1].ownBytes * 10 < whole[1].ownBytes)

        var moved = columns
        moved.moveFace(4, to: 2)
        moved.truncate(toFaces: 3)
        #expect(moved.patterns.values == [whole[0], whole[1], whole[4]] && moved.isAligned)
        let merged = FaceColumns.gathered([columns, moved], sources: [(1, 2), (0, 1)]) { _, value, _ in value }
        #expect(merged.patterns.values == [whole[4], whole[1]] && !merged.patterns.values[0].holdsAllWords)
    }

    @Test func aColumnThatMissesAFaceIsNotAligned() {
        var a = columns()
        a.addFace(from: 0)
        a.reals[0].values.removeLast(3)
        #expect(!a.isAligned)
    }

    /// Both engines' faces and columns agree after real slices: the MLP's cuts, the graph engine's
    /// cuts, thread merge (two threads, round robin) and max-pool compaction.
    @Test(arguments: 0..<4)
    func enginesKeepTheirColumnsAligned(index: Int) throws {
        let mlp = ArrangementValidityTests.mlpCases[index]
        let (engine, _) = try runEngine(mlp.network, anchors: mlp.anchors, domain: mlp.domain, arithmetic: .certified)
        #expect(engine.records.faces.isAligned && engine.records.faces.faceCount == engine.faces.count && engine.faces.count > 1)
        for testCase in [graphVerificationCase(index, seed: 5), maxPoolVerificationCase(index, seed: 5)] {
            for threads in [1, 2] {
                let graph = try runGraphEngine(testCase.graph, anchors: testCase.anchors, domain: testCase.domain,
                                               arithmetic: .certified, threads: threads, roundRobin: true)
                let faces = graph.records.faces
                #expect(faces.isAligned && faces.faceCount == graph.topology.faces.count, "\(testCase) on \(threads) threads")
                #expect(faces.labels.count == graph.plan.levels + 1 && faces.reals[0].width == 3 * graph.outputCount)
                // Finished faces: most stored as differences (the first of each copy is kept whole).
                let whole = faces.patterns.values.filter(\.holdsAllWords).count
                #expect(whole <= threads + 1 && whole < faces.faceCount, "\(whole) of \(faces.faceCount) kept whole: \(testCase)")
            }
        }
    }
}
