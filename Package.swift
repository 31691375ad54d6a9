// swift-tools-version:6.0
import PackageDescription

import Foundation

// Built from source where it runs, tessera's numeric code may use every vector unit of this CPU.
// A wheel runs on other machines: scripts/build-wheel.sh sets TESSERA_TARGET_CPU to a portable target.
// Swift never fuses a·b + c without being told, so results do not depend on the target.
let targetCPU = ProcessInfo.processInfo.environment["TESSERA_TARGET_CPU"] ?? "native"
let nativeCPU: SwiftSetting = .unsafeFlags(["-target-cpu", targetCPU], .when(platforms: [.linux]))
// Models and Engine are used by the targets above them in hot loops (the forward pass, window walks, BLAS calls):
// their bodies go into their modules so that callers elsewhere in the package can still inline and specialise them.
let crossModule: SwiftSetting = .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))

/// Every entry of Sources/Slicer, each owned by exactly one of the targets built there.
let slicerEntries = ["Models", "Support", "Version.swift", "Plane", "Engine", "Results", "Shard", "Workloads",
                     "Slice.swift", "Analysis", "Slicer.swift"]

/// A target built from some folders and files of Sources/Slicer (the rest excluded), so that the folders stay where
/// they are while SwiftPM checks which target may use which.
func slicerPart(_ name: String, owns: [String], dependencies: [Target.Dependency], exclude: [String] = [],
                swiftSettings: [SwiftSetting] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: "Sources/Slicer",
            exclude: slicerEntries.filter { !owns.contains($0) } + exclude, sources: owns,
            swiftSettings: swiftSettings)
}

let package = Package(
    name: "tessera",
    products: [
        .executable(name: "tessera", targets: ["tessera"]),
        .library(name: "Polytope", targets: ["Polytope"]),
        .library(name: "Slicer", targets: ["Slicer"]),
        .library(name: "Render", targets: ["Render"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", exact: "6.0.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Polytope", dependencies: [.product(name: "BigInt", package: "BigInt")],
                swiftSettings: [nativeCPU, .swiftLanguageMode(.v6)]),
        // The forward pass's inner loops, one generic body and a Float and a Double entry point each. Always
        // optimised: unoptimised generic loops made debug builds (swift test, CI) five times slower.
        .target(name: "ForwardKernels", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug)), nativeCPU]),
        // Sources/Slicer holds four targets side by side, each owning some of its folders (see `slicerPart`).
        // Models: file formats, ONNX, the graph model and its forward pass, threads and BLAS. Swift 5 mode (the
        // only library target left in it): `Parallelism` hands its workers closures that write disjoint ranges of
        // shared buffers, which Swift 6 cannot see as Sendable; Polytope, Engine and Analysis build in Swift 6 mode.
        slicerPart("Models", owns: ["Models", "Support", "Version.swift"],
                   dependencies: ["Polytope", "ForwardKernels", "COpenBLAS", "CZlib",
                                  .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                   exclude: ["Models/ONNX/Proto/onnx.proto"],
                   swiftSettings: [nativeCPU, crossModule]),
        // Engine: the plane and its domains, the arrangement engine and both drivers, slice results, the strip
        // stitcher, the benchmark workloads, and `slice`, the one entry point.
        slicerPart("Engine", owns: ["Plane", "Engine", "Results", "Shard", "Workloads", "Slice.swift"],
                   dependencies: ["Models", "Polytope"],
                   // The engine's hot loops touch class-held arrays; dynamic exclusivity checks cost ~15%.
                   swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
                                   nativeCPU, crossModule, .swiftLanguageMode(.v6)]),
        // Analysis: the local-complexity estimator, validation against exact counts, region migration, and their
        // shares of a sharded run.
        slicerPart("Analysis", owns: ["Analysis"],
                   dependencies: ["Models", "Engine", "Polytope"],
                   swiftSettings: [nativeCPU, .swiftLanguageMode(.v6)]),
        // Slicer: the library's public face, re-exporting the three above (`import Slicer` sees them all).
        slicerPart("Slicer", owns: ["Slicer.swift"], dependencies: ["Models", "Engine", "Analysis"]),
        .target(name: "Trainer", dependencies: ["Slicer", "COpenBLAS"], swiftSettings: [nativeCPU]),
        // Pictures of slices and plots: draws what it is given, knows nothing of training runs.
        .target(name: "Render", dependencies: ["Slicer", "CCairo", "CZlib"], exclude: ["Runs"],
                swiftSettings: [nativeCPU]),
        // The picture pipelines over a training run's checkpoints: partition sequences, LC and migration plots,
        // Figure 1, the run viewer, validation over a run, the demo.
        .target(name: "Pipelines", dependencies: ["Slicer", "Render", "Trainer"], path: "Sources/Render/Runs",
                swiftSettings: [nativeCPU]),
        .executableTarget(name: "tessera", dependencies: [
            "Slicer", "Render", "Trainer", "Pipelines",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Seeded mutation fuzzing of the file parsers (also libFuzzer-compatible, see its Fuzz.swift).
        .executableTarget(name: "tessera-fuzz", dependencies: ["Slicer", "CZlib"]),
        // What several test targets share (the `.oneAtATime` trait).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PolytopeTests", dependencies: ["Polytope"]),
        .testTarget(name: "SlicerTests", dependencies: ["Slicer", "Models", "Engine", "Analysis", "TestSupport"], exclude: ["Fixtures", "FuzzCorpus"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Pipelines", "Slicer", "Polytope", "Trainer"]),
        // Depends on the executable so that `swift test` always builds the binary the CLI tests run.
        .testTarget(name: "TesseraTests", dependencies: ["Slicer", "Render", "Pipelines", "Trainer", "tessera", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
