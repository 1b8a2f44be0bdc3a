/// The 256-element super-block quantizers (ggml-quants.c `quantize_row_q4_K_ref`,
/// `quantize_row_q6_K_ref`) with their scale searches `make_qkx2_quants` and `make_qx_quants`.
/// Scratch space lives on the stack, as the C's local arrays do.
extension Quantize {
    /// block_q4_K { half d; half dmin; uint8 scales[12]; uint8 qs[128] }: eight 32-value
    /// sub-blocks, each with a 6-bit scale and min found by a weighted least-squares search.
    static let q4_K: Kernel = { x, y in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 32) { bytes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 + 8 + 8) { floats in
                let L = bytes.baseAddress!, aux = L + 256
                let weights = floats.baseAddress!, scales = weights + 32, mins = scales + 8
                var maxScale: Float = 0, maxMin: Float = 0
                for j in 0..<8 {
                    let xs = x + 32 * j
                    var sumX2: Float = 0
                    for l in 0..<32 { sumX2 += xs[l] * xs[l] }
                    let avX = (sumX2 / 32).squareRoot()
                    for l in 0..<32 { weights[l] = avX + abs(xs[l]) }
                    (scales[j], mins[j]) = makeQKX2(n: 32, nmax: 15, x: xs, weights: weights, L: L + 32 * j, aux: aux,
                                                    rmin: -1, rdelta: 0.1, nstep: 20)
                    if scales[j] > maxScale { maxScale = scales[j] }
                    if mins[j] > maxMin { maxMin = mins[j] }
                }
                packScalesK4(scales: scales, mins: mins, maxScale: maxScale, maxMin: maxMin, into: y + 4)
                let d = putHalf(y, 0, maxScale / 63), dmin = putHalf(y, 2, maxMin / 63)
                for j in 0..<8 {
                    let (sc, m) = Dequantize.scaleMinK4(j, y + 4)
                    let dj = d * sc
                    if dj == 0 { continue }   // keeps the search's levels, as the C does
                    let dm = dmin * m
                    for i in 0..<32 {
                        L[32 * j + i] = UInt8(max(0, min(15, nearestInt((x[32 * j + i] + dm) / dj))))
                    }
                }
                for g in 0..<4 {
                    for l in 0..<32 {
                        y.storeBytes(of: L[64 * g + l] | (L[64 * g + l + 32] << 4), toByteOffset: 16 + 32 * g + l, as: UInt8.self)
                    }
                }
            }
        }
    }

    /// The eight (scale, min) pairs quantized to 6 bits against the largest of each and packed
    /// into 12 bytes (the layout `Dequantize.scaleMinK4` reads).
    @inline(__always)
    static func packScalesK4(scales: UnsafePointer<Float>, mins: UnsafePointer<Float>, maxScale: Float, maxMin: Float,
                             into q: UnsafeMutableRawPointer) {
        let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
        func or(_ offset: Int, _ bits: UInt8) {
            q.storeBytes(of: q.load(fromByteOffset: offset, as: UInt8.self) | bits, toByteOffset: offset, as: UInt8.self)
        }
        for j in 0..<8 {
            let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(invScale * scales[j])))
            let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(invMin * mins[j])))
            if j < 4 {
                q.storeBytes(of: ls, toByteOffset: j, as: UInt8.self)
                q.storeBytes(of: lm, toByteOffset: j + 4, as: UInt8.self)
            } else {
                q.storeBytes(of: (ls & 0xF) | ((lm & 0xF) << 4), toByteOffset: j + 4, as: UInt8.self)
                or(j - 4, (ls >> 4) << 6)
                or(j, (lm >> 4) << 6)
            }
        }
    }

    /// `make_qkx2_quants` without `use_mad`: levels 0…nmax with a scale and a (non-positive)
    /// offset; tries nstep + 1 scales around nmax/(max − min) and keeps the one of least weighted
    /// squared error, solving for scale and min by weighted least squares at each. Writes the
    /// levels to `L` (`aux`: n bytes of scratch) and returns (scale, −min).
    static func makeQKX2(n: Int, nmax: Int32, x: UnsafePointer<Float>, weights w: UnsafePointer<Float>,
                         L: UnsafeMutablePointer<UInt8>, aux: UnsafeMutablePointer<UInt8>,
                         rmin: Float, rdelta: Float, nstep: Int) -> (Float, Float) {
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
    static let q6_K: Kernel = { x, y in
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { levels in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { scaleBuffer in
                let L = levels.baseAddress!, scales = scaleBuffer.baseAddress!
                var maxScale: Float = 0, maxAbsScale: Float = 0
                for ib in 0..<16 {
                    let s = makeQX(n: 16, nmax: 32, x: x + 16 * ib, L: L + 16 * ib)
                    scales[ib] = s
                    if abs(s) > maxAbsScale { maxAbsScale = abs(s); maxScale = s }
                }
                if maxAbsScale < 1e-15 {   // GROUP_MAX_EPS: an all-zero super-block is all zero bytes
                    y.initializeMemory(as: UInt8.self, repeating: 0, count: 210)
                    return
                }
                let iscale = -128 / maxScale
                let d = putHalf(y, 208, 1 / iscale)
                for ib in 0..<16 {
                    y.storeBytes(of: Int8(truncatingIfNeeded: min(127, nearestInt(iscale * scales[ib]))), toByteOffset: 192 + ib, as: Int8.self)
                }
                for j in 0..<16 {
                    let dj = d * Float(y.load(fromByteOffset: 192 + j, as: Int8.self))
                    if dj == 0 { continue }
                    for i in 0..<16 {
                        L[16 * j + i] = Int8(max(-32, min(31, nearestInt(x[16 * j + i] / dj))) + 32)
                    }
                }
                for half128 in 0..<2 {
                    let j = 128 * half128, ql = 64 * half128, qh = 128 + 32 * half128
                    for l in 0..<32 {
                        let q1 = UInt8(bitPattern: L[j + l]), q2 = UInt8(bitPattern: L[j + l + 32])
                        let q3 = UInt8(bitPattern: L[j + l + 64]), q4 = UInt8(bitPattern: L[j + l + 96])
                        y.storeBytes(of: (q1 & 0xF) | ((q3 & 0xF) << 4), toByteOffset: ql + l, as: UInt8.self)
                        y.storeBytes(of: (q2 & 0xF) | ((q4 & 0xF) << 4), toByteOffset: ql + l + 32, as: UInt8.self)
                        y.storeBytes(of: (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6),
                                     toByteOffset: qh + l, as: UInt8.self)
                    }
                }
            }
        }
    }

    /// `make_qx_quants` with rmse_type 1 and no importance weights (w = x²): symmetric levels
    /// −nmax…nmax−1 around the signed absolute maximum, refined over 18 nearby scales by weighted
    /// least squares. Writes L + nmax (0 for an all-zero group) and returns the scale.
    static func makeQX(n: Int, nmax: Int32, x: UnsafePointer<Float>, L: UnsafeMutablePointer<Int8>) -> Float {
        var mx: Float = 0, amax: Float = 0
        for i in 0..<n where abs(x[i]) > amax { amax = abs(x[i]); mx = x[i] }
        if amax < 1e-15 {   // GROUP_MAX_EPS
            for i in 0..<n { L[i] = 0 }
            return 0
        }
        let fmax = Float(nmax)
        @inline(__always) func level(_ iscale: Float, _ v: Float) -> Int32 { max(-nmax, min(nmax - 1, nearestInt(iscale * v))) }
        var iscale = -fmax / mx
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<n {
            let l = level(iscale, x[i])
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
                let w = x[i] * x[i], fl = Float(level(iscale, x[i]))
                sumLX += w * x[i] * fl
                sumL2 += w * fl * fl
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0..<n { L[i] = Int8(level(iscale, x[i]) + nmax) }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
    }
}
