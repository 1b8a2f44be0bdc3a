import AtlasModels

/// Exact median of |x| over the finite values of a matrix, by quickselect on a reusable scratch
/// buffer (grown to the largest matrix seen, never shrunk, so steady-state calls allocate nothing).
///
/// For an even number n of finite values the median is the mean (in Double) of the two middle
/// order statistics, as numpy's `median`. NaN and ±Inf are skipped; nil when no value is finite.
public struct MedianScratch: Sendable {
    private var buffer: [Float] = []

    public init() {}

    /// The exact median |x| of the finite values of `m`, or nil when there are none.
    public mutating func medianAbs(_ m: Matrix) -> Double? {
        medianAbs(of: m.data)
    }

    /// The exact median |x| of the finite values of `values`, or nil when there are none.
    public mutating func medianAbs(of values: [Float]) -> Double? {
        if buffer.count < values.count { buffer = [Float](repeating: 0, count: values.count) }
        return buffer.withUnsafeMutableBufferPointer { buf -> Double? in
            var n = 0
            values.withUnsafeBufferPointer { src in
                for v in src where v.isFinite {
                    buf[n] = Swift.abs(v)
                    n += 1
                }
            }
            guard n > 0 else { return nil }
            let a = UnsafeMutableBufferPointer(rebasing: buf[0..<n])
            if n % 2 == 1 {
                return Double(Self.select(a, n / 2))
            }
            let lower = Self.select(a, n / 2 - 1)
            // After select, everything right of n/2 − 1 is >= it: the next order statistic is their min.
            var upper = a[n / 2]
            for i in (n / 2 + 1)..<n where a[i] < upper { upper = a[i] }
            return (Double(lower) + Double(upper)) / 2
        }
    }

    /// Hoare-partition quickselect with a median-of-three pivot: rearranges `a` so that `a[k]` is
    /// the k-th smallest value, smaller-or-equal values left of it and greater-or-equal right of
    /// it, and returns `a[k]`. Values must not be NaN.
    static func select(_ a: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Order a[lo], a[mid], a[hi]; the median lands at mid.
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo - 1, j = hi + 1
            while true {
                repeat { i += 1 } while a[i] < pivot
                repeat { j -= 1 } while a[j] > pivot
                if i >= j { break }
                a.swapAt(i, j)
            }
            // a[lo...j] <= pivot <= a[j+1...hi]
            if k <= j { hi = j } else { lo = j + 1 }
        }
        return a[k]
    }
}
