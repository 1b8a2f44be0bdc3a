import AtlasModels
import Foundation

/// TMA removal at y6 — our implementation of the idea in 2505.21670. Calibration finds where
/// the massive activations form: entries of the down projection's output `ffn.down_out` with
/// |x| > 100 and > 1000 × its median |x| (the Sun et al. criterion); for each, the input channel
/// c of `ffn.down_in` contributing most (argmax_c |x_c W[d, c]|) is a trigger channel with
/// threshold half its smallest triggering |x_c|. At run time the entries of trigger channels
/// above threshold are zeroed, clamped to ±threshold, or replaced by the channel's calibration
/// mean over the tokens below threshold. Lossy (a runtime intervention).
public final class MassiveRemoval: TapObserver, Sendable {
    public enum Mode: String, Sendable { case zero, clamp, mean }

    public let mode: Mode
    /// Formation block → trigger channel → threshold on |ffn.down_in|.
    public let thresholds: [Int: [Int: Float]]
    /// Formation block → trigger channel → calibration mean below threshold.
    public let means: [Int: [Int: Float]]

    init(mode: Mode, thresholds: [Int: [Int: Float]], means: [Int: [Int: Float]]) {
        self.mode = mode
        self.thresholds = thresholds
        self.means = means
    }

    public func wants(block: Int, tap: TapName) -> Bool { false }
    public func observe(block: Int, tap: TapName, value: Matrix) {}
    public func rewrites(block: Int, tap: TapName) -> Bool { tap == .ffnDownIn && thresholds[block] != nil }

    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        guard tap == .ffnDownIn, let channels = thresholds[block] else { return }
        for (c, tau) in channels {
            for t in 0..<value.rows where abs(value[t, c]) > tau {
                switch mode {
                case .zero: value[t, c] = 0
                case .clamp: value[t, c] = value[t, c] > 0 ? tau : -tau
                case .mean: value[t, c] = means[block]?[c] ?? 0
                }
            }
        }
    }

    /// Calibration over `calibration`: trigger channels and thresholds, found again with the
    /// removal applied until no new formation site appears (removing the massive activations of
    /// the block where they form lets a later block form them instead, as on SmolLM2), at most
    /// one round per block; then, for `mean`, one more pass for the channel means.
    /// `blocks`: only formation sites in these blocks are removed (nil: every block).
    public static func calibrate(_ model: some DecoderModel, calibration: [[Int32]], mode: Mode, blocks: Set<Int>? = nil) -> MassiveRemoval {
        var thresholds: [Int: [Int: Float]] = [:]
        let round: Mode = mode == .clamp ? .clamp : .zero  // `mean` rounds zero: means come last
        for _ in 0..<max(1, model.blocks.count) {
            let found = formationSites(model, calibration: calibration,
                                       applying: thresholds.isEmpty ? nil : MassiveRemoval(mode: round, thresholds: thresholds, means: [:]))
            var grew = false
            for (block, channels) in found where blocks?.contains(block) ?? true {
                for (c, tau) in channels where tau < thresholds[block]?[c] ?? .infinity {
                    thresholds[block, default: [:]][c] = tau
                    grew = true
                }
            }
            if !grew { break }
        }
        var sums: [Int: [Int: (Double, Double)]] = [:]
        let second = ClosureObserver(taps: [.ffnDownIn]) { block, _, value in
            for (c, tau) in thresholds[block] ?? [:] {
                for t in 0..<value.rows where abs(value[t, c]) <= tau {
                    let (s, n) = sums[block]?[c] ?? (0, 0)
                    sums[block, default: [:]][c] = (s + Double(value[t, c]), n + 1)
                }
            }
        }
        if mode == .mean {
            let removal = MassiveRemoval(mode: round, thresholds: thresholds, means: [:])
            for window in calibration { _ = model.forward(tokens: window, observer: TapObservers([removal, second])) }
        }
        let means = sums.mapValues { $0.mapValues { $0.1 > 0 ? Float($0.0 / $0.1) : 0 } }
        return MassiveRemoval(mode: mode, thresholds: thresholds, means: means)
    }

    /// Where massive activations form in one pass over `calibration` (with `removal` applied, if
    /// any): entries of `ffn.down_out` with |x| > 100 and > 1000 × its median |x|; for each, the
    /// input channel c of `ffn.down_in` contributing most (argmax_c |x_c W[d, c]|) with threshold
    /// half its smallest triggering |x_c|.
    static func formationSites(_ model: some DecoderModel, calibration: [[Int32]], applying removal: MassiveRemoval?) -> [Int: [Int: Float]] {
        var thresholds: [Int: [Int: Float]] = [:]
        var lastInput: [Int: Matrix] = [:]
        var scratch = MedianScratch()
        let finder = ClosureObserver(taps: [.ffnDownIn, .ffnDownOut]) { block, tap, value in
            guard tap == .ffnDownOut else { lastInput[block] = value; return }
            guard let input = lastInput[block] else { return }
            let limit = max(100, 1000 * Float(scratch.medianAbs(value) ?? 0))
            let w = model.linear(at: LinearSite(block: block, kind: .down)).weight
            for t in 0..<value.rows { for d in 0..<value.cols where abs(value[t, d]) > limit {
                let c = (0..<input.cols).max { abs(input[t, $0] * w[d, $0]) < abs(input[t, $1] * w[d, $1]) }!
                thresholds[block, default: [:]][c] = min(thresholds[block]?[c] ?? .infinity, abs(input[t, c]) / 2)
            } }
        }
        let observer: TapObserver = removal.map { TapObservers([$0, finder]) } ?? finder
        for window in calibration { _ = model.forward(tokens: window, observer: observer) }
        return thresholds
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
