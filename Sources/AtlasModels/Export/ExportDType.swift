import Foundation

/// How the values of a written tensor are stored: IEEE float32, float16 rounded to nearest
/// even (as torch `.to(float16)` and gguf-py's `astype(np.float16)` do), or — GGUF only — a
/// ggml block type quantized by `Quantize` (llama.cpp's reference quantizers, no importance matrix).
public enum ExportDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", q8_0 = "Q8_0", q5_0 = "Q5_0", q4_K = "Q4_K", q6_K = "Q6_K"

    /// The ggml type written into GGUF tensor infos (its `name` is the raw value).
    public var ggmlType: GGMLType {
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .q8_0: return .q8_0
        case .q5_0: return .q5_0
        case .q4_K: return .q4_K
        case .q6_K: return .q6_K
        }
    }

    /// Whether values are stored in quantization blocks (GGUF only, rows a multiple of the block size).
    public var isQuantized: Bool { ggmlType.blockSize > 1 }

    /// Bytes holding `count` values (for a block type, a multiple of its block size).
    public func byteCount(_ count: Int) -> Int { count / ggmlType.blockSize * ggmlType.bytesPerBlock }

    /// The largest finite magnitude the values may have (a block type's limit comes from its
    /// float16 scales and is checked after quantizing).
    public var largestFinite: Float { self == .f16 ? Float(Float16.greatestFiniteMagnitude) : .greatestFiniteMagnitude }

    /// The type a weight matrix with rows of `rowLength` values is written as when the file's
    /// type is `self`, as `llama-quantize --pure` chooses it (`GGMLType.stored(rowLength:)`:
    /// Q4_K → Q5_0, Q6_K → Q8_0, then F16). Where llama.cpp has no fallback (Q8_0, Q5_0 on a
    /// row not a multiple of 32) the type stays and `GGUFWriter` refuses the tensor.
    public func forMatrix(rowLength: Int) -> ExportDType {
        ggmlType.stored(rowLength: rowLength).flatMap { ExportDType(rawValue: $0.name) } ?? self
    }

    /// llama.cpp's `general.file_type` (`enum llama_ftype`) for a file whose matrices are `self`:
    /// ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q8_0 7, MOSTLY_Q5_0 8, MOSTLY_Q4_K_S 14, MOSTLY_Q6_K 18.
    /// A pure Q4_K file is written as Q4_K_S, the mix that keeps most matrices Q4_K
    /// (`llama-quantize --pure … Q4_K_S` writes the same tensors and this value).
    public var llamaFileType: UInt32 {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .q8_0: return 7
        case .q5_0: return 8
        case .q4_K: return 14
        case .q6_K: return 18
        }
    }

    /// The values as they read back from a file of this type (a block type: a multiple of its
    /// block size of them, quantized and dequantized).
    public func rounded(_ values: [Float]) -> [Float] {
        switch self {
        case .f32: return values
        case .f16: return values.map { Float(Float16($0)) }
        default: return Quantize.roundTrip(values, type: ggmlType)
        }
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
        default:
            return Data(Quantize.blocks(values, type: ggmlType))
        }
    }
}
