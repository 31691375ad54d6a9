import Models

/// The P orthonormal directions of the LC neighbourhood: rows v1..vP of a [P, D] frame.
public enum LCDirections {
    /// Largest |V·Vᵀ − I| entry accepted for a user-supplied frame (float32 files round near 1e-7).
    public static let orthonormalityTolerance = 1e-5

    /// P orthonormal rows in R^D from a seeded Gaussian matrix, orthonormalised by modified Gram–Schmidt
    /// run twice (the second pass removes the rounding the first one leaves). Same seed ⇒ same frame.
    public static func random(count: Int, dimension: Int, seed: UInt64) throws -> [[Double]] {
        guard dimension > 0 else { throw TesseraError.badInput("the input dimension must be positive") }
        guard count > 0, count <= dimension else {
            throw TesseraError.badInput("--directions must be between 1 and the input dimension \(dimension), got \(count)")
        }
        var generator = SeededGenerator(seed: seed, stream: 0x4C43_4449_5253) // "LCDIRS"
        var rows: [[Double]] = []
        rows.reserveCapacity(count)
        for _ in 0..<count {
            var v = (0..<dimension).map { _ in generator.gaussian() }
            for _ in 0..<2 {
                for u in rows {
                    let projection = dot(u, v)
                    for i in 0..<dimension { v[i] -= projection * u[i] }
                }
            }
            let norm = dot(v, v).squareRoot()
            // A Gaussian vector in the span of earlier rows has probability zero; guard anyway.
            guard norm > 1e-8 else { throw TesseraError.badInput("random directions came out degenerate; try another --seed") }
            rows.append(v.map { $0 / norm })
        }
        return rows
    }

    /// Checks a user frame: P rows of length `dimension`, 1 ≤ P ≤ D, finite, orthonormal within the tolerance.
    public static func validate(_ frame: [[Double]], dimension: Int) throws {
        guard !frame.isEmpty else { throw TesseraError.badInput("the direction frame has no rows") }
        guard frame.count <= dimension else {
            throw TesseraError.badInput("the direction frame has \(frame.count) rows but the input dimension is \(dimension)")
        }
        for (index, row) in frame.enumerated() {
            guard row.count == dimension else {
                throw TesseraError.badInput("direction \(index) has length \(row.count), expected the input dimension \(dimension)")
            }
            guard row.allSatisfy(\.isFinite) else { throw TesseraError.badInput("direction \(index) has a NaN or infinite entry") }
        }
        for i in 0..<frame.count {
            for j in i..<frame.count {
                let error = Swift.abs(dot(frame[i], frame[j]) - (i == j ? 1 : 0))
                guard error <= orthonormalityTolerance else {
                    throw TesseraError.badInput("the direction frame is not orthonormal: row \(i)·row \(j) is off by \(error) (tolerance \(orthonormalityTolerance))")
                }
            }
        }
    }

    /// A frame from a [P, D] tensor (e.g. `--frame V.npy`), validated.
    public static func frame(from tensor: Tensor, dimension: Int) throws -> [[Double]] {
        guard tensor.shape.count == 2, tensor.shape[0] * tensor.shape[1] == tensor.values.count else {
            throw TesseraError.badInput("the direction frame must be a 2-D array [P, D], got shape \(tensor.shape)")
        }
        let columns = tensor.shape[1]
        let rows = (0..<tensor.shape[0]).map { Array(tensor.values[$0 * columns..<($0 + 1) * columns]) }
        try validate(rows, dimension: dimension)
        return rows
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
