import AtlasAnalysis
import AtlasModels
import Foundation

/// CPU time of the per-window statistics of one tap matrix (`TapAccumulator.add`), for the
/// shapes of a 512-token SmolLM2 window: the residual stream, the FFN width and the attention
/// probabilities. Thread CPU time, so other load on the machine does not count.
enum StatisticsBench {
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// A deterministic activation-like matrix (a few large entries, the rest small).
    static func matrix(rows: Int, cols: Int) -> Matrix {
        var state: UInt32 = 12345
        let data = (0..<(rows * cols)).map { i -> Float in
            state = state &* 1_664_525 &+ 1_013_904_223
            let u = Float(state >> 8) / Float(1 << 24) - 0.5
            return i % 9973 == 0 ? u * 2000 : u
        }
        return Matrix(rows: rows, cols: cols, data: data)
    }

    /// Milliseconds of CPU per `add` (best of `repeats` runs of `windows` windows).
    static func milliseconds(rows: Int, cols: Int, exactMedian: Bool, outlierTokens: Bool, distribution: Bool = true,
                             windows: Int = 8, repeats: Int = 3) -> Double {
        let m = matrix(rows: rows, cols: cols)
        var best = Double.infinity
        for _ in 0..<repeats {
            var acc = TapAccumulator(exactMedian: exactMedian, outlierFactor: outlierTokens ? 10 : nil, distribution: distribution)
            var scratch = MedianScratch()
            let start = threadCPU()
            for w in 0..<windows { acc.add(m, window: w, tokens: [], scratch: &scratch) }
            best = min(best, (threadCPU() - start) / Double(windows))
            precondition(acc.windowCount == windows)
        }
        return best * 1000
    }

    /// CPU ms of one call of `body` (best of 5).
    static func time(_ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let start = threadCPU()
            body()
            best = min(best, threadCPU() - start)
        }
        return best * 1000
    }

    /// The parts of `add` on a [512, 1536] matrix, each alone.
    static func components(line: (String) -> Void) {
        let m = matrix(rows: 512, cols: 1536)
        var scratch = MedianScratch()
        let parts: [(String, () -> Void)] = [
            ("moments (fused SIMD pass)", { var c = ChannelMoments(); c.accumulate(m) }),
            ("histogram (64 bins/decade binning)", { var h = LogHistogram(binsPerDecade: 64); h.accumulate(m) }),
            ("exact median (radix select)", { _ = scratch.medianAbs(m) }),
            ("top-k, every value scanned", { var t = TopK(k: 16); t.accumulate(m, window: 0, tokens: []) }),
        ]
        line("| part of `add`, [512, 1536] | CPU ms |")
        line("|---|---|")
        for (name, body) in parts { line("| \(name) | \(String(format: "%.2f", time(body))) |") }
    }

    static func report(line: (String) -> Void) {
        components(line: line)
        line("")
        line("| tap matrix | median | CPU ms per window | ns per value |")
        line("|---|---|---|---|")
        let shapes: [(String, Int, Int, Bool, Bool)] = [
            ("residual [512, 576]", 512, 576, true, true),
            ("FFN width [512, 1536]", 512, 1536, false, true),
            ("y6 ffn.down_in [512, 1536]", 512, 1536, true, true),
            ("attn.probs [9×512, 512]", 9 * 512, 512, false, false),
        ]
        for (name, rows, cols, exact, outliers) in shapes {
            let ms = milliseconds(rows: rows, cols: cols, exactMedian: exact, outlierTokens: outliers, distribution: outliers)
            line("| \(name) | \(exact ? "exact" : outliers ? "cell estimate" : "none (moments, top-k)") | \(String(format: "%.2f", ms)) | \(String(format: "%.2f", ms * 1e6 / Double(rows * cols))) |")
        }
    }
}
