@testable import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Testing

/// Lockstep evaluation on llama-tiny: the model against itself, W8A8, and GGUF weight schemes
/// against the GGUF files gguf-py wrote from the same float weights.
@Suite struct QuantLockstepTests {
    static let tiny = QuantSchemeTests.tiny
    static let analyzed = AnalyzedModel(decoder: tiny)

    static let windows: [[Int32]] = {
        var rng = SeededGenerator(seed: 55)
        return (0..<3).map { _ in (0..<24).map { _ in Int32.random(in: 0..<320, using: &rng) } }
    }()

    func evaluate(_ scheme: QuantScheme, stride: Int = 1) throws -> SchemeResult {
        let lockstep = QuantLockstep(try PreparedScheme(scheme, model: Self.analyzed), model: Self.analyzed,
                                     calibration: Self.windows, tokenStride: stride)
        for (i, w) in Self.windows.enumerated() { try lockstep.step(tokens: w, window: i) }
        return try lockstep.result()
    }

    @Test func modelAgainstItselfHasNoError() throws {
        let r = try evaluate(QuantScheme(name: "identity", weights: nil))
        let e = try #require(r.endToEnd)
        #expect(e.klMean == 0)
        #expect(e.top1Agreement == 1)
        #expect(e.meanAbsDeltaTrueTokenProbability == 0)
        #expect(e.perplexity == e.floatPerplexity)
        #expect(e.positions == 3 * 23)
        #expect(r.layers.count == 3 * 7)
        #expect(r.layers.allSatisfy { $0.localSQNR == .infinity && $0.accumulatedSQNR == .infinity })
        #expect(r.weights.isEmpty)
    }

    @Test func w8a8IsCloseButNotExact() throws {
        let r = try evaluate(try QuantSchemeParser.parse("W8A8"))
        let e = try #require(r.endToEnd)
        #expect(e.klMean > 0 && e.klMean < 0.01, "KL \(e.klMean)")
        #expect(e.top1Agreement > 0.8, "top-1 \(e.top1Agreement)")  // random tiny weights: many near-ties
        #expect(abs(e.perplexity.allPositions / e.floatPerplexity.allPositions - 1) < 0.02)
        #expect(r.weights.count == 21 && r.weights.allSatisfy { $0.sqnr > 30 && $0.sqnr.isFinite })
        for layer in r.layers {
            let local = try #require(layer.localSQNR)
            #expect(local > 20 && local.isFinite, "\(layer)")
            #expect(layer.accumulatedSQNR.isFinite)
        }
        // Errors accumulate: the last block's down projection is worse than locally.
        let last = try #require(r.layers.last)
        #expect(last.accumulatedSQNR < last.localSQNR!)
        // Fewer bits, more error.
        let w4a4 = try #require(try evaluate(try QuantSchemeParser.parse("W4A4")).endToEnd)
        #expect(w4a4.klMean > 10 * e.klMean)
    }

    @Test func tokenStrideSamplesRowsOnly() throws {
        let scheme = try QuantSchemeParser.parse("W8A8")
        let all = try evaluate(scheme, stride: 1), sampled = try evaluate(scheme, stride: 4)
        #expect(all.endToEnd == sampled.endToEnd)  // end-to-end metrics use every position
        #expect(all.layers != sampled.layers)
        #expect(sampled.tokenStride == 4)
    }

    @Test func staticActivationsAreCalibrated() throws {
        let r = try evaluate(try QuantSchemeParser.parse("w=int8; a=int8,tensor; kv=int8"))
        let e = try #require(r.endToEnd)
        #expect(e.klMean > 0 && e.klMean < 0.05, "KL \(e.klMean)")
    }

    /// A GGUF weight scheme applied to the float model gives exactly the weights of the GGUF
    /// file gguf-py quantized from the same float weights.
    @Test(arguments: ["Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"])
    func ggufSchemeEqualsTheGGUFFile(type: String) throws {
        let prepared = try PreparedScheme(try QuantSchemeParser.parse(type), model: Self.analyzed)
        let file = try #require(try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.\(type).gguf")).network as? LlamaModel)
        for site in Self.tiny.linearSites {
            let mine = prepared.quantized.linear(at: site).weight, theirs = file.linear(at: site).weight
            #expect(mine.data.elementsEqual(theirs.data) { $0.bitPattern == $1.bitPattern }, "\(site.tensorName)")
        }
        #expect(prepared.weightErrors.map(\.format).allSatisfy { $0 == "GGUF \(type) blocks" })
    }

    /// Several schemes sharing one float forward per window give what each gives alone.
    @Test func sharedFloatForwardEqualsSeparateRuns() throws {
        let schemes = try ["W8A8", "W4A16-g128"].map { try QuantSchemeParser.parse($0) }
        let shared = try QuantEvaluation.locksteps(schemes, model: Self.analyzed, calibration: Self.windows)
        for (i, w) in Self.windows.enumerated() {
            let f = Self.tiny.forward(tokens: w, observer: TapObservers(shared.map(\.floatObserver)))
            for l in shared { try l.compare(tokens: w, window: i, floatLogits: f) }
        }
        for (scheme, lockstep) in zip(schemes, shared) {
            #expect(try lockstep.result() == (try evaluate(scheme, stride: QuantLockstep.defaultTokenStride)))
        }
    }

    /// `ModelAnalysis.run` with schemes: the statistics pass is the float side of the lockstep.
    @Test func modelAnalysisFillsQuantization() throws {
        let loaded = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"))
        let result = try ModelAnalysis.run(loaded, label: "tiny", text: Fixtures.wikiTextTest,
                                           options: AnalysisOptions(windowSize: 32, windowCount: 2),
                                           schemes: [try QuantSchemeParser.parse("W8A8"), try QuantSchemeParser.parse("Q4_0")])
        let q = try #require(result.quantization)
        #expect(q.map(\.name) == ["W8A8", "Q4_0"])
        for s in q {
            let e = try #require(s.endToEnd)
            // The lockstep's log-softmax uses the vectorised exp: equal to ~1e-7.
            let float = try #require(result.perplexity)
            #expect(abs(e.floatPerplexity.allPositions / float.allPositions - 1) < 1e-6)
            #expect(abs(e.floatPerplexity.secondHalf / float.secondHalf - 1) < 1e-6)
            #expect(e.floatPerplexity.scoredTokensAll == float.scoredTokensAll)
            #expect(e.positions == 2 * 31 && s.windowCount == 2)
            #expect(e.klMean > 0)
        }
        #expect(throws: QuantSchemeError.self) {
            _ = try ModelAnalysis.run(loaded, label: "tiny", text: Fixtures.wikiTextTest,
                                      options: AnalysisOptions(windowSize: 32, windowCount: 1),
                                      schemes: [try QuantSchemeParser.parse("w=int4; include=blk.7.*")])
        }
    }
}
