// swift-tools-version:6.1
import PackageDescription

/// Coverage-guided fuzz targets (libFuzzer) for every parser of OutlierAtlas, kept out of the
/// product build: this package depends on the root package by path and is built only by
/// `scripts/fuzz` (`make fuzz`), with `-sanitize=fuzzer,address`. One executable holds every
/// target (`atlas-fuzz TARGET [libFuzzer flags] [corpus folders]`): one link instead of nine.
/// See FUZZING.md.
let package = Package(
    name: "OutlierAtlasFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "OutlierAtlas", path: "..")],
    targets: [
        .executableTarget(name: "atlas-fuzz", dependencies: [
            .product(name: "AtlasModels", package: "OutlierAtlas"),
            .product(name: "AtlasResults", package: "OutlierAtlas"),
            .product(name: "AtlasAnalysis", package: "OutlierAtlas"),
            .product(name: "AtlasSite", package: "OutlierAtlas"),
        ], path: "Sources/AtlasFuzz"),
    ]
)
