/// Row-wise helpers of the forward pass: element-wise add, a bias added to every row, and the
/// embedding look-up.
extension Matrix {
    /// Adds `bias` to every row.
    mutating func addRowVector(_ bias: [Float]) {
        precondition(bias.count == cols)
        let c = cols
        data.withUnsafeMutableBufferPointer { buf in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = buf.baseAddress! + r * c
                    for j in 0..<c { row[j] += b[j] }
                }
            }
        }
    }

    /// self += other, elementwise.
    mutating func add(_ other: Matrix) {
        precondition(other.rows == rows && other.cols == cols)
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                ParallelLoop.chunks(a.count) { part in
                    VectorMath.add(a.baseAddress! + part.lowerBound, b.baseAddress! + part.lowerBound, count: part.count)
                }
            }
        }
    }

    /// Rows `indices` of this table, as a `[indices.count, cols]` matrix (embedding look-up).
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(zeros: indices.count, cols)
        let d = cols
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for (r, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "row \(index) outside a table of \(rows)")
                    (dst.baseAddress! + r * d).update(from: src.baseAddress! + index * d, count: d)
                }
            }
        }
        return out
    }

    /// Rows `start ..< start + count` (the whole matrix when they are all of it: no copy).
    /// The rows of `self` followed by those of `below` (same width).
    public func stacked(above below: Matrix) -> Matrix {
        precondition(cols == below.cols)
        return Matrix(rows: rows + below.rows, cols: cols, data: data + below.data)
    }

    public func rows(_ start: Int, count: Int) -> Matrix {
        precondition(start >= 0 && count >= 0 && start + count <= rows, "rows \(start)..<\(start + count) of \(rows)")
        if start == 0 && count == rows { return self }
        return Matrix(rows: count, cols: cols, data: Array(data[(start * cols)..<((start + count) * cols)]))
    }
}
