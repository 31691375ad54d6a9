/// The LC estimator's inner loops: the vertices' values from a sample's centre, and the sign test.
enum VertexKernels {
    /// Rows x + r·v_p and x − r·v_p of each sample, in direction order: z = centre ± fl(r·image).
    /// `centres` is [samples × units], `images` [directions × units], `z` [samples · 2·directions × units].
    @inline(__always)
    static func vertices<T: KernelScalar>(centres: UnsafePointer<T>, images: UnsafePointer<T>, samples: Int, directions: Int,
                                          units: Int, radius: T, into z: UnsafeMutablePointer<T>) {
        let vertexCount = 2 * directions
        for s in 0..<samples {
            for p in 0..<directions {
                let plus = (s * vertexCount + 2 * p) * units, minus = plus + units
                for j in 0..<units {
                    let offset = radius * images[p * units + j]
                    z[plus + j] = centres[s * units + j] + offset
                    z[minus + j] = centres[s * units + j] - offset
                }
            }
        }
    }

    /// Per sample, the units whose sign class (+, −, 0; NaN its own class) is not the same at every
    /// vertex. Over the vertices each unit keeps its least and largest number and whether a NaN
    /// occurred (branch-free, so the loop vectorises); the numbers share one class exactly when all are
    /// positive (least > 0), all negative (largest < 0) or all zero (least = largest = 0).
    /// `z` is [samples · vertexCount × units]; counts go to out[sample · stride].
    @inline(__always)
    static func signChanges<T: KernelScalar>(_ z: UnsafePointer<T>, units: Int, samples: Int, vertexCount: Int,
                                             into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<T>) {
        workspace.reserve(units)
        let least = workspace.least, largest = workspace.largest, nan = workspace.nan
        for s in 0..<samples {
            least.update(repeating: .infinity, count: units)
            largest.update(repeating: -.infinity, count: units)
            nan.update(repeating: 0, count: units)
            for vertex in 0..<vertexCount {
                let row = z + (s * vertexCount + vertex) * units
                for j in 0..<units {
                    let value = row[j]
                    least[j] = value < least[j] ? value : least[j]
                    largest[j] = value > largest[j] ? value : largest[j]
                    nan[j] |= value != value ? 1 : 0
                }
            }
            var changed = 0
            for j in 0..<units {
                let numbers = least[j] <= largest[j]
                let oneClass = least[j] > 0 || largest[j] < 0 || (least[j] == 0 && largest[j] == 0)
                if numbers && (nan[j] != 0 || !oneClass) { changed += 1 }
            }
            out[s * stride] = changed
        }
    }
}

/// Per-worker buffers of the sign test, grown as needed.
public final class SignWorkspace<T: KernelScalar> {
    private(set) var capacity = 0
    private(set) var least = UnsafeMutablePointer<T>.allocate(capacity: 1)
    private(set) var largest = UnsafeMutablePointer<T>.allocate(capacity: 1)
    private(set) var nan = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    public init() {}

    func reserve(_ units: Int) {
        guard units > capacity else { return }
        least.deallocate(); largest.deallocate(); nan.deallocate()
        least = .allocate(capacity: units); largest = .allocate(capacity: units); nan = .allocate(capacity: units)
        capacity = units
    }

    deinit { least.deallocate(); largest.deallocate(); nan.deallocate() }
}

extension Float {
    public static func vertices(centres: UnsafePointer<Float>, images: UnsafePointer<Float>, samples: Int, directions: Int,
                                units: Int, radius: Float, into z: UnsafeMutablePointer<Float>) {
        VertexKernels.vertices(centres: centres, images: images, samples: samples, directions: directions, units: units,
                               radius: radius, into: z)
    }
    public static func signChanges(_ z: UnsafePointer<Float>, units: Int, samples: Int, vertexCount: Int,
                                   into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<Float>) {
        VertexKernels.signChanges(z, units: units, samples: samples, vertexCount: vertexCount, into: out, stride: stride,
                                  workspace: workspace)
    }
}

extension Double {
    public static func vertices(centres: UnsafePointer<Double>, images: UnsafePointer<Double>, samples: Int, directions: Int,
                                units: Int, radius: Double, into z: UnsafeMutablePointer<Double>) {
        VertexKernels.vertices(centres: centres, images: images, samples: samples, directions: directions, units: units,
                               radius: radius, into: z)
    }
    public static func signChanges(_ z: UnsafePointer<Double>, units: Int, samples: Int, vertexCount: Int,
                                   into out: UnsafeMutablePointer<Int>, stride: Int, workspace: SignWorkspace<Double>) {
        VertexKernels.signChanges(z, units: units, samples: samples, vertexCount: vertexCount, into: out, stride: stride,
                                  workspace: workspace)
    }
}
