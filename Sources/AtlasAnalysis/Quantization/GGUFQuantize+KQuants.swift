/// The 256-element super-block quantizers (ggml-quants.c `quantize_row_q4_K_ref`,
/// `quantize_row_q6_K_ref`) with their scale searches `make_qkx2_quants` and `make_qx_quants`.
extension GGUFQuantize {
    /// block_q4_K { half d; half dmin; uint8 scales[12]; uint8 qs[128] }: eight 32-value
    /// sub-blocks, each with a 6-bit scale and min found by a weighted least-squares search.
    static func q4_K(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var L = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 8), mins = [Float](repeating: 0, count: 8)
        var weights = [Float](repeating: 0, count: 32)
        var maxScale: Float = 0, maxMin: Float = 0
        for j in 0..<8 {
            let xs = x + 32 * j
            var sumX2: Float = 0
            for l in 0..<32 { sumX2 += xs[l] * xs[l] }
            let avX = (sumX2 / 32).squareRoot()
            for l in 0..<32 { weights[l] = avX + abs(xs[l]) }
            let (scale, theMin) = L.withUnsafeMutableBufferPointer { lp in
                makeQKX2(n: 32, nmax: 15, x: xs, weights: weights, L: lp.baseAddress! + 32 * j,
                         rmin: -1, rdelta: 0.1, nstep: 20)
            }
            scales[j] = scale
            mins[j] = theMin
            if scale > maxScale { maxScale = scale }
            if theMin > maxMin { maxMin = theMin }
        }
        let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
        var packed = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(invScale * scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(invMin * mins[j])))
            if j < 4 {
                packed[j] = ls
                packed[j + 4] = lm
            } else {
                packed[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4)
                packed[j - 4] |= (ls >> 4) << 6
                packed[j] |= (lm >> 4) << 6
            }
        }
        putHalf(y, 0, maxScale / 63)
        putHalf(y, 2, maxMin / 63)
        let d = half(maxScale / 63), dmin = half(maxMin / 63)
        packed.withUnsafeBufferPointer { p in
            for j in 0..<8 {
                let (sc, m) = scaleMinK4(j, p)
                let dj = d * sc
                if dj == 0 { continue }
                let dm = dmin * m
                for i in 0..<32 {
                    L[32 * j + i] = UInt8(max(0, min(15, nearestInt((x[32 * j + i] + dm) / dj))))
                }
            }
        }
        for (i, b) in packed.enumerated() { y.storeBytes(of: b, toByteOffset: 4 + i, as: UInt8.self) }
        for g in 0..<4 {
            for l in 0..<32 {
                y.storeBytes(of: L[64 * g + l] | (L[64 * g + l + 32] << 4), toByteOffset: 16 + 32 * g + l, as: UInt8.self)
            }
        }
    }

    /// The packed 6-bit (scale, min) pair `j` of a Q4_K block (ggml `get_scale_min_k4`).
    static func scaleMinK4(_ j: Int, _ q: UnsafeBufferPointer<UInt8>) -> (Float, Float) {
        if j < 4 { return (Float(q[j] & 63), Float(q[j + 4] & 63)) }
        return (Float((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4)), Float((q[j + 4] >> 4) | ((q[j] >> 6) << 4)))
    }

    /// `make_qkx2_quants`: levels 0…nmax with a scale and a (non-positive) offset; tries
    /// nstep + 1 scales around nmax/(max − min) and keeps the one of least weighted squared
    /// error, solving for scale and min by weighted least squares at each. Returns (scale, −min).
    static func makeQKX2(n: Int, nmax: Int32, x: UnsafePointer<Float>, weights w: [Float],
                         L: UnsafeMutablePointer<UInt8>, rmin: Float, rdelta: Float, nstep: Int) -> (Float, Float) {
        var lo = x[0], hi = x[0]
        var sumW = w[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < lo { lo = x[i] }
            if x[i] > hi { hi = x[i] }
            sumW += w[i]
            sumX += w[i] * x[i]
        }
        if lo > 0 { lo = 0 }
        if hi == lo {
            for i in 0..<n { L[i] = 0 }
            return (0, -lo)
        }
        var iscale = Float(nmax) / (hi - lo)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0..<n {
            let l = nearestInt(iscale * (x[i] - lo))
            L[i] = UInt8(max(0, min(nmax, l)))
            let diff = scale * Float(L[i]) + lo - x[i]
            bestError += w[i] * (diff * diff)
        }
        var aux = [UInt8](repeating: 0, count: n)
        for step in 0...nstep {
            iscale = (rmin + rdelta * Float(step) + Float(nmax)) / (hi - lo)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = max(0, min(nmax, nearestInt(iscale * (x[i] - lo))))
                aux[i] = UInt8(l)
                let fl = Float(l)
                sumL += w[i] * fl
                sumL2 += w[i] * fl * fl
                sumXL += w[i] * fl * x[i]
            }
            let D = sumW * sumL2 - sumL * sumL
            guard D > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / D
            var thisMin = (sumL2 * sumX - sumL * sumXL) / D
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(aux[i]) + thisMin - x[i]
                error += w[i] * (diff * diff)
            }
            if error < bestError {
                for i in 0..<n { L[i] = aux[i] }
                bestError = error
                scale = thisScale
                lo = thisMin
            }
        }
        return (scale, -lo)
    }

    /// block_q6_K { uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d }: sixteen 16-value
    /// sub-blocks with signed 8-bit scales, values in −32…31.
    static func q6_K(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var L = [Int8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        L.withUnsafeMutableBufferPointer { lp in
            for ib in 0..<16 {
                let s = makeQX(n: 16, nmax: 32, x: x + 16 * ib, L: lp.baseAddress! + 16 * ib)
                scales[ib] = s
                if abs(s) > maxAbsScale { maxAbsScale = abs(s); maxScale = s }
            }
        }
        if maxAbsScale < 1e-15 {  // GROUP_MAX_EPS: an all-zero super-block is all zero bytes
            for i in 0..<210 { y.storeBytes(of: 0, toByteOffset: i, as: UInt8.self) }
            return
        }
        let iscale = -128 / maxScale
        putHalf(y, 208, 1 / iscale)
        let d = half(1 / iscale)
        var sc = [Int8](repeating: 0, count: 16)
        for ib in 0..<16 {
            sc[ib] = Int8(truncatingIfNeeded: min(127, nearestInt(iscale * scales[ib])))
            y.storeBytes(of: sc[ib], toByteOffset: 192 + ib, as: Int8.self)
        }
        for j in 0..<16 {
            let dj = d * Float(sc[j])
            if dj == 0 { continue }
            for i in 0..<16 {
                L[16 * j + i] = Int8(max(-32, min(31, nearestInt(x[16 * j + i] / dj))) + 32)
            }
        }
        for half128 in 0..<2 {
            let j = 128 * half128, ql = 64 * half128, qh = 128 + 32 * half128
            for l in 0..<32 {
                let q1 = UInt8(L[j + l]), q2 = UInt8(L[j + l + 32]), q3 = UInt8(L[j + l + 64]), q4 = UInt8(L[j + l + 96])
                y.storeBytes(of: (q1 & 0xF) | ((q3 & 0xF) << 4), toByteOffset: ql + l, as: UInt8.self)
                y.storeBytes(of: (q2 & 0xF) | ((q4 & 0xF) << 4), toByteOffset: ql + l + 32, as: UInt8.self)
                y.storeBytes(of: (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6),
                             toByteOffset: qh + l, as: UInt8.self)
            }
        }
    }

    /// `make_qx_quants` with rmse_type 1 and no importance weights (w = x²): symmetric levels
    /// −nmax…nmax−1 around the signed absolute maximum, refined over 18 nearby scales by weighted
    /// least squares. Writes L + nmax and returns the scale.
    static func makeQX(n: Int, nmax: Int32, x: UnsafePointer<Float>, L: UnsafeMutablePointer<Int8>) -> Float {
        var mx: Float = 0, amax: Float = 0
        for i in 0..<n where abs(x[i]) > amax { amax = abs(x[i]); mx = x[i] }
        if amax < 1e-15 {
            for i in 0..<n { L[i] = 0 }
            return 0
        }
        let fmax = Float(nmax)
        var iscale = -fmax / mx
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<n {
            let l = max(-nmax, min(nmax - 1, nearestInt(iscale * x[i])))
            L[i] = Int8(l + nmax)
            let w = x[i] * x[i], fl = Float(l)
            sumLX += w * x[i] * fl
            sumL2 += w * fl * fl
        }
        var scale: Float = sumL2 != 0 ? sumLX / sumL2 : 0
        var best = scale * sumLX
        for step in -9...9 where step != 0 {
            iscale = -(fmax + 0.1 * Float(step)) / mx
            sumLX = 0
            sumL2 = 0
            for i in 0..<n {
                let l = max(-nmax, min(nmax - 1, nearestInt(iscale * x[i])))
                let w = x[i] * x[i], fl = Float(l)
                sumLX += w * x[i] * fl
                sumL2 += w * fl * fl
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0..<n { L[i] = Int8(max(-nmax, min(nmax - 1, nearestInt(iscale * x[i]))) + nmax) }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
    }
}
