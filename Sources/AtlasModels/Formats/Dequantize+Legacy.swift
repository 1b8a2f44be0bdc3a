/// The 32-element block formats (ggml-quants.c `dequantize_row_q4_0` … `q8_0`).
extension Dequantize {
    /// block_q8_0 { half d; int8 qs[32] } → qs[j] * d.
    public static let q8_0: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 34, y = dst + b * 32
            let d = half(p, 0)
            for j in 0..<32 { y[j] = Float(Int8(bitPattern: byte(p, 2 + j))) * d }
        }
    }

    /// block_q8_1 { half d; half s; int8 qs[32] } → qs[j] * d (s is a precomputed sum).
    public static let q8_1: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 36, y = dst + b * 32
            let d = half(p, 0)
            for j in 0..<32 { y[j] = Float(Int8(bitPattern: byte(p, 4 + j))) * d }
        }
    }

    /// block_q4_0 { half d; uint8 qs[16] }: low nibbles are elements 0-15, high nibbles 16-31, minus 8.
    public static let q4_0: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 18, y = dst + b * 32
            let d = half(p, 0)
            for j in 0..<16 {
                let q = byte(p, 2 + j)
                y[j] = Float(Int32(q & 0x0F) - 8) * d
                y[j + 16] = Float(Int32(q >> 4) - 8) * d
            }
        }
    }

    /// block_q4_1 { half d; half m; uint8 qs[16] } → q * d + m.
    public static let q4_1: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 20, y = dst + b * 32
            let d = half(p, 0), m = half(p, 2)
            for j in 0..<16 {
                let q = byte(p, 4 + j)
                y[j] = Float(q & 0x0F) * d + m
                y[j + 16] = Float(q >> 4) * d + m
            }
        }
    }

    /// block_q5_0 { half d; uint8 qh[4]; uint8 qs[16] }: 5th bit of element j is bit j of qh, minus 16.
    public static let q5_0: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 22, y = dst + b * 32
            let d = half(p, 0)
            let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            for j in 0..<16 {
                let q = UInt32(byte(p, 6 + j))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float(Int32((q & 0x0F) | h0) - 16) * d
                y[j + 16] = Float(Int32((q >> 4) | h1) - 16) * d
            }
        }
    }

    /// block_q5_1 { half d; half m; uint8 qh[4]; uint8 qs[16] } → q * d + m.
    public static let q5_1: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 24, y = dst + b * 32
            let d = half(p, 0), m = half(p, 2)
            let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            for j in 0..<16 {
                let q = UInt32(byte(p, 8 + j))
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float((q & 0x0F) | h0) * d + m
                y[j + 16] = Float((q >> 4) | h1) * d + m
            }
        }
    }
}
