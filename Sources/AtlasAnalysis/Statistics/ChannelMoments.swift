import AtlasModels

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
/// are NaN. `largeCount` counts |x| ≥ `largeThreshold` (6, the LLM.int8 rule) per channel. Merging is exact for counts and extremes and associative up to Double rounding for the
/// sums, so two halves of a dataset merged equal one pass.
public struct ChannelMoments: Codable, Sendable, Equatable {
    /// Number of channels; 0 until the first matrix fixes it.
    public internal(set) var channels: Int
    /// Finite values seen per channel.
    public internal(set) var count: [Int]
    public internal(set) var sum: [Double]
    public internal(set) var sumSquares: [Double]
    public internal(set) var sumCubes: [Double]
    public internal(set) var sumFourth: [Double]
    public internal(set) var min: [Float]
    public internal(set) var max: [Float]
    public internal(set) var absmax: [Float]
    /// NaN/±Inf values seen per channel (not part of `count`).
    public internal(set) var nonFinite: [Int]
    /// Σ `nonFinite`.
    public internal(set) var nonFiniteTotal: Int
    /// The LLM.int8 magnitude rule's threshold (Dettmers et al. 2022): |x| ≥ this is "large".
    public let largeThreshold: Float
    /// Finite values with |x| ≥ `largeThreshold`, per channel.
    public internal(set) var largeCount: [Int]

    /// Empty moments of `channels` channels (0: take the width of the first matrix).
    public init(channels: Int = 0, largeThreshold: Float = 6) {
        precondition(channels >= 0)
        self.channels = channels
        self.largeThreshold = largeThreshold
        largeCount = Array(repeating: 0, count: channels)
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

    /// Widens to `n` channels; the new channels are empty. Matrices narrower than `channels` add
    /// to the first `m.cols` channels: the one tap whose width varies is `attn.probs` of an
    /// encoder (`[heads × T, T]`, sentences of different T), whose channel is the key position.
    public mutating func widen(to n: Int) {
        guard n > channels else { return }
        let extra = n - channels
        channels = n
        count += Array(repeating: 0, count: extra)
        nonFinite += Array(repeating: 0, count: extra)
        largeCount += Array(repeating: 0, count: extra)
        for keyPath in [\ChannelMoments.sum, \.sumSquares, \.sumCubes, \.sumFourth] { self[keyPath: keyPath] += Array(repeating: 0, count: extra) }
        for keyPath in [\ChannelMoments.min, \.max, \.absmax] { self[keyPath: keyPath] += Array(repeating: 0, count: extra) }
    }

    /// Adds every row (token) of `m`: channel c is column c (see `widen(to:)` for widths that vary).
    /// Vectorised (see ChannelMoments+Kernel.swift); the sums are taken in the same order, with
    /// the same Double operations, as a plain row-by-row loop.
    public mutating func accumulate(_ m: Matrix) {
        _ = accumulateWindow(m)
    }

    /// Adds the statistics of `other` (same channel count, or either side empty).
    public mutating func merge(_ other: ChannelMoments) {
        if other.channels == 0 && other.isEmpty { return }
        if channels == 0 && isEmpty { self = other; return }
        precondition(other.largeThreshold == largeThreshold, "ChannelMoments.merge: different large-value thresholds")
        widen(to: other.channels)
        for c in 0..<other.channels {
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
            largeCount[c] += other.largeCount[c]
        }
        nonFiniteTotal += other.nonFiniteTotal
    }
}
