// swift-tools-version:6.1
import Foundation
import PackageDescription

/// OutlierAtlas: load real LLMs, observe operator taps, measure outliers, render a static site.
/// Module boundaries are the architecture (see ../shared/DESIGN.md §2):
/// AtlasSite depends only on AtlasResults; the CLI wires the modules together.
/// Release builds are `-O` with Swift's bounds and overflow checks kept everywhere: an A/B of the
/// forward and of the statistics kernels without `-Ounchecked` measured no difference beyond the
/// machine's noise (BENCHMARKS.md, "Bounds checks kept"), and a check that traps is a clear
/// crash where an unchecked read of a hostile file is a silent wrong result (issue 16).
/// Statistics kernels are hand-written SIMD: without a target CPU, x86-64 is SSE2 only (half
/// width, no FMA). Haswell = AVX2 + FMA, a subset of every x86 machine we run on (DESIGN §5).
/// `ATLAS_BASELINE_CPU=1` builds the baseline x86-64 variant (SSE2 only) that the AVX2 binary
/// hands over to on a CPU without AVX2/FMA (scripts/build-baseline, `CPUPath`).
let baselineBuild = ProcessInfo.processInfo.environment["ATLAS_BASELINE_CPU"] != nil
#if arch(x86_64)
let simdFlags: [SwiftSetting] = baselineBuild ? []
    : [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
#else
let simdFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "OutlierAtlas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "outlier-atlas", targets: ["outlier-atlas"]),
        // Importable by the fuzz package (Fuzz/Package.swift), which builds them instrumented.
        .library(name: "AtlasModels", targets: ["AtlasModels"]),
        .library(name: "AtlasResults", targets: ["AtlasResults"]),
        .library(name: "AtlasAnalysis", targets: ["AtlasAnalysis"]),
        .library(name: "AtlasSite", targets: ["AtlasSite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "AtlasModels",
                dependencies: ["AtlasResults", "CBLAS", "CCrypto", .product(name: "Numerics", package: "swift-numerics")]),
        .target(name: "AtlasResults"),
        .target(name: "AtlasAnalysis",
                dependencies: ["AtlasModels", "AtlasResults", "Yams",
                               .product(name: "Numerics", package: "swift-numerics")],
                swiftSettings: simdFlags),
        .target(name: "AtlasSite",
                dependencies: ["AtlasResults", "CPNG", .product(name: "Mustache", package: "swift-mustache")]),
        .executableTarget(name: "outlier-atlas",
                dependencies: ["AtlasModels", "AtlasAnalysis", "AtlasResults", "AtlasSite",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: baselineBuild ? [.define("ATLAS_BASELINE_CPU")] : []),
        .executableTarget(name: "atlas-bench",
                dependencies: ["AtlasModels", "AtlasAnalysis", "AtlasResults", "AtlasSite", "CBLAS"]),

        .target(name: "AtlasTestSupport", dependencies: ["AtlasModels", "CLibXML2"], path: "Tests/AtlasTestSupport"),
        .testTarget(name: "AtlasModelsTests", dependencies: ["AtlasModels", "AtlasTestSupport"]),
        .testTarget(name: "AtlasAnalysisTests", dependencies: ["AtlasAnalysis", "AtlasModels", "AtlasResults", "AtlasSite", "AtlasTestSupport"]),
        .testTarget(name: "AtlasSiteTests", dependencies: ["AtlasSite", "AtlasResults", "AtlasTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["AtlasTestSupport"]),
    ]
)
