/// The element-wise activation of a feed-forward block, applied in place (the gate's in a
/// gated block).
/// Names follow Hugging Face's `ACT2FN` keys (`hidden_act` / `activation_function`).
public enum Activation: String, Sendable, CaseIterable {
    /// GELU with the tanh approximation (GPT-2's `gelu_new`, also `gelu_pytorch_tanh`).
    case geluTanh = "gelu_new"
    /// Exact GELU `x · Φ(x)` with erf (BERT's `gelu`).
    case geluErf = "gelu"
    /// max(0, x) (OPT).
    case relu
    /// x · σ(x) (the gate of LLaMA's SwiGLU).
    case silu

    /// The activation named by a config value; nil when unsupported.
    public init?(configName: String) {
        switch configName {
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": self = .geluTanh
        case "gelu": self = .geluErf
        case "relu": self = .relu
        case "silu": self = .silu
        default: return nil
        }
    }

    /// The config names accepted by `init(configName:)`, for error messages.
    public static let supportedConfigNames = ["gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu", "silu"]

    /// Applies the activation to every element of `x` (split over the cores, 16-lane aligned).
    public func apply(_ x: inout Matrix) {
        x.data.withUnsafeMutableBufferPointer { p in
            let all = p.baseAddress!
            ParallelLoop.chunks(p.count) { part in
                let base = all + part.lowerBound, n = part.count
                switch self {
                case .geluTanh: VectorMath.map(base, count: n, VectorMath.geluTanh16)
                case .geluErf: VectorMath.map(base, count: n, VectorMath.geluErf16)
                case .relu: VectorMath.map(base, count: n) { $0.replacing(with: 0, where: $0 .< 0) }
                case .silu: VectorMath.silu(base, base, count: n)
                }
            }
        }
    }
}

extension VectorMath {
    /// Applies a 16-lane kernel to `count` floats in place (the tail is padded with zeros).
    @inline(__always)
    static func map(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (SIMD16<Float>) -> SIMD16<Float>) {
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(p + i).storeBytes(of: f(v), as: SIMD16<Float>.self)
            i += 16
        }
        if i < count {
            var v = SIMD16<Float>(repeating: 0)
            for j in 0..<(count - i) { v[j] = p[i + j] }
            let r = f(v)
            for j in 0..<(count - i) { p[i + j] = r[j] }
        }
    }

    /// tanh(u) = 1 − 2 / (e^{2u} + 1); saturates cleanly to ±1 (absolute error ~1e-7).
    @inline(__always)
    static func tanh16(_ u: SIMD16<Float>) -> SIMD16<Float> {
        1 - 2 / (exp16(2 * u) + 1)
    }

    /// 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))).
    @inline(__always)
    static func geluTanh16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let u = 0.797_884_56 * (x + 0.044_715 * x * x * x)
        return 0.5 * x * (1 + tanh16(u))
    }

    /// erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), odd-extended.
    @inline(__always)
    static func erf16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let a = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + 0.327_591_1 * a)
        var poly = SIMD16<Float>(repeating: 1.061_405_429)
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        poly = poly * t
        let y = 1 - poly * exp16(-(a * a))
        return y.replacing(with: -y, where: x .< 0)
    }

    /// 0.5 · x · (1 + erf(x / √2)).
    @inline(__always)
    static func geluErf16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        0.5 * x * (1 + erf16(x * 0.707_106_77))
    }

    /// tanh(x) in place (the BERT pooler).
    public static func tanh(_ p: UnsafeMutablePointer<Float>, count: Int) {
        map(p, count: count, tanh16)
    }
}
