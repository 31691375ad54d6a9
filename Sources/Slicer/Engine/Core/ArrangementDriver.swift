import Models
import Polytope

/// What every driver of the arrangement holds: the plane, the sign kernel, its settings, the
/// topology, the records beside it and the decision counts. The MLP engine (`Subdivision`) and the
/// graph engine (`GraphSubdivision`) are its subclasses.
///
/// A class rather than one stored struct: a driver often reads one part while it writes another
/// (the records while it cuts the topology), and a class's stored properties are accessed each on
/// its own, where a struct of them would be one exclusive access.
class ArrangementDriver {
    final let plane: SlicePlane
    final let kernel: SignKernel
    /// The region limit and the threads the driver may use.
    final var settings: EngineSettings
    /// Faces and edges, and how a face is split (no arithmetic there).
    final var topology = PlanarTopology()
    /// Vertices, edge lines, face columns and the domain (`ArrangementRecords`).
    final var records = ArrangementRecords()
    final var counts = DecisionCounts()

    init(plane: SlicePlane, kernel: SignKernel, settings: EngineSettings) {
        self.plane = plane
        self.kernel = kernel
        self.settings = settings
    }

    /// A driver that holds the same parts as `other` (its arrays are copied when either side writes them).
    init(copying other: ArrangementDriver) {
        plane = other.plane; kernel = other.kernel; settings = other.settings
        topology = other.topology; records = other.records; counts = other.counts
    }

    final var maxRegions: Int { settings.maxRegions }
    final var parallelism: Parallelism { settings.parallelism }
}
