/// Turns text into the token ids a model was trained on, and back.
///
/// Implementations are immutable values (any internal cache is thread-safe),
/// so one tokenizer can be shared by concurrent tasks.
public protocol Tokenizer: Sendable {
    /// The ids of `text`, exactly as the reference tokenizer produces them
    /// (for BERT-style tokenizers this includes `[CLS]` … `[SEP]`).
    func encode(_ text: String) -> [Int32]

    /// Human-readable text of one token, for display: `" the"` for the byte-level
    /// token `"Ġthe"`, `"##ing"` for a WordPiece continuation. Bytes that are not
    /// valid UTF-8 on their own are shown as `<0xNN>`.
    func tokenText(_ id: Int32) -> String

    /// Number of ids (the largest id + 1).
    var vocabularySize: Int { get }

    /// A short description for reports, e.g.
    /// `"byte-level BPE (gpt2/smollm pre-tokenizer), 49152 tokens"`.
    var name: String { get }

    /// The text of `ids` joined back together (`decode(encode(s)) == s` where the
    /// tokenizer is lossless, e.g. byte-level BPE).
    func decode(_ ids: [Int32]) -> String
}
