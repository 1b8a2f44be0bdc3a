import AtlasModels
import AtlasResults

/// One entry of a window's tap matrix that meets the massive-activation criterion.
public struct MassiveEntry: Codable, Sendable, Hashable {
    public var position: Int
    public var dim: Int
    public var value: Float

    public init(position: Int, dim: Int, value: Float) {
        self.position = position
        self.dim = dim
        self.value = value
    }
}

/// Massive-activation detection (Sun et al. 2024) in one window at one tap:
/// an entry is massive when |x| > `criterion.absolute` **and** |x| > `criterion.relative` ×
/// median |x|, the median taken over all finite entries of that whole matrix (all positions
/// and features). Both inequalities are strict, as `MassiveCriterion` states. Non-finite
/// entries are never massive and do not enter the median.
public enum MassiveDetector {
    /// Massive entries of `m` given its median |x| (from `MedianScratch`), in row-major order
    /// (position, then dim). Returns [] when `medianAbs` is nil (no finite value).
    public static func detect(_ m: Matrix, criterion: MassiveCriterion, medianAbs: Double?) -> [MassiveEntry] {
        guard let med = medianAbs else { return [] }
        let threshold = Swift.max(criterion.absolute, criterion.relative * med)
        guard !threshold.isNaN else { return [] }
        // A Float pre-filter (never stricter than the Double test) keeps the scan in Float.
        let coarse = Float(threshold).nextDown.nextDown
        var found: [MassiveEntry] = []
        let cols = m.cols
        m.data.withUnsafeBufferPointer { src in
            for i in 0..<src.count {
                let a = Swift.abs(src[i])
                if a > coarse, a.isFinite, Double(a) > threshold {
                    found.append(MassiveEntry(position: i / cols, dim: i % cols, value: src[i]))
                }
            }
        }
        return found
    }

    /// The same entries as `detect(_:criterion:medianAbs:)`, scanning only the columns whose
    /// largest finite |x| (`columnAbsmax`) passes the threshold.
    static func detect(_ m: Matrix, criterion: MassiveCriterion, medianAbs: Double?,
                       columnAbsmax: [Float]) -> [MassiveEntry] {
        guard let med = medianAbs else { return [] }
        let threshold = Swift.max(criterion.absolute, criterion.relative * med)
        guard !threshold.isNaN else { return [] }
        var found: [MassiveEntry] = []
        let cols = m.cols
        m.data.withUnsafeBufferPointer { src in
            for c in 0..<cols where Double(columnAbsmax[c]) > threshold {
                for r in 0..<m.rows {
                    let v = src[r * cols + c]
                    if v.isFinite, Double(Swift.abs(v)) > threshold {
                        found.append(MassiveEntry(position: r, dim: c, value: v))
                    }
                }
            }
        }
        return found.sorted { ($0.position, $0.dim) < ($1.position, $1.dim) }
    }

    /// Computes the median with `scratch`, then detects.
    public static func detect(_ m: Matrix, criterion: MassiveCriterion,
                              scratch: inout MedianScratch) -> (medianAbs: Double?, entries: [MassiveEntry]) {
        let med = scratch.medianAbs(m)
        return (med, detect(m, criterion: criterion, medianAbs: med))
    }
}
