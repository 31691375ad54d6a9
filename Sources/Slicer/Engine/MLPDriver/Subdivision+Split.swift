import Models
import Polytope

/// The MLP engine's side of the face cutter (`FaceCutting`): its per-face region column and its limit.
extension Subdivision: FaceCutting {
    func tooManyRegions(layer: Int) -> TesseraError {
        TesseraError.limitExceeded(settings.limitIsMemory
            ? "the slice would exceed the memory budget (\(maxRegions) regions of this network) at layer \(layer); raise --max-memory or shrink the domain"
            : "the slice exceeds --max-regions \(maxRegions) at layer \(layer); raise the limit or shrink the domain")
    }
}
