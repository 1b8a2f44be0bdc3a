import Foundation

/// Quantizers from Float32 to ggml block layouts, written in Swift after ggml-quants.c's
/// reference `quantize_row_*_ref` functions (what `llama-quantize` runs without an importance
/// matrix), in the same Float32 operation order, so the bytes are identical — checked against
/// the C on Tests/Fixtures/quantize-reference. `Dequantize` reads them back: the export writes
/// them into GGUF files, the analysis simulates GGUF weight schemes with the round trip.
public enum Quantize {
    /// Quantizes one block: reads `type.blockSize` floats at `x`, writes `type.bytesPerBlock` bytes at `y`.
    typealias Kernel = @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) -> Void

    /// The types that can be produced.
    public static let supported: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q6_K]

    static func kernel(for type: GGMLType) -> Kernel? {
        switch type {
        case .q8_0: return q8_0
        case .q4_0: return q4_0
        case .q4_1: return q4_1
        case .q5_0: return q5_0
        case .q5_1: return q5_1
        case .q4_K: return q4_K
        case .q6_K: return q6_K
        default: return nil
        }
    }

    /// Quantizes `values` (a multiple of `type.blockSize` of them, `type` in `supported`) into
    /// `type`'s blocks, in order; blocks are quantized in parallel.
    public static func blocks(_ values: UnsafeBufferPointer<Float>, type: GGMLType) -> [UInt8] {
        guard let kernel = kernel(for: type), values.count % type.blockSize == 0 else {
            preconditionFailure("Quantize: \(type.name) needs a supported type and a multiple of \(type.blockSize) values, found \(values.count)")
        }
        let count = values.count / type.blockSize
        guard count > 0, let src = values.baseAddress else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count * type.bytesPerBlock) { out, initialized in
            let srcBits = UInt(bitPattern: src), dstBits = UInt(bitPattern: out.baseAddress!)
            BlockChunks.run(count: count, chunk: (1 << 16) / type.blockSize) { range in   // ~64 K values per task
                let x = UnsafePointer<Float>(bitPattern: srcBits)!, y = UnsafeMutableRawPointer(bitPattern: dstBits)!
                for b in range { kernel(x + b * type.blockSize, y + b * type.bytesPerBlock) }
            }
            initialized = count * type.bytesPerBlock
        }
    }

    /// `blocks` of an array.
    public static func blocks(_ values: [Float], type: GGMLType) -> [UInt8] {
        values.withUnsafeBufferPointer { blocks($0, type: type) }
    }

    /// Quantizes then dequantizes (`Dequantize`): the values a GGUF file of `type` holds.
    public static func roundTrip(_ values: [Float], type: GGMLType) -> [Float] {
        blocks(values, type: type).withUnsafeBytes { Dequantize.floats($0, type: type, count: values.count)! }
    }

    /// Byte offsets of each block's float16 scales (d, and dmin or m where the type has one).
    static func scaleOffsets(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_1, .q5_1, .q4_K: return [0, 2]
        case .q6_K: return [208]
        default: return [0]
        }
    }

    /// The first block whose float16 scales are not finite (values too large for the type's
    /// scale: float16 overflows above 65504), as llama.cpp's `ggml_validate_row_data` rejects
    /// them after quantizing; nil when every block is valid.
    public static func firstInvalidBlock(_ bytes: some ContiguousBytes, type: GGMLType) -> Int? {
        let offsets = scaleOffsets(type)
        return bytes.withUnsafeBytes { p in
            (0..<(p.count / type.bytesPerBlock)).first { b in
                offsets.contains { !Dequantize.half(p.baseAddress! + b * type.bytesPerBlock, $0).isFinite }
            }
        }
    }

    // MARK: helpers shared by the kernels

    /// Float → IEEE half, round to nearest even, little-endian: ggml's GGML_FP32_TO_FP16 (the
    /// same bits for every non-NaN float, checked exhaustively against C's `_Float16`).
    /// Returns the stored value read back (GGML_FP16_TO_FP32), which the K-quants reuse.
    @inline(__always) @discardableResult
    static func putHalf(_ y: UnsafeMutableRawPointer, _ offset: Int, _ v: Float) -> Float {
        let h = Float16(v)
        y.storeBytes(of: h.bitPattern.littleEndian, toByteOffset: offset, as: UInt16.self)
        return Float(h)
    }

    /// ggml's `nearest_int`: round to nearest, ties to even, through the 1.5·2²³ trick (exact
    /// for |v| ≤ 2²²; beyond, the same bits as the C).
    @inline(__always)
    static func nearestInt(_ v: Float) -> Int32 {
        let t = v + 12_582_912
        return Int32(bitPattern: t.bitPattern & 0x007F_FFFF) - 0x0040_0000
    }

    /// C's float → integer conversion as x86-64 performs it (`cvttss2si`): truncation toward
    /// zero, and INT32_MIN for NaN or a value outside Int32 (undefined in C; this is what the
    /// reference does there, e.g. for x · (1/d) = ±inf when d is subnormal). Stored into an
    /// 8-bit field, C keeps the low byte.
    @inline(__always)
    static func cInt32(_ v: Float) -> Int32 {
        v > -2_147_483_904 && v < 2_147_483_648 ? Int32(v.rounded(.towardZero)) : .min
    }
}
