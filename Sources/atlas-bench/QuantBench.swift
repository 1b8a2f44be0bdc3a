import AtlasAnalysis
import AtlasModels
import Foundation

/// The cost of a quantized evaluation in lockstep (float forward observed for local SQNR and
/// reference outputs, quantized forward with fake quantization, perplexity, KL, top-1) against
/// one plain float forward of the same window. Budget: at most 2.3×.
enum QuantBench {
    static let schemes = ["W8A8", "W4A16", "W4A16-g128"]

    static func run(_ model: LlamaModel, windows: [[Int32]], threads: Int, time: () -> Double, line: (String) -> Void) throws {
        BLAS.setThreads(threads)
        line("| scheme | threads | weight quantization s | float forward s/window | lockstep s/window | ratio of sums | median per-window ratio (budget 2.3×) |")
        line("|---|---|---|---|---|---|---|")
        _ = model.forward(tokens: windows[0], observer: nil)  // warm-up
        for name in schemes {
            let s0 = time()
            let prepared = try PreparedScheme(try QuantSchemeParser.parse(name), model: model)
            let prepare = time() - s0
            let lockstep = QuantLockstep(prepared, model: model, calibration: [])
            // Float and lockstep alternate window by window, so a change in machine load hits
            // both; the median of the per-window ratios resists load spikes on a shared machine.
            var float = 0.0, total = 0.0, ratios: [Double] = []
            for (i, w) in windows.enumerated() {
                let s1 = time(); _ = model.forward(tokens: w, observer: nil); let f = time() - s1
                let s2 = time(); try lockstep.step(tokens: w, window: i); let l = time() - s2
                float += f; total += l; ratios.append(l / f)
            }
            ratios.sort()
            let median = ratios.count % 2 == 1 ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
            let n = Double(windows.count)
            line("| \(name) | \(threads) | \(String(format: "%.1f", prepare)) | \(String(format: "%.3f", float / n)) | \(String(format: "%.3f", total / n)) | \(String(format: "%.2f×", total / float)) | \(String(format: "%.2f×", median)) |")
        }
    }
}
