import Foundation

/// One tensor to write: its name in the target format, its shape (outermost dimension first,
/// row-major values) and the stored type.
public struct ExportTensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    public var dtype: ExportDType

    public init(name: String, shape: [Int], values: [Float], dtype: ExportDType = .f32) {
        precondition(shape.reduce(1, *) == values.count, "\(name): shape \(shape) holds \(shape.reduce(1, *)) values, found \(values.count)")
        self.name = name
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    /// A weight matrix `[rows, cols]`.
    public init(name: String, matrix: Matrix, dtype: ExportDType = .f32) {
        self.init(name: name, shape: [matrix.rows, matrix.cols], values: matrix.data, dtype: dtype)
    }

    public var byteCount: Int { dtype.byteCount(values.count) }

    /// Values per row (the innermost dimension): a block type's block size must divide it.
    public var rowLength: Int { shape.last ?? 1 }

    /// Refuses a block type whose blocks do not tile the rows (`file` names the target).
    func checkBlocks(file: String) throws {
        let blockSize = dtype.ggmlType.blockSize
        guard rowLength % blockSize != 0 else { return }
        let fallback = dtype.ggmlType.llamaFallback.map { "; llama.cpp falls back to \($0.name)" } ?? "; llama.cpp defines no fallback for it"
        throw FormatError(file: file, field: "tensor '\(name)' row length", found: "\(rowLength)",
                          expected: "a multiple of \(blockSize) for \(dtype.rawValue)\(fallback) (export as gguf-f16 or gguf-f32)")
    }

    /// The stored bytes. Errors name `file` and the tensor: a value beyond the type's range
    /// (float16 would turn it into infinity), a non-finite value for a block type, or a block
    /// whose float16 scale overflows (llama.cpp's `ggml_validate_row_data` rejects those).
    func encoded(file: String) throws -> Data {
        try checkBlocks(file: file)
        if dtype != .f32, let bad = values.first(where: { !$0.isFinite || abs($0) > dtype.largestFinite }) {
            throw FormatError(file: file, field: "tensor '\(name)' values", found: "\(bad)",
                              expected: dtype.isQuantized ? "finite values for \(dtype.rawValue) (the source holds a NaN or infinity)"
                                  : "finite values within ±\(dtype.largestFinite) for \(dtype.rawValue) (export as F32)")
        }
        let data = dtype.bytes(values)
        if dtype.isQuantized, let block = Quantize.firstInvalidBlock(data, type: dtype.ggmlType) {
            let n = dtype.ggmlType.blockSize
            let largest = values[(block * n)..<((block + 1) * n)].map(abs).max() ?? 0
            throw FormatError(file: file, field: "tensor '\(name)' block \(block) (values \(block * n)..<\((block + 1) * n))",
                              found: "max |x| \(largest): a float16 scale overflows",
                              expected: "values small enough for \(dtype.rawValue)'s float16 scales (export as gguf-f32)")
        }
        return data
    }
}
