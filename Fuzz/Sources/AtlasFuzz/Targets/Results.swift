import AtlasAnalysis
import AtlasResults
import AtlasSite
import Foundation

/// A results JSON file into what `render` and `check` do with it: decoded and schema-checked
/// (`ResultsCoding`), compared with itself and with the committed seed result by the regression
/// gate (`check`), and rendered into the whole site in memory (pages, charts, CSV and JSON
/// downloads) with the repository's templates and assets.
enum ResultsTarget: FuzzTarget {
    static let name = "results"

    static func test(_ bytes: UnsafeRawBufferPointer) {
        let data = Data(bytes)
        Contract.accept(name) {
            let result = try ResultsCoding.decode(data, file: "fuzz.json")
            let t = RegressionThresholds()
            Contract.require(RegressionGate.compare(baseline: ["m": result], current: ["m": result], thresholds: t).passed,
                             name, "a result regressed against itself")
            if let base = SiteInputs.baseline {
                _ = RegressionGate.compare(baseline: ["m": base], current: ["m": result], thresholds: t).table()
                _ = RegressionGate.compare(baseline: ["m": result], current: ["m": base], thresholds: t).table()
            }
            let published = PublishedResult(StoredResult(result: result, bytes: data))
            _ = try SiteRenderer().render([published], templates: SiteInputs.templates, assets: SiteInputs.assets)
        }
    }
}

/// Templates, assets and the baseline result, loaded once.
enum SiteInputs {
    static let templates = try! SiteTemplates(directory: FuzzPaths.repository.appendingPathComponent("templates"))
    static let assets = try! SiteRenderer.loadAssets(from: FuzzPaths.repository.appendingPathComponent("assets"))
    static let baseline: RunResult? = {
        let seed = FuzzPaths.repository.appendingPathComponent("Fuzz/Corpus/results/llama-tiny.json")
        return try? ResultsStore.read(seed).result
    }()
}
