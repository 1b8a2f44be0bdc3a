import AtlasAnalysis
import AtlasResults
import Foundation
import Testing

/// The study file is validated before any model runs; each problem is one error naming the
/// file, the line, the key, what was found and what was expected.
@Suite struct StudyFileTests {
    @Test func readsEverySection() throws {
        let f = try StudyFixture(yaml: """
        models:
          - {label: tiny A, path: a.gguf}
        datasets:
          - {name: short, file: text.txt, text_mode: joined, window_size: 16, windows: 3, bos: always}
        schemes: [W8A8, W4A16-g128, Q4_K]
        mitigations: ["smoothquant:alpha=0.5", rotation]
        criteria: {massive_absolute: 50, channel_outlier_k: 4, top_k: 8}
        thresholds: {perplexity_increase: 0.02, new_massive_dims: 1}
        output: {results: out/results, site: out/site}
        """)
        let s = try f.load()
        #expect(s.models.map(\.label) == ["tiny A"])
        #expect(s.models[0].path == f.dir.appendingPathComponent("a.gguf"))
        #expect(s.datasets == [Study.Dataset(name: "short", file: f.dir.appendingPathComponent("text.txt"), textMode: .joined,
                                             windowSize: 16, windows: 3, bos: .always)])
        #expect(s.schemes == ["W8A8", "W4A16-g128", "Q4_K"])
        #expect(s.mitigations == ["smoothquant:alpha=0.5", "rotation"])
        #expect(s.criteria == Study.Criteria(massive: MassiveCriterion(absolute: 50, relative: 1000), channelOutlierK: 4, topK: 8))
        #expect(s.thresholds.perplexityIncrease == 0.02 && s.thresholds.newMassiveDims == 1 && s.thresholds.maxAbsGrowth == 0.25)
        #expect(s.resultsDirectory == f.dir.appendingPathComponent("out/results"))
        #expect(s.siteDirectory == f.dir.appendingPathComponent("out/site"))
    }

    @Test func unknownKeyNamesItsLine() throws {
        let e = try #require(try StudyFixture().error("""
        models:
          - {path: a.gguf}
        datasets:
          - file: text.txt
            window_sise: 16
        """))
        #expect(e.line == 5 && e.key == "datasets[0].window_sise" && e.found == "an unknown key")
        #expect(e.expected.contains("window_size"))
        #expect(e.description.hasPrefix(e.file + ":5: datasets[0].window_sise"))
    }

    @Test func wrongTypeNamesItsLine() throws {
        let f = try StudyFixture()
        let e = try #require(try f.error("""
        models:
          - {path: a.gguf}
        datasets:
          - file: text.txt
            windows: many
        """))
        #expect(e.line == 5 && e.key == "datasets[0].windows" && e.found == "'many'" && e.expected == "an integer")
        let list = try #require(try f.error("models: a.gguf\ndatasets: [{file: text.txt}]\n"))
        #expect(list.line == 1 && list.key == "models" && list.expected == "a list")
    }

    @Test func missingFileNamesItsLine() throws {
        let e = try #require(try StudyFixture().error("""
        models:
          - label: tiny
            path: missing.gguf
        datasets: [{file: text.txt}]
        """))
        #expect(e.line == 3 && e.key == "models[0].path" && e.found == "missing.gguf (missing)")
        let data = try #require(try StudyFixture().error("models: [{path: a.gguf}]\ndatasets:\n  - file: nope.txt\n"))
        #expect(data.line == 3 && data.key == "datasets[0].file" && data.found == "nope.txt (missing)")
    }

    @Test func impossibleValuesNameTheirLine() throws {
        let f = try StudyFixture()
        let size = try #require(try f.error("models: [{path: a.gguf}]\ndatasets:\n  - {file: text.txt, window_size: 1}\n"))
        #expect(size.line == 3 && size.key == "datasets[0].window_size" && size.found == "1" && size.expected == "an integer of at least 2")
        let k = try #require(try f.error("models: [{path: a.gguf}]\ndatasets: [{file: text.txt}]\ncriteria:\n  channel_outlier_k: 0.5\n"))
        #expect(k.line == 4 && k.key == "criteria.channel_outlier_k" && k.found == "0.5")
        let mode = try #require(try f.error("models: [{path: a.gguf}]\ndatasets: [{file: text.txt, bos: sometimes}]\n"))
        #expect(mode.line == 2 && mode.key == "datasets[0].bos" && mode.found == "'sometimes'" && mode.expected == "one of auto, always, never")
        let none = try #require(try f.error("models: []\ndatasets: [{file: text.txt}]\n"))
        #expect(none.line == 1 && none.key == "models" && none.expected == "at least one model")
        let twice = try #require(try f.error("models:\n  - {label: A, path: a.gguf}\n  - {label: a, path: b.gguf}\ndatasets: [{file: text.txt}]\n"))
        #expect(twice.line == 3 && twice.key == "models[1]")
        let notGGUF = try #require(try f.error("models: [{path: text.txt, format: gguf}]\ndatasets: [{file: text.txt}]\n"))
        #expect(notGGUF.line == 1 && notGGUF.key == "models[0].path" && notGGUF.found.contains("not a GGUF"))
    }

    @Test func missingRequiredKeyNamesTheParent() throws {
        let e = try #require(try StudyFixture().error("models:\n  - label: tiny\ndatasets: [{file: text.txt}]\n"))
        #expect(e.line == 2 && e.key == "models[0].path" && e.found == "nothing")
        let d = try #require(try StudyFixture().error("models: [{path: a.gguf}]\n"))
        #expect(d.line == 1 && d.key == "datasets")
    }

    @Test func yamlSyntaxErrorNamesItsLine() throws {
        let e = try #require(try StudyFixture().error("models:\n  - {path: a.gguf\ndatasets: [{file: text.txt}]\n"))
        #expect(e.key == "(document)" && e.line != nil && e.found.hasPrefix("invalid YAML"))
    }

    @Test func schemeAndMitigationNamesGoThroughTheVocabulary() throws {
        let f = try StudyFixture()
        let scheme = try #require(try f.error("models: [{path: a.gguf}]\ndatasets: [{file: text.txt}]\nschemes:\n  - W8A8\n  - W99A8\n"))
        #expect(scheme.line == 5 && scheme.key == "schemes[1]" && scheme.found == "'W99A8'")
        let mitigation = try #require(try f.error("models: [{path: a.gguf}]\ndatasets: [{file: text.txt}]\nmitigations: [\"smoothquant:alpha\"]\n"))
        #expect(mitigation.line == 3 && mitigation.key == "mitigations[0]")
        // An injected vocabulary decides instead of the syntax check.
        try f.write("models: [{path: a.gguf}]\ndatasets: [{file: text.txt}]\nschemes: [W8A8, W4A4]\n")
        let strict = StudyVocabulary(checkScheme: { $0 == "W8A8" ? nil : "W8A8 only" }, checkMitigation: { _ in nil })
        #expect(throws: StudyError(file: f.study.path, line: 3, key: "schemes[1]", found: "'W4A4'", expected: "W8A8 only")) {
            try StudyFile.load(f.study, vocabulary: strict)
        }
    }

    /// The syntax check and the real parsers agree on static schemes and token-id lists.
    @Test func staticSchemesAndTokenListsPassBothVocabularies() {
        for vocabulary in [StudyVocabulary.syntactic, .parsers] {
            #expect(vocabulary.checkScheme("W8A8-static") == nil && vocabulary.checkScheme("W4A8-g128-static") == nil)
            #expect(vocabulary.checkScheme("W8A8-stat") != nil && vocabulary.checkScheme("-static") != nil)
            #expect(vocabulary.checkMitigation("prefix-sink:tokens=1,2,3,windows=2") == nil)
            #expect(vocabulary.checkMitigation("prefix-sink:tokens=1,,2") != nil)
        }
    }

    @Test func theInitTemplateIsAValidStudy() throws {
        let f = try StudyFixture()
        let url = f.dir.appendingPathComponent("new.yaml")
        try StudyTemplate.write(to: url)
        let s = try StudyFile.load(url, checkFiles: false)
        #expect(s.models.count == 1 && s.datasets.first?.windowSize == 256 && s.thresholds == RegressionThresholds())
        #expect(throws: StudyError.self) { try StudyTemplate.write(to: url) }
    }
}
