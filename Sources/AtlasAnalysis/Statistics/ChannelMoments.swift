import AtlasModels
import RealModule

/// Per-channel (per-column) raw moments of a tap, mergeable across windows and machines.
///
/// For every channel `c` of `[tokens, features]` matrices it keeps the number of finite values,
/// Σx, Σx², Σx³, Σx⁴ (in Double), and the min, max and max |x| of the finite values.
/// Non-finite values (NaN, ±Inf) never enter the sums or extremes; they are counted per channel
/// in `nonFinite` and in total in `nonFiniteTotal`.
///
/// Derived statistics use the population (biased, ddof = 0) central moments
/// m_k = (1/n) Σ (x − mean)^k:
/// - `variance` = m₂,
/// - `kurtosis` = **Pearson** kurtosis m₄ / m₂² (3 for a Gaussian, 1 for ±1 coin flips),
/// - `excessKurtosis` = Pearson − 3 (Fisher; 0 for a Gaussian, −2 for ±1 coin flips).
///
/// `min`, `max`, `absmax` of a channel with `count == 0` are 0 (no data) and mean/variance/kurtosis
/// are NaN. Merging is exact for counts and extremes and associative up to Double rounding for the
/// sums, so two halves of a dataset merged equal one pass.
public struct ChannelMoments: Codable, Sendable, Equatable {
    /// Number of channels; 0 until the first matrix fixes it.
    public private(set) var channels: Int
    /// Finite values seen per channel.
    public private(set) var count: [Int]
    public private(set) var sum: [Double]
    public private(set) var sumSquares: [Double]
    public private(set) var sumCubes: [Double]
    public private(set) var sumFourth: [Double]
    public private(set) var min: [Float]
    public private(set) var max: [Float]
    public private(set) var absmax: [Float]
    /// NaN/±Inf values seen per channel (not part of `count`).
    public private(set) var nonFinite: [Int]
    /// Σ `nonFinite`.
    public private(set) var nonFiniteTotal: Int

    /// Empty moments of `channels` channels (0: take the width of the first matrix).
    public init(channels: Int = 0) {
        precondition(channels >= 0)
        self.channels = channels
        count = Array(repeating: 0, count: channels)
        sum = Array(repeating: 0, count: channels)
        sumSquares = sum
        sumCubes = sum
        sumFourth = sum
        min = Array(repeating: 0, count: channels)
        max = min
        absmax = min
        nonFinite = count
        nonFiniteTotal = 0
    }

    /// True when no value (finite or not) has been seen.
    public var isEmpty: Bool { count.allSatisfy { $0 == 0 } && nonFiniteTotal == 0 }

    /// All values seen, finite or not.
    public var totalValues: Int { count.reduce(0, +) + nonFiniteTotal }

    /// Adds every row (token) of `m`; `m.cols` must equal `channels` (unless still 0 and empty).
    public mutating func accumulate(_ m: Matrix) {
        if channels == 0 && isEmpty && m.cols > 0 { self = ChannelMoments(channels: m.cols) }
        precondition(m.cols == channels, "ChannelMoments: matrix has \(m.cols) columns, expected \(channels)")
        guard m.rows > 0, channels > 0 else { return }
        let cols = channels
        // Extremes of this matrix start at ±inf and are folded in at the end, so empty channels stay 0.
        var localMin = [Float](repeating: .infinity, count: cols)
        var localMax = [Float](repeating: -.infinity, count: cols)
        var localAbs = [Float](repeating: 0, count: cols)
        var localCount = [Int](repeating: 0, count: cols)
        var fastRows = 0
        var badTotal = 0
        m.data.withUnsafeBufferPointer { src in
            sum.withUnsafeMutableBufferPointer { s1 in
            sumSquares.withUnsafeMutableBufferPointer { s2 in
            sumCubes.withUnsafeMutableBufferPointer { s3 in
            sumFourth.withUnsafeMutableBufferPointer { s4 in
            localMin.withUnsafeMutableBufferPointer { mn in
            localMax.withUnsafeMutableBufferPointer { mx in
            localAbs.withUnsafeMutableBufferPointer { ab in
            localCount.withUnsafeMutableBufferPointer { cnt in
            nonFinite.withUnsafeMutableBufferPointer { bad in
                for r in 0..<m.rows {
                    let row = UnsafeBufferPointer(rebasing: src[(r * cols)..<((r + 1) * cols)])
                    if Self.allFinite(row) {
                        fastRows += 1
                        for c in 0..<cols {
                            let v = row[c]
                            let x = Double(v)
                            let x2 = x * x
                            s1[c] += x
                            s2[c] += x2
                            s3[c] += x2 * x
                            s4[c] += x2 * x2
                            mn[c] = v < mn[c] ? v : mn[c]
                            mx[c] = v > mx[c] ? v : mx[c]
                            let a = Swift.abs(v)
                            ab[c] = a > ab[c] ? a : ab[c]
                        }
                    } else {
                        for c in 0..<cols {
                            let v = row[c]
                            guard v.isFinite else { bad[c] += 1; badTotal += 1; continue }
                            let x = Double(v)
                            let x2 = x * x
                            s1[c] += x
                            s2[c] += x2
                            s3[c] += x2 * x
                            s4[c] += x2 * x2
                            mn[c] = Swift.min(mn[c], v)
                            mx[c] = Swift.max(mx[c], v)
                            ab[c] = Swift.max(ab[c], Swift.abs(v))
                            cnt[c] += 1
                        }
                    }
                }
            }}}}}}}}}
        }
        nonFiniteTotal += badTotal
        for c in 0..<cols {
            let n = localCount[c] + fastRows
            guard n > 0 else { continue }
            if count[c] == 0 {
                min[c] = localMin[c]; max[c] = localMax[c]
            } else {
                min[c] = Swift.min(min[c], localMin[c]); max[c] = Swift.max(max[c], localMax[c])
            }
            absmax[c] = Swift.max(absmax[c], localAbs[c])
            count[c] += n
        }
    }

    /// True when every value of `row` is finite: x − x is NaN exactly for NaN and ±Inf, and NaN
    /// propagates through the (vectorizable) sum.
    @inline(__always)
    static func allFinite(_ row: UnsafeBufferPointer<Float>) -> Bool {
        var acc: Float = 0
        for v in row { acc = Relaxed.sum(acc, v - v) }
        return acc == 0
    }

    /// Adds the statistics of `other` (same channel count, or either side empty).
    public mutating func merge(_ other: ChannelMoments) {
        if other.channels == 0 && other.isEmpty { return }
        if channels == 0 && isEmpty { self = other; return }
        precondition(other.channels == channels, "ChannelMoments.merge: \(other.channels) channels, expected \(channels)")
        for c in 0..<channels {
            if other.count[c] > 0 {
                if count[c] == 0 {
                    min[c] = other.min[c]; max[c] = other.max[c]
                } else {
                    min[c] = Swift.min(min[c], other.min[c]); max[c] = Swift.max(max[c], other.max[c])
                }
                absmax[c] = Swift.max(absmax[c], other.absmax[c])
            }
            count[c] += other.count[c]
            sum[c] += other.sum[c]
            sumSquares[c] += other.sumSquares[c]
            sumCubes[c] += other.sumCubes[c]
            sumFourth[c] += other.sumFourth[c]
            nonFinite[c] += other.nonFinite[c]
        }
        nonFiniteTotal += other.nonFiniteTotal
    }
}
