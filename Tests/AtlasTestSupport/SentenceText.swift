import Foundation

extension Fixtures {
    /// A fresh temporary directory holding `calibration.txt`: one English sentence repeated 12
    /// times (~130 tokens for llama-tiny's tokenizer). Returns (directory, text file).
    public static func sentenceText() throws -> (URL, URL) {
        let dir = try temporaryDirectory()
        let text = dir.appendingPathComponent("calibration.txt")
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: text, atomically: true, encoding: .utf8)
        return (dir, text)
    }
}
