import AtlasModels

/// Fake quantization of an activation matrix `[tokens, features]`: per token (each row its own
/// range, dynamic) or per tensor with a calibrated static range.
public enum ActivationQuantizer {
    /// Quantizes `x` in place. `range` is the calibrated (min, max) for per-tensor
    /// quantization; it is ignored per token.
    public static func apply(_ x: inout Matrix, _ q: ActivationQuantization, range: (Float, Float)? = nil) {
        let cols = x.cols
        x.data.withUnsafeMutableBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            switch q.granularity {
            case .perTensor:
                let (lo, hi) = range ?? WeightQuantizer.range(buffer)
                QuantGrid(format: q.format, min: lo, max: hi, clip: q.clip).apply(p, count: buffer.count)
            case .perToken:
                for r in 0..<x.rows {
                    let row = p + r * cols
                    let (lo, hi) = WeightQuantizer.range(UnsafeBufferPointer(start: row, count: cols))
                    QuantGrid(format: q.format, min: lo, max: hi, clip: q.clip).apply(row, count: cols)
                }
            }
        }
    }
}

/// Static activation ranges: (min, max) per block and tap over every token of the calibration
/// windows, gathered from float forward passes. With `below`, only entries with |x| < below count
/// at the Linear inputs (int8-mixed keeps the columns holding the others float, so they take no
/// part in the range).
public final class ActivationRangeObserver: TapObserver {
    public private(set) var ranges: [Int: [TapName: (Float, Float)]] = [:]
    private let taps: [Int: Set<TapName>]
    private let below: Float

    /// `taps`: which taps to watch in each block.
    public init(taps: [Int: Set<TapName>], below: Float? = nil) {
        self.taps = taps
        self.below = below ?? .infinity
    }

    public func wants(block: Int, tap: TapName) -> Bool { taps[block]?.contains(tap) == true }

    public func observe(block: Int, tap: TapName, value: Matrix) {
        let limit = tap == .attnK || tap == .attnV ? Float.infinity : below
        let (lo, hi) = limit.isFinite ? WeightQuantizer.range(value.data.lazy.filter { abs($0) < limit })
            : value.data.withUnsafeBufferPointer { WeightQuantizer.range($0) }
        let old = ranges[block]?[tap] ?? (Float.infinity, -Float.infinity)
        ranges[block, default: [:]][tap] = (min(old.0, lo), max(old.1, hi))
    }

    public func range(block: Int, tap: TapName) -> (Float, Float)? { ranges[block]?[tap] }
}

/// The intervention of a scheme: fake-quantizes the Linears' inputs and the KV cache during the
/// quantized forward pass, as the plan says. With an `outlierThreshold` in `adjustments`, the
/// Linears' inputs are quantized in mixed precision (`MixedPrecision`; the KV cache is not), and
/// the columns kept float are reported.
public final class FakeQuantIntervention: TapObserver {
    let plan: QuantPlan
    let ranges: ActivationRangeObserver?
    let adjustments: QuantizationAdjustments

    /// `ranges` is required when the scheme has per-tensor (static) activations.
    public init(plan: QuantPlan, ranges: ActivationRangeObserver?, adjustments: QuantizationAdjustments = .plain) {
        self.plan = plan
        self.ranges = ranges
        self.adjustments = adjustments
    }

    public func wants(block: Int, tap: TapName) -> Bool { false }
    public func observe(block: Int, tap: TapName, value: Matrix) {}

    public func rewrites(block: Int, tap: TapName) -> Bool { plan.rewrites(block: block, tap: tap) }

    public func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        guard let q = plan.activationQuantization(for: tap) else { return }
        if let kept = quantize(&value, q, block: block, tap: tap) {
            adjustments.report.record(scheme: plan.scheme.name, tap: tap, kept: kept, total: value.cols)
        }
    }

    /// `x` quantized as the scheme quantizes the value of `tap` in `block`; in mixed precision,
    /// the number of columns kept float (found on the rows of `x`: the local-SQNR sample of a
    /// window finds them on its sampled rows).
    @discardableResult
    func quantize(_ x: inout Matrix, _ q: ActivationQuantization, block: Int, tap: TapName) -> Int? {
        let range = q.granularity == .perTensor ? ranges?.range(block: block, tap: tap) : nil
        if let threshold = adjustments.outlierThreshold, tap != .attnK, tap != .attnV {
            return MixedPrecision.apply(&x, q, threshold: threshold, range: range)
        }
        ActivationQuantizer.apply(&x, q, range: range)
        return nil
    }
}
