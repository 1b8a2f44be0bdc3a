import Foundation

/// Dequantizers from ggml block layouts to Float32: small pure functions over raw bytes,
/// one per type, in ggml's arithmetic order (scale products first) so results are bit-exact
/// with gguf-py and ggml's reference `dequantize_row_*`.
///
/// Every kernel reads `blocks * type.bytesPerBlock` bytes from `src` (any alignment) and writes
/// `blocks * type.blockSize` floats to `dst`.
public enum Dequantize {
    public typealias Kernel = @Sendable (_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) -> Void

    /// The kernel for `type`, or nil when the type is not supported.
    public static func kernel(for type: GGMLType) -> Kernel? {
        switch type {
        case .f32: return f32
        case .f16: return f16
        case .bf16: return bf16
        case .f64: return f64
        case .q8_0: return q8_0
        case .q8_1: return q8_1
        case .q4_0: return q4_0
        case .q4_1: return q4_1
        case .q5_0: return q5_0
        case .q5_1: return q5_1
        case .q2_K: return q2_K
        case .q3_K: return q3_K
        case .q4_K: return q4_K
        case .q5_K: return q5_K
        case .q6_K: return q6_K
        case .q8_K: return q8_K
        default: return nil
        }
    }

    /// Dequantizes `count` values of `type` from `bytes` (which must hold exactly the blocks for
    /// `count` values). Large inputs are split across cores. Returns nil for an unsupported type
    /// or a size mismatch.
    public static func floats(_ bytes: UnsafeRawBufferPointer, type: GGMLType, count: Int) -> [Float]? {
        guard let kernel = kernel(for: type), count >= 0, count % type.blockSize == 0 else { return nil }
        let blocks = count / type.blockSize
        let (need, overflow) = blocks.multipliedReportingOverflow(by: type.bytesPerBlock)
        guard !overflow, need == bytes.count else { return nil }
        if count == 0 { return [] }
        guard let src = bytes.baseAddress else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let dstBits = UInt(bitPattern: out.baseAddress!), srcBits = UInt(bitPattern: src)
            BlockChunks.run(count: blocks, chunk: (1 << 20) / type.blockSize) { range in   // ~1 M values per task
                let s = UnsafeRawPointer(bitPattern: srcBits)! + range.lowerBound * type.bytesPerBlock
                let d = UnsafeMutablePointer<Float>(bitPattern: dstBits)! + range.lowerBound * type.blockSize
                kernel(s, d, range.count)
            }
            initialized = count
        }
    }

    // MARK: helpers shared by the kernels

    /// IEEE half → Float for every 16-bit pattern (exact), as ggml's lookup table.
    static let halfTable: [Float] = (0...0xFFFF).map { Float(Float16(bitPattern: UInt16($0))) }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }
}
