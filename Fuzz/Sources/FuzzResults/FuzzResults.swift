import AtlasAnalysis
import AtlasResults
import AtlasSite
import Foundation
import FuzzSupport

/// A results JSON file into what `render` and `check` do with it: decoded and schema-checked
/// (`ResultsCoding`), compared with itself and with the committed seed result by the regression
/// gate (`check`), and rendered into the whole site in memory (pages, charts, CSV and JSON
/// downloads) with the repository's templates and assets.
@_cdecl("FuzzResults_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzResults)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResults(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    Contract.accept("results") {
        let result = try ResultsCoding.decode(bytes, file: "fuzz.json")
        let t = RegressionThresholds()
        Contract.require(RegressionGate.compare(baseline: ["m": result], current: ["m": result], thresholds: t).passed,
                         "results", "a result regressed against itself")
        if let base = SiteInputs.baseline {
            _ = RegressionGate.compare(baseline: ["m": base], current: ["m": result], thresholds: t).table()
            _ = RegressionGate.compare(baseline: ["m": result], current: ["m": base], thresholds: t).table()
        }
        let published = PublishedResult(StoredResult(result: result, bytes: bytes))
        _ = try SiteRenderer().render([published], templates: SiteInputs.templates, assets: SiteInputs.assets)
    }
    return 0
}

/// Templates, assets and the baseline result, loaded once.
enum SiteInputs {
    static let templates = try! SiteTemplates(directory: FuzzPaths.repository.appendingPathComponent("templates"))
    static let assets = try! SiteRenderer.loadAssets(from: FuzzPaths.repository.appendingPathComponent("assets"))
    static let baseline: RunResult? = {
        let seed = FuzzPaths.repository.appendingPathComponent("Fuzz/Corpus/FuzzResults/llama-tiny.json")
        return try? ResultsStore.read(seed).result
    }()
}
