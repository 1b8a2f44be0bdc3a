import Foundation
import AtlasTestSupport

/// The 40 reference cases of `../shared/fixtures/tokenizer-cases.json`.
struct TokenizerFixtureCase: Decodable, Sendable {
    struct Expected: Decodable, Sendable {
        let ids: [Int32]
        let tokens: [String]
    }
    let name: String
    let text: String
    let smollm2: Expected
    let minilm: Expected
    let llama_tiny: Expected

    static func all() throws -> [TokenizerFixtureCase] {
        struct File: Decodable { let cases: [TokenizerFixtureCase] }
        let data = try Data(contentsOf: Fixtures.fixture("tokenizer-cases.json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }
}
