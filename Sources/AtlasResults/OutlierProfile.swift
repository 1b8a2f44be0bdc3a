/// Outlier figures of one model (baseline or mitigated variant) at the block outputs
/// (`ffn.resid`), block by block: what the comparison page sets side by side. Built by `make`
/// from a `RunResult` alone, so the baseline's profile is computed at render time from its own
/// taps and a variant's is stored in its `VariantResult` (the variant's taps are not kept).
///
/// Definitions (the anatomy's, DESIGN §4):
/// - an *outlier channel* of a block output is a channel whose max |x| exceeds
///   `outlierFactor` × the median over channels of the per-channel max |x| of that output;
/// - *kurtosis* is the Pearson kurtosis m₄ / m₂² of one channel over all tokens (population
///   moments; 3 for a Gaussian, not 0), as `TapSummary.channelKurtosis` holds it; the block's
///   figure is the mean over its channels with a finite kurtosis.
public struct OutlierProfile: Codable, Sendable, Equatable {
    /// k of the outlier-channel rule used for `outlierChannelCount`.
    public var outlierFactor: Double
    /// The block of each entry of the series below, ascending.
    public var blocks: [Int]
    /// Largest |x| of each block output.
    public var maxAbs: [Double]
    /// Entries meeting the massive criterion at each block output.
    public var massiveCount: [Int]
    /// Outlier channels of each block output.
    public var outlierChannelCount: [Int]
    /// Mean Pearson channel kurtosis of each block output; nil when no channel has one.
    public var meanKurtosis: [Double?]
    /// Per-channel max |x| of each block output: rows = `blocks`, columns = hidden channels.
    public var channelAbsmax: [[Float]]
    /// Mean Pearson kurtosis over every channel of every block output with a finite one.
    public var modelMeanKurtosis: Double?

    public init(outlierFactor: Double, blocks: [Int], maxAbs: [Double], massiveCount: [Int], outlierChannelCount: [Int],
                meanKurtosis: [Double?], channelAbsmax: [[Float]], modelMeanKurtosis: Double?) {
        self.outlierFactor = outlierFactor
        self.blocks = blocks
        self.maxAbs = maxAbs
        self.massiveCount = massiveCount
        self.outlierChannelCount = outlierChannelCount
        self.meanKurtosis = meanKurtosis
        self.channelAbsmax = channelAbsmax
        self.modelMeanKurtosis = modelMeanKurtosis
    }

    /// The tap whose statistics a profile holds.
    public static let blockOutputTap = "ffn.resid"
    /// k when a result does not say which was used (`AnalysisOptions.outlierFactor`'s default).
    public static let defaultOutlierFactor = 10.0

    /// The block-output taps of `result` in block order, one per block (the first wins if repeated).
    public static func blockOutputs(of result: RunResult) -> [TapSummary] {
        var seen = Set<Int>()
        return result.taps.filter { $0.tap == blockOutputTap }
            .sorted { $0.block < $1.block }
            .filter { seen.insert($0.block).inserted }
    }

    /// The profile of `result`'s block outputs under outlier factor `outlierFactor`. Pure.
    public static func make(from result: RunResult, outlierFactor: Double) -> OutlierProfile {
        let outputs = blockOutputs(of: result)
        var kurtosisSum = 0.0, kurtosisCount = 0
        let means: [Double?] = outputs.map { tap in
            let finite = (tap.channelKurtosis ?? []).filter(\.isFinite).map(Double.init)
            kurtosisSum += finite.reduce(0, +)
            kurtosisCount += finite.count
            return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
        }
        return OutlierProfile(
            outlierFactor: outlierFactor, blocks: outputs.map(\.block), maxAbs: outputs.map(\.maxAbs),
            massiveCount: outputs.map(\.massiveCount),
            outlierChannelCount: outputs.map { outlierChannels($0.channelAbsmax, factor: outlierFactor).count },
            meanKurtosis: means, channelAbsmax: outputs.map(\.channelAbsmax),
            modelMeanKurtosis: kurtosisCount > 0 ? kurtosisSum / Double(kurtosisCount) : nil)
    }

    /// The channels of one output whose max |x| exceeds `factor` × the median channel max |x|.
    public static func outlierChannels(_ absmax: [Float], factor: Double) -> [Int] {
        let bar = factor * median(absmax)
        guard bar > 0 else { return [] }
        return absmax.indices.filter { Double(absmax[$0]) > bar }
    }

    /// Distinct channels that are outliers in at least one block output.
    public var distinctOutlierChannels: Int {
        Set(channelAbsmax.flatMap { Self.outlierChannels($0, factor: outlierFactor) }).count
    }

    /// Massive entries over all block outputs.
    public var totalMassiveCount: Int { massiveCount.reduce(0, +) }

    /// Median of `values` (mean of the middle two for an even count; 0 when empty).
    static func median(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        let v = values.sorted(), n = v.count
        return n % 2 == 1 ? Double(v[n / 2]) : (Double(v[n / 2 - 1]) + Double(v[n / 2])) / 2
    }
}
