import Foundation
import AtlasTestSupport

/// A case of `scripts/reference/gemma3-spm-cases.json`: ids from sentencepiece on the pieces
/// between special tokens, cut as llama.cpp does (see scripts/reference/README.md).
struct SentencePieceReferenceCase: Decodable, Sendable {
    let name: String
    let text: String
    let ids: [Int32]
    /// Plain sentencepiece on the whole text, where it differs from llama.cpp.
    let sentencepiece_ids: [Int32]?

    static let file = Fixtures.repoRoot.appendingPathComponent("scripts/reference/gemma3-spm-cases.json")

    static func all() throws -> [SentencePieceReferenceCase] {
        struct File: Decodable { let cases: [SentencePieceReferenceCase] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: file)).cases
    }
}
