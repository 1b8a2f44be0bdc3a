import AtlasAnalysis
import AtlasTestSupport
import Foundation
import Testing

/// The channel-outlier factor k is configurable in the study file, and a bad one is named.
@Suite struct AnatomyStudyFileTests {
    func study(criteria: String) throws -> URL {
        let folder = try Fixtures.temporaryDirectory()
        let yaml = """
        models:
          - path: \(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf").path)
        dataset:
          file: \(Fixtures.wikiTextTest.path)
        criteria:
        \(criteria)
        """
        let url = folder.appendingPathComponent("atlas.yaml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    @Test func outlierFactorIsRead() throws {
        let plan = try StudyFile.load(try study(criteria: "  outlier_factor: 4"))
        #expect(plan.options.outlierFactor == 4 && plan.options.anatomy)
        let defaults = try StudyFile.load(try study(criteria: "  top_k: 8"))
        #expect(defaults.options.outlierFactor == 10)
    }

    @Test func aFactorOfOneOrLessIsNamed() throws {
        let url = try study(criteria: "  outlier_factor: 0.5")
        do {
            _ = try StudyFile.load(url)
            Issue.record("expected an error")
        } catch let error as StudyError {
            #expect(error.key == "criteria.outlier_factor" && error.found == "0.5" && error.expected == "a number above 1")
            #expect(error.file == url.path)
        }
    }
}
