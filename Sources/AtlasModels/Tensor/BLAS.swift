internal import CBLAS

/// The one bridge to OpenBLAS: every matrix product of the forward pass goes through here.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses (default 1: the tool parallelises at task
    /// level, and nested OpenBLAS threads would oversubscribe the cores).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The kernel OpenBLAS picked for this CPU (e.g. "Cooperlake").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// `x · wᵀ`: x is `[T, in]`, w is `[out, in]` (checkpoint layout); the result is `[T, out]`.
    public static func linear(_ x: Matrix, _ w: Matrix) -> Matrix {
        precondition(x.cols == w.cols, "linear: input width \(x.cols) != weight in-features \(w.cols)")
        var out = Matrix(overwritten: x.rows, w.rows)   // beta 0: OpenBLAS writes every element
        x.data.withUnsafeBufferPointer { a in
            w.data.withUnsafeBufferPointer { b in
                out.data.withUnsafeMutableBufferPointer { c in
                    sgemm(transB: true, m: x.rows, n: w.rows, k: x.cols,
                          a: a.baseAddress!, lda: x.cols, b: b.baseAddress!, ldb: w.cols,
                          c: c.baseAddress!, ldc: w.rows, alpha: 1, beta: 0)
                }
            }
        }
        return out
    }

    /// Row-major `C = alpha · A · op(B) + beta · C`, with op(B) = Bᵀ when `transB`.
    /// A is m×k (leading dimension lda); B is k×n, or n×k when transposed.
    @inline(__always)
    public static func sgemm(transB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
