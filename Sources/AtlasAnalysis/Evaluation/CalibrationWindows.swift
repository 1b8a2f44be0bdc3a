/// Non-overlapping token windows for calibration and perplexity.
public enum CalibrationWindows {
    /// Cuts `tokens` (the text's token ids, **without** a BOS) into non-overlapping windows of
    /// `windowSize` (T) tokens; an incomplete tail is dropped. `count` keeps only the first
    /// `count` windows (nil: all; more than available: all available).
    ///
    /// With `bos`, each window is BOS followed by T − 1 text tokens, exactly as llama.cpp's
    /// `llama-perplexity` does (tools/perplexity/perplexity.cpp, `perplexity()`): it tokenizes
    /// the text *with* a leading BOS, cuts that stream into chunks of n_ctx at `i * n_ctx`, and
    /// overwrites the first token of every chunk with BOS before decoding. So window i is
    /// `[BOS] + tokens[i·T ..< i·T + T − 1]`; the text token `tokens[i·T + T − 1]` that
    /// llama.cpp overwrites at the start of the next chunk is in no window, and there are
    /// ⌊(tokens.count + 1) / T⌋ windows. (llama.cpp additionally refuses fewer than 2·n_ctx
    /// tokens; here one complete window is enough.)
    ///
    /// Without `bos`, window i is `tokens[i·T ..< (i + 1)·T]` and there are ⌊tokens.count / T⌋.
    ///
    /// `file` names the source text in errors.
    public static func make(tokens: [Int32], windowSize: Int, count: Int?, bos: Int32?,
                            file: String = "<tokens>") throws(CalibrationError) -> [[Int32]] {
        guard windowSize >= 2 else { throw .invalidWindowSize(file: file, windowSize: windowSize) }
        if let count, count < 1 { throw .invalidCount(file: file, count: count) }
        guard !tokens.isEmpty else { throw .emptyText(file: file) }
        let t = windowSize
        let textPerWindow = bos == nil ? t : t - 1
        let available = bos == nil ? tokens.count / t : (tokens.count + 1) / t
        guard available >= 1 else {
            throw .tooFewTokens(file: file, tokens: tokens.count, needed: textPerWindow, windowSize: t)
        }
        let n = Swift.min(available, count ?? available)
        return (0..<n).map { i in
            let start = i * t
            if let bos {
                return [bos] + tokens[start..<(start + textPerWindow)]
            }
            return Array(tokens[start..<(start + t)])
        }
    }
}
