import AtlasModels
import Foundation

/// Changes a mitigation makes to how a model is quantized, honoured by `PreparedScheme` (weights)
/// and `FakeQuantIntervention` (activations) whenever the analyzed model carries them:
///
/// - `weightClipRatios`: per quantization range of a uniform weight format, the clip ratio r of
///   this grid minimizing ‖W − Q_r(W)‖² is searched and used (`clip:target=weights`);
/// - `outlierThreshold`: LLM.int8-style mixed precision — the input columns of a Linear whose
///   |x| reaches the threshold in some token of the window stay float (`int8-mixed`).
///
/// `report` gathers what the adjustments did during the evaluation (a shared reference, so the
/// copies of the model the evaluation makes all report to the same place).
public struct QuantizationAdjustments: Sendable {
    public var weightClipRatios: [Float]?
    public var outlierThreshold: Float?
    public let report: AdjustmentReport

    public init(weightClipRatios: [Float]? = nil, outlierThreshold: Float? = nil) {
        self.weightClipRatios = weightClipRatios
        self.outlierThreshold = outlierThreshold
        self.report = AdjustmentReport()
    }

    /// No adjustment: the scheme as written.
    public static var plain: QuantizationAdjustments { QuantizationAdjustments() }

    /// 1.00, 0.99, …, 0.50: the clip-ratio grid of AWQ's and OmniQuant's weight-clip searches.
    public static let defaultClipRatios: [Float] = (0...50).map { 1 - Float($0) / 100 }
}

/// What the quantization adjustments did, per scheme: the weight clip search (mean ratio over
/// ranges, weight error energy without and with the clip) and the columns kept float by
/// int8-mixed (per input tap, summed over blocks and windows). Thread-safe.
public final class AdjustmentReport: @unchecked Sendable {
    /// One scheme's weight clip search.
    public struct WeightClip: Sendable, Equatable {
        public var ratioSum = 0.0
        public var ranges = 0
        /// Σw², Σ(w − Q₁(w))², Σ(w − Q_r*(w))² over every searched tensor.
        public var signal = 0.0, plainNoise = 0.0, clippedNoise = 0.0

        public var meanRatio: Double { ranges > 0 ? ratioSum / Double(ranges) : 1 }
        /// Weight SQNR gain of the clip in dB.
        public var sqnrGain: Double { 10 * log10(plainNoise / clippedNoise) }
        public var plainSQNR: Double { 10 * log10(signal / plainNoise) }
        public var clippedSQNR: Double { 10 * log10(signal / clippedNoise) }
    }

    private let lock = NSLock()
    private var clips: [String: WeightClip] = [:]
    /// Scheme → input tap → (columns kept float, columns seen).
    private var columns: [String: [TapName: (kept: Int, total: Int)]] = [:]

    public init() {}

    func record(scheme: String, clip: WeightClip) {
        lock.withLock {
            var c = clips[scheme] ?? WeightClip()
            c.ratioSum += clip.ratioSum
            c.ranges += clip.ranges
            c.signal += clip.signal
            c.plainNoise += clip.plainNoise
            c.clippedNoise += clip.clippedNoise
            clips[scheme] = c
        }
    }

    func record(scheme: String, tap: TapName, kept: Int, total: Int) {
        lock.withLock {
            let old = columns[scheme]?[tap] ?? (0, 0)
            columns[scheme, default: [:]][tap] = (old.kept + kept, old.total + total)
        }
    }

    public func weightClip(scheme: String) -> WeightClip? { lock.withLock { clips[scheme] } }

    /// Fraction of input columns kept float at `tap` (nil: all taps together), mean over blocks
    /// and windows; nil when int8-mixed never ran for `scheme`.
    public func keptFraction(scheme: String, tap: TapName? = nil) -> Double? {
        lock.withLock {
            guard let taps = columns[scheme] else { return nil }
            var counts = Array(taps.values)
            if let tap { counts = taps[tap].map { [$0] } ?? [] }
            let total = counts.reduce(0) { $0 + $1.total }
            return total > 0 ? Double(counts.reduce(0) { $0 + $1.kept }) / Double(total) : nil
        }
    }

    /// Every scheme whose evaluation reported something, sorted.
    public var schemes: [String] { lock.withLock { Set(clips.keys).union(columns.keys).sorted() } }

    /// One line per scheme and adjustment, for a variant's notes.
    public func notes() -> [String] {
        schemes.flatMap { scheme -> [String] in
            var lines: [String] = []
            if let c = weightClip(scheme: scheme) {
                lines.append("\(scheme): weight clip mean ratio \(String(format: "%.3f", c.meanRatio)) over \(c.ranges) ranges; "
                    + "weight SQNR \(String(format: "%.2f", c.plainSQNR)) → \(String(format: "%.2f", c.clippedSQNR)) dB "
                    + "(\(String(format: "%+.2f", c.sqnrGain)) dB)")
            }
            if let all = keptFraction(scheme: scheme) {
                let taps = lock.withLock { columns[scheme]!.keys.sorted() }
                let parts = taps.map { "\($0.rawValue) \(percent(keptFraction(scheme: scheme, tap: $0)!))" }
                lines.append("\(scheme): \(percent(all)) of Linear input columns kept float (" + parts.joined(separator: ", ") + ")")
            }
            return lines
        }
    }

    private func percent(_ f: Double) -> String { String(format: "%.3f %%", 100 * f) }
}
