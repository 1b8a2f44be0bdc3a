import AtlasModels
import Foundation

/// Per-channel activation clipping at the Linear inputs: from calibration, the threshold of
/// channel c of tap `t` in block `b` is the `percentile`-th percentile of |x[:, c]| over every
/// token of the calibration windows (exact: the few largest values per channel are kept, see
/// `Percentile.topCount`); at run time every entry is clamped to ±threshold. Lossy (a runtime
/// intervention on the float model too).
public final class ActivationClipping: TapObserver, Sendable {
    /// Block → tap → per-channel threshold on |x|.
    public let thresholds: [Int: [TapName: [Float]]]
    /// Calibration entries above their channel's threshold, and channels with at least one.
    public let clippedEntries: Int
    public let clippedChannels: Int

    init(thresholds: [Int: [TapName: [Float]]], clippedEntries: Int, clippedChannels: Int) {
        self.thresholds = thresholds
        self.clippedEntries = clippedEntries
        self.clippedChannels = clippedChannels
    }

    public func wants(block: Int, tap: TapName) -> Bool { false }
    public func observe(block: Int, tap: TapName, value: Matrix) {}
    public func rewrites(block: Int, tap: TapName) -> Bool { thresholds[block]?[tap] != nil }

    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        guard let tau = thresholds[block]?[tap] else { return }
        Self.clamp(&value, to: tau)
    }

    /// x[t, c] = clamp(x[t, c], −τ_c, τ_c) (NaN stays NaN).
    public static func clamp(_ x: inout Matrix, to tau: [Float]) {
        precondition(tau.count == x.cols)
        let cols = x.cols
        x.data.withUnsafeMutableBufferPointer { p in
            for r in 0..<x.rows {
                for c in 0..<cols where abs(p[r * cols + c]) > tau[c] { p[r * cols + c] = p[r * cols + c] > 0 ? tau[c] : -tau[c] }
            }
        }
    }

    /// Thresholds of `taps` (every block) from float forwards over `calibration`.
    public static func calibrate(_ model: some LanguageModel, taps: Set<TapName>, calibration: [[Int32]],
                                 percentile: Double) -> ActivationClipping {
        let n = calibration.reduce(0) { $0 + $1.count }
        let limit = Percentile.topCount(n: n, percentile: percentile)
        var top: [Int: [TapName: [[Float]]]] = [:]
        let observer = ClosureObserver(taps: taps) { block, tap, value in
            var columns = top[block]?.removeValue(forKey: tap) ?? Array(repeating: [], count: value.cols)
            for c in 0..<value.cols {
                Percentile.merge((0..<value.rows).map { abs(value[$0, c]) }, into: &columns[c], limit: limit)
            }
            top[block, default: [:]][tap] = columns
        }
        for window in calibration { _ = model.forward(tokens: window, observer: observer) }
        var entries = 0, channels = 0
        let thresholds = top.mapValues { byTap in
            byTap.mapValues { columns in
                columns.map { values -> Float in
                    let tau = Percentile.fromTop(values, n: n, percentile: percentile)
                    let above = values.filter { $0 > tau }.count
                    entries += above
                    channels += above > 0 ? 1 : 0
                    return tau
                }
            }
        }
        return ActivationClipping(thresholds: thresholds, clippedEntries: entries, clippedChannels: channels)
    }
}
