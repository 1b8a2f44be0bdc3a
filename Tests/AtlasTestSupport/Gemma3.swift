import AtlasModels
import Foundation

/// The tokenizer of the real Gemma-3-270m GGUF, loaded once per test process. When `models/` is
/// missing or unreadable, every test that asks for it fails with the reason (and the fix)
/// instead of the whole test process stopping.
public enum Gemma3 {
    /// Why the Gemma-3 tokenizer cannot be used in this run.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let result: Result<(file: GGUFFile, tokenizer: SentencePieceTokenizer), Unavailable> = {
        let url = Fixtures.gemma3
        do {
            let file = try GGUFFile(url: url)
            guard let spm = try GGUFTokenizerLoader.load(file) as? SentencePieceTokenizer else {
                return .failure(Unavailable(description: "\(url.path) does not hold a SentencePiece vocabulary"))
            }
            return .success((file, spm))
        } catch {
            return .failure(Unavailable(description: "Gemma-3 tokenizer not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    /// The GGUF file, opened (its metadata parsed) once.
    public static var file: GGUFFile { get throws { try result.get().file } }

    /// Its tokenizer, as `GGUFTokenizerLoader` builds it.
    public static var tokenizer: SentencePieceTokenizer { get throws { try result.get().tokenizer } }
}
