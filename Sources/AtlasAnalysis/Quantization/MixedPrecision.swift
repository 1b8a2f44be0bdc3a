import AtlasModels

/// LLM.int8-style mixed-precision activations (Dettmers et al. 2022; bitsandbytes
/// `MatMul8bitLt`): the input columns (features) in which some token of the window reaches
/// |x| ≥ threshold stay float; the other columns are quantized as the scheme says, their
/// per-token ranges computed over those columns only. The weights are quantized as the scheme
/// says for every column, as bitsandbytes does (its outlier product uses the dequantized int8
/// weights), so only the activation side changes.
public enum MixedPrecision {
    /// The columns of `x` with some |x[t, c]| ≥ `threshold`, ascending.
    public static func outlierColumns(_ x: Matrix, threshold: Float) -> [Int] {
        var hit = [Bool](repeating: false, count: x.cols)
        x.data.withUnsafeBufferPointer { p in
            for r in 0..<x.rows {
                let row = r * x.cols
                for c in 0..<x.cols where abs(p[row + c]) >= threshold { hit[c] = true }
            }
        }
        return hit.indices.filter { hit[$0] }
    }

    /// Quantizes `x` in place except its outlier columns, which come back bit-identical.
    /// `range` is the static per-tensor range (see `ActivationQuantizer.apply`). Returns how
    /// many columns were kept float.
    @discardableResult
    public static func apply(_ x: inout Matrix, _ q: ActivationQuantization, threshold: Float,
                             range: (Float, Float)? = nil) -> Int {
        let outliers = outlierColumns(x, threshold: threshold)
        guard !outliers.isEmpty else {
            ActivationQuantizer.apply(&x, q, range: range)
            return 0
        }
        let isOutlier = Set(outliers)
        let keep = (0..<x.cols).filter { !isOutlier.contains($0) }
        guard !keep.isEmpty else { return outliers.count }
        var inner = Matrix(zeros: x.rows, keep.count)
        for r in 0..<x.rows { for (j, c) in keep.enumerated() { inner[r, j] = x[r, c] } }
        ActivationQuantizer.apply(&inner, q, range: range)
        for r in 0..<x.rows { for (j, c) in keep.enumerated() { x[r, c] = inner[r, j] } }
        return outliers.count
    }
}
