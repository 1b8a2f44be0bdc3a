import AtlasModels
import Foundation

/// `tokenizer.json` in memory (`TokenizerJSON.load(data:)`): every layout the loader knows
/// (byte-level BPE, byte-fallback BPE, WordPiece). A tokenizer that loads encodes the probe
/// text and must emit only ids it has.
enum TokenizerJSONTarget: FuzzTarget {
    static let name = "tokenizer-json"

    static func test(_ bytes: UnsafeRawBufferPointer) {
        Contract.accept(name) {
            let tokenizer = try TokenizerJSON.load(data: Data(bytes), file: "tokenizer.json")
            TokenizerProbe.check(tokenizer, TokenizerProbe.sample, name)
        }
    }
}
