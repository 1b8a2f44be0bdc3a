import Foundation

/// How the values of a written tensor are stored: IEEE float32, or float16 rounded to nearest
/// even (as torch `.to(float16)` and gguf-py's `astype(np.float16)` do).
public enum ExportDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16"

    /// Bytes per value.
    public var size: Int { self == .f32 ? 4 : 2 }

    /// The largest finite magnitude this type holds.
    public var largestFinite: Float { self == .f32 ? .greatestFiniteMagnitude : Float(Float16.greatestFiniteMagnitude) }

    /// The values as they read back from a file of this type.
    public func rounded(_ values: [Float]) -> [Float] {
        self == .f32 ? values : values.map { Float(Float16($0)) }
    }

    /// Little-endian bytes of `values`.
    func bytes(_ values: [Float]) -> Data {
        switch self {
        case .f32:
            // Float32 is stored in host order; every platform we build for is little-endian.
            return values.withUnsafeBufferPointer { Data(buffer: $0) }
        case .f16:
            var out = Data(count: values.count * 2)
            out.withUnsafeMutableBytes { dst in
                for (i, v) in values.enumerated() {
                    dst.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: i * 2, as: UInt16.self)
                }
            }
            return out
        }
    }
}

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

    public var byteCount: Int { values.count * dtype.size }

    /// The stored bytes; a value beyond the type's range is an error naming `file` and the tensor
    /// (float16 would turn it into infinity).
    func encoded(file: String) throws -> Data {
        if dtype != .f32, let bad = values.first(where: { !$0.isFinite || abs($0) > dtype.largestFinite }) {
            throw FormatError(file: file, field: "tensor '\(name)' values", found: "\(bad)",
                              expected: "finite values within ±\(dtype.largestFinite) for \(dtype.rawValue) (export as F32)")
        }
        return dtype.bytes(values)
    }
}
