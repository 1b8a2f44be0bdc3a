@testable import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// A declared block count is checked against the blocks of tensors present before anything is
/// sized by it: 10^9 layers in config.json used to reserve 304 GB and abort; a GGUF
/// `block_count` of 0 or 1 beside three blocks of tensors used to load a different model.
@Suite struct DeclaredBlocksTests {
    /// Every HF family and the key that holds its layer count (each fixture has 3 blocks).
    static let families: [(fixture: String, key: String)] = [
        ("llama-tiny", "num_hidden_layers"), ("qwen2-tiny", "num_hidden_layers"), ("bert-tiny", "num_hidden_layers"),
        ("gpt2-tiny", "n_layer"), ("opt-tiny", "num_hidden_layers"), ("gemma2-tiny", "num_hidden_layers"),
        ("gemma3-tiny", "num_hidden_layers"), ("phi3-tiny", "num_hidden_layers"),
    ]

    @Test(arguments: families.map(\.fixture), [1_000_000_000, 2_147_483_647, 4, 2])
    func aLayerCountOtherThanTheTensorsIsRefused(fixture: String, layers: Int) throws {
        let key = Self.families.first { $0.fixture == fixture }!.key
        let f = try HFFolderTests.folder(fixture) { config in
            config[key] = layers
            config["layer_types"] = nil  // Gemma lists one attention type per layer; the default pattern serves any count
        }
        defer { try? FileManager.default.removeItem(at: f.url) }
        do {
            _ = try HFFolderLoader.network(at: f.url)
            Issue.record("\(fixture) loaded with \(key) = \(layers) beside 3 blocks of tensors")
        } catch let error as FormatError {
            #expect(error.file == f.config.path && error.field == key, "\(error)")
            #expect(error.found == "\(layers)" && error.expected.hasPrefix("3, the blocks of tensors present"), "\(error)")
        }
    }

    static let llamaTiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q4_0.gguf")

    /// llama-tiny (3 blocks) with the uint32 of `key` set to `value`.
    static func gguf(_ key: String, _ value: UInt32, in dir: URL) throws -> URL {
        var data = try Data(contentsOf: llamaTiny)
        data.put(value, at: try GGUFBytes.valueTypeOffset(data, key: key) + 4)
        return try writeTemp(data, name: "edited.gguf", in: dir)
    }

    @Test(arguments: [UInt32(0), 1, 2, 4, 1_000_000_000])
    func aGGUFBlockCountOtherThanTheTensorsIsRefused(count: UInt32) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.gguf("llama.block_count", count, in: dir)
        do {
            _ = try ModelLoader.load(url)
            Issue.record("llama-tiny loaded with block_count \(count)")
        } catch let error as FormatError {
            #expect(error.file == url.path && error.field == "llama.block_count", "\(error)")
            #expect(error.description.hasSuffix("found \(count), expected 3, the blocks of tensors present (blk.0 … blk.2)"), "\(error)")
        }
    }

    @Test func blocksArePresentWithoutAGap() throws {
        let names = ["blk.0.a", "blk.2.a", "blk.x.a", "blk.+1.a", "token_embd.weight", "blk.10"]
        #expect(DeclaredBlocks.present(in: names, prefix: "blk.") == [0, 2])
        #expect(throws: FormatError.self) { try DeclaredBlocks.check(2, field: "n", file: "f", tensorNames: names, prefix: "blk.") }
        #expect(throws: FormatError.self) { try DeclaredBlocks.check(0, field: "n", file: "f", tensorNames: [], prefix: "blk.") }
        try DeclaredBlocks.check(1, field: "n", file: "f", tensorNames: ["blk.0.a"], prefix: "blk.")
    }
}
