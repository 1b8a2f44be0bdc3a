import Foundation

/// The rows of a GGUF weight tensor left in their quantized blocks inside the memory-mapped
/// file: a row (one output feature, `cols` values along `ne[0]`) is a whole number of blocks,
/// so any row can be dequantized alone with the same kernel the Float32 load uses, giving the
/// same bits. `sourceRows` selects and orders the stored rows (a part of a fused tensor, the
/// q/k rows put back into the Hugging Face order).
public struct GGUFQuantizedRows: @unchecked Sendable {
    /// Keeps the map (and so `base`) alive.
    let file: GGUFFile
    let base: UnsafeRawPointer
    public let type: GGMLType
    public let rows: Int
    public let cols: Int
    let rowBytes: Int
    let kernel: Dequantize.Kernel
    /// Stored row of each row; nil: rows `0..<rows` as stored.
    let sourceRows: [Int32]?

    /// The whole tensor `name` as `[rowCount, rowLength]`, or nil when its rows cannot be
    /// dequantized one by one (an unsupported type, or a row that is not whole blocks).
    public init?(_ file: GGUFFile, tensor name: String) {
        guard let info = file.tensorInfo(name), let kernel = Dequantize.kernel(for: info.type),
              info.rowLength > 0, info.rowLength % info.type.blockSize == 0,
              let bytes = try? file.rawBytes(name), let base = bytes.baseAddress else { return nil }
        let rowBytes = info.rowLength / info.type.blockSize * info.type.bytesPerBlock
        guard rowBytes * info.rowCount == bytes.count else { return nil }
        self.init(file: file, base: base, type: info.type, rows: info.rowCount, cols: info.rowLength,
                  rowBytes: rowBytes, kernel: kernel, sourceRows: nil)
    }

    private init(file: GGUFFile, base: UnsafeRawPointer, type: GGMLType, rows: Int, cols: Int, rowBytes: Int,
                 kernel: @escaping Dequantize.Kernel, sourceRows: [Int32]?) {
        self.file = file; self.base = base; self.type = type; self.rows = rows; self.cols = cols
        self.rowBytes = rowBytes; self.kernel = kernel; self.sourceRows = sourceRows
    }

    /// Bytes of the stored blocks this matrix reads.
    public var storedBytes: Int { rows * rowBytes }

    /// These rows reordered: row `r` of the result is row `order[r]` of this one.
    public func selecting(_ order: [Int]) -> GGUFQuantizedRows {
        precondition(order.allSatisfy { (0..<rows).contains($0) }, "GGUFQuantizedRows: row outside 0..<\(rows)")
        let stored = order.map { Int32(sourceRow($0)) }
        return GGUFQuantizedRows(file: file, base: base, type: type, rows: order.count, cols: cols,
                                 rowBytes: rowBytes, kernel: kernel, sourceRows: stored)
    }

    @inline(__always) func sourceRow(_ r: Int) -> Int { sourceRows.map { Int($0[r]) } ?? r }

    /// Dequantizes rows `range` into `dst` (`range.count * cols` floats, row-major).
    public func dequantize(rows range: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let blocks = cols / type.blockSize
        for (i, r) in range.enumerated() {
            kernel(base + sourceRow(r) * rowBytes, dst + i * cols, blocks)
        }
    }

    /// Rows `range` dequantized on both cores (in row chunks of about a million values).
    public func dequantizeInParallel(rows range: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let chunkRows = max(1, (1 << 20) / max(1, cols))
        let chunks = (range.count + chunkRows - 1) / chunkRows
        guard chunks > 1 else { return dequantize(rows: range, into: dst) }
        let bits = UInt(bitPattern: dst)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let first = range.lowerBound + c * chunkRows, n = min(chunkRows, range.upperBound - first)
            dequantize(rows: first..<(first + n),
                       into: UnsafeMutablePointer<Float>(bitPattern: bits)! + (first - range.lowerBound) * cols)
        }
    }

    /// The whole matrix in Float32.
    public func matrix() -> Matrix {
        Matrix(rows: rows, cols: cols, data: [Float](unsafeUninitializedCapacity: rows * cols) { b, n in
            n = rows * cols
            if n > 0 { dequantizeInParallel(rows: 0..<rows, into: b.baseAddress!) }
        })
    }
}
