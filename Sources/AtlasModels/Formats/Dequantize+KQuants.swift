/// The 256-element super-block formats (ggml-quants.c `dequantize_row_q2_K` … `q8_K`).
extension Dequantize {
    /// block_q2_K { uint8 scales[16]; uint8 qs[64]; half d@80; half dmin@82 } → (d*sc)*q - (dmin*m).
    public static let q2_K: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 84
            var y = dst + b * 256
            let d = half(p, 80), dmin = half(p, 82)
            var scaleIndex = 0
            for n in stride(from: 0, to: 256, by: 128) {
                let q = 16 + n / 4   // 32 bytes of qs per 128 values
                var shift: UInt8 = 0
                for _ in 0..<4 {
                    for half16 in 0..<2 {
                        let sc = byte(p, scaleIndex); scaleIndex += 1
                        let dl = d * Float(sc & 0xF), ml = dmin * Float(sc >> 4)
                        let base = q + 16 * half16
                        for l in 0..<16 { y[l] = dl * Float((byte(p, base + l) >> shift) & 3) - ml }
                        y += 16
                    }
                    shift += 2
                }
            }
        }
    }

    /// block_q3_K { uint8 hmask[32]; uint8 qs[64]; uint8 scales[12]; half d@108 }: 6-bit signed scales,
    /// 2 low bits in qs and a high bit in hmask (set → +0, clear → -4).
    public static let q3_K: Kernel = { src, dst, blocks in
        let kmask1: UInt32 = 0x0303_0303, kmask2: UInt32 = 0x0f0f_0f0f
        for b in 0..<blocks {
            let p = src + b * 110
            var y = dst + b * 256
            let dAll = half(p, 108)
            let a0 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 96, as: UInt32.self))
            let a1 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 100, as: UInt32.self))
            let tmp = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 104, as: UInt32.self))
            let aux: (UInt32, UInt32, UInt32, UInt32) = (
                (a0 & kmask2) | (((tmp >> 0) & kmask1) << 4),
                (a1 & kmask2) | (((tmp >> 2) & kmask1) << 4),
                ((a0 >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4),
                ((a1 >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4))
            @inline(__always) func scale(_ i: Int) -> Int32 {
                let word: UInt32
                switch i >> 2 { case 0: word = aux.0; case 1: word = aux.1; case 2: word = aux.2; default: word = aux.3 }
                return Int32(Int8(bitPattern: UInt8(truncatingIfNeeded: word >> (UInt32(i & 3) * 8)))) - 32
            }
            var scaleIndex = 0
            var m: UInt8 = 1
            for n in stride(from: 0, to: 256, by: 128) {
                let q = 32 + n / 4
                var shift: UInt8 = 0
                for _ in 0..<4 {
                    for half16 in 0..<2 {
                        let dl = dAll * Float(scale(scaleIndex)); scaleIndex += 1
                        let off = 16 * half16
                        for l in 0..<16 {
                            let low = Int32((byte(p, q + off + l) >> shift) & 3)
                            let high: Int32 = (byte(p, off + l) & m) != 0 ? 0 : 4
                            y[l] = dl * Float(low - high)
                        }
                        y += 16
                    }
                    shift += 2
                    m = m &<< 1
                }
            }
        }
    }

    /// The packed 6-bit (scale, min) pair `j` of Q4_K/Q5_K (ggml `get_scale_min_k4`).
    @inline(__always)
    static func scaleMinK4(_ j: Int, _ p: UnsafeRawPointer) -> (Float, Float) {
        if j < 4 {
            return (Float(byte(p, j) & 63), Float(byte(p, j + 4) & 63))
        }
        let sc = (byte(p, j + 4) & 0xF) | ((byte(p, j - 4) >> 6) << 4)
        let mn = (byte(p, j + 4) >> 4) | ((byte(p, j) >> 6) << 4)
        return (Float(sc), Float(mn))
    }

    /// block_q4_K { half d; half dmin; uint8 scales[12]; uint8 qs[128] } → (d*sc)*q - (dmin*m).
    public static let q4_K: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 144
            var y = dst + b * 256
            let d = half(p, 0), dmin = half(p, 2)
            let scales = p + 4
            for g in 0..<4 {
                let (sc1, m1) = scaleMinK4(2 * g, scales), (sc2, m2) = scaleMinK4(2 * g + 1, scales)
                let d1 = d * sc1, mm1 = dmin * m1, d2 = d * sc2, mm2 = dmin * m2
                let q = 16 + 32 * g
                for l in 0..<32 { y[l] = d1 * Float(byte(p, q + l) & 0xF) - mm1 }
                for l in 0..<32 { y[32 + l] = d2 * Float(byte(p, q + l) >> 4) - mm2 }
                y += 64
            }
        }
    }

    /// block_q5_K { half d; half dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128] } → (d*sc)*q - (dmin*m).
    public static let q5_K: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 176
            var y = dst + b * 256
            let d = half(p, 0), dmin = half(p, 2)
            let scales = p + 4
            var u1: UInt8 = 1, u2: UInt8 = 2
            for g in 0..<4 {
                let (sc1, m1) = scaleMinK4(2 * g, scales), (sc2, m2) = scaleMinK4(2 * g + 1, scales)
                let d1 = d * sc1, mm1 = dmin * m1, d2 = d * sc2, mm2 = dmin * m2
                let ql = 48 + 32 * g
                for l in 0..<32 {
                    let hi: UInt8 = (byte(p, 16 + l) & u1) != 0 ? 16 : 0
                    y[l] = d1 * Float((byte(p, ql + l) & 0xF) + hi) - mm1
                }
                for l in 0..<32 {
                    let hi: UInt8 = (byte(p, 16 + l) & u2) != 0 ? 16 : 0
                    y[32 + l] = d2 * Float((byte(p, ql + l) >> 4) + hi) - mm2
                }
                y += 64
                u1 = u1 &<< 2; u2 = u2 &<< 2
            }
        }
    }

    /// block_q6_K { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d@208 } → (d*sc)*q, q in [-32, 31].
    public static let q6_K: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 210
            var y = dst + b * 256
            let d = half(p, 208)
            for n in 0..<2 {
                let ql = 64 * n, qh = 128 + 32 * n, sc = 192 + 8 * n
                for l in 0..<32 {
                    let s = l / 16
                    let l0 = byte(p, ql + l), l32 = byte(p, ql + l + 32), h = byte(p, qh + l)
                    let q1 = Int32((l0 & 0xF) | (((h >> 0) & 3) << 4)) - 32
                    let q2 = Int32((l32 & 0xF) | (((h >> 2) & 3) << 4)) - 32
                    let q3 = Int32((l0 >> 4) | (((h >> 4) & 3) << 4)) - 32
                    let q4 = Int32((l32 >> 4) | (((h >> 6) & 3) << 4)) - 32
                    y[l] = d * Float(Int8(bitPattern: byte(p, sc + s))) * Float(q1)
                    y[l + 32] = d * Float(Int8(bitPattern: byte(p, sc + s + 2))) * Float(q2)
                    y[l + 64] = d * Float(Int8(bitPattern: byte(p, sc + s + 4))) * Float(q3)
                    y[l + 96] = d * Float(Int8(bitPattern: byte(p, sc + s + 6))) * Float(q4)
                }
                y += 128
            }
        }
    }

    /// block_q8_K { float d; int8 qs[256]; int16 bsums[16] } → d * q.
    public static let q8_K: Kernel = { src, dst, blocks in
        for b in 0..<blocks {
            let p = src + b * 292, y = dst + b * 256
            let d = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            for j in 0..<256 { y[j] = d * Float(Int8(bitPattern: byte(p, 4 + j))) }
        }
    }
}
