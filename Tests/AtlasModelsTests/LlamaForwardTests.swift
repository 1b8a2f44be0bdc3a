import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The LLaMA forward pass against transformers' float32 reference tensors for llama-tiny.
@Suite struct LlamaForwardTests {
    static let expected = Fixtures.fixture("llama-tiny/expected.safetensors")
    let T = 24

    func reference(_ name: String) throws -> SafetensorsFile { try SafetensorsFile(url: Self.expected) }

    /// Rows of sequence `b` of a `[2, T, F]` reference tensor.
    func slice(_ all: [Float], sequence b: Int, perSequence n: Int) -> [Float] { Array(all[(b * n)..<((b + 1) * n)]) }

    func inputs(_ ref: SafetensorsFile) throws -> [[Int32]] {
        let ids = try ref.int64s("input_ids").map { Int32($0) }
        return [Array(ids[0..<T]), Array(ids[T..<(2 * T)])]
    }

    @Test func f32GGUFMatchesEveryReferenceTap() throws {
        let ref = try SafetensorsFile(url: Self.expected)
        let model = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
        let checks: [(String, Int, TapName)] = [
            ("hidden.1", 0, .ffnResid), ("hidden.2", 1, .ffnResid), ("hidden.3.pre_final_norm", 2, .ffnResid),
            ("layer0.attn.norm", 0, .attnNorm), ("layer0.ffn.norm", 0, .ffnNorm),
            ("layer1.attn.in", 1, .attnIn), ("layer1.attn.norm", 1, .attnNorm), ("layer1.attn.q", 1, .attnQ),
            ("layer1.attn.k", 1, .attnK), ("layer1.attn.v", 1, .attnV), ("layer1.attn.ctx", 1, .attnCtx),
            ("layer1.attn.out", 1, .attnOut), ("layer1.attn.resid", 1, .attnResid), ("layer1.ffn.in", 1, .ffnIn),
            ("layer1.ffn.norm", 1, .ffnNorm), ("layer1.ffn.gate", 1, .ffnGate), ("layer1.ffn.up", 1, .ffnUp),
            ("layer1.ffn.act", 1, .ffnAct), ("layer1.ffn.down_in", 1, .ffnDownIn),
            ("layer1.ffn.down_out", 1, .ffnDownOut), ("layer1.ffn.resid", 1, .ffnResid),
        ]
        for (b, tokens) in try inputs(ref).enumerated() {
            let recorder = TapRecorder()
            let logits = model.forward(tokens: tokens, observer: recorder)
            let refLogits = try ref.floats("logits")
            let n = T * model.config.vocabSize
            #expect(Closeness.maxRelativeError(logits.data, reference: slice(refLogits, sequence: b, perSequence: n)) <= 1e-4)
            for (name, block, tap) in checks {
                let value = try #require(recorder[block, tap], "tap \(block).\(tap.rawValue) not emitted")
                let all = try ref.floats(name)
                let err = Closeness.maxRelativeError(value.data, reference: slice(all, sequence: b, perSequence: value.count))
                #expect(err <= 1e-4, "\(name) sequence \(b): relative error \(err)")
            }
            let probs = try #require(recorder[1, .attnProbs])
            let refProbs = slice(try ref.floats("layer1.attn.probs"), sequence: b, perSequence: probs.count)
            #expect(Closeness.maxAbsoluteError(probs.data, reference: refProbs) <= 1e-4)
        }
    }

    @Test func ropeTablesMatchHuggingFace() throws {
        let ref = try SafetensorsFile(url: Self.expected)
        let rope = RoPE(headDim: 16, theta: 100_000)
        let (cos, sin) = rope.tables(positions: T)
        #expect(Closeness.maxAbsoluteError(cos.data, reference: try ref.floats("rope.cos")) <= 1e-6)
        #expect(Closeness.maxAbsoluteError(sin.data, reference: try ref.floats("rope.sin")) <= 1e-6)
    }

    @Test(arguments: ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1"])
    func everyGGUFTypeMatchesItsOwnLogits(type: String) throws {
        let ref = try SafetensorsFile(url: Fixtures.fixture("llama-tiny-gguf/expected.safetensors"))
        let model = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.\(type).gguf")))
        let ids = try ref.int64s("input_ids").map { Int32($0) }
        let all = try ref.floats("logits.\(type)")
        for b in 0..<2 {
            let logits = model.forward(tokens: Array(ids[(b * T)..<((b + 1) * T)]), observer: nil)
            let err = Closeness.maxRelativeError(logits.data, reference: slice(all, sequence: b, perSequence: logits.count))
            #expect(err <= 1e-4, "\(type) sequence \(b): relative logit error \(err)")
        }
    }

    @Test func forwardWithoutObserverEqualsForwardWithObserver() throws {
        let model = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
        let tokens: [Int32] = (0..<T).map { Int32(($0 * 37) % 300) }
        let plain = model.forward(tokens: tokens, observer: nil)
        let observed = model.forward(tokens: tokens, observer: TapRecorder())
        #expect(plain == observed)
    }
}
