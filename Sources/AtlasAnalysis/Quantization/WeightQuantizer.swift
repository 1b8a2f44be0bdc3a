import AtlasModels
import AtlasResults
import Foundation

/// Quantize–dequantize of a Linear weight `[out, in]` (checkpoint layout: a row is one output
/// channel, its columns the input channels).
public enum WeightQuantizer {
    /// The weight as the scheme would store it, back in Float32.
    public static func fakeQuantize(_ w: Matrix, _ q: WeightQuantization) -> Matrix {
        switch q {
        case let .gguf(type):
            return Matrix(rows: w.rows, cols: w.cols, data: Quantize.roundTrip(w.data, type: type))
        case let .uniform(format, granularity, clip):
            var out = w
            forEachRange(&out, granularity) { g, n, _ in
                let (lo, hi) = range(UnsafeBufferPointer(start: g, count: n)[...])
                QuantGrid(format: format, min: lo, max: hi, clip: clip).apply(g, count: n)
            }
            return out
        }
    }

    /// How many quantization ranges `granularity` gives a `[rows, cols]` weight.
    static func rangeCount(rows: Int, cols: Int, _ granularity: WeightGranularity) -> Int {
        switch granularity {
        case .perTensor: return 1
        case .perChannel: return rows
        case let .perGroup(g): return rows * ((cols + g - 1) / g)
        }
    }

    /// Calls `body(start, count, index)` on each quantization range of `m` in place — the whole
    /// tensor, each row, or each group of a row (the last group of a row may be shorter) —
    /// rows in parallel. `index` runs over 0..<rangeCount, row by row.
    static func forEachRange(_ m: inout Matrix, _ granularity: WeightGranularity,
                             _ body: @Sendable (UnsafeMutablePointer<Float>, Int, Int) -> Void) {
        let (rows, cols) = (m.rows, m.cols)
        if case .perTensor = granularity {
            m.data.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count, 0) }
            return
        }
        let group: Int
        if case let .perGroup(g) = granularity { group = g } else { group = cols }
        let perRow = (cols + group - 1) / group
        m.data.withUnsafeMutableBufferPointer { buffer in
            let bits = UInt(bitPattern: buffer.baseAddress!)
            let rowsPerTask = max(1, (1 << 18) / max(1, cols))
            let tasks = (rows + rowsPerTask - 1) / rowsPerTask
            DispatchQueue.concurrentPerform(iterations: tasks) { task in
                let p = UnsafeMutablePointer<Float>(bitPattern: bits)!
                for r in (task * rowsPerTask)..<min(rows, (task + 1) * rowsPerTask) {
                    for k in 0..<perRow {
                        let start = k * group
                        body(p + r * cols + start, min(group, cols - start), r * perRow + k)
                    }
                }
            }
        }
    }

    /// (min, max) of a non-empty collection.
    static func range<C: Collection>(_ values: C) -> (Float, Float) where C.Element == Float {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        return (lo, hi)
    }

    /// SQNR and max |error| of `quantized` against `original`.
    public static func error(tensor: String, format: String, original: Matrix, quantized: Matrix) -> WeightError {
        var e = ErrorEnergy()
        var maxAbs = 0.0
        original.data.withUnsafeBufferPointer { a in
            quantized.data.withUnsafeBufferPointer { b in
                e.add(reference: a.baseAddress!, approximation: b.baseAddress!, count: a.count)
                for i in 0..<a.count { maxAbs = max(maxAbs, Double(abs(a[i] - b[i]))) }
            }
        }
        return WeightError(tensor: tensor, format: format, sqnr: e.sqnr, maxAbsError: maxAbs)
    }
}

/// Σx² and Σ(x − x̂)² in Double, mergeable; SQNR = 10·log10(Σx² / Σ(x − x̂)²) dB
/// (= 20·log10(‖x‖/‖x − x̂‖)), +inf when x̂ = x exactly.
public struct ErrorEnergy: Sendable, Equatable {
    public var signal = 0.0
    public var noise = 0.0

    public init() {}

    public mutating func add(reference x: UnsafePointer<Float>, approximation y: UnsafePointer<Float>, count: Int) {
        var s = 0.0, n = 0.0
        for i in 0..<count {
            let a = Double(x[i]), d = a - Double(y[i])
            s += a * a
            n += d * d
        }
        signal += s
        noise += n
    }

    public mutating func merge(_ other: ErrorEnergy) {
        signal += other.signal
        noise += other.noise
    }

    public var sqnr: Double {
        if noise == 0 { return signal == 0 ? .nan : .infinity }
        return 10 * log10(signal / noise)
    }

    /// `sqnr` of a second checkpoint against the first: an exact copy is +∞ even of an all-zero
    /// signal (where `sqnr` says NaN, nothing measured), since B reproduces A there.
    public var copySQNR: Double { noise == 0 ? .infinity : sqnr }
}
