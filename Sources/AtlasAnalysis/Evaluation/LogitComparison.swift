import AtlasModels
import Foundation
import RealModule

/// Compares the next-token distributions of a float and a quantized model on the same window,
/// position by position, for logits rows 0…T−2 (row t predicts token t+1: the positions that
/// `PerplexityAccumulator` scores in its all-positions convention).
///
/// Per row, with m the row maximum and Z = Σ exp(v − m) (exp in Float, sums in Double):
/// log p(v) = v − m − log Z. Then
/// - KL(p_f ‖ p_q) = Σ_v p_f(v)·(log p_f(v) − log p_q(v)) = Σ_v p_f(v)·(f_v − q_v) + (m_q + log Z_q) − (m_f + log Z_f),
///   exactly 0 when the logits are equal;
/// - top-1 agreement: argmax f = argmax q (first index on ties);
/// - |Δp| of the true token: |p_f(t+1) − p_q(t+1)|;
/// - and, returned per row for `PerplexityAccumulator`, both NLLs m + log Z − v(t+1).
public struct LogitComparison: Sendable, Equatable {
    public private(set) var klSum = 0.0
    public private(set) var agreeing = 0
    public private(set) var deltaSum = 0.0
    public private(set) var positions = 0

    public init() {}

    @discardableResult
    public mutating func add(float f: Matrix, quantized q: Matrix, tokens: [Int32]) -> (float: [Double], quantized: [Double]) {
        add(float: f, quantized: q, tokens: tokens, rows: 0..<max(0, tokens.count - 1))
    }

    /// Adds only the logits rows `rows` (a sub-range of 0…T−2), so a window can be split across
    /// tasks. Returns the float and quantized NLL of each of these rows.
    @discardableResult
    public mutating func add(float f: Matrix, quantized q: Matrix, tokens: [Int32], rows: Range<Int>) -> (float: [Double], quantized: [Double]) {
        precondition(f.rows == q.rows && f.cols == q.cols && f.rows == tokens.count, "logit shapes differ")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= max(0, tokens.count - 1), "rows outside 0…T−2")
        let vocab = f.cols
        var nllF: [Double] = [], nllQ: [Double] = []
        guard !rows.isEmpty else { return (nllF, nllQ) }
        nllF.reserveCapacity(rows.count)
        nllQ.reserveCapacity(rows.count)
        var ef = [Float](repeating: 0, count: vocab), eq = [Float](repeating: 0, count: vocab)
        f.data.withUnsafeBufferPointer { fp in
            q.data.withUnsafeBufferPointer { qp in
                ef.withUnsafeMutableBufferPointer { efp in
                    eq.withUnsafeMutableBufferPointer { eqp in
                        for r in rows {
                            let fr = fp.baseAddress! + r * vocab, qr = qp.baseAddress! + r * vocab
                            let row = Self.compareRow(fr, qr, vocab: vocab, expF: efp.baseAddress!, expQ: eqp.baseAddress!)
                            klSum += row.kl
                            if row.agree { agreeing += 1 }
                            let t = Int(tokens[r + 1])
                            deltaSum += abs(Double(efp[t]) / row.zf - Double(eqp[t]) / row.zq)
                            nllF.append(row.logZF - Double(fr[t]))
                            nllQ.append(row.logZQ - Double(qr[t]))
                            positions += 1
                        }
                    }
                }
            }
        }
        return (nllF, nllQ)
    }

    /// One row of both: KL(p_f ‖ p_q), whether the argmaxes agree, each Z = Σ exp(v − m) and
    /// m + log Z. Leaves exp(v − m) of each row in `expF` / `expQ` (`vocab` values each).
    struct Row {
        var kl: Double
        var agree: Bool
        var zf: Double, zq: Double
        var logZF: Double, logZQ: Double
    }

    @inline(__always)
    static func compareRow(_ fr: UnsafePointer<Float>, _ qr: UnsafePointer<Float>, vocab: Int,
                           expF: UnsafeMutablePointer<Float>, expQ: UnsafeMutablePointer<Float>) -> Row {
        let (mf, af) = maxIndex(fr, vocab), (mq, aq) = maxIndex(qr, vocab)
        let zf = expSum(fr, max: mf, into: expF, count: vocab)
        let zq = expSum(qr, max: mq, into: expQ, count: vocab)
        var cross = 0.0
        for v in 0..<vocab {
            cross = Relaxed.multiplyAdd(Double(expF[v]), Double(fr[v]) - Double(qr[v]), cross)
        }
        let logZF = Double(mf) + Foundation.log(zf), logZQ = Double(mq) + Foundation.log(zq)
        return Row(kl: cross / zf + logZQ - logZF, agree: af == aq, zf: zf, zq: zq, logZF: logZF, logZQ: logZQ)
    }

    /// The row maximum and its first index: a SIMD max, then a scan for its first occurrence.
    @inline(__always)
    static func maxIndex(_ p: UnsafePointer<Float>, _ n: Int) -> (Float, Int) {
        var m = p[0]
        var i = 0
        if n >= 16 {
            var v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
            i = 16
            while i + 16 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
                v.replace(with: w, where: w .> v)  // a select; generic pointwiseMax is per lane
                i += 16
            }
            m = v.max()
        }
        while i < n { if p[i] > m { m = p[i] }; i += 1 }
        var at = 0
        while at < n - 1 && !(p[at] == m) { at += 1 }
        return (m, at)
    }

    /// Writes exp(p[i] − max) into `e` and returns their sum in Double.
    @inline(__always)
    static func expSum(_ p: UnsafePointer<Float>, max m: Float, into e: UnsafeMutablePointer<Float>, count: Int) -> Double {
        for i in 0..<count { e[i] = p[i] - m }
        VectorMath.exp(e, count: count)
        var s = 0.0
        for i in 0..<count { s = Relaxed.sum(s, Double(e[i])) }
        return s
    }

    public mutating func merge(_ other: LogitComparison) {
        klSum += other.klSum
        agreeing += other.agreeing
        deltaSum += other.deltaSum
        positions += other.positions
    }

    public var klMean: Double { positions > 0 ? klSum / Double(positions) : .nan }
    public var top1Agreement: Double { positions > 0 ? Double(agreeing) / Double(positions) : .nan }
    public var meanAbsDeltaTrueToken: Double { positions > 0 ? deltaSum / Double(positions) : .nan }
}
