@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The prefix-sink remedy: a window run after a cached prefix is the tail of one pass over
/// prefix + window, and the prefix's own positions never reach statistics, activation
/// quantization or scoring.
@Suite struct PrefixSinkTests {
    static let window: [Int32] = (0..<24).map { Int32(($0 * 37 + 11) % 300) }
    static let prefix: [Int32] = [255, 7]

    /// LLaMA (RoPE), Gemma 3 (q/k norms, local window 8 crossing into the prefix, post norms) and
    /// GPT-2 (learned positions).
    static func models() throws -> [(String, any DecoderModel)] {
        [("llama", try MitigationTests.tiny()),
         ("gemma3", try #require(try HFFolderLoader.network(at: Fixtures.repoFixture("gemma3-tiny")) as? any DecoderModel)),
         ("gpt2", try #require(try HFFolderLoader.network(at: Fixtures.fixture("gpt2-tiny")) as? any DecoderModel))]
    }

    static func prefixed(_ model: any DecoderModel) -> any DecoderModel {
        var m = model
        m.kvPrefix = model.prefixCache(tokens: prefix)
        return m
    }

    @Test func aPrefixedWindowIsTheTailOfTheJoinedPass() throws {
        for (name, model) in try Self.models() {
            let joined = TapRecorder(), alone = TapRecorder()
            let whole = model.forward(tokens: Self.prefix + Self.window, observer: joined)
            let tail = Self.prefixed(model).forward(tokens: Self.window, observer: alone)
            let P = Self.prefix.count, T = Self.window.count
            #expect(tail.rows == T)
            let error = Closeness.maxRelativeError(tail.data, reference: whole.rows(P, count: T).data)
            #expect(error < 1e-5, "\(name): logits \(error)")
            // Every tap holds the window's rows only, equal to the joined pass's last rows.
            for (key, value) in alone.values where !key.hasSuffix("attn.probs") {
                let reference = try #require(joined.values[key])
                #expect(value.rows == T, "\(name) \(key)")
                #expect(Closeness.maxRelativeError(value.data, reference: reference.rows(P, count: T).data) < 1e-5, "\(name) \(key)")
            }
            // Attention rows are over prefix + window keys and still sum to one.
            let probs = try #require(alone[1, .attnProbs])
            #expect(probs.cols == P + T && probs.rows == model.headCount * T)
            #expect((0..<probs.rows).allSatisfy { abs(probs.row($0).reduce(0, +) - 1) < 1e-4 })
        }
    }

    /// Building a prefix in two steps equals building it at once.
    @Test func prefixesCompose() throws {
        let model = try MitigationTests.tiny()
        var first = model
        first.kvPrefix = model.prefixCache(tokens: [Self.prefix[0]])
        let twoSteps = first.prefixCache(tokens: [Self.prefix[1]])
        let once = model.prefixCache(tokens: Self.prefix)
        #expect(twoSteps.tokens == once.tokens)
        for b in 0..<model.blockCount {
            #expect(Closeness.maxRelativeError(twoSteps.keys[b].data, reference: once.keys[b].data) < 1e-5)
            #expect(Closeness.maxRelativeError(twoSteps.values[b].data, reference: once.values[b].data) < 1e-5)
        }
    }

    /// Static activation ranges (and so W8A8-static's scales) and the massive count come from
    /// the window's rows: the planted massive activation at position 0 of llama-tiny (id 255) is in
    /// the prefix, so neither sees it.
    @Test func prefixIsExcludedFromStatisticsAndActivationRanges() throws {
        let model = try MitigationTests.tiny()
        let spec = try MitigationSpecParser.parse("prefix-sink:tokens=255")
        let outcome = try Mitigations.apply(spec, to: model, calibration: [Self.window])
        #expect(!outcome.exact && outcome.decoder.kvPrefix?.tokens == [255])
        let window = [Int32(255)] + Self.window.dropFirst()
        let taps: [Int: Set<TapName>] = [1: [.ffnResid, .ffnDownIn]]
        let base = ActivationRangeObserver(taps: taps), after = ActivationRangeObserver(taps: taps)
        _ = AnalyzedModel(decoder: model).pass(tokens: window, observer: base)
        _ = outcome.model.pass(tokens: Array(window.dropFirst()), observer: after)
        let (lo0, hi0) = try #require(base.range(block: 1, tap: .ffnResid))
        let (lo1, hi1) = try #require(after.range(block: 1, tap: .ffnResid))
        #expect(max(-lo0, hi0) > 100 && max(-lo1, hi1) < 100, "massive value \(max(-lo0, hi0)) → \(max(-lo1, hi1))")
    }

    /// Scoring: a prefixed window predicts its own T − 1 next tokens, as the baseline does.
    @Test func scoringCountsTheWindowsOwnPredictions() throws {
        let model = try MitigationTests.tiny()
        var base = PerplexityAccumulator(), prefixed = PerplexityAccumulator()
        try base.add(logits: model.forward(tokens: Self.window), tokens: Self.window, window: 0)
        try prefixed.add(logits: Self.prefixed(model).forward(tokens: Self.window), tokens: Self.window, window: 0)
        #expect(try base.result().scoredTokensAll == prefixed.result().scoredTokensAll && base.result().scoredTokensAll == Self.window.count - 1)
        #expect(try base.result().allPositions != prefixed.result().allPositions)
    }

    @Test func specsAreCheckedAndAutoFindsTheCarriers() throws {
        let spec = try MitigationSpecParser.parse("prefix-sink:tokens=1,2,3,windows=2")
        #expect(spec.parameters["tokens"] == "1,2,3" && spec.parameters["windows"] == "2")
        #expect(try MitigationSpecParser.parse("prefix-sink").parameters["tokens"] == "auto")
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("prefix-sink:tokens=x") }
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("prefix-sink:tokens=-1") }
        #expect(throws: MitigationError.self) {
            try Mitigations.apply(try MitigationSpecParser.parse("prefix-sink:tokens=320"), to: try MitigationTests.tiny(), calibration: [Self.window])
        }
        // auto: the first window's first token, then the carriers after position 0.
        let model = try MitigationTests.tiny()
        let windows = [[Int32(3)] + Self.window.dropFirst()]
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("prefix-sink"), to: model, calibration: windows)
        #expect(outcome.decoder.kvPrefix?.tokens.first == 3)
    }
    /// tma-removal with `bias=sink`: one float position in front of every window, the mean of the
    /// keys and values each block computes at position 0 over the calibration windows.
    @Test func theExplicitBiasIsTheMeanPositionZeroCache() throws {
        let model = try MitigationTests.tiny()
        let windows: [[Int32]] = [[255] + Self.window.dropFirst(), [7] + Self.window.dropFirst()]
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("tma-removal:mode=mean,bias=sink,windows=2"),
                                            to: model, calibration: windows)
        let bias = try #require(outcome.decoder.kvPrefix)
        #expect(bias.count == 1 && bias.tokens.isEmpty && !outcome.exact)
        let a = model.prefixCache(tokens: [255]), b = model.prefixCache(tokens: [7])
        for block in 0..<model.blockCount {
            let mean = zip(a.keys[block].data, b.keys[block].data).map { ($0 + $1) / 2 }
            #expect(Closeness.maxRelativeError(bias.keys[block].data, reference: mean) < 1e-6)
            let meanV = zip(a.values[block].data, b.values[block].data).map { ($0 + $1) / 2 }
            #expect(Closeness.maxRelativeError(bias.values[block].data, reference: meanV) < 1e-6)
        }
        // bias=token: the first calibration window's first token as a one-token prefix.
        let token = try Mitigations.apply(try MitigationSpecParser.parse("tma-removal:bias=token,windows=2"), to: model, calibration: windows)
        #expect(token.decoder.kvPrefix == a)
        // Without `bias` the spec and the model are today's removal.
        let plain = try Mitigations.apply(try MitigationSpecParser.parse("tma-removal"), to: model, calibration: windows)
        #expect(plain.decoder.kvPrefix == nil && plain.spec.description == "tma-removal:mode=mean,windows=4")
        #expect(KVPrefix.mean(of: [a, model.prefixCache(tokens: [1, 2])]) == nil)
    }

    /// The anatomy's sink mass counts the prefix columns: with a prefix, positions −P…−1.
    @Test func sinkMassReadsPrefixColumns() {
        // 2 heads, T = 2 window rows, P = 1 prefix column.
        let probs = Matrix(rows: 4, cols: 3, data: [0.5, 0.5, 0, 0.2, 0.3, 0.5,
                                                    1, 0, 0, 0.6, 0.1, 0.3])
        #expect(TraceRecorder.sinkMass(probs, tokens: 2, sinks: [-1]).map { ($0 * 1e6).rounded() } == [350000, 800000])
        #expect(TraceRecorder.sinkMass(probs, tokens: 2, sinks: [-1, 0]).map { ($0 * 1e6).rounded() } == [750000, 850000])
        #expect(TraceRecorder.sinkMass(probs, tokens: 2, sinks: [5, -2]) == [0, 0])
    }
}
