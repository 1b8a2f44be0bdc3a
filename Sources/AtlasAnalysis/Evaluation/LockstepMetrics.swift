import AtlasModels
import Dispatch

/// The end-to-end metrics of one lockstep window, computed as four independent tasks spread
/// over the cores: the float and the quantized perplexity scorings (each a fresh
/// `PerplexityAccumulator` for this window, merged by the caller) and the two halves of the
/// logit comparison. The forward passes use every BLAS thread; without this the metrics would
/// run on one core while the others idle.
enum LockstepMetrics {
    struct Window {
        var float: PerplexityAccumulator
        var quantized: PerplexityAccumulator
        var comparison: LogitComparison
    }

    /// A result written by exactly one task and read after all have finished.
    private final class Slot<T>: @unchecked Sendable {
        var value: T?
    }

    static func measure(float f: Matrix, quantized q: Matrix, tokens: [Int32], window: Int) throws(PerplexityError) -> Window {
        let scores = [Slot<Result<PerplexityAccumulator, PerplexityError>>(), Slot<Result<PerplexityAccumulator, PerplexityError>>()]
        let halves = [Slot<LogitComparison>(), Slot<LogitComparison>()]
        let scored = max(0, tokens.count - 1), middle = scored / 2
        DispatchQueue.concurrentPerform(iterations: 4) { task in
            switch task {
            case 0, 1:
                let logits = task == 0 ? f : q
                scores[task].value = Result { () throws(PerplexityError) -> PerplexityAccumulator in
                    var a = PerplexityAccumulator()
                    try a.add(logits: logits, tokens: tokens, window: window)
                    return a
                }
            default:
                var c = LogitComparison()
                // Only after the perplexity check of the token ids (a bad id throws there).
                if tokens.allSatisfy({ $0 >= 0 && Int($0) < f.cols }) {
                    c.add(float: f, quantized: q, tokens: tokens, rows: task == 2 ? 0..<middle : middle..<scored)
                }
                halves[task - 2].value = c
            }
        }
        var comparison = halves[0].value!
        comparison.merge(halves[1].value!)
        return Window(float: try scores[0].value!.get(), quantized: try scores[1].value!.get(), comparison: comparison)
    }
}
