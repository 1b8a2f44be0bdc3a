/// The 32-element block quantizers (ggml-quants.c `quantize_row_q8_0_ref` … `q5_1_ref`).
extension Quantize {
    /// block_q8_0 { half d; int8 qs[32] }: d = max|x|/127, q = roundf(x/d) (ties away from zero).
    static let q8_0: Kernel = { x, y in
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        putHalf(y, 0, d)
        for j in 0..<32 {
            let q = Int8(truncatingIfNeeded: cInt32((x[j] * id).rounded(.toNearestOrAwayFromZero)))
            y.storeBytes(of: q, toByteOffset: 2 + j, as: Int8.self)
        }
    }

    /// The header of the symmetric types: d = max/`divisor` (max the value of largest magnitude,
    /// the first one on ties) as a half at offset 0; returns 1/d, or 0 for d = 0.
    @inline(__always)
    static func symmetricScale(_ x: UnsafePointer<Float>, divisor: Float, _ y: UnsafeMutableRawPointer) -> Float {
        var amax: Float = 0, mx: Float = 0
        for j in 0..<32 where amax < abs(x[j]) { amax = abs(x[j]); mx = x[j] }
        let d = mx / divisor
        putHalf(y, 0, d)
        return d != 0 ? 1 / d : 0
    }

    /// The header of the types with a minimum: d = (max − min)/`levels` and m = min as halves at
    /// offsets 0 and 2; returns (min, 1/d or 0 for d = 0).
    @inline(__always)
    static func affineScale(_ x: UnsafePointer<Float>, levels: Float, _ y: UnsafeMutableRawPointer) -> (Float, Float) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 {
            if x[j] < lo { lo = x[j] }
            if x[j] > hi { hi = x[j] }
        }
        let d = (hi - lo) / levels
        putHalf(y, 0, d)
        putHalf(y, 2, lo)
        return (lo, d != 0 ? 1 / d : 0)
    }

    /// C's `MIN(limit, (int8_t)v)` stored into a uint8_t field.
    @inline(__always)
    static func truncated(_ v: Float, limit: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(limit, Int32(Int8(truncatingIfNeeded: cInt32(v)))))
    }

    /// block_q4_0 { half d; uint8 qs[16] }: d = max/−8, q = trunc(x/d + 8.5) ≤ 15.
    static let q4_0: Kernel = { x, y in
        let id = symmetricScale(x, divisor: -8, y)
        for j in 0..<16 {
            let a = truncated(x[j] * id + 8.5, limit: 15), b = truncated(x[j + 16] * id + 8.5, limit: 15)
            y.storeBytes(of: a | (b << 4), toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    /// block_q4_1 { half d; half m; uint8 qs[16] }: d = (max − min)/15, q = trunc((x − min)/d + 0.5).
    static let q4_1: Kernel = { x, y in
        let (lo, id) = affineScale(x, levels: 15, y)
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
    static let q5_0: Kernel = { x, y in
        let id = symmetricScale(x, divisor: -16, y)
        pack5({ truncated(x[$0] * id + 16.5, limit: 31) }, y, qh: 2, qs: 6)
    }

    /// block_q5_1 { half d; half m; uint8 qh[4]; uint8 qs[16] }: d = (max − min)/31. (The C
    /// casts to uint8_t without the MIN: the same bytes, as q ≤ 31 and x86 keeps the low byte.)
    static let q5_1: Kernel = { x, y in
        let (lo, id) = affineScale(x, levels: 31, y)
        pack5({ truncated((x[$0] - lo) * id + 0.5, limit: 31) }, y, qh: 4, qs: 8)
    }
}
