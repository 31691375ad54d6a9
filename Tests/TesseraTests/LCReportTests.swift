import Foundation
import Testing
import Slicer
import Trainer

@Suite(.timeLimit(.minutes(20))) struct LCReportTests {
    func report() -> LCReport {
        let small = LCResult(radius: 0.005, counts: [[1, 0], [3, 2]], layers: 2)
        let large = LCResult(radius: 0.5, counts: [[4, 4], [6, 2]], layers: 2)
        return LCReport(step: 7, results: [("train", [small, large]), ("random", [small, large])],
                        directions: 25, includeOutput: false, seconds: 0.1)
    }

    @Test func jsonHasTheSpecKeysForTheFirstSetAndRadius() throws {
        let object = try JSONSerialization.jsonObject(with: report().json()) as! [String: Any]
        let lc = object["lc"] as! [String: Double]
        #expect(lc["mean"] == 3 && lc["std"] == 2)
        let layers = object["layers"] as! [[String: Any]]
        #expect(layers.map { $0["index"] as! Int } == [1, 2])
        #expect(layers.map { $0["mean"] as! Double } == [2, 1])
        #expect(object["samples"] as? Int == 2 && object["directions"] as? Int == 25)
        #expect(object["radius"] as? Double == 0.005 && object["split"] as? String == "train" && object["step"] as? Int == 7)
        #expect((object["radii"] as! [[String: Any]]).map { $0["radius"] as! Double } == [0.005, 0.5])
        #expect((object["results"] as! [[String: Any]]).count == 4)
    }

    @Test func csvHasOneRowPerSetAndRadius() {
        #expect(LCReport.csvHeader(layers: 2) == "step,split,radius,samples,lc_mean,lc_std,layer1_mean,layer1_std,layer2_mean,layer2_std")
        let rows = report().csvRows
        #expect(rows.count == 4)
        #expect(rows[0] == "7,train,0.005,2,3.0,2.0,2.0,1.0,1.0,1.0")
        #expect(rows[3].hasPrefix("7,random,0.5,2,8.0,0.0,"))
    }

    @Test func randomSamplesAreSeededPointsInTheUnitCube() throws {
        let a = try LCSampleSet.make(splits: ["random"], limit: 50, dataDirectory: nil, run: nil, dimension: 9, seed: 3)
        let b = try LCSampleSet.make(splits: ["random"], limit: 50, dataDirectory: nil, run: nil, dimension: 9, seed: 3)
        #expect(a[0].points == b[0].points && a[0].name == "random")
        #expect(a[0].points.count == 50 && a[0].points.allSatisfy { $0.count == 9 && $0.allSatisfy { $0 >= 0 && $0 < 1 } })
        #expect(throws: TesseraError.self) { try LCSampleSet.make(splits: ["validation"], limit: 5, dataDirectory: nil, run: nil, dimension: 9, seed: 3) }
        #expect(throws: TesseraError.self) { try LCSampleSet.make(splits: ["test"], limit: 5, dataDirectory: nil, run: nil, dimension: 9, seed: 3) }
        #expect(throws: TesseraError.self) { try LCSampleSet.make(splits: ["random"], limit: 0, dataDirectory: nil, run: nil, dimension: 9, seed: 3) }
    }
}
