import AtlasModels
import RealModule

/// Counts of |x| on a fixed logarithmic scale, mergeable by adding counts.
///
/// Bin `i` (0 ..< `binCount`) holds `edges[i] <= |x| < edges[i + 1]`, where
/// `edges[j] = Float(10^(minExponent + j / binsPerDecade))`; the default covers 1e-6 ..< 1e6 with
/// 8 bins per decade (96 bins). Exact zeros, values below the first edge (`underflow`) and values
/// at or above the last edge (`overflow`) have their own counters; non-finite values are not
/// counted (see `ChannelMoments.nonFinite`). Only histograms of the same scale can be merged.
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

    public init(binsPerDecade: Int = 8, minExponent: Int = -6, maxExponent: Int = 6) {
        precondition(binsPerDecade > 0 && maxExponent > minExponent, "LogHistogram: bad scale")
        precondition(minExponent >= -37 && maxExponent <= 38, "LogHistogram: scale beyond Float range")
        self.binsPerDecade = binsPerDecade
        self.minExponent = minExponent
        self.maxExponent = maxExponent
        let n = (maxExponent - minExponent) * binsPerDecade
        var e = [Float]()
        e.reserveCapacity(n + 1)
        for j in 0...n {
            // Decade edges are the correctly rounded Float of 1eK; others round exp10 to Float.
            if j % binsPerDecade == 0 {
                e.append(Float("1e\(minExponent + j / binsPerDecade)")!)
            } else {
                e.append(Float(Double.exp10(Double(minExponent) + Double(j) / Double(binsPerDecade))))
            }
        }
        edges = e
        counts = Array(repeating: 0, count: n)
        zero = 0
        underflow = 0
        overflow = 0
    }

    public var binCount: Int { counts.count }

    /// Every finite value counted (zero + underflow + bins + overflow).
    public var total: Int { zero + underflow + overflow + counts.reduce(0, +) }

    /// Counts one finite |x|.
    public mutating func add(_ x: Float) {
        accumulate(Matrix(rows: 1, cols: 1, data: [x]))
    }

    /// Counts every finite value of `m`.
    public mutating func accumulate(_ m: Matrix) {
        var z = 0, u = 0, o = 0
        let bpd = Float(binsPerDecade), minExp = Float(minExponent)
        m.data.withUnsafeBufferPointer { src in
            counts.withUnsafeMutableBufferPointer { cnt in
                edges.withUnsafeBufferPointer { edg in
                    for v in src {
                        let a = Swift.abs(v)
                        if a.isFinite { Self.classify(a, cnt, edg, bpd, minExp, &z, &u, &o) }
                    }
                }
            }
        }
        zero += z
        underflow += u
        overflow += o
    }

    /// Bins a finite non-negative `a`: a guess from the Float exponent and mantissa (a log2
    /// approximation within 0.09 of log2 a, less than a quarter of a bin) corrected by comparing
    /// with the exact edges, so the result depends only on `edges`.
    @inline(__always)
    private static func classify(_ a: Float, _ cnt: UnsafeMutableBufferPointer<Int>, _ edg: UnsafeBufferPointer<Float>,
                                 _ binsPerDecade: Float, _ minExponent: Float, _ z: inout Int, _ u: inout Int, _ o: inout Int) {
        let n = cnt.count
        if a < edg[0] {
            if a == 0 { z += 1 } else { u += 1 }
            return
        }
        if a >= edg[n] { o += 1; return }
        let bits = a.bitPattern
        let log2a = Float(Int32(bitPattern: (bits >> 23) & 0xff) - 127) + Float(bits & 0x7f_ffff) * (1 / 8_388_608)
        var i = Int((log2a * log10of2 - minExponent) * binsPerDecade)
        i = Swift.min(Swift.max(i, 0), n - 1)
        while i > 0 && a < edg[i] { i -= 1 }
        while i < n - 1 && a >= edg[i + 1] { i += 1 }
        cnt[i] += 1
    }

    private static let log10of2: Float = 0.30102999566

    /// Adds the counts of a histogram of the same scale.
    public mutating func merge(_ other: LogHistogram) {
        precondition(other.edges == edges, "LogHistogram.merge: different scales")
        for i in 0..<counts.count { counts[i] += other.counts[i] }
        zero += other.zero
        underflow += other.underflow
        overflow += other.overflow
    }
}
