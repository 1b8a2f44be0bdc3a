import AtlasModels
import AtlasResults

/// The median |x| of one window's matrix at one tap.
public struct WindowMedian: Codable, Sendable, Hashable {
    public var window: Int
    public var medianAbs: Double

    public init(window: Int, medianAbs: Double) {
        self.window = window
        self.medianAbs = medianAbs
    }
}

/// All statistics of one (block, tap) over the analyzed windows, fed one window's matrix at a
/// time: per-channel moments (with the LLM.int8 large-value counts), top-k |x|, the |x|
/// histogram, each window's median |x|, the massive entries (criterion per window, see
/// `MassiveDetector`), per-channel outlier-token counts and the non-finite values.
///
/// The window median is exact (`MedianScratch`) when `exactMedian` is set, otherwise estimated
/// from the window's cell counts (within 0.8 %, see `CellHistogram`); the massive criterion uses
/// that median.
///
/// Channel-outlier tokens: in each window, a token (row) carries channel c when
/// |x[t, c]| > `outlierFactor` × the median over channels of that window's per-channel max |x|.
///
/// Mergeable: `a.merge(b)` equals one pass over a's and b's windows (window medians, massive
/// hits and non-finite samples are kept sorted by window, so merge order does not matter).
public struct TapAccumulator: Codable, Sendable, Equatable {
    public let criterion: MassiveCriterion
    public let exactMedian: Bool
    /// false: no histogram, window median or massive detection (attention probabilities, which
    /// are at most 1 and whose [heads × T, T] matrices would cost as much as all other taps).
    public let distribution: Bool
    /// k of the channel-outlier rule; nil: outlier tokens are not counted (e.g. attention probabilities).
    public let outlierFactor: Double?
    public private(set) var moments: ChannelMoments
    public private(set) var top: TopK
    public private(set) var histogram: LogHistogram
    /// One entry per window with at least one finite value, sorted by window.
    public private(set) var windowMedians: [WindowMedian]
    /// Sorted by (window, position, dim).
    public private(set) var massive: [LocatedValue<Float>]
    /// Windows added (including windows with no finite value).
    public private(set) var windowCount: Int
    /// Per channel: tokens carrying it as an outlier (see above); empty when not counted.
    public private(set) var outlierTokens: [Int]
    /// The first `ChannelMoments.sampleCap` non-finite values by (window, position, dim).
    public private(set) var nonFiniteSamples: [LocatedValue<NonFiniteKind>]

    public init(topK: Int = 16, criterion: MassiveCriterion = MassiveCriterion(),
                histogram: LogHistogram = LogHistogram(), exactMedian: Bool = true, outlierFactor: Double? = 10,
                distribution: Bool = true) {
        self.criterion = criterion
        self.exactMedian = exactMedian
        self.distribution = distribution
        self.outlierFactor = outlierFactor
        moments = ChannelMoments()
        top = TopK(k: topK)
        self.histogram = histogram
        windowMedians = []
        massive = []
        windowCount = 0
        outlierTokens = []
        nonFiniteSamples = []
    }

    /// Same criterion, median kind, distribution and outlier factor, and top-k size.
    func sameSettings(as other: TapAccumulator) -> Bool {
        criterion == other.criterion && exactMedian == other.exactMedian && distribution == other.distribution
            && outlierFactor == other.outlierFactor && top.k == other.top.k && histogram.edges == other.histogram.edges
    }

    /// Every value seen, finite or not.
    public var elementCount: Int { moments.totalValues }
    /// NaN/±Inf values seen.
    public var nonFiniteCount: Int { moments.nonFiniteTotal }

    /// Adds one window (allocates a median buffer; hot paths pass a shared `scratch`).
    public mutating func add(_ m: Matrix, window: Int, tokens: [Int32]) {
        var scratch = MedianScratch()
        add(m, window: window, tokens: tokens, scratch: &scratch)
    }

