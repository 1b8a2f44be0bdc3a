/// Vectorised elementwise functions over Float buffers (exp, SiLU, GELU), written with plain
/// SIMD arithmetic (`a * b + c`, never `addingProduct`: without a target CPU that would be a
/// libm `fma` call per lane).
public enum VectorMath {
    /// exp(x) in place. Cephes-style: x = n·ln2 + r, a degree-6 polynomial for e^r, 2^n by
    /// exponent bits. Relative error about 2e-7 over the float range; inputs below −87.3 give 0.
    /// Inlinable, so a caller built for a target CPU (AtlasAnalysis: AVX2) gets wide vectors.
    @inlinable @inline(__always)
    public static func exp(_ p: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: exp16(v), as: SIMD16<Float>.self)
            i += 16
        }
        if i < count {  // the tail in one vector: lanes are independent, so the values are the same
            var v = SIMD16<Float>(repeating: 0)
            for j in 0..<(count - i) { v[j] = p[i + j] }
            let e = exp16(v)
            for j in 0..<(count - i) { p[i + j] = e[j] }
        }
    }

    @usableFromInline @inline(__always)
    static func exp16(_ x0: SIMD16<Float>) -> SIMD16<Float> {
        // Clamp by selects: the generic `clamped(lowerBound:upperBound:)` is a per-lane call
        // (it was a quarter of a forward pass in `perf`). NaN stays NaN (both compares false).
        var x = x0
        x.replace(with: -87.33, where: x0 .< -87.33)
        x.replace(with: 88.37, where: x0 .> 88.37)
        let log2e: Float = 1.442_695_04
        // floor(t) without `rounded(.down)`, which is a libm call per lane without a target CPU:
        // round to nearest by the 1.5·2^23 trick (|t| < 2^22 here), then step down where it rounded up.
        let t = x * log2e + 0.5
        var fx = (t + 12_582_912) - 12_582_912
        fx.replace(with: fx - 1, where: fx .> t)
        // r = x - n*ln2, split ln2 into hi and lo parts for accuracy.
        var r = x - fx * 0.693_359_375
        r = r - fx * -2.121_944_4e-4
        let r2 = r * r
        var y: SIMD16<Float> = SIMD16(repeating: 1.987_569_15e-4)
        y = y * r + 1.398_199_95e-3
        y = y * r + 8.333_451_9e-3
        y = y * r + 4.166_579_6e-2
        y = y * r + 1.666_666_55e-1
        y = y * r + 5.000_000_1e-1
        y = y * r2 + r + 1
        // 2^n from the integer-valued fx without a float→int conversion (Swift's generic SIMD
        // conversion is a slow per-lane path): adding 1.5·2^23 puts n in the low mantissa bits.
        let shifted = unsafeBitCast(fx + 12_582_912, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((shifted &+ 127) &<< 23, to: SIMD16<Float>.self)
        var result = y * scale
        result.replace(with: 0, where: x0 .< -87.33)
        result.replace(with: .infinity, where: x0 .> 88.7)
        result.replace(with: x0, where: x0 .!= x0)  // NaN stays NaN
        return result
    }

    @usableFromInline @inline(__always)
    static func expScalar(_ x: Float) -> Float {
        var v = SIMD16<Float>(repeating: 0)
        v[0] = x
        return exp16(v)[0]
    }

    /// SiLU(x) = x · σ(x), writing into `out` (may alias `x`).
    public static func silu(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let e = exp16(-v)
            UnsafeMutableRawPointer(out + i).storeBytes(of: v / (1 + e), as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            out[i] = x[i] / (1 + expScalar(-x[i]))
            i += 1
        }
    }

    /// out[i] = a[i] · b[i] (out may alias a or b).
    public static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                _ out: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { out[i] = a[i] * b[i] }
    }

    /// a[i] += b[i].
    public static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { a[i] += b[i] }
    }
}
