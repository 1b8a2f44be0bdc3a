/// A weight matrix `[out, in]` (checkpoint layout), held either in Float32 or in its GGUF
/// quantized blocks inside the memory-mapped file. Quantized rows are dequantized — by the
/// kernels of the Float32 load, so to the same bits — just before the product that uses them:
/// the whole matrix when it is small, `tileValues` at a time otherwise, as llama.cpp does.
/// Editing the matrix (a mitigation folding scales into it) makes it Float32.
public struct WeightMatrix: Sendable {
    public enum Storage: Sendable {
        case dense(Matrix)
        case quantized(GGUFQuantizedRows)
    }

    public private(set) var storage: Storage
    public let rows: Int
    public let cols: Int

    /// Largest number of values dequantized at once for one product (64 MiB of Float32).
    public static let tileValues = 1 << 24

    public init(_ matrix: Matrix) {
        storage = .dense(matrix); rows = matrix.rows; cols = matrix.cols
    }

    public init(_ quantized: GGUFQuantizedRows) {
        storage = .quantized(quantized); rows = quantized.rows; cols = quantized.cols
    }

    public var isQuantized: Bool {
        if case .quantized = storage { return true }
        return false
    }

    /// Bytes this matrix occupies: Float32 values, or the quantized blocks it reads from the map.
    public var residentBytes: Int {
        switch storage {
        case .dense(let m): return m.count * MemoryLayout<Float>.size
        case .quantized(let q): return q.storedBytes
        }
    }

    /// The values in Float32 (dequantized on each read when quantized). Writing stores Float32.
    public var matrix: Matrix {
        get {
            switch storage {
            case .dense(let m): return m
            case .quantized(let q): return q.matrix()
            }
        }
        set { self = WeightMatrix(newValue) }
        _modify {
            var m: Matrix
            if case .dense(let d) = storage {
                m = d
                storage = .dense(Matrix(zeros: 0, 0))   // m is the only reference: edits in place
            } else {
                m = matrix
            }
            yield &m
            self = WeightMatrix(m)
        }
    }

    /// `x · Wᵀ`: x is `[T, in]`; the result is `[T, out]`. A matrix above `tileValues` is
    /// multiplied `tileValues` at a time in both storages, so both give the same bits.
    public func linear(_ x: Matrix) -> Matrix {
        precondition(x.cols == cols, "linear: input width \(x.cols) != weight in-features \(cols)")
        if case .dense(let m) = storage, m.count <= Self.tileValues { return BLAS.linear(x, m) }
        if case .quantized(let q) = storage, q.rows * q.cols <= Self.tileValues { return BLAS.linear(x, q.matrix()) }
        var out = Matrix(overwritten: x.rows, rows)   // every column tile is written with beta 0
        let tileRows = max(1, Self.tileValues / cols)
        var tile = [Float]()
        if case .quantized = storage { tile = [Float](repeating: 0, count: tileRows * cols) }
        x.data.withUnsafeBufferPointer { a in
            out.data.withUnsafeMutableBufferPointer { c in
                for first in stride(from: 0, to: rows, by: tileRows) {
                    let n = min(tileRows, rows - first)
                    func product(_ b: UnsafePointer<Float>) {
                        BLAS.sgemm(transB: true, m: x.rows, n: n, k: cols, a: a.baseAddress!, lda: cols,
                                   b: b, ldb: cols, c: c.baseAddress! + first, ldc: rows, alpha: 1, beta: 0)
                    }
                    switch storage {
                    case .dense(let m):
                        m.data.withUnsafeBufferPointer { product($0.baseAddress! + first * cols) }
                    case .quantized(let q):
                        tile.withUnsafeMutableBufferPointer { b in
                            q.dequantizeInParallel(rows: first..<(first + n), into: b.baseAddress!)
                            product(b.baseAddress!)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The rows `indices` in Float32 (an embedding look-up).
    public func gatherRows(_ indices: [Int]) -> Matrix {
        switch storage {
        case .dense(let m): return m.gatherRows(indices)
        case .quantized(let q):
            var out = Matrix(zeros: indices.count, cols)
            out.data.withUnsafeMutableBufferPointer { dst in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "row \(index) outside a table of \(rows)")
                    q.dequantize(rows: index..<(index + 1), into: dst.baseAddress! + r * cols)
                }
            }
            return out
        }
    }

    /// Rows `order[0]`, `order[1]`, … of this matrix (a part of a fused tensor, a permutation),
    /// without dequantizing a quantized one.
    public func selectingRows(_ order: [Int]) -> WeightMatrix {
        switch storage {
        case .dense(let m): return WeightMatrix(m.gatherRows(order))
        case .quantized(let q): return WeightMatrix(q.selecting(order))
        }
    }
}
