import AtlasModels

/// What every tokenizer a target builds must satisfy on any text: each id it emits has a row
/// (0 ..< vocabularySize, the bound the embedding copy relies on in the unchecked release
/// build), and naming or decoding those ids does not trap.
enum TokenizerProbe {
    /// A fixed text with ASCII, spaces, digits, accents, CJK, emoji and control bytes.
    static let sample = "Hello, world!  It's 2026: naïve café 東京 🤖\t\n<s></s>[CLS] ▁x Ġy \u{0}\u{7f}"

    /// Encodes `text`, checks every id, names and decodes them; returns the ids.
    @discardableResult
    static func check(_ tokenizer: any Tokenizer, _ text: String, _ target: String) -> [Int32] {
        let ids = tokenizer.encode(text)
        let size = tokenizer.vocabularySize
        for id in ids {
            Contract.require(id >= 0 && Int(id) < size, target,
                             "\(tokenizer.name) emitted id \(id) outside 0..<\(size) for \(text.debugDescription)")
            _ = tokenizer.tokenText(id)
        }
        _ = tokenizer.decode(ids)
        return ids
    }
}
