import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// all-MiniLM-L6-v2 from its folder against sentence-transformers (real-smoke.json `minilm`):
/// token ids, first 16 embedding dims, norms before normalisation, cosines, to 1e-5 absolute.
@Suite struct MiniLMEmbeddingTests {
    struct Smoke: Decodable {
        struct Sentence: Decodable {
            var text: String
            var ids: [Int32]
            var pre_normalization_l2_norm: Double
            var embedding_first16: [Double]
        }
        var sentences: [Sentence]
        var cosine_similarity_full_384d: [String: Double]
    }

    static let smoke: Smoke = {
        let data = try! Data(contentsOf: Fixtures.fixture("real-smoke.json"))
        struct Root: Decodable { var minilm: Smoke }
        return try! JSONDecoder().decode(Root.self, from: data).minilm
    }()

    static let loaded: LoadedModel = try! ModelLoader.load(Fixtures.miniLM)

    @Test func loadsAsAnEncoderWithItsWordPieceTokenizer() throws {
        let loaded = Self.loaded
        let encoder = try #require(loaded.encoder as? BertModel)
        #expect(loaded.format == "safetensors" && loaded.bos == nil)
        #expect(encoder.config.blockCount == 6 && encoder.config.hiddenSize == 384 && encoder.config.headCount == 12)
        #expect(encoder.config.ffnSize == 1536 && encoder.config.activation == .geluErf && encoder.vocabSize == 30522)
        #expect(loaded.tokenizer is WordPieceTokenizer)
        #expect(encoder.parameterCount == 22_713_216)
    }

    @Test func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try #require(Self.loaded.encoder)
        var embeddings: [[Float]] = []
        for s in Self.smoke.sentences {
            let ids = Self.loaded.tokenizer.encode(s.text)
            #expect(ids == s.ids, "\(s.text)")
            let e = encoder.sentenceEmbedding(tokens: ids)
            #expect(e.vector.count == 384)
            #expect(abs(Double(e.norm) - s.pre_normalization_l2_norm) <= 1e-5, "norm \(e.norm) vs \(s.pre_normalization_l2_norm)")
            let diff = zip(e.vector.prefix(16), s.embedding_first16).map { abs(Double($0) - $1) }.max()!
            #expect(diff <= 1e-5, "\(s.text): first-16 max diff \(diff)")
            embeddings.append(e.vector)
        }
        for (key, reference) in Self.smoke.cosine_similarity_full_384d {
            let pair = key.split(separator: "-").map { Int($0)! }
            let cosine = SentenceEmbedding.cosine(embeddings[pair[0]], embeddings[pair[1]])
            #expect(abs(cosine - reference) <= 1e-5, "cosine \(key): \(cosine) vs \(reference)")
        }
    }

    /// Padding hidden by the key mask leaves a sentence's embedding unchanged.
    @Test func paddingMaskedOutGivesTheSameEmbedding() throws {
        let encoder = try #require(Self.loaded.encoder)
        let ids = Self.smoke.sentences[0].ids
        let plain = encoder.sentenceEmbedding(tokens: ids)
        let padded = ids + [Int32](repeating: 0, count: 5)
        let mask = [Bool](repeating: true, count: ids.count) + [Bool](repeating: false, count: 5)
        let masked = encoder.sentenceEmbedding(tokens: padded, keyMask: mask)
        #expect(zip(plain.vector, masked.vector).allSatisfy { abs($0 - $1) <= 1e-5 })
        let unmasked = encoder.sentenceEmbedding(tokens: padded)
        #expect(zip(plain.vector, unmasked.vector).contains { abs($0 - $1) > 1e-3 })
    }
}
