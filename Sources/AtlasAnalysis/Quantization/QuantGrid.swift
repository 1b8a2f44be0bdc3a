/// The element type values are rounded to: a b-bit integer (symmetric or asymmetric) or an FP8 format.
public enum ElementFormat: Sendable, Hashable {
    case integer(bits: Int, symmetric: Bool)
    case fp8(FP8Format)

    public var label: String {
        switch self {
        case let .integer(bits, symmetric): return "int\(bits) \(symmetric ? "sym" : "asym")"
        case let .fp8(f): return "fp8-\(f.rawValue)"
        }
    }
}

/// The quantization grid of one group of values (a tensor, a channel, a group or a token),
/// fixed by the group's range:
///
/// - **int, symmetric**: s = clip·max|x| / (2^(b−1) − 1); q = clamp(round(x/s), −(2^(b−1) − 1),
///   2^(b−1) − 1); x̂ = q·s (the grid is symmetric: −127…127 for 8 bits).
/// - **int, asymmetric**: the range is widened to contain 0, [lo, hi] = clip·[min(min, 0),
///   max(max, 0)]; s = (hi − lo)/(2^b − 1); zero point z = round(−lo/s) (an integer); q =
///   clamp(round(x/s) + z, 0, 2^b − 1); x̂ = (q − z)·s (0 is exact). Computed as
///   round(clamp(x/s, −z, 2^b − 1 − z))·s, the same value.
/// - **fp8**: s = clip·max|x| / maxFinite; x̂ = fp8(x/s)·s.
///
/// `round` is round-to-nearest, ties to even, on the exact quotient x/s. A group of zeros
/// (s = 0) maps everything to 0.
public struct QuantGrid: Sendable, Equatable {
    public let format: ElementFormat
    public let scale: Float
    public let zeroPoint: Float
    public let qmin: Float
    public let qmax: Float

    public init(format: ElementFormat, min lo: Float, max hi: Float, clip: Float = 1) {
        self.format = format
        switch format {
        case let .integer(bits, symmetric):
            if symmetric {
                let levels = Float((1 << (bits - 1)) - 1)
                scale = Swift.max(abs(lo), abs(hi)) * clip / levels
                zeroPoint = 0
                qmin = -levels
                qmax = levels
            } else {
                let levels = Float((1 << bits) - 1)
                let low = Swift.min(lo, 0) * clip, high = Swift.max(hi, 0) * clip
                scale = (high - low) / levels
                zeroPoint = scale > 0 ? Swift.min(levels, Swift.max(0, (-low / scale).rounded(.toNearestOrEven))) : 0
                qmin = 0
                qmax = levels
            }
        case let .fp8(f):
            scale = Swift.max(abs(lo), abs(hi)) * clip / f.maxFinite
            zeroPoint = 0
            qmin = -f.maxFinite
            qmax = f.maxFinite
        }
    }

    /// x̂ for one value.
    @inline(__always)
    public func apply(_ x: Float) -> Float {
        guard scale > 0, scale.isFinite else { return 0 }
        switch format {
        case .integer:
            let r = QuantGrid.roundEven(Swift.min(qmax - zeroPoint, Swift.max(qmin - zeroPoint, x / scale)))
            return r * scale
        case let .fp8(f):
            return f.round(x / scale) * scale
        }
    }

    /// Applies the grid to `count` values in place.
    public func apply(_ p: UnsafeMutablePointer<Float>, count: Int) {
        guard scale > 0, scale.isFinite else {
            p.update(repeating: 0, count: count)
            return
        }
        switch format {
        case .integer:
            // Clamp first (the bounds are integers, so this commutes with rounding), then round
            // with the 1.5·2²³ trick, which is exact ties-to-even for |v| < 2²² and stays plain
            // SIMD arithmetic without a target CPU.
            let s = scale, lo = qmin - zeroPoint, hi = qmax - zeroPoint
            var i = 0
            while i + 8 <= count {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
                var r = v / s  // clamped by selects: generic `clamped` is a per-lane call
                r.replace(with: lo, where: r .< lo)
                r.replace(with: hi, where: r .> hi)
                r = (r + 12_582_912) - 12_582_912
                UnsafeMutableRawPointer(p + i).storeBytes(of: r * s, as: SIMD8<Float>.self)
                i += 8
            }
            while i < count { p[i] = apply(p[i]); i += 1 }
        case .fp8:
            for i in 0..<count { p[i] = apply(p[i]) }
        }
    }

    /// Round to nearest, ties to even.
    @inline(__always)
    static func roundEven(_ v: Float) -> Float { v.rounded(.toNearestOrEven) }
}
