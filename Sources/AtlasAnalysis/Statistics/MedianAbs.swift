import AtlasModels

/// Exact median of |x| over the finite values of a matrix, with reusable scratch histograms
/// (allocated on first use, then reused: steady-state calls allocate nothing and copy nothing).
///
/// Method: radix selection on the IEEE-754 bit pattern of |x|, which orders non-negative floats
/// exactly like their values. One pass histograms the top 16 bits (sign cleared: exponent and 7
/// mantissa bits), which locates the bucket holding the wanted order statistic; a second pass
/// histograms the low 16 bits of that bucket's members, which pins the exact value. Two passes
/// without unpredictable branches instead of a quickselect: 2–3x faster on 512 × 1536 here,
/// and the result is the same exact order statistic.
///
/// For an even number n of finite values the median is the mean (in Double) of the two middle
/// order statistics, as numpy's `median`. NaN and ±Inf are skipped; nil when no value is finite.
public struct MedianScratch: Sendable {
    /// Counts per cell (top 16 bits of |x|) of the last `countCells` or median call.
    private(set) var high: [Int32] = []
    private var low: [Int32] = []

    public init() {}

    /// The exact median |x| of the finite values of `m`, or nil when there are none.
    public mutating func medianAbs(_ m: Matrix) -> Double? {
        medianAbs(of: m.data)
    }

    /// The exact median |x| of the finite values of `values`, or nil when there are none.
    public mutating func medianAbs(of values: [Float]) -> Double? {
        if high.isEmpty {
            high = [Int32](repeating: 0, count: 1 << 15)
            low = [Int32](repeating: 0, count: 1 << 16)
        }
        return values.withUnsafeBufferPointer { src in
            high.withUnsafeMutableBufferPointer { hi in
                low.withUnsafeMutableBufferPointer { lo in
                    Self.median(src, hi, lo)
                }
            }
        }
    }

    static let finiteCells = 0x7f80  // cells >= this hold ±Inf/NaN

    /// The first pass alone: `high` counts the values of `m` per cell (see `CellHistogram`).
    mutating func countCells(_ m: Matrix) {
        if high.isEmpty {
            high = [Int32](repeating: 0, count: 1 << 15)
            low = [Int32](repeating: 0, count: 1 << 16)
        }
        m.data.withUnsafeBufferPointer { src in high.withUnsafeMutableBufferPointer { Self.count(src, $0) } }
    }

    /// The exact median |x| of `m`, whose cells `countCells(m)` has just counted.
    mutating func medianAfterCounting(_ m: Matrix) -> Double? {
        m.data.withUnsafeBufferPointer { src in
            high.withUnsafeMutableBufferPointer { hi in
                low.withUnsafeMutableBufferPointer { lo in Self.median(src, hi, lo, counted: true) }
            }
        }
    }

    /// The estimate of `CellHistogram.medianEstimate` from the cells just counted.
    mutating func medianEstimate() -> Double? { CellHistogram.medianEstimate(cells: &high) }

    private static func count(_ src: UnsafeBufferPointer<Float>, _ hi: UnsafeMutableBufferPointer<Int32>) {
        hi.update(repeating: 0)
        for v in src { hi[Int((v.bitPattern & 0x7fff_ffff) >> 16)] &+= 1 }
    }

    private static func median(_ src: UnsafeBufferPointer<Float>, _ hi: UnsafeMutableBufferPointer<Int32>,
                               _ lo: UnsafeMutableBufferPointer<Int32>, counted: Bool = false) -> Double? {
        if !counted { count(src, hi) }
        var n = 0
        for c in 0..<finiteCells { n += Int(hi[c]) }
        guard n > 0 else { return nil }
        if n % 2 == 1 {
            let (cell, rank) = locate(hi, n / 2)
            return Double(exact(src, cell, rank, lo))
        }
        let (c1, r1) = locate(hi, n / 2 - 1)
        let (c2, r2) = locate(hi, n / 2)
        if c1 == c2 {  // one pass over the cell serves both ranks
            countLow(src, c1, lo)
            return (Double(rankValue(lo, c1, r1)) + Double(rankValue(lo, c1, r2))) / 2
        }
        // The lower middle is the largest member of its cell, the upper middle the smallest of its.
        var a: UInt32 = 0, b: UInt32 = .max
        for v in src {
            let bits = v.bitPattern & 0x7fff_ffff
            let cell = Int(bits >> 16)
            if cell == c1 { a = Swift.max(a, bits) } else if cell == c2 { b = Swift.min(b, bits) }
        }
        return (Double(Float(bitPattern: a)) + Double(Float(bitPattern: b))) / 2
    }

    /// The cell holding the k-th smallest (0-based) value and its rank inside the cell.
    static func locate(_ hi: UnsafeMutableBufferPointer<Int32>, _ k: Int) -> (Int, Int) {
        var seen = 0
        for c in 0..<finiteCells {
            let h = Int(hi[c])
            if k < seen + h { return (c, k - seen) }
            seen += h
        }
        preconditionFailure("MedianScratch: rank \(k) beyond the data")
    }

    /// The value of rank `rank` among the members of `cell`.
    private static func exact(_ src: UnsafeBufferPointer<Float>, _ cell: Int, _ rank: Int,
                              _ lo: UnsafeMutableBufferPointer<Int32>) -> Float {
        countLow(src, cell, lo)
        return rankValue(lo, cell, rank)
    }

    /// `lo` counts the members of `cell` by their low 16 bits.
    private static func countLow(_ src: UnsafeBufferPointer<Float>, _ cell: Int, _ lo: UnsafeMutableBufferPointer<Int32>) {
        lo.update(repeating: 0)
        let key = UInt32(cell)
        for v in src {
            let bits = v.bitPattern & 0x7fff_ffff
            if bits >> 16 == key { lo[Int(bits & 0xffff)] &+= 1 }
        }
    }

    /// The member of `cell` of rank `rank`, from `countLow`'s counts.
    private static func rankValue(_ lo: UnsafeMutableBufferPointer<Int32>, _ cell: Int, _ rank: Int) -> Float {
        var seen = 0
        for l in 0..<(1 << 16) {
            seen += Int(lo[l])
            if rank < seen { return Float(bitPattern: UInt32(cell) << 16 | UInt32(l)) }
        }
        preconditionFailure("MedianScratch: rank \(rank) beyond cell \(cell)")
    }
}
