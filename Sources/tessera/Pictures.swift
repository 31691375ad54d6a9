import Foundation
import Slicer

/// Draws a slice to the requested picture files (wired to the Render module).
func drawPictures(_ result: SliceResult, labels: [String]?, imageShape: (Int, Int)?, anchors: [[Double]],
                  png: String?, svg: String?, pdf: String?) throws {
    if png != nil || svg != nil || pdf != nil {
        throw TesseraError.badInput("pictures are not wired yet")
    }
}