    /// Adds one window's `[rows, features]` matrix; `tokens` are the window's token ids
    /// (row r has token `tokens[r % tokens.count]`).
    public mutating func add(_ m: Matrix, window: Int, tokens: [Int32], scratch: inout MedianScratch) {
        let extent = moments.accumulateWindow(m)
        top.accumulate(m, window: window, tokens: tokens, columnAbsmax: extent.absmax)
        windowCount += 1
        var med: Double?
        if distribution {
            // One pass counts cells; the histogram and the median (exact or estimated) follow from it.
            scratch.countCells(m)
            CellHistogram.add(cells: scratch.high, values: m.data, to: &histogram)
            med = exactMedian ? scratch.medianAfterCounting(m) : scratch.medianEstimate()
        }
        func token(_ row: Int) -> Int32 { tokens.isEmpty ? -1 : tokens[row % tokens.count] }
        if let med {
            Self.insertSorted(&windowMedians, WindowMedian(window: window, medianAbs: med)) {
                ($0.window, $0.medianAbs) < ($1.window, $1.medianAbs)
            }
            if Double(extent.maxAbs) > criterion.absolute {
                let hits = MassiveDetector.detect(m, criterion: criterion, medianAbs: med, columnAbsmax: extent.absmax).map {
                    LocatedValue(window: window, position: $0.position, dim: $0.dim, value: $0.value, token: token($0.position))
                }
                Self.appendSorted(&massive, hits)
            }
        }
        if let k = outlierFactor {
            if outlierTokens.isEmpty { outlierTokens = [Int](repeating: 0, count: m.cols) }
            ChannelOutlierTokens.count(m, columnAbsmax: extent.absmax, factor: k, into: &outlierTokens)
        }
        if !extent.nonFinite.isEmpty {
            let hits = extent.nonFinite.map {
                LocatedValue(window: window, position: $0.row, dim: $0.col, value: NonFiniteKind(m[$0.row, $0.col]), token: token($0.row))
            }
            nonFiniteSamples = Array((nonFiniteSamples + hits).sorted(by: LocatedValue.inPlaceOrder).prefix(ChannelMoments.sampleCap))
        }
    }

    private static func appendSorted(_ a: inout [LocatedValue<Float>], _ hits: [LocatedValue<Float>]) {
        if let first = hits.first, let last = a.last, LocatedValue.inPlaceOrder(first, last) {
            a.append(contentsOf: hits)
            a.sort(by: LocatedValue.inPlaceOrder)
        } else {
            a.append(contentsOf: hits)
        }
    }

    private static func insertSorted<T>(_ a: inout [T], _ x: T, by less: (T, T) -> Bool) {
        if let last = a.last, less(x, last) {
            let i = a.firstIndex { less(x, $0) } ?? a.count
            a.insert(x, at: i)
        } else {
            a.append(x)
        }
    }

    /// Adds the windows of `other` (same criterion, k and histogram scale).
    public mutating func merge(_ other: TapAccumulator) {
        precondition(other.criterion == criterion && other.exactMedian == exactMedian && other.distribution == distribution
                     && other.outlierFactor == outlierFactor, "TapAccumulator.merge: different criteria")
        moments.merge(other.moments)
        top.merge(other.top)
        histogram.merge(other.histogram)
        windowCount += other.windowCount
        windowMedians = (windowMedians + other.windowMedians).sorted {
            ($0.window, $0.medianAbs) < ($1.window, $1.medianAbs)
        }
        massive = (massive + other.massive).sorted(by: LocatedValue.inPlaceOrder)
        if outlierTokens.isEmpty { outlierTokens = other.outlierTokens }
        else if !other.outlierTokens.isEmpty {
            precondition(other.outlierTokens.count == outlierTokens.count, "TapAccumulator.merge: channel counts differ")
            for c in outlierTokens.indices { outlierTokens[c] += other.outlierTokens[c] }
        }
        nonFiniteSamples = Array((nonFiniteSamples + other.nonFiniteSamples).sorted(by: LocatedValue.inPlaceOrder)
            .prefix(ChannelMoments.sampleCap))
    }

    /// Median over windows of the per-window median |x| (mean of the two middle ones for an even
    /// number of windows); 0 when no window had a finite value.
    public var medianOfWindowMedians: Double {
        let v = windowMedians.map(\.medianAbs).sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// The results-schema summary. `medianAbs` is the median over windows of the per-window
    /// median |x| (exact or estimated, see `medianExact`); kurtosis is Pearson's; `maxAbs` and `channelAbsmax` cover finite values only; `elementCount` counts
    /// every value, finite or not.
    public func summary(block: Int, tap: TapName, yIndex: String?, tokenText: (Int32) -> String) -> TapSummary {
        TapSummary(
            block: block, tap: tap.rawValue, yIndex: yIndex,
            elementCount: elementCount,
            maxAbs: Double(moments.maxAbs),
            medianAbs: medianOfWindowMedians,
            top: top.entries.map {
                LocatedActivation(window: $0.window, position: $0.position, dim: $0.dim, value: Double($0.value),
                                  token: tokenText($0.token))
            },
            massiveCount: massive.count,
            channelAbsmax: moments.absmax,
            nonFiniteCount: nonFiniteCount,
            channelKurtosis: moments.kurtoses.map { Float($0) },
            largeCount: moments.largeCount.reduce(0, +),
            medianExact: distribution ? exactMedian : nil)
    }
}
