import AtlasAnalysis
import AtlasResults
import Foundation
import Testing

/// The content-addressed cache: a rerun with nothing changed computes nothing; a change to one
/// model's bytes recomputes only that model; a changed setting recomputes what it affects.
@Suite struct StudyCacheTests {
    /// Runs the study as `build` does, with fresh cache objects read from the results folder.
    func run(_ f: StudyFixture) throws -> (outcomes: [UnitOutcome], hashed: Int) {
        let study = try f.load()
        let hashes = FileHashCache(file: f.results.appendingPathComponent(".cache/file-hashes.json"))
        let outcomes = try StudyRunner(study: study, hashes: hashes).run(WorkUnit.plan(study))
        return (outcomes, hashes.hashedCount)
    }

    func computed(_ outcomes: [UnitOutcome]) -> [String] { outcomes.filter { !$0.cached }.map(\.unit.label) }

    @Test func unchangedRerunIsAllHitsAndHashesNothing() throws {
        let f = try StudyFixture()
        let first = try run(f)
        #expect(computed(first.outcomes) == ["tiny A", "tiny B"])
        #expect(first.hashed == 3)  // two models, one text
        let second = try run(f)
        #expect(computed(second.outcomes).isEmpty)
        #expect(second.hashed == 0)
        #expect(second.outcomes.map(\.result) == first.outcomes.map(\.result))
        #expect(second.outcomes.map(\.key) == first.outcomes.map(\.key))
    }

    @Test func touchingAModelRehashesItButKeepsTheCachedResult() throws {
        let f = try StudyFixture()
        _ = try run(f)
        let b = f.dir.appendingPathComponent("b.gguf")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: b.path)
        let again = try run(f)
        #expect(again.hashed == 1)
        #expect(computed(again.outcomes).isEmpty)
    }

    @Test func changingOneModelRecomputesOnlyThatModel() throws {
        let f = try StudyFixture()
        let first = try run(f)
        let b = f.dir.appendingPathComponent("b.gguf")
        try FileManager.default.removeItem(at: b)
        try FileManager.default.copyItem(at: f.dir.appendingPathComponent("a.gguf"), to: b)
        let again = try run(f)
        #expect(computed(again.outcomes) == ["tiny B"])
        #expect(again.outcomes[0].key == first.outcomes[0].key)
        #expect(again.outcomes[1].key != first.outcomes[1].key)
        #expect(again.outcomes[1].result.provenance.modelSHA256 == again.outcomes[0].result.provenance.modelSHA256)
    }

    @Test func changingASettingRecomputesWhatItAffects() throws {
        let f = try StudyFixture()
        let first = try run(f)
        try f.write(StudyFixture.twoModels.replacingOccurrences(of: "window_size: 16", with: "window_size: 12"))
        let window = try run(f)
        #expect(computed(window.outcomes) == ["tiny A", "tiny B"])
        #expect(window.outcomes[0].result.provenance.windowSize == 12)
        try f.write(StudyFixture.twoModels + "\ncriteria: {massive_absolute: 50}\n")
        let criteria = try run(f)
        #expect(computed(criteria.outcomes) == ["tiny A", "tiny B"])
        // Back to the first settings: both results are still cached under their keys.
        try f.write(StudyFixture.twoModels)
        let back = try run(f)
        #expect(computed(back.outcomes).isEmpty)
        #expect(back.outcomes.map(\.result) == first.outcomes.map(\.result))
    }

    @Test func keysNameVariantAndSchemeAndToolVersion() throws {
        let f = try StudyFixture()
        let study = try f.load()
        let unit = WorkUnit.plan(study)[0]
        let base = UnitKey(unit: unit, criteria: study.criteria, taps: [.ffnResid], modelSHA256: "m", dataSHA256: "d")
        var quantized = unit
        quantized.scheme = "W8A8"
        var mitigated = unit
        mitigated.variant = "rotation"
        let keys = [base, UnitKey(unit: quantized, criteria: study.criteria, taps: [.ffnResid], modelSHA256: "m", dataSHA256: "d"),
                    UnitKey(unit: mitigated, criteria: study.criteria, taps: [.ffnResid], modelSHA256: "m", dataSHA256: "d"),
                    UnitKey(unit: unit, criteria: study.criteria, taps: [.ffnResid, .attnQ], modelSHA256: "m", dataSHA256: "d")]
        #expect(Set(keys.map(\.digest)).count == 4)
        let json = String(decoding: base.canonicalJSON, as: UTF8.self)
        #expect(json.contains("\"tool\":\"\(ModelAnalysis.toolVersion)\""))
        #expect(base.digest.count == 64)
    }

    @Test func shardsDealTheSortedUnitsRoundRobin() throws {
        #expect(Shard("1/3") == Shard(index: 1, count: 3))
        for bad in ["3/3", "-1/2", "1", "a/b", "1/0", "0/2/1"] { #expect(Shard(bad) == nil, "\(bad)") }
        let items = Array(0..<7)
        let shards = (0..<3).map { Shard(index: $0, count: 3).select(items) }
        #expect(shards == [[0, 3, 6], [1, 4], [2, 5]])
        #expect(shards.flatMap { $0 }.sorted() == items)
    }
}

/// `against:` in a study: the pair is computed inside the model's unit, and the second
/// checkpoint's bytes are part of the unit's key.
@Suite struct StudyAgainstTests {
    @Test func againstRunsThePairAndKeysOnItsFile() throws {
        let f = try StudyFixture(yaml: """
        models:
          - {label: tiny A, path: a.gguf, against: b.gguf}
        datasets:
          - {file: text.txt, window_size: 16, windows: 3}
        """)
        let study = try f.load()
        #expect(study.models[0].against == [f.dir.appendingPathComponent("b.gguf")])
        let runner = StudyRunner(study: study)
        let unit = WorkUnit.plan(study)[0]
        let outcome = try #require(try runner.run([unit]).first)
        let pair = try #require(outcome.result.pairs?.first)
        #expect(pair.file == "b.gguf" && pair.windowCount == 3)
        #expect(pair.linears.allSatisfy { $0.typeA == "F32" && ($0.typeB == "F16" || $0.typeB == "F32") })
        // F16 weights: close to, not equal to, the F32 ones.
        #expect(pair.taps.allSatisfy { $0.sqnrDB.isFinite && $0.sqnrDB > 40 })
        // Another file to compare with is another unit.
        let before = try runner.key(for: unit)
        try FileManager.default.copyItem(at: f.dir.appendingPathComponent("a.gguf"), to: f.dir.appendingPathComponent("c.gguf"))
        try f.write("""
        models:
          - {label: tiny A, path: a.gguf, against: [c.gguf]}
        datasets:
          - {file: text.txt, window_size: 16, windows: 3}
        """)
        let changed = try f.load()
        #expect(try StudyRunner(study: changed).key(for: WorkUnit.plan(changed)[0]) != before)
        let missing = try #require(try f.error("models:\n  - {path: a.gguf, against: [nothere.gguf]}\ndatasets: [{file: text.txt}]\n"))
        #expect(missing.key == "models[0].against[0]" && missing.found == "nothere.gguf (missing)")
    }
}
