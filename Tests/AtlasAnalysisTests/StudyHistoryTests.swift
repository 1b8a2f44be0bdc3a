import AtlasAnalysis
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// history.jsonl: append-only lines, read back into series per model and metric, merged by union.
@Suite struct StudyHistoryTests {
    func entry(_ run: String, _ model: String, ppl: Double, maxAbs: Double = 300) -> HistoryEntry {
        HistoryEntry(run: run, date: nil, commit: "abc", model: model, key: "k", maxAbs: maxAbs, massiveCount: 2,
                     perplexity: ppl, schemePerplexity: ["W8A8": ppl + 1])
    }

    @Test func appendsAndReadsBack() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("r/history.jsonl")
        try HistoryFile.append([entry("n1", "a", ppl: 20)], to: url)
        try HistoryFile.append([entry("n2", "a", ppl: 21), entry("n2", "b", ppl: 30)], to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasPrefix(#"{"commit":"abc","key":"k","massiveCount":2,"maxAbs":300,"model":"a","perplexity":20,"run":"n1","schemePerplexity":{"W8A8":21}}"# + "\n"))
        #expect(try HistoryFile.read(url) == [entry("n1", "a", ppl: 20), entry("n2", "a", ppl: 21), entry("n2", "b", ppl: 30)])
        #expect(try HistoryFile.defaultRunID(history: url, sourceDate: nil) == "run-3")  // n1, n2 were before
        #expect(try HistoryFile.defaultRunID(history: url, sourceDate: "2026-12-01T00:00:00Z") == "2026-12-01T00:00:00Z")
    }

    @Test func seriesPerModelAndMetric() {
        let series = HistorySeries.make([entry("n1", "a", ppl: 20), entry("n2", "a", ppl: 21, maxAbs: 310),
                                         entry("n2", "a", ppl: 22), entry("n1", "b", ppl: 30)])
        #expect(series.map { "\($0.model) \($0.metric)" } == [
            "a massive_count", "a max_abs", "a perplexity", "a perplexity[W8A8]",
            "b massive_count", "b max_abs", "b perplexity", "b perplexity[W8A8]"])
        // A later line of the same run replaces the earlier one.
        #expect(series[2].points.map(\.value) == [20, 22] && series[2].points.map(\.run) == ["n1", "n2"])
        #expect(series[3].points.map(\.value) == [21, 23])
    }

    @Test func unionKeepsOrderAndDropsRepeatedLines() throws {
        let dir = try Fixtures.temporaryDirectory()
        let a = dir.appendingPathComponent("a.jsonl"), b = dir.appendingPathComponent("b.jsonl"), out = dir.appendingPathComponent("out.jsonl")
        try HistoryFile.append([entry("n1", "a", ppl: 20), entry("n1", "b", ppl: 30)], to: a)
        try HistoryFile.append([entry("n1", "b", ppl: 30), entry("n2", "b", ppl: 31)], to: b)
        #expect(try HistoryFile.union([a, b], into: out) == 3)
        #expect(try HistoryFile.read(out).map { "\($0.run) \($0.model)" } == ["n1 a", "n1 b", "n2 b"])
    }

    @Test func aBadLineNamesFileAndLine() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("history.jsonl")
        try HistoryFile.append([entry("n1", "a", ppl: 20)], to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"run\": 3}\n".utf8))
        try handle.close()
        #expect(throws: ResultsError.self) { try HistoryFile.read(url) }
        do { _ = try HistoryFile.read(url) } catch { #expect("\(error)".hasPrefix(url.path + ":2:")) }
    }

    @Test func entryOfAResultTakesBlockOutputsAndPerplexity() {
        let r = StudyGateTests.result(ppl: 20, maxAbs: 450, massiveDims: [1, 2])
        let e = HistoryEntry(result: r, run: "n1", date: nil, commit: nil, key: "k")
        #expect(e.maxAbs == 450 && e.massiveCount == 2 && e.perplexity == 20 && e.model == "m" && e.schemePerplexity.isEmpty)
        #expect(e.pairKL == nil)
    }

    @Test func pairsGiveAKLSeriesAndOldLinesStillDecode() throws {
        let first = HistoryEntry(result: StudyGateTests.withPair(sqnr: 30, kl: 0.01), run: "n1", date: nil, commit: nil, key: "k")
        let second = HistoryEntry(result: StudyGateTests.withPair(sqnr: 30, kl: 0.04), run: "n2", date: nil, commit: nil, key: "k2")
        #expect(first.pairKL == ["q4": 0.01])
        let series = try #require(HistorySeries.make([first, second]).first { $0.metric == "kl[q4]" })
        #expect(series.points.map(\.value) == [0.01, 0.04] && series.points.map(\.run) == ["n1", "n2"])
        // A line written before pairs existed has no pairKL key.
        let old = #"{"run":"n0","model":"m","massiveCount":1,"schemePerplexity":{}}"#
        #expect(try JSONDecoder().decode(HistoryEntry.self, from: Data(old.utf8)).pairKL == nil)
    }
}
