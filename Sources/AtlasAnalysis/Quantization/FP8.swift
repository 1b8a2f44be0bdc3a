/// The two 8-bit floating-point formats of the OCP FP8 specification, simulated in Float32:
/// `round(x)` is the nearest representable value (ties to even), with subnormals, and values
/// beyond the largest finite one saturate to it (the "saturating" conversion; NaN stays NaN).
public enum FP8Format: String, Sendable, Hashable, CaseIterable {
    /// 4 exponent bits (bias 7), 3 mantissa bits, no infinities: max 448, min normal 2⁻⁶,
    /// smallest subnormal 2⁻⁹.
    case e4m3
    /// 5 exponent bits (bias 15), 2 mantissa bits: max 57344, min normal 2⁻¹⁴, smallest subnormal 2⁻¹⁶.
    case e5m2

    public var mantissaBits: Int { self == .e4m3 ? 3 : 2 }
    /// Exponent of the smallest normal number.
    public var minNormalExponent: Int { self == .e4m3 ? -6 : -14 }
    public var maxFinite: Float { self == .e4m3 ? 448 : 57344 }

    /// The nearest value of this format to `x`, ties to even, saturating at ±`maxFinite`.
    @inline(__always)
    public func round(_ x: Float) -> Float {
        if x.isNaN { return x }
        let a = abs(x)
        if a >= maxFinite { return maxFinite.sign(like: x) }
        if a == 0 { return x }
        // Spacing of representable values around a: 2^(e − m), e clamped to the normal range.
        let e = max(Int(a.exponent), minNormalExponent)
        let quantum = Float(sign: .plus, exponent: e - mantissaBits, significand: 1)
        let q = (a / quantum).rounded(.toNearestOrEven) * quantum
        return min(q, maxFinite).sign(like: x)
    }
}

extension Float {
    @inline(__always)
    func sign(like other: Float) -> Float { other.sign == .minus ? -self : self }
}
