import AtlasModels

/// The k largest finite |x| of a tap over all windows, mergeable and deterministic: entries are
/// kept in `LocatedValue.byMagnitude` order (|x| desc, then window, position, dim asc), so one pass and
/// any split into merged parts give the same entries. Non-finite values are never entered (they
/// are counted by `ChannelMoments`).
public struct TopK: Codable, Sendable, Equatable {
    public let k: Int
    /// At most `k` entries, best first.
    public private(set) var entries: [LocatedValue<Float>]

    public init(k: Int = 16) {
        precondition(k >= 0, "TopK: k must be non-negative")
        self.k = k
        entries = []
        entries.reserveCapacity(k + 1)
    }

    /// The smallest |x| that may still enter (0 while not full; +inf when k is 0).
    @inline(__always)
    var threshold: Float {
        if k == 0 { return .infinity }
        return entries.count < k ? 0 : entries[entries.count - 1].magnitude
    }

    /// Offers one candidate; kept when it ranks among the best k.
    public mutating func offer(_ e: LocatedValue<Float>) {
        guard k > 0, e.value.isFinite else { return }
        if entries.count == k {
            guard LocatedValue.byMagnitude(e, entries[k - 1]) else { return }
            entries.removeLast()
        }
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if LocatedValue.byMagnitude(entries[mid], e) { lo = mid + 1 } else { hi = mid }
        }
        entries.insert(e, at: lo)
    }

    /// Scans one window's matrix. `tokens` are the window's token ids (row r has token
    /// `tokens[r % tokens.count]`; −1 when `tokens` is empty).
    public mutating func accumulate(_ m: Matrix, window: Int, tokens: [Int32]) {
        guard k > 0, m.count > 0 else { return }
        let cols = m.cols
        var thr = threshold
        m.data.withUnsafeBufferPointer { src in
            for r in 0..<m.rows {
                let base = r * cols
                for c in 0..<cols {
                    let v = src[base + c]
                    // NaN fails the comparison; +inf passes and is rejected by offer().
                    if Swift.abs(v) >= thr {
                        let token: Int32 = tokens.isEmpty ? -1 : tokens[r % tokens.count]
                        offer(LocatedValue<Float>(window: window, position: r, dim: c, value: v, token: token))
                        thr = threshold
                    }
                }
            }
        }
    }

    /// Scans only the columns whose largest finite |x| in `m` (`columnAbsmax`) can still enter:
    /// the same entries as `accumulate(_:window:tokens:)`, since no value of another column can.
    mutating func accumulate(_ m: Matrix, window: Int, tokens: [Int32], columnAbsmax: [Float]) {
        guard k > 0, m.count > 0 else { return }
        let cols = m.cols
        m.data.withUnsafeBufferPointer { src in
            for c in 0..<cols where columnAbsmax[c] >= threshold {
                var thr = threshold
                for r in 0..<m.rows {
                    let v = src[r * cols + c]
                    if Swift.abs(v) >= thr {
                        let token: Int32 = tokens.isEmpty ? -1 : tokens[r % tokens.count]
                        offer(LocatedValue<Float>(window: window, position: r, dim: c, value: v, token: token))
                        thr = threshold
                    }
                }
            }
        }
    }

    /// Merges another TopK of the same k.
    public mutating func merge(_ other: TopK) {
        precondition(other.k == k, "TopK.merge: k \(other.k) != \(k)")
        for e in other.entries { offer(e) }
    }
}
