import AtlasModels

/// MSE-optimal weight clipping (the grid search of AWQ's `auto_clip` and OmniQuant's LWC
/// initialisation, here on the weight error itself): per quantization range of a uniform format
/// (the tensor, an output channel or a group, as the scheme's granularity), every clip ratio r of
/// `ratios` is tried — the range's grid built from r × its (min, max), times the scheme's own
/// clip — and the r minimizing ‖w − Q_r(w)‖² is kept (ties: the larger r, the first tried).
public enum WeightClipSearch {
    /// The best ratio for one range and the squared errors of r = 1 and of the best r.
    public struct Choice: Sendable, Equatable {
        public var ratio: Float
        public var plainNoise: Double
        public var bestNoise: Double
    }

    /// Searches `ratios` (1 should be among them) for the `count` values at `values`; leaves the
    /// values unchanged.
    public static func best(_ values: UnsafePointer<Float>, count: Int, format: ElementFormat, clip: Float,
                            ratios: [Float]) -> Choice {
        let (lo, hi) = WeightQuantizer.range(UnsafeBufferPointer(start: values, count: count))
        var scratch = [Float](repeating: 0, count: count)
        var choice = Choice(ratio: 1, plainNoise: .infinity, bestNoise: .infinity)
        for r in ratios {
            let noise = scratch.withUnsafeMutableBufferPointer { s -> Double in
                s.baseAddress!.update(from: values, count: count)
                QuantGrid(format: format, min: lo, max: hi, clip: clip * r).apply(s.baseAddress!, count: count)
                return squaredError(values, s.baseAddress!, count: count)
            }
            if r == 1 { choice.plainNoise = noise }
            if noise < choice.bestNoise { choice = Choice(ratio: r, plainNoise: choice.plainNoise, bestNoise: noise) }
        }
        return choice
    }

    /// Σ(a − b)², in SIMD Float lanes summed in Double.
    static func squaredError(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
        var acc = SIMD8<Float>(), i = 0
        while i + 8 <= count {
            let d = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc += d * d
            i += 8
        }
        var total = Double(acc.sum())
        while i < count { let d = Double(a[i] - b[i]); total += d * d; i += 1 }
        return total
    }

    /// `w` quantized with the best ratio per range, and what the search found over the tensor.
    /// GGUF formats (which carry their own scale search) are quantized as they are, with no report.
    public static func fakeQuantize(_ w: Matrix, _ q: WeightQuantization, ratios: [Float]) -> (Matrix, AdjustmentReport.WeightClip?) {
        guard case let .uniform(format, granularity, clip) = q else { return (WeightQuantizer.fakeQuantize(w, q), nil) }
        var out = w
        var choices = [Choice](repeating: Choice(ratio: 1, plainNoise: 0, bestNoise: 0),
                               count: WeightQuantizer.rangeCount(rows: w.rows, cols: w.cols, granularity))
        choices.withUnsafeMutableBufferPointer { c in
            let bits = UInt(bitPattern: c.baseAddress!)
            WeightQuantizer.forEachRange(&out, granularity) { g, n, index in
                let choice = best(g, count: n, format: format, clip: clip, ratios: ratios)
                let (lo, hi) = WeightQuantizer.range(UnsafeBufferPointer(start: g, count: n))
                QuantGrid(format: format, min: lo, max: hi, clip: clip * choice.ratio).apply(g, count: n)
                UnsafeMutablePointer<Choice>(bitPattern: bits)![index] = choice
            }
        }
        var report = AdjustmentReport.WeightClip()
        for c in choices {
            report.ratioSum += Double(c.ratio)
            report.plainNoise += c.plainNoise
            report.clippedNoise += c.bestNoise
        }
        report.ranges = choices.count
        report.signal = w.data.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (out, report)
    }
}
