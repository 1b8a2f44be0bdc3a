import AtlasModels
import Foundation

/// The real Gemma-3-270m GGUF (Q4_K_M, SentencePiece vocabulary): its file, tokenizer and
/// network, each made once per test process, and the token ids of the reference sequences
/// (scripts/reference/gemma3-270m-ids.json). When `models/` is missing or unreadable, every
/// test that asks for them fails with the reason (and the fix) instead of the process stopping.
public enum Gemma3 {
    private static let opened: Result<(file: GGUFFile, tokenizer: SentencePieceTokenizer), ModelUnavailable> = {
        let url = Fixtures.gemma3
        do {
            let file = try GGUFFile(url: url)
            guard let spm = try GGUFTokenizerLoader.load(file) as? SentencePieceTokenizer else {
                return .failure(ModelUnavailable("\(url.path) does not hold a SentencePiece vocabulary"))
            }
            return .success((file, spm))
        } catch {
            return .failure(ModelUnavailable("Gemma-3 tokenizer not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    private static let network: Result<LlamaModel, ModelUnavailable> = {
        do { return .success(try LlamaGGUFLoader.load(try file)) } catch {
            return .failure(ModelUnavailable("Gemma-3 network not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    /// The GGUF file, opened (its metadata parsed) once.
    public static var file: GGUFFile { get throws { try opened.get().file } }

    /// Its tokenizer, as `GGUFTokenizerLoader` builds it.
    public static var tokenizer: SentencePieceTokenizer { get throws { try opened.get().tokenizer } }

    /// Its network in Float32.
    public static var model: LlamaModel { get throws { try network.get() } }

    /// The reference sequences: BOS + a WikiText passage split into vocabulary pieces, 33 tokens
    /// and 520 (longer than the 512-token local window).
    public static func sequences() throws -> [[Int32]] {
        try JSONDecoder().decode([[Int32]].self, from: Data(contentsOf: Fixtures.repoRoot.appendingPathComponent("scripts/reference/gemma3-270m-ids.json")))
    }
}
