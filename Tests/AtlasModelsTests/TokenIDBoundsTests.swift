import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Every id that can reach the embedding has a row (the release build does not bounds-check the
/// embedding copy): a BOS id at or beyond the vocabulary, or one stored as a bad value, is one
/// FormatError naming the file and the field, before any window runs.
@Suite struct TokenIDBoundsTests {
    static let llamaTiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q4_0.gguf")

    /// llama-tiny (320 tokens, 320 embedding rows) with `add_bos_token = true` and `bos_token_id = id`.
    static func withBOS(_ id: UInt32, in dir: URL) throws -> URL {
        var data = try Data(contentsOf: llamaTiny)
        data[try GGUFBytes.valueTypeOffset(data, key: "tokenizer.ggml.add_bos_token") + 4] = 1
        data.put(id, at: try GGUFBytes.valueTypeOffset(data, key: "tokenizer.ggml.bos_token_id") + 4)
        return try writeTemp(data, name: "bos-\(id).gguf", in: dir)
    }

    @Test(arguments: [UInt32(320), 321, 400, 2000, 100_000, UInt32(bitPattern: -1)])
    func aBOSWithoutAnEmbeddingRowIsRefused(id: UInt32) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.withBOS(id, in: dir)
        expectFormatError(url, field: "tokenizer.ggml.bos_token_id") { _ = try ModelLoader.load(url) }
    }

    @Test func aBOSInsideTheVocabularyIsKept() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for id in [UInt32(0), 319] {
            #expect(try ModelLoader.load(try Self.withBOS(id, in: dir)).bos == Int32(id))
        }
        #expect(try ModelLoader.load(Self.llamaTiny).bos == nil)  // add_bos_token false: no BOS
    }
}
