import AtlasModels
import Foundation

/// One window's |x| counts on a fine logarithmic scale: 64 bins per decade over the default
/// range (1e-6 ..< 1e6), binned exactly like `LogHistogram`.
///
/// Two things follow from it without another pass over the data:
/// - the counts of any coarser `LogHistogram` of the same range whose bins per decade divide 64
///   (8 per decade: bin i is fine bins 8i ..< 8i+8; the edges coincide exactly because both are
///   computed from the same Double exponent), and
/// - a **median estimate**: the bin holding the middle rank, interpolated geometrically by rank
///   inside it. A fine bin spans a factor 10^(1/64) ≈ 1.0366, so the estimate is within 3.7 % of
///   the exact median (zero and underflow values count as 0 and half the first edge).
struct WindowHistogram: Sendable {
    static let binsPerDecade = 64
    static let minExponent = -6
    static let maxExponent = 6
    static let binning = LogHistogram.Binning(
        edges: LogHistogram.makeEdges(binsPerDecade: binsPerDecade, minExponent: minExponent, maxExponent: maxExponent))

    /// Slot counts: zero, underflow, the fine bins, overflow, non-finite.
    let slots: [Int]

    init(_ m: Matrix) {
        slots = Self.binning.count(m.data)
    }

    /// True when `h`'s counts can be derived from the fine ones.
    static func derives(_ h: LogHistogram) -> Bool {
        h.minExponent == minExponent && h.maxExponent == maxExponent && binsPerDecade % h.binsPerDecade == 0
    }

    /// Adds this window to `h` (which `derives` must accept).
    func add(to h: inout LogHistogram) {
        let group = Self.binsPerDecade / h.binsPerDecade
        let fineBins = slots.count - 4
        var coarse = [Int](repeating: 0, count: h.binCount + 4)
        coarse[0] = slots[0]
        coarse[1] = slots[1]
        for b in 0..<fineBins { coarse[2 + b / group] += slots[2 + b] }
        coarse[2 + h.binCount] = slots[2 + fineBins]
        h.add(slots: coarse)
    }

    /// The finite values counted.
    var finiteCount: Int { slots.dropLast().reduce(0, +) }

    /// The median |x| estimate described above, or nil when no value is finite.
    func medianEstimate() -> Double? {
        let n = finiteCount
        guard n > 0 else { return nil }
        return n % 2 == 1 ? value(rank: n / 2) : (value(rank: n / 2 - 1) + value(rank: n / 2)) / 2
    }

    /// The estimated k-th smallest |x| (0-based).
    private func value(rank k: Int) -> Double {
        let edges = Self.binning.edges
        let fineBins = edges.count - 1
        var seen = 0
        for s in 0..<(slots.count - 1) {
            let c = slots[s]
            if k < seen + c {
                switch s {
                case 0: return 0
                case 1: return Double(edges[0]) / 2
                case 2 + fineBins: return Double(edges[fineBins])
                default:
                    let lo = Double(edges[s - 2]), hi = Double(edges[s - 1])
                    let fraction = (Double(k - seen) + 0.5) / Double(c)
                    return lo * pow(hi / lo, fraction)
                }
            }
            seen += c
        }
        preconditionFailure("WindowHistogram: rank \(k) beyond \(seen) values")
    }
}

