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

/// A massive entry with its window and token id.
public struct MassiveHit: Codable, Sendable, Hashable {
    public var window: Int
    public var position: Int
    public var dim: Int
    public var value: Float
    public var token: Int32

    public init(window: Int, position: Int, dim: Int, value: Float, token: Int32) {
        self.window = window
        self.position = position
        self.dim = dim
        self.value = value
        self.token = token
    }

    /// (window, position, dim) ascending.
    public static func precedes(_ a: MassiveHit, _ b: MassiveHit) -> Bool {
        (a.window, a.position, a.dim) < (b.window, b.position, b.dim)
    }
}

/// All statistics of one (block, tap) over the analyzed windows, fed one window's matrix at a
/// time: per-channel moments, top-k |x|, the |x| histogram, each window's median |x|, the
/// massive entries (criterion per window, see `MassiveDetector`) and the non-finite count.
///
/// Mergeable: `a.merge(b)` equals one pass over a's and b's windows (window medians and massive
/// hits are kept sorted by window, so the order in which parts are merged does not matter).
public struct TapAccumulator: Codable, Sendable, Equatable {
    public let criterion: MassiveCriterion
    public private(set) var moments: ChannelMoments
    public private(set) var top: TopK
    public private(set) var histogram: LogHistogram
    /// One entry per window with at least one finite value, sorted by window.
    public private(set) var windowMedians: [WindowMedian]
    /// Sorted by (window, position, dim).
    public private(set) var massive: [MassiveHit]
    /// Windows added (including windows with no finite value).
    public private(set) var windowCount: Int

    public init(topK: Int = 16, criterion: MassiveCriterion = MassiveCriterion(),
                histogram: LogHistogram = LogHistogram()) {
        self.criterion = criterion
        moments = ChannelMoments()
        top = TopK(k: topK)
        self.histogram = histogram
        windowMedians = []
        massive = []
        windowCount = 0
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
        moments.accumulate(m)
        top.accumulate(m, window: window, tokens: tokens)
        histogram.accumulate(m)
        windowCount += 1
        let (med, entries) = MassiveDetector.detect(m, criterion: criterion, scratch: &scratch)
        if let med {
            Self.insertSorted(&windowMedians, WindowMedian(window: window, medianAbs: med)) {
                ($0.window, $0.medianAbs) < ($1.window, $1.medianAbs)
            }
        }
        let hits = entries.map {
            MassiveHit(window: window, position: $0.position, dim: $0.dim, value: $0.value,
                       token: tokens.isEmpty ? -1 : tokens[$0.position % tokens.count])
        }
        if let first = hits.first, let last = massive.last, MassiveHit.precedes(first, last) {
            massive.append(contentsOf: hits)
            massive.sort(by: MassiveHit.precedes)
        } else {
            massive.append(contentsOf: hits)
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
        precondition(other.criterion == criterion, "TapAccumulator.merge: different massive criteria")
        moments.merge(other.moments)
        top.merge(other.top)
        histogram.merge(other.histogram)
        windowCount += other.windowCount
        windowMedians = (windowMedians + other.windowMedians).sorted {
            ($0.window, $0.medianAbs) < ($1.window, $1.medianAbs)
        }
        massive = (massive + other.massive).sorted(by: MassiveHit.precedes)
    }

    /// Median over windows of the per-window median |x| (mean of the two middle ones for an even
    /// number of windows); 0 when no window had a finite value.
    public var medianOfWindowMedians: Double {
        let v = windowMedians.map(\.medianAbs).sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// The results-schema summary. `medianAbs` is the median over windows of the per-window
    /// median |x|; `maxAbs` and `channelAbsmax` cover finite values only; `elementCount` counts
    /// every value, finite or not.
    public func summary(block: Int, tap: TapName, yIndex: String?, tokenText: (Int32) -> String) -> TapSummary {
        TapSummary(
            block: block, tap: tap.rawValue, yIndex: yIndex,
            elementCount: elementCount,
            maxAbs: Double(moments.maxAbs),
            medianAbs: medianOfWindowMedians,
            top: top.entries.map {
                Extreme(value: Double($0.value), window: $0.window, position: $0.position, dim: $0.dim,
                        token: tokenText($0.token))
            },
            massiveCount: massive.count,
            channelAbsmax: moments.absmax,
            nonFiniteCount: nonFiniteCount)
    }
}
