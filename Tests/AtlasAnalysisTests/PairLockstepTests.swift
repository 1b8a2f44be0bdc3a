import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// Two checkpoints of llama-tiny in lockstep (`--against`): the same weights in two formats give
/// identical activations; a real quantized file diverges measurably, and more so at 4 bits than at
/// 8; a pair that cannot run together is one error naming what differs.
@Suite struct PairLockstepTests {
    static let text: URL = {
        let dir = try! Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("text.txt")
        try! String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: url, atomically: true, encoding: .utf8)
        return url
    }()
    static let options = AnalysisOptions(windowSize: 16, windowCount: 3, anatomy: false)

    func pair(_ a: String, _ b: String, stride: Int = 1) throws -> (RunResult, PairResult) {
        let reference = try ModelLoader.load(Fixtures.fixture(a))
        let against = try ModelLoader.load(Fixtures.fixture(b))
        var options = Self.options
        options.pairTokenStride = stride
        let r = try ModelAnalysis.run(reference, label: "A", text: Self.text, options: options, taps: [.ffnResid],
                                      against: [Checkpoint(loaded: against, label: "B")])
        return (r, try #require(r.pairs?.first))
    }

    @Test func sameWeightsInTwoFormatsAreExact() throws {
        let (r, p) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny")
        #expect(p.format == "safetensors" && p.label == "B" && p.windowCount == 3)
        #expect(p.taps.count == r.model.blockCount * 16)
        #expect(p.taps.allSatisfy { $0.sqnrDB == .infinity && $0.maxAbsDelta == 0 && $0.meanCosine == 1 })
        #expect(p.linears.allSatisfy { $0.weightSQNR == .infinity && $0.typeA == "F32" && $0.typeB == "F32" })
        #expect(p.firstDivergence == nil)
        let e = try #require(p.endToEnd)
        #expect(e.klMean == 0 && e.top1Agreement == 1 && e.perplexity == e.floatPerplexity)
        #expect(p.blockOutputs.allSatisfy { $0.channelMaxAbsDelta.allSatisfy { $0 == 0 } })
        #expect(p.massive.allSatisfy { $0.atReference == $0.reference.map(\.value) && $0.own == $0.reference && $0.topChange == 0 })
        #expect(p.massive.count == r.model.blockCount && p.massive.allSatisfy { $0.reference.count == 4 })
        // 3 windows of 16 tokens: rows 0…14 of each predict a next token.
        #expect(p.lens?.map(\.block) == Array(0..<r.model.blockCount))
        #expect(p.lens?.allSatisfy { $0.klMean == 0 && $0.top1Agreement == 1 && $0.positions == 45 } == true)
    }

    @Test func theLensAtTheLastBlockIsTheEndToEndKL() throws {
        let (_, q4) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny-gguf/llama-tiny.Q4_0.gguf")
        let (_, q8) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny-gguf/llama-tiny.Q8_0.gguf")
        for p in [q4, q8] {
            let lens = try #require(p.lens), e = try #require(p.endToEnd)
            let last = try #require(lens.last)
            #expect(last.positions == e.positions)
            #expect(abs(last.klMean - e.klMean) <= 1e-6 * e.klMean)
            #expect(abs(last.top1Agreement - e.top1Agreement) < 1e-12)
            #expect(lens.allSatisfy { $0.klMean > 0 && $0.klMean.isFinite })
            let sum = p.klContributions.map(\.kl).reduce(0, +)
            #expect(abs(sum - last.klMean) < 1e-12)
        }
        #expect(q4.lens!.last!.klMean > q8.lens!.last!.klMean)
        // Every 4th token: rows 0, 4, 8, 12 of each window are read.
        let (_, strided) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny-gguf/llama-tiny.Q4_0.gguf", stride: 4)
        #expect(strided.lens?.allSatisfy { $0.positions == 12 } == true)
    }

    @Test func fourBitsDivergeMoreThanEight() throws {
        let (_, q8) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny-gguf/llama-tiny.Q8_0.gguf")
        let (_, q4) = try pair("llama-tiny-gguf/llama-tiny.F32.gguf", "llama-tiny-gguf/llama-tiny.Q4_0.gguf")
        for p in [q8, q4] {
            #expect(p.taps.allSatisfy { $0.sqnrDB.isFinite && $0.sqnrDB > 0 && $0.meanCosine > 0.5 })
            #expect(p.linears.allSatisfy { $0.weightSQNR.isFinite })
        }
        #expect(Set(q8.linears.map(\.typeB)) == ["Q8_0"])
        #expect(q4.linears.allSatisfy { $0.typeB == "Q4_0" || $0.typeB == "Q8_0" })
        func blockOutput(_ p: PairResult) -> [Double] { p.taps.filter { $0.tap == "ffn.resid" }.map(\.sqnrDB) }
        // Q4_0 keeps ~4 bits a weight, Q8_0 ~8: at least 12 dB apart at every block output.
        for (a, b) in zip(blockOutput(q8), blockOutput(q4)) { #expect(a > b + 12) }
        let k8 = try #require(q8.endToEnd?.klMean), k4 = try #require(q4.endToEnd?.klMean)
        #expect(k8 > 0 && k4 > k8)
        // Weight SQNR of a Linear agrees with the GGUF type's precision.
        #expect(q8.linears.map(\.weightSQNR).min()! > 30)
        // Four bits fewer a weight: about 24 dB less (≥ 12 dB on average here).
        let q4Weights = q4.linears.filter { $0.typeB == "Q4_0" }.map(\.weightSQNR)
        #expect(!q4Weights.isEmpty && q4Weights.reduce(0, +) / Double(q4Weights.count) < q8.linears.map(\.weightSQNR).min()! - 12)
    }

    @Test func firstDivergenceIsTheFirstTapBelowTheThreshold() throws {
        let reference = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"))
        let against = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q4_0.gguf"))
        var options = Self.options
        let probe = try ModelAnalysis.run(reference, label: "A", text: Self.text, options: options, taps: [.ffnResid],
                                          against: [Checkpoint(loaded: against, label: "B")]).pairs![0]
        // A threshold between the best and the worst tap: the first tap below it, in forward order.
        let sqnrs = probe.taps.map(\.sqnrDB)
        options.divergenceDB = (sqnrs.min()! + sqnrs.max()!) / 2
        let p = try ModelAnalysis.run(reference, label: "A", text: Self.text, options: options, taps: [.ffnResid],
                                      against: [Checkpoint(loaded: against, label: "B")]).pairs![0]
        let first = try #require(p.firstDivergence)
        let index = try #require(p.taps.firstIndex { $0.block == first.block && $0.tap == first.tap })
        #expect(p.taps[index].sqnrDB < options.divergenceDB)
        #expect(p.taps[..<index].allSatisfy { $0.sqnrDB >= options.divergenceDB })
    }

    @Test func aMismatchedPairNamesWhatDiffers() throws {
        let a = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"))
        for (other, words) in [(Fixtures.model("all-MiniLM-L6-v2"), "the family differs (llama in llama-tiny.F32.gguf, bert in all-MiniLM-L6-v2)"),
                               (Fixtures.smolLM2, "the block count differs")] {
            let b = try ModelLoader.load(other)
            do {
                _ = try PairLockstep(reference: a, against: b, label: "B")
                Issue.record("\(other) was accepted")
            } catch let e as AnalysisInputError {
                #expect(e.file.hasSuffix("/" + other.lastPathComponent) && e.problem.contains(words) && e.problem.contains("llama-tiny.F32.gguf"), "\(e)")
            }
        }
    }

    @Test func differentTokenIdsForTheTextAreRefused() throws {
        let a: [[Int32]] = [[1, 2, 3], [4, 5, 6]], b: [[Int32]] = [[1, 2, 3], [4, 7, 6]]
        let tokenizer = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")).tokenizer
        #expect(throws: AnalysisInputError.self) {
            try PairCompatibility.checkWindows(a, b, fileA: URL(fileURLWithPath: "/a.gguf"), fileB: URL(fileURLWithPath: "/b.gguf"), tokenizer: tokenizer)
        }
        do {
            try PairCompatibility.checkWindows(a, b, fileA: URL(fileURLWithPath: "/a.gguf"), fileB: URL(fileURLWithPath: "/b.gguf"), tokenizer: tokenizer)
        } catch let e as AnalysisInputError {
            #expect(e.problem.contains("window 1, position 1") && e.file == "/b.gguf")
        }
        try PairCompatibility.checkWindows(a, a, fileA: URL(fileURLWithPath: "/a.gguf"), fileB: URL(fileURLWithPath: "/b.gguf"), tokenizer: tokenizer)
    }
}
