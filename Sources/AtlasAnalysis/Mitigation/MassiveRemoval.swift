import AtlasModels
import Foundation

/// TMA removal at y6 — our implementation of the idea in 2505.21670: in the blocks where the
/// massive activations form (calibration: max |ffn.down_out| > 100 and > 1000 × its median |x|,
/// the Sun et al. criterion applied to the down projection's output), the entries of the
/// down projection's input `ffn.down_in` with |x| > factor × median |down_in| are the
/// triggers; at run time they are zeroed, clamped to ±threshold, or replaced by their channel's
/// calibration mean over the non-trigger tokens. Lossy (a runtime intervention).
public final class MassiveRemoval: TapObserver, Sendable {
    public enum Mode: String, Sendable { case zero, clamp, mean }

    public let mode: Mode
    /// Formation block → trigger threshold on |ffn.down_in|.
    public let thresholds: [Int: Float]
    /// Formation block → per-channel calibration mean of the non-trigger entries.
    public let means: [Int: [Float]]

    init(mode: Mode, thresholds: [Int: Float], means: [Int: [Float]]) {
        self.mode = mode
        self.thresholds = thresholds
        self.means = means
    }

    public func wants(block: Int, tap: TapName) -> Bool { false }
    public func observe(block: Int, tap: TapName, value: Matrix) {}
    public func rewrites(block: Int, tap: TapName) -> Bool { tap == .ffnDownIn && thresholds[block] != nil }

    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        guard tap == .ffnDownIn, let tau = thresholds[block] else { return }
        let cols = value.cols, mean = means[block]
        value.data.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count where abs(p[i]) > tau {
                switch mode {
                case .zero: p[i] = 0
                case .clamp: p[i] = p[i] > 0 ? tau : -tau
                case .mean: p[i] = mean?[i % cols] ?? 0
                }
            }
        }
    }

    /// Two calibration passes over `calibration`: find the formation blocks and thresholds,
    /// then the channel means below threshold.
    public static func calibrate(_ model: LlamaModel, calibration: [[Int32]], mode: Mode, factor: Float) -> MassiveRemoval {
        var outMax: [Int: Float] = [:], outMedian: [Int: Float] = [:], inMedian: [Int: Float] = [:]
        var scratch = MedianScratch()
        let first = ClosureObserver(taps: [.ffnDownIn, .ffnDownOut]) { block, tap, value in
            let median = Float(scratch.medianAbs(value) ?? 0)
            if tap == .ffnDownOut {
                outMax[block] = max(outMax[block] ?? 0, value.data.reduce(0) { max($0, abs($1)) })
                outMedian[block] = max(outMedian[block] ?? 0, median)
            } else {
                inMedian[block] = max(inMedian[block] ?? 0, median)
            }
        }
        for window in calibration { _ = model.forward(tokens: window, observer: first) }
        var thresholds: [Int: Float] = [:]
        for (block, m) in outMax where m > 100 && m > 1000 * (outMedian[block] ?? 0) {
            thresholds[block] = factor * (inMedian[block] ?? 0)
        }
        var sums: [Int: [Double]] = [:], counts: [Int: [Double]] = [:]
        let second = ClosureObserver(taps: [.ffnDownIn]) { block, _, value in
            guard let tau = thresholds[block] else { return }
            var s = sums[block] ?? [Double](repeating: 0, count: value.cols), n = counts[block] ?? s
            for (i, x) in value.data.enumerated() where abs(x) <= tau { s[i % value.cols] += Double(x); n[i % value.cols] += 1 }
            sums[block] = s; counts[block] = n
        }
        if mode == .mean { for window in calibration { _ = model.forward(tokens: window, observer: second) } }
        let means = sums.mapValues { _ in [Float]() }.keys.reduce(into: [Int: [Float]]()) { out, block in
            out[block] = zip(sums[block]!, counts[block]!).map { $1 > 0 ? Float($0 / $1) : 0 }
        }
        return MassiveRemoval(mode: mode, thresholds: thresholds, means: means)
    }
}

/// An observer that hands each wanted tap value to a closure (calibration passes).
final class ClosureObserver: TapObserver {
    let taps: Set<TapName>
    let body: (Int, TapName, Matrix) -> Void

    init(taps: Set<TapName>, body: @escaping (Int, TapName, Matrix) -> Void) {
        self.taps = taps
        self.body = body
    }

    func wants(block: Int, tap: TapName) -> Bool { taps.contains(tap) }
    func observe(block: Int, tap: TapName, value: Matrix) { body(block, tap, value) }
}
