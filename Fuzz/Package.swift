// swift-tools-version:6.1
import PackageDescription

/// Coverage-guided fuzz targets (libFuzzer) for every parser of OutlierAtlas, kept out of the
/// product build: this package depends on the root package by path and is built only by
/// `scripts/fuzz` (`make fuzz`), with `-sanitize=fuzzer,address`. Each executable is one target:
/// libFuzzer supplies `main` and calls the target's `LLVMFuzzerTestOneInput`. See FUZZING.md.
let targetNames = ["FuzzGGUF", "FuzzDequantize", "FuzzSafetensors", "FuzzHFConfig", "FuzzTokenizerJSON",
                   "FuzzTokenizers", "FuzzStudyYAML", "FuzzResults", "FuzzCSV"]

let package = Package(
    name: "OutlierAtlasFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "OutlierAtlas", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [
            .product(name: "AtlasModels", package: "OutlierAtlas"),
            .product(name: "AtlasResults", package: "OutlierAtlas"),
            .product(name: "AtlasAnalysis", package: "OutlierAtlas"),
            .product(name: "AtlasSite", package: "OutlierAtlas"),
        ]),
    ] + targetNames.map { name in
        .executableTarget(name: name, dependencies: [
            "FuzzSupport",
            .product(name: "AtlasModels", package: "OutlierAtlas"),
            .product(name: "AtlasResults", package: "OutlierAtlas"),
            .product(name: "AtlasAnalysis", package: "OutlierAtlas"),
            .product(name: "AtlasSite", package: "OutlierAtlas"),
        ], swiftSettings: [.unsafeFlags(["-parse-as-library"])])
    }
)
