import AtlasAnalysis
@testable import AtlasResults
import Foundation
import Testing

/// The regression gate: passes identical results, names every injected regression.
@Suite struct StudyGateTests {
    static func result(ppl: Double = 20, maxAbs: Double = 300, massiveDims: [Int] = [507]) -> RunResult {
        let provenance = Provenance(toolVersion: "t", modelLabel: "m", modelFile: "m.gguf", modelSHA256: "a", modelFormat: "gguf",
                                    dataFile: "d.txt", dataSHA256: "b", textMode: "raw", tokenizer: "bpe", bos: false,
                                    windowSize: 16, windowCount: 2, criterion: MassiveCriterion(), generatedAt: nil)
        let model = ModelSummary(label: "m", architecture: "llama", blockCount: 2, hiddenSize: 4, ffnSize: 8, headCount: 1,
                                 kvHeadCount: 1, vocabSize: 10, parameterCount: 100)
        let taps = (0..<2).map { b in
            TapSummary(block: b, tap: "ffn.resid", yIndex: "y8", elementCount: 64, maxAbs: b == 1 ? maxAbs : 10,
                       medianAbs: 0.5, top: [], massiveCount: 0, channelAbsmax: [1, 2, 3, 4], nonFiniteCount: 0)
        }
        return RunResult(provenance: provenance, model: model,
                         perplexity: PerplexityResult(allPositions: ppl, secondHalf: ppl * 0.9, scoredTokensAll: 30, scoredTokensSecondHalf: 14),
                         taps: taps,
                         massiveActivations: massiveDims.map { LocatedActivation(layer: 1, window: 0, position: 0, dim: $0, value: 400, token: "a") })
    }

    @Test func identicalResultsPass() {
        let r = ["m": Self.result()]
        let report = RegressionGate.compare(baseline: r, current: r, thresholds: RegressionThresholds())
        #expect(report.passed && report.comparisons == 5 && report.compared == ["m"])
        #expect(report.table().hasPrefix("no regressions: 5 comparisons over 1 results"))
    }

    @Test func injectedRegressionsAreEachReported() {
        let base = ["m": Self.result()]
        let worse = ["m": Self.result(ppl: 21, maxAbs: 450, massiveDims: [507, 12])]
        let report = RegressionGate.compare(baseline: base, current: worse, thresholds: RegressionThresholds())
        #expect(!report.passed)
        #expect(report.regressions.map(\.metric) == ["perplexity", "perplexity", "max |x|", "new massive dims"])
        let ppl = report.regressions[0]
        #expect(ppl.location == "all positions" && ppl.baseline == 20 && ppl.current == 21 && abs(ppl.change! - 0.05) < 1e-12)
        #expect(report.regressions[2].location == "block 1 ffn.resid" && abs(report.regressions[2].change! - 0.5) < 1e-12)
        #expect(report.regressions[3].location == "dims 12")
        let table = report.table()
        #expect(table.contains("+5.00%") && table.contains("+50.00%") && table.contains("4 regression(s)"))
    }

    @Test func thresholdsDecide() {
        let base = ["m": Self.result()]
        let worse = ["m": Self.result(ppl: 21, maxAbs: 450, massiveDims: [507, 12])]
        let lenient = RegressionThresholds(perplexityIncrease: 0.06, newMassiveDims: 1, maxAbsGrowth: 0.6)
        #expect(RegressionGate.compare(baseline: base, current: worse, thresholds: lenient).passed)
        // Getting better is never a regression.
        #expect(RegressionGate.compare(baseline: worse, current: base, thresholds: RegressionThresholds()).passed)
    }

    static func withPair(sqnr: Double, kl: Double) -> RunResult {
        var r = result()
        let ppl = PerplexityResult(allPositions: 20, secondHalf: 18, scoredTokensAll: 30, scoredTokensSecondHalf: 14)
        r.pairs = [PairResult(label: "q4", file: "q4.gguf", sha256: "c", format: "gguf", windowCount: 2, tokenStride: 1,
                              divergenceDB: 20,
                              endToEnd: EndToEndError(perplexity: ppl, floatPerplexity: ppl, klMean: kl, top1Agreement: 1,
                                                      meanAbsDeltaTrueTokenProbability: 0, positions: 30),
                              taps: [TapParity(block: 1, tap: "ffn.resid", sqnrDB: sqnr, meanCosine: 1, worstCosine: 1, maxAbsDelta: 0, maxAbs: 1)],
                              blockOutputs: [], linears: [], massive: [], firstDivergence: nil, notes: [])]
        return r
    }

