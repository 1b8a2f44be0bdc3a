import AtlasModels
import RealModule

/// Counts of |x| on a fixed logarithmic scale, mergeable by adding counts.
///
/// Bin `i` (0 ..< `binCount`) holds `edges[i] <= |x| < edges[i + 1]`, where
/// `edges[j]` = 10^(minExponent + j / binsPerDecade) rounded to a cell boundary (see `makeEdges`); the default covers 1e-6 ..< 1e6 with
/// 8 bins per decade (96 bins). Exact zeros, values below the first edge (`underflow`) and values
/// at or above the last edge (`overflow`) have their own counters; non-finite values are not
/// counted (see `ChannelMoments.nonFinite`). Only histograms of the same scale can be merged.
/// Encoded without its lookup table (rebuilt on decoding).
public struct LogHistogram: Codable, Sendable, Equatable {
    public let binsPerDecade: Int
    public let minExponent: Int
    public let maxExponent: Int
    /// `binCount + 1` ascending Float edges.
    public let edges: [Float]
    public private(set) var counts: [Int]
    /// |x| == 0.
    public private(set) var zero: Int
    /// 0 < |x| < edges.first.
    public private(set) var underflow: Int
    /// |x| >= edges.last.
    public private(set) var overflow: Int
    /// Bins |x| by its bit pattern (see LogHistogram+Binning.swift); shared by equal scales.
    let binning: Binning

    public init(binsPerDecade: Int = 8, minExponent: Int = -6, maxExponent: Int = 6) {
        precondition(binsPerDecade > 0 && binsPerDecade <= 64 && maxExponent > minExponent,
                     "LogHistogram: bad scale (1...64 bins per decade)")
        precondition(minExponent >= -37 && maxExponent <= 38, "LogHistogram: scale beyond Float range")
        self.binsPerDecade = binsPerDecade
        self.minExponent = minExponent
        self.maxExponent = maxExponent
        let e = Self.makeEdges(binsPerDecade: binsPerDecade, minExponent: minExponent, maxExponent: maxExponent)
        edges = e
        counts = Array(repeating: 0, count: e.count - 1)
        zero = 0
        underflow = 0
        overflow = 0
        binning = Binning.shared(edges: e)
    }

    static let defaultEdges = makeEdges(binsPerDecade: 8, minExponent: -6, maxExponent: 6)

    /// 10^(minExponent + j / binsPerDecade) rounded to the nearest *cell* boundary (a Float whose
    /// low 16 bits are zero: 8 significant bits, within 2⁻⁸ relative). No edge then cuts a cell,
    /// so a window's histogram follows from its cell counts alone (`CellHistogram`), without a
    /// second pass over its values. Powers of ten up to 10 (1, 10) are boundaries themselves.
    static func makeEdges(binsPerDecade: Int, minExponent: Int, maxExponent: Int) -> [Float] {
        let n = (maxExponent - minExponent) * binsPerDecade
        return (0...n).map { j in
            let exact = Double.exp10(Double(minExponent) + Double(j) / Double(binsPerDecade))
            return cellBoundary(nearest: j % binsPerDecade == 0 ? Double("1e\(minExponent + j / binsPerDecade)")! : exact)
        }
    }

    /// The cell boundary (Float with the low 16 bits zero) nearest to `x` > 0, ties to the larger.
    static func cellBoundary(nearest x: Double) -> Float {
        let f = Float(x), bits = f.bitPattern
        let below = Float(bitPattern: bits & 0xffff_0000), above = Float(bitPattern: (bits & 0xffff_0000) &+ 0x1_0000)
        return x - Double(below) < Double(above) - x ? below : above
    }

    public var binCount: Int { counts.count }

    /// Every finite value counted (zero + underflow + bins + overflow).
    public var total: Int { zero + underflow + overflow + counts.reduce(0, +) }

    /// Counts one value (ignored when non-finite).
    public mutating func add(_ x: Float) {
        accumulate(Matrix(rows: 1, cols: 1, data: [x]))
    }

    /// Counts every finite value of `m`.
    public mutating func accumulate(_ m: Matrix) {
        add(slots: binning.count(m.data))
    }

    /// Adds counts in `Binning` slot order (zero, underflow, bins, overflow, non-finite).
    mutating func add(slots: [Int]) {
        let n = counts.count
        zero += slots[Binning.zeroSlot]
        underflow += slots[Binning.underflowSlot]
        for i in 0..<n { counts[i] += slots[Binning.firstBinSlot + i] }
        overflow += slots[Binning.firstBinSlot + n]
    }

    /// Adds the counts of a histogram of the same scale.
    public mutating func merge(_ other: LogHistogram) {
        precondition(other.edges == edges, "LogHistogram.merge: different scales")
        for i in 0..<counts.count { counts[i] += other.counts[i] }
        zero += other.zero
        underflow += other.underflow
        overflow += other.overflow
    }

    private enum CodingKeys: String, CodingKey {
        case binsPerDecade, minExponent, maxExponent, edges, counts, zero, underflow, overflow
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        binsPerDecade = try c.decode(Int.self, forKey: .binsPerDecade)
        minExponent = try c.decode(Int.self, forKey: .minExponent)
        maxExponent = try c.decode(Int.self, forKey: .maxExponent)
        edges = try c.decode([Float].self, forKey: .edges)
        counts = try c.decode([Int].self, forKey: .counts)
        zero = try c.decode(Int.self, forKey: .zero)
        underflow = try c.decode(Int.self, forKey: .underflow)
        overflow = try c.decode(Int.self, forKey: .overflow)
        guard edges.count == counts.count + 1, edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }),
              edges[0] > 0, edges.last!.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .edges, in: c,
                debugDescription: "LogHistogram: expected \(counts.count + 1) ascending positive finite edges")
        }
        binning = Binning.shared(edges: edges)
    }

    public static func == (a: LogHistogram, b: LogHistogram) -> Bool {
        a.edges == b.edges && a.counts == b.counts && a.zero == b.zero && a.underflow == b.underflow
            && a.overflow == b.overflow && a.binsPerDecade == b.binsPerDecade
            && a.minExponent == b.minExponent && a.maxExponent == b.maxExponent
    }
}
