import AtlasModels
import AtlasResults
import RealModule

/// Why a perplexity could not be produced.
public enum PerplexityError: Error, CustomStringConvertible, Equatable {
    /// logits has `rows` rows but `tokens` holds `tokens` ids.
    case shapeMismatch(window: Int, logitRows: Int, tokens: Int)
    case tokenOutOfRange(window: Int, position: Int, token: Int32, vocab: Int)
    /// Windows whose scored logits held NaN/+Inf (or gave a non-finite NLL); they were not averaged.
    case nonFiniteLogits(windows: [Int])
    case noScoredTokens

    public var description: String {
        switch self {
        case let .shapeMismatch(w, rows, n):
            return "perplexity: window \(w): logits have \(rows) rows but the window has \(n) tokens"
        case let .tokenOutOfRange(w, p, t, v):
            return "perplexity: window \(w), position \(p): token id \(t) outside the vocabulary 0..<\(v)"
        case let .nonFiniteLogits(ws):
            return "perplexity: non-finite logits in window(s) \(ws.map(String.init).joined(separator: ", ")); "
                + "these windows were not averaged"
        case .noScoredTokens:
            return "perplexity: no token was scored (windows need at least 2 tokens)"
        }
    }
}

/// Accumulates token negative log-likelihoods of non-overlapping windows, in two scorings:
///
/// - **all positions**: logits row t predicts token t+1, for rows 0 … T−2 (T−1 scored tokens).
/// - **second half (llama.cpp `llama-perplexity`)**: with `first = T/2` (integer division),
///   logits rows `first` … T−2 predict tokens `first+1` … T−1, i.e. `T − first − 1` scored tokens
///   per window (255 for T = 512). This is exactly `perplexity()` in llama.cpp
///   tools/perplexity/perplexity.cpp: it keeps the logits of positions `>= first` and calls
///   `process_logits(..., tokens + start + first, n_ctx - 1 - first, ...)`, which scores
///   `log_softmax(logits[i], tokens[i + 1])` for i in 0 ..< n_ctx − 1 − first, and adds
///   `n_ctx - first - 1` to its count. (Token `first` itself is not scored.)
///
/// Log-softmax is computed stably as llama.cpp does: max subtraction, exp in Float, Σ exp and
/// the NLL in Double. A window
/// whose scored rows contain NaN or +Inf, or give a non-finite NLL, is excluded from both sums
/// and listed in `nonFiniteWindows`; `result()` then throws rather than averaging around it.
public struct PerplexityAccumulator: Codable, Sendable, Equatable {
    public private(set) var nllAll: Double = 0
    public private(set) var countAll: Int = 0
    public private(set) var nllSecondHalf: Double = 0
    public private(set) var countSecondHalf: Int = 0
    /// Windows that entered the sums.
    public private(set) var windowCount: Int = 0
    /// Windows rejected for non-finite logits, ascending.
    public private(set) var nonFiniteWindows: [Int] = []

    public init() {}

    /// The logits rows scored in llama.cpp's convention for a window of `t` tokens:
    /// `t/2 ..< t-1` (each row r predicts token r + 1). Empty when t < 3.
    public static func secondHalfRows(windowSize t: Int) -> Range<Int> {
        let first = t / 2
        return first < t - 1 ? first..<(t - 1) : first..<first
    }

    /// Scores one window: `logits` is `[T, vocab]` (row t = the model's prediction after token t),
    /// `tokens` the window's T token ids as fed to the model (BOS included when prepended).
    public mutating func add(logits: Matrix, tokens: [Int32], window: Int) throws(PerplexityError) {
        let t = tokens.count
        guard logits.rows == t else { throw .shapeMismatch(window: window, logitRows: logits.rows, tokens: t) }
        let vocab = logits.cols
        try Self.checkTokens(tokens, vocab: vocab, window: window)
        var nlls: [Double] = []
        nlls.reserveCapacity(max(0, t - 1))
        logits.data.withUnsafeBufferPointer { src in
            for r in 0..<max(0, t - 1) {
                let row = UnsafeBufferPointer(rebasing: src[(r * vocab)..<((r + 1) * vocab)])
                let nll = Self.negativeLogLikelihood(row, target: Int(tokens[r + 1]))
                nlls.append(nll)
                guard nll.isFinite else { return }  // the window is rejected below
            }
        }
        add(negativeLogLikelihoods: nlls, window: window)
    }

    /// Throws `tokenOutOfRange` for a predicted token id (positions 1…T−1) outside 0..<vocab.
    public static func checkTokens(_ tokens: [Int32], vocab: Int, window: Int) throws(PerplexityError) {
        for p in tokens.indices.dropFirst() where tokens[p] < 0 || Int(tokens[p]) >= vocab {
            throw .tokenOutOfRange(window: window, position: p, token: tokens[p], vocab: vocab)
        }
    }

    /// Scores one window of T tokens from its NLLs, −log p(token r+1 | tokens 0…r) for rows
    /// r = 0…T−2 (both conventions as in `add(logits:)`; a non-finite value rejects the window).
    public mutating func add(negativeLogLikelihoods nlls: [Double], window: Int) {
        let t = nlls.count + 1
        let half = Self.secondHalfRows(windowSize: t)
        var all = 0.0, second = 0.0
        for (r, nll) in nlls.enumerated() {
            guard nll.isFinite else {
                let i = nonFiniteWindows.firstIndex { $0 > window } ?? nonFiniteWindows.count
                nonFiniteWindows.insert(window, at: i)
                return
            }
            all += nll
            if half.contains(r) { second += nll }
        }
        nllAll += all
        countAll += t - 1
        nllSecondHalf += second
        countSecondHalf += half.count
        windowCount += 1
    }

    /// −log softmax(row)[target], NaN when the row holds NaN or +Inf.
    @inline(__always)
    static func negativeLogLikelihood(_ row: UnsafeBufferPointer<Float>, target: Int) -> Double {
        var mx = -Float.infinity
        var nan = false
        for v in row {
            if v.isNaN { nan = true }
            mx = v > mx ? v : mx
        }
        guard !nan, mx.isFinite else { return .nan }
        var s = 0.0
        for v in row { s = Relaxed.sum(s, Double(Float.exp(v - mx))) }
        return Double(mx) + Double.log(s) - Double(row[target])
    }

    /// Adds the windows of `other`.
    public mutating func merge(_ other: PerplexityAccumulator) {
        nllAll += other.nllAll
        countAll += other.countAll
        nllSecondHalf += other.nllSecondHalf
        countSecondHalf += other.countSecondHalf
        windowCount += other.windowCount
        nonFiniteWindows = (nonFiniteWindows + other.nonFiniteWindows).sorted()
    }

    /// exp(mean NLL) in both scorings. Throws when any window had non-finite logits or nothing
    /// was scored. `secondHalf` is NaN when windows were too short (T < 3) to score a second half.
    public func result() throws(PerplexityError) -> PerplexityResult {
        guard nonFiniteWindows.isEmpty else { throw .nonFiniteLogits(windows: nonFiniteWindows) }
        guard countAll > 0 else { throw .noScoredTokens }
        return PerplexityResult(
            allPositions: Double.exp(nllAll / Double(countAll)),
            secondHalf: countSecondHalf > 0 ? Double.exp(nllSecondHalf / Double(countSecondHalf)) : .nan,
            scoredTokensAll: countAll,
            scoredTokensSecondHalf: countSecondHalf)
    }
}