    @Test func pairsAreGatedOnKLAndSQNR() {
        let base = ["m": Self.withPair(sqnr: 30, kl: 0.01)]
        #expect(RegressionGate.compare(baseline: base, current: base, thresholds: RegressionThresholds()).passed)
        let worse = RegressionGate.compare(baseline: base, current: ["m": Self.withPair(sqnr: 25, kl: 0.05)],
                                           thresholds: RegressionThresholds())
        #expect(worse.regressions.map(\.metric) == ["parity KL", "parity SQNR"])
        #expect(worse.regressions[1].location == "vs q4 block 1 ffn.resid" && worse.regressions[1].change == 5)
        // A pair that was exact (SQNR +∞) and is no longer: a drop, not a skipped value.
        let exact = ["m": Self.withPair(sqnr: .infinity, kl: 0)]
        let lost = RegressionGate.compare(baseline: exact, current: ["m": Self.withPair(sqnr: 60, kl: 0)], thresholds: RegressionThresholds())
        #expect(lost.regressions.map(\.metric) == ["parity SQNR"])
        #expect(RegressionGate.compare(baseline: exact, current: exact, thresholds: RegressionThresholds()).passed)
    }

    @Test func missingResultsRegressAndNewOnesDoNot() {
        let report = RegressionGate.compare(baseline: ["m": Self.result()], current: ["n": Self.result()],
                                            thresholds: RegressionThresholds())
        #expect(report.regressions.map(\.metric) == ["results"] && report.added == ["n"])
    }

    @Test func aMetricIsOneRuleInTheTable() {
        let medianRule = RegressionGate.Rule(metric: "median |x|", kind: .relativeIncrease, unit: "relative",
                                             limit: { $0.maxAbsGrowth },
                                             values: { r in Dictionary(uniqueKeysWithValues: r.taps.map { ("block \($0.block)", $0.medianAbs) }) })
        var worse = Self.result()
        worse.taps[0].medianAbs = 1
        let report = RegressionGate.compare(baseline: ["m": Self.result()], current: ["m": worse],
                                            thresholds: RegressionThresholds(), rules: RegressionGate.rules + [medianRule])
        #expect(report.regressions.map(\.location) == ["block 0"])
    }

    @Test func schemeFieldsAreFoundByName() throws {
        // What a SchemeResult with metrics will encode to; walked the same way.
        let json = #"{"name":"W8A8","perplexity":{"allPositions":21.5,"scoredTokensAll":30},"klDivergence":0.02,"sqnrDB":31.5,"bits":8,"layers":[{"sqnrDB":30}],"channelScales":[1,2],"exact":false}"#
        var fields: [String: Double] = [:]
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)).flatten(path: "", into: &fields)
        #expect(fields == ["perplexity.allPositions": 21.5, "perplexity.scoredTokensAll": 30, "klDivergence": 0.02,
                           "sqnrDB": 31.5, "bits": 8, "layers[0].sqnrDB": 30])
        let ppl = fields.keys.filter { SchemeMetrics.path($0, names: ["perplexity", "ppl"]) }.sorted()
        #expect(ppl == ["perplexity.allPositions"])
        #expect(fields.keys.filter { SchemeMetrics.path($0, names: ["kl"]) } == ["klDivergence"])
        #expect(fields.keys.filter { SchemeMetrics.path($0, names: ["sqnr"]) }.sorted() == ["layers[0].sqnrDB", "sqnrDB"])
        #expect(SchemeMetrics.words("layers[3].sqnrDB") == ["layers", "3", "sqnr", "db"])
        let bare = SchemeResult(name: "W8A8", description: "", windowCount: 2, tokenStride: 1, endToEnd: nil,
                                embedding: nil, layers: [LinearError(block: 0, linear: "q", localSQNR: nil, accumulatedSQNR: 30)],
                                weights: [])
        #expect(SchemeMetrics.numbers([bare]) == ["W8A8": ["windowCount": 2, "tokenStride": 1, "layers[0].block": 0,
                                                           "layers[0].accumulatedSQNR": 30]])
    }
}
