import Foundation
import Slicer

/// Where the data of a run came from (written into run.json).
public struct DataProvenance: Codable, Equatable, Sendable {
    public var directory: String
    /// The IDX files found in `directory` for the two splits.
    public var files: [String]
    public var trainAvailable: Int
    public var testAvailable: Int
    public var trainSize: Int
    public var testSize: Int
    public var classes: Int
    public var inputDimension: Int
    public var trainSubset: String
    /// The training split indices used, in order.
    public var trainIndices: [Int]
}

/// The contents of run.json: configuration and data provenance.
public struct RunInfo: Codable, Equatable, Sendable {
    public var tesseraVersion: String
    public var config: TrainingConfig
    public var data: DataProvenance
}

/// One metrics.csv row.
public struct MetricsRow: Equatable, Sendable {
    public var step: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double

    public init(step: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double) {
        self.step = step; self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.testLoss = testLoss; self.testAccuracy = testAccuracy
    }

    public var csv: String { "\(step),\(trainLoss),\(trainAccuracy),\(testLoss),\(testAccuracy)" }
}

/// A training run on disk: `run.json`, `metrics.csv`, `optimizer.safetensors` (AdamW state at the last
/// checkpoint) and `checkpoints/step-000000123.safetensors`.
public struct RunDirectory: Sendable {
    public static let metricsHeader = "step,train_loss,train_accuracy,test_loss,test_accuracy"
    public let path: String

    public init(path: String) { self.path = path }

    public var runInfoPath: String { path + "/run.json" }
    public var metricsPath: String { path + "/metrics.csv" }
    public var optimizerPath: String { path + "/optimizer.safetensors" }
    public var checkpointsDirectory: String { path + "/checkpoints" }

    /// `checkpoints/step-%09d.safetensors`.
    public func checkpointPath(step: Int) -> String {
        let digits = String(step)
        return checkpointsDirectory + "/step-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + ".safetensors"
    }

    /// True when the directory already holds a run.
    public var exists: Bool { FileManager.default.fileExists(atPath: runInfoPath) }

    /// Creates the directory and its checkpoints folder.
    public func create() throws {
        do { try FileManager.default.createDirectory(atPath: checkpointsDirectory, withIntermediateDirectories: true) } catch {
            throw TesseraError.io("cannot create run directory \(path): \(error.localizedDescription)")
        }
    }

    /// The checkpoints present, sorted by step.
    public func checkpoints() throws -> [(step: Int, path: String)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: checkpointsDirectory) else {
            throw TesseraError.badInput("\(path) is not a tessera run directory (no checkpoints/ folder)")
        }
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("step-"), name.hasSuffix(".safetensors"),
                  let step = Int(name.dropFirst(5).dropLast(12)) else { return nil }
            return (step, checkpointsDirectory + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    public func readRunInfo() throws -> RunInfo {
        guard let data = FileManager.default.contents(atPath: runInfoPath) else {
            throw TesseraError.badInput("\(path) is not a tessera run directory (no run.json)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(RunInfo.self, from: data) } catch {
            throw TesseraError.badInput("\(runInfoPath) is not a valid run.json")
        }
    }

    public func writeRunInfo(_ info: RunInfo) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(info), to: runInfoPath)
    }

    /// Keeps the header and the rows with step ≤ `step` (all rows when nil), rewriting the file.
    public func resetMetrics(keepingThrough step: Int?) throws {
        var lines = [RunDirectory.metricsHeader]
        if let step, let text = try? String(contentsOfFile: metricsPath, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                if let rowStep = Int(line.prefix { $0 != "," }), rowStep <= step { lines.append(String(line)) }
            }
        }
        try write(Data((lines.joined(separator: "\n") + "\n").utf8), to: metricsPath)
    }

    public func appendMetrics(_ row: MetricsRow) throws {
        guard let handle = FileHandle(forWritingAtPath: metricsPath) else { throw TesseraError.io("cannot open \(metricsPath)") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((row.csv + "\n").utf8))
        } catch { throw TesseraError.io("cannot write \(metricsPath): \(error.localizedDescription)") }
    }

    /// Parsed metrics.csv rows.
    public func readMetrics() throws -> [MetricsRow] {
        guard let text = try? String(contentsOfFile: metricsPath, encoding: .utf8) else { throw TesseraError.badInput("no metrics.csv in \(path)") }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",").map(String.init)
            guard f.count == 5, let step = Int(f[0]) else { return nil }
            return MetricsRow(step: step, trainLoss: Double(f[1]) ?? .nan, trainAccuracy: Double(f[2]) ?? .nan,
                              testLoss: Double(f[3]) ?? .nan, testAccuracy: Double(f[4]) ?? .nan)
        }
    }

    func write(_ data: Data, to file: String) throws {
        do { try data.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
            throw TesseraError.io("cannot write \(file): \(error.localizedDescription)")
        }
    }
}
