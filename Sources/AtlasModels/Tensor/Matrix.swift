/// A dense row-major Float32 matrix: the one tensor type of the forward pass.
///
/// Activations of a window are `[tokens, features]`; weights keep the checkpoint layout
/// `[out, in]` (BLAS multiplies by the transpose without copying).
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public var data: [Float]

    public init(rows: Int, cols: Int, data: [Float]) {
        precondition(data.count == rows * cols, "Matrix data count \(data.count) != \(rows)x\(cols)")
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    public init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, data: [Float](repeating: 0, count: rows * cols))
    }

    /// A matrix whose every element the caller writes before anything reads it (a product with
    /// beta 0, a kernel's output): skips zeroing memory that is overwritten at once.
    init(overwritten rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, data: [Float](unsafeUninitializedCapacity: rows * cols) { $1 = rows * cols })
    }

    public var count: Int { rows * cols }

    public subscript(row: Int, col: Int) -> Float {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// True when `other` is this very matrix: the same shape over the same storage (a value passed
    /// on unchanged, e.g. the residual stream at the end of one block and the start of the next).
    /// While a caller holds one of the two, neither can change, so equal storage means equal values.
    public func sharesStorage(with other: Matrix) -> Bool {
        guard rows == other.rows, cols == other.cols, count > 0 else { return false }
        let mine = data.withUnsafeBufferPointer { $0.baseAddress }
        return mine == other.data.withUnsafeBufferPointer { $0.baseAddress }
    }

    /// A copy of one row.
    public func row(_ r: Int) -> [Float] { Array(data[(r * cols)..<((r + 1) * cols)]) }

    /// The transpose, as a new matrix.
    public func transposed() -> Matrix {
        var out = Matrix(zeros: cols, rows)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows { for c in 0..<cols { dst[c * rows + r] = src[r * cols + c] } }
            }
        }
        return out
    }
}
