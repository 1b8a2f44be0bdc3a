import AtlasModels
import AtlasResults

/// The end-to-end metrics of one lockstep window. One pass over both logits matrices gives KL,
/// top-1, |Δp| and both models' NLLs (fed to `PerplexityAccumulator`); the rows are split over
/// two tasks (`ParallelMap`) so the pass runs on two cores, as the forwards do with their BLAS threads.
enum LockstepMetrics {
    struct Window {
        var float: PerplexityAccumulator
        var quantized: PerplexityAccumulator
        var comparison: LogitComparison
    }

    static func measure(float f: Matrix, quantized q: Matrix, tokens: [Int32], window: Int) throws(PerplexityError) -> Window {
        for m in [f, q] where m.rows != tokens.count {
            throw .shapeMismatch(window: window, logitRows: m.rows, tokens: tokens.count)
        }
        try PerplexityAccumulator.checkTokens(tokens, vocab: f.cols, window: window)
        let scored = max(0, tokens.count - 1), middle = scored / 2
        let halves = ParallelMap.run(2) { task in
            var comparison = LogitComparison()
            let nll = comparison.add(float: f, quantized: q, tokens: tokens, rows: task == 0 ? 0..<middle : middle..<scored)
            return (comparison, nll)
        }
        var comparison = halves[0].0
        comparison.merge(halves[1].0)
        var float = PerplexityAccumulator(), quantized = PerplexityAccumulator()
        float.add(negativeLogLikelihoods: halves[0].1.float + halves[1].1.float, window: window)
        quantized.add(negativeLogLikelihoods: halves[0].1.quantized + halves[1].1.quantized, window: window)
        return Window(float: float, quantized: quantized, comparison: comparison)
    }
}

/// The end-to-end metrics of a lockstep over its windows: both perplexities, KL, top-1, |Δp|
/// (the reference model's logits first). Shared by scheme and checkpoint locksteps.
public struct LockstepEndToEnd: Sendable {
    public private(set) var reference = PerplexityAccumulator()
    public private(set) var other = PerplexityAccumulator()
    public private(set) var comparison = LogitComparison()
    public private(set) var windowCount = 0

    public init() {}

    /// Compares one window's logits (`r` of the reference model, `o` of the other one).
    mutating func add(reference r: Matrix, other o: Matrix, tokens: [Int32], window: Int) throws(PerplexityError) {
        let metrics = try LockstepMetrics.measure(float: r, quantized: o, tokens: tokens, window: window)
        reference.merge(metrics.float)
        other.merge(metrics.quantized)
        comparison.merge(metrics.comparison)
        windowCount += 1
    }

    /// Nil before any window.
    func result() throws(PerplexityError) -> EndToEndError? {
        guard windowCount > 0 else { return nil }
        return EndToEndError(perplexity: try other.result(), floatPerplexity: try reference.result(),
                             klMean: comparison.klMean, top1Agreement: comparison.top1Agreement,
                             meanAbsDeltaTrueTokenProbability: comparison.meanAbsDeltaTrueToken,
                             positions: comparison.positions)
    }
}
