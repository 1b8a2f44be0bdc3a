import AtlasModels
import Foundation

/// Quantizers from Float32 to ggml block layouts, written in Swift after ggml-quants.c's
/// reference `quantize_row_*_ref` functions (the deterministic ones llama.cpp's converter and
/// gguf-py use), in the same Float32 operation order so the bytes are identical. `Dequantize`
/// reads them back, which is how a GGUF weight scheme is simulated.
public enum GGUFQuantize {
    /// The types that can be produced.
    public static let supported: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q6_K]

    /// Quantizes `x` (a multiple of `type.blockSize` values) into `type`'s blocks.
    public static func quantize(_ x: [Float], type: GGMLType) -> [UInt8] {
        precondition(supported.contains(type) && x.count % type.blockSize == 0,
                     "GGUFQuantize: \(type.name) needs a multiple of \(type.blockSize) values, found \(x.count)")
        let blocks = x.count / type.blockSize
        var out = [UInt8](repeating: 0, count: blocks * type.bytesPerBlock)
        let kernel: @Sendable (UnsafePointer<Float>, UnsafeMutableRawPointer) -> Void
        switch type {
        case .q8_0: kernel = q8_0
        case .q4_0: kernel = q4_0
        case .q4_1: kernel = q4_1
        case .q5_0: kernel = q5_0
        case .q5_1: kernel = q5_1
        case .q4_K: kernel = q4_K
        default: kernel = q6_K
        }
        x.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { dst in
                // Blocks are independent: split them across cores (each task writes its own bytes).
                let srcBits = UInt(bitPattern: src.baseAddress!), dstBits = UInt(bitPattern: dst.baseAddress!)
                let perTask = max(1, (1 << 16) / type.blockSize)
                DispatchQueue.concurrentPerform(iterations: (blocks + perTask - 1) / perTask) { task in
                    let s = UnsafePointer<Float>(bitPattern: srcBits)!, d = UnsafeMutableRawPointer(bitPattern: dstBits)!
                    for b in (task * perTask)..<min(blocks, (task + 1) * perTask) {
                        kernel(s + b * type.blockSize, d + b * type.bytesPerBlock)
                    }
                }
            }
        }
        return out
    }

    /// Quantizes then dequantizes (`Dequantize`), the value a GGUF file of `type` would hold.
    public static func roundTrip(_ x: [Float], type: GGMLType) -> [Float] {
        let bytes = quantize(x, type: type)
        return bytes.withUnsafeBytes { Dequantize.floats($0, type: type, count: x.count)! }
    }

    // MARK: 32-element blocks

    /// block_q8_0 { half d; int8 qs[32] }: d = max|x|/127, q = round-half-away(x/d).
    static func q8_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        for j in 0..<32 {
            y.storeBytes(of: Int8((x[j] * id).rounded(.toNearestOrAwayFromZero)), toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// The value of largest magnitude (the first one on ties), as q4_0/q5_0 scale from.
    @inline(__always)
    static func signedAbsMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var amax: Float = 0, mx: Float = 0
        for j in 0..<n where amax < abs(x[j]) { amax = abs(x[j]); mx = x[j] }
        return mx
    }

    @inline(__always)
    static func minMax(_ x: UnsafePointer<Float>, _ n: Int) -> (Float, Float) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<n {
            if x[j] < lo { lo = x[j] }
            if x[j] > hi { hi = x[j] }
        }
        return (lo, hi)
    }

    /// C's `(int8_t)v` then `MIN(limit, ·)`: truncation toward zero.
    @inline(__always)
    static func truncated(_ v: Float, limit: Int32) -> UInt8 { UInt8(min(limit, Int32(Int8(v.rounded(.towardZero))))) }

    /// block_q4_0 { half d; uint8 qs[16] }: d = max/−8, q = trunc(x/d + 8.5) ≤ 15.
    static func q4_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        let d = signedAbsMax(x, 32) / -8
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        for j in 0..<16 {
            let a = truncated(x[j] * id + 8.5, limit: 15), b = truncated(x[j + 16] * id + 8.5, limit: 15)
            y.storeBytes(of: a | (b << 4), toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    /// block_q4_1 { half d; half m; uint8 qs[16] }: d = (max − min)/15, q = trunc((x − min)/d + 0.5).
    static func q4_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        let (lo, hi) = minMax(x, 32)
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        putHalf(y, 2, lo)
        for j in 0..<16 {
            let a = truncated((x[j] - lo) * id + 0.5, limit: 15), b = truncated((x[j + 16] - lo) * id + 0.5, limit: 15)
            y.storeBytes(of: a | (b << 4), toByteOffset: 4 + j, as: UInt8.self)
        }
    }

    /// Packs 32 five-bit values: low nibbles in qs (element j and j+16 share a byte), the fifth
    /// bits in the 32-bit little-endian qh.
    @inline(__always)
    static func pack5(_ q: (Int) -> UInt8, _ y: UnsafeMutableRawPointer, qh qhOffset: Int, qs qsOffset: Int) {
        var qh: UInt32 = 0
        for j in 0..<16 {
            let a = q(j), b = q(j + 16)
            y.storeBytes(of: (a & 0x0F) | ((b & 0x0F) << 4), toByteOffset: qsOffset + j, as: UInt8.self)
            qh |= UInt32((a & 0x10) >> 4) << UInt32(j)
            qh |= UInt32((b & 0x10) >> 4) << UInt32(j + 16)
        }
        y.storeBytes(of: qh.littleEndian, toByteOffset: qhOffset, as: UInt32.self)
    }

    /// block_q5_0 { half d; uint8 qh[4]; uint8 qs[16] }: d = max/−16, q = trunc(x/d + 16.5) ≤ 31.
    static func q5_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        let d = signedAbsMax(x, 32) / -16
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        pack5({ truncated(x[$0] * id + 16.5, limit: 31) }, y, qh: 2, qs: 6)
    }

    /// block_q5_1 { half d; half m; uint8 qh[4]; uint8 qs[16] }: d = (max − min)/31.
    static func q5_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        let (lo, hi) = minMax(x, 32)
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        putHalf(y, 2, lo)
        pack5({ truncated((x[$0] - lo) * id + 0.5, limit: 31) }, y, qh: 4, qs: 8)
    }

    // MARK: helpers

    /// Float → IEEE half, round to nearest even (ggml's GGML_FP32_TO_FP16), little-endian.
    @inline(__always)
    static func putHalf(_ y: UnsafeMutableRawPointer, _ offset: Int, _ v: Float) {
        y.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inline(__always)
    static func half(_ v: Float) -> Float { Float(Float16(v)) }

    /// ggml's `nearest_int`: round to nearest, ties to even, through the 1.5·2²³ trick (|v| ≤ 2²²).
    @inline(__always)
    static func nearestInt(_ v: Float) -> Int32 {
        let t = v + 12_582_912
        return Int32(bitPattern: t.bitPattern & 0x007F_FFFF) - 0x0040_0000
    }
}
