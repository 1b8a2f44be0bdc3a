import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Weights kept in their GGUF blocks give the same bits as the Float32 load: every matrix,
/// every tap and the logits, on the fixtures (every legacy type, permuted q/k, Phi-3's fused
/// tensors) and on the real SmolLM2 (tiled head product) and Gemma-3-270m (K-quants).
@Suite struct QuantizedWeightsTests {
    static func bothWays(_ url: URL) throws -> (float: LlamaModel, quantized: LlamaModel) {
        (try LlamaGGUFLoader.load(try GGUFFile(url: url), weights: .float32),
         try LlamaGGUFLoader.load(try GGUFFile(url: url), weights: .quantized))
    }

    /// Same weights, same taps, same logits — compared bit for bit.
    func expectIdentical(_ a: LlamaModel, _ b: LlamaModel, tokens: [Int32], blocks: Set<Int>? = nil) throws {
        for site in a.linearSites where blocks?.contains(site.block) ?? true {
            #expect(differing(b.linear(at: site).weight.data, a.linear(at: site).weight.data) == 0, "\(site.tensorName)")
        }
        let ra = TapRecorder(blocks: blocks), rb = TapRecorder(blocks: blocks)
        let la = a.forward(tokens: tokens, observer: ra), lb = b.forward(tokens: tokens, observer: rb)
        #expect(!ra.values.isEmpty && ra.values.keys.sorted() == rb.values.keys.sorted())
        for (key, value) in ra.values { #expect(differing(rb.values[key]?.data ?? [], value.data) == 0, "tap \(key)") }
        #expect(differing(la.data, lb.data) == 0, "logits")
    }

    /// Positions where the bits differ (all of them when the sizes do).
    func differing(_ a: [Float], _ b: [Float]) -> Int {
        a.count == b.count ? zip(a, b).reduce(0) { $0 + ($1.0.bitPattern == $1.1.bitPattern ? 0 : 1) } : max(a.count, b.count, 1)
    }

    @Test(arguments: ["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0"])
    func fixtureTypesGiveTheFloat32Bits(type: String) throws {
        let (f, q) = try Self.bothWays(Fixtures.fixture("llama-tiny-gguf/llama-tiny.\(type).gguf"))
        #expect(q.linearSites.allSatisfy { q.linear(at: $0).weights.isQuantized })
        #expect(q.embeddingWeights.isQuantized && !f.embeddingWeights.isQuantized)
        try expectIdentical(f, q, tokens: (0..<40).map { Int32(($0 * 37 + 11) % 320) })
    }

    @Test func fusedPhi3TensorsStayQuantizedAndSplit() throws {
        let (url, _) = try Phi3GGUFTests.phi3File()
        let (f, q) = try Self.bothWays(url)
        try expectIdentical(f, q, tokens: (0..<24).map { Int32(($0 * 13 + 5) % 320) })
    }

    @Test func editingAQuantizedWeightMakesItFloat32() throws {
        var (f, q) = try Self.bothWays(Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q8_0.gguf"))
        q.blocks[0][linear: .down]?.weight.data[3] *= 2
        f.blocks[0][linear: .down]?.weight.data[3] *= 2
        let down0 = LinearSite(block: 0, kind: .down), down1 = LinearSite(block: 1, kind: .down)
        #expect(!q.linear(at: down0).weights.isQuantized && q.linear(at: down1).weights.isQuantized)
        #expect(q.linear(at: down0).weight != (try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q8_0.gguf")))).linear(at: down0).weight)
        try expectIdentical(f, q, tokens: [1, 5, 9, 200])
    }

    @Test func smolLM2KeepsItsBlocksAndTheBits() throws {
        guard FileManager.default.fileExists(atPath: Fixtures.smolLM2.path) else { throw ModelUnavailable("models/ SmolLM2 not fetched") }
        let float = try SmolLM2.model
        let quantized = try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.smolLM2), weights: .quantized)
        // The head (49152 × 576, above WeightMatrix.tileValues) is multiplied tile by tile.
        #expect(quantized.headWeights.rows * quantized.headWeights.cols > WeightMatrix.tileValues)
        let resident = quantized.linearSites.reduce(0) { $0 + quantized.linear(at: $1).weights.residentBytes }
        let dense = float.linearSites.reduce(0) { $0 + float.linear(at: $1).weights.residentBytes }
        #expect(resident * 4 < dense, "quantized \(resident) B vs Float32 \(dense) B")
        let tokens = try SmolLM2.loaded.tokenizer.encode("The quick brown fox jumps over the lazy dog. " + String(repeating: "Outliers sit in few channels. ", count: 4))
        try expectIdentical(float, quantized, tokens: tokens, blocks: [0, 3, 29])
    }

    @Test func gemma3KQuantsGiveTheFloat32Bits() throws {
        guard FileManager.default.fileExists(atPath: Fixtures.gemma3.path) else { throw ModelUnavailable("models/ Gemma 3 not fetched") }
        let float = try Gemma3.model
        let quantized = try LlamaGGUFLoader.load(try Gemma3.file, weights: .quantized)
        try expectIdentical(float, quantized, tokens: [2, 818, 5279, 529, 506, 3364, 236761, 108, 1437, 7027], blocks: [0, 5, 17])
    }

    @Test func autoPolicyKeepsBlocksOnlyWhenFloat32WouldNotFit() {
        let gib = 1 << 30
        #expect(WeightPolicy.auto(maxMemory: nil).residency(float32Bytes: gib / 2, budget: 24 * gib) == .float32)
        #expect(WeightPolicy.auto(maxMemory: nil).residency(float32Bytes: 28 * gib, budget: 24 * gib) == .quantized)
        #expect(WeightPolicy.auto(maxMemory: gib).residency(float32Bytes: gib / 2, budget: 24 * gib) == .quantized)
        #expect(WeightPolicy.auto(maxMemory: nil).residency(float32Bytes: 28 * gib, budget: nil) == .float32)
        #expect(WeightPolicy.fixed(.quantized).residency(float32Bytes: 1, budget: nil) == .quantized)
        #expect(WeightPolicy.fixed(.float32).residency(float32Bytes: 28 * gib, budget: gib) == .float32)
    }

    @Test(arguments: [("512M", 512 << 20), ("2G", 2 << 30), ("1.5GiB", 3 << 29), ("800000000", 800_000_000), ("3GB", 3_000_000_000)])
    func byteSizesParse(text: String, bytes: Int) { #expect(ByteSize.parse(text) == bytes) }

    @Test(arguments: ["", "-1G", "0", "G", "1.2.3M", "nanM", "12Q"])
    func badByteSizesAreRefused(text: String) { #expect(ByteSize.parse(text) == nil) }
}
