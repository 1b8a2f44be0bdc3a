import Foundation

/// Multi-head self-attention with grouped-query heads, optional RoPE and causal mask, shared by
/// every family. Emits `attn.q/k/v` (projections, before the per-head q/k norms and RoPE),
/// `attn.probs`, `attn.ctx` and `attn.out`. Gemma adds RMSNorms over each head of q and k,
/// a sliding window on local layers and its own score scale.
public struct SelfAttention: Sendable {
    public var q: Linear
    public var k: Linear
    public var v: Linear
    public var o: Linear
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    public let rope: RoPE?
    public let causal: Bool
    /// RMSNorm over each head of q and of k (`[headDim]` gammas), before RoPE.
    public var qNorm: Norm?
    public var kNorm: Norm?
    /// A query sees only the last `window` keys (itself included); nil: every earlier key.
    public let window: Int?
    /// The factor of q·k before the softmax (1/√headDim unless the family says otherwise).
    public let scale: Float
    /// Scores become `softcap · tanh(score / softcap)` before the mask (Gemma 2); nil: as they are.
    public let softcap: Float?

    public init(q: Linear, k: Linear, v: Linear, o: Linear, heads: Int, kvHeads: Int, headDim: Int,
                rope: RoPE?, causal: Bool, qNorm: Norm? = nil, kNorm: Norm? = nil, window: Int? = nil, scale: Float? = nil,
                softcap: Float? = nil) {
        precondition(heads % kvHeads == 0 && q.outFeatures == heads * headDim && k.outFeatures == kvHeads * headDim)
        precondition(qNorm.map { $0.gamma.count == headDim } ?? true && kNorm.map { $0.gamma.count == headDim } ?? true)
        precondition(window.map { $0 > 0 } ?? true && softcap.map { $0 > 0 } ?? true)
        self.softcap = softcap
        self.q = q; self.k = k; self.v = v; self.o = o
        self.heads = heads; self.kvHeads = kvHeads; self.headDim = headDim
        self.rope = rope; self.causal = causal
        self.qNorm = qNorm; self.kNorm = kNorm
        self.window = window
        self.scale = scale ?? 1 / Float(headDim).squareRoot()
    }

    /// Weights and biases of the four projections and the q/k norms.
    public var parameterCount: Int {
        [q, k, v, o].reduce(0) { $0 + $1.parameterCount } + (qNorm?.parameterCount ?? 0) + (kNorm?.parameterCount ?? 0)
    }

    /// `norm` applied to every head of `x` (`[T, heads × headDim]`): rows of `headDim`.
    static func perHead(_ norm: Norm, _ x: Matrix, headDim: Int) -> Matrix {
        let rows = norm(Matrix(rows: x.count / headDim, cols: headDim, data: x.data))
        return Matrix(rows: x.rows, cols: x.cols, data: rows.data)
    }

    /// `h` is the normalised input `[T, d]`; `keyMask[j] == false` hides key j (padding).
    /// `prefix`: keys (rotated) and values of earlier positions, attended to before the window's
    /// own, which then sit at positions `prefix.keys.rows…`; `keep` receives the window's rotated
    /// keys and its values (to build such a prefix).
    func callAsFunction(_ h: Matrix, ropeTables: (cos: Matrix, sin: Matrix)?, keyMask: [Bool]? = nil,
                        taps: TapEmitter, prefix: (keys: Matrix, values: Matrix)? = nil,
                        keep: ((Matrix, Matrix) -> Void)? = nil) -> Matrix {
        var qm = q(h), km = k(h), vm = v(h)
        taps.pass(.attnQ, &qm)
        taps.pass(.attnK, &km)
        taps.pass(.attnV, &vm)
        if let qNorm { qm = Self.perHead(qNorm, qm, headDim: headDim) }
        if let kNorm { km = Self.perHead(kNorm, km, headDim: headDim) }
        let offset = prefix?.keys.rows ?? 0
        if let rope, let ropeTables {
            rope.apply(&qm, heads: heads, tables: ropeTables, offset: offset)
            rope.apply(&km, heads: kvHeads, tables: ropeTables, offset: offset)
        }
        keep?(km, vm)
        if let prefix {
            km = prefix.keys.stacked(above: km)
            vm = prefix.values.stacked(above: vm)
        }
        var ctx = attend(qm, km, vm, keyMask: keyMask, taps: taps)
        taps.pass(.attnCtx, &ctx)
        var out = o(ctx)
        taps.pass(.attnOut, &out)
        return out
    }

    /// Query rows per block of the causal attention products.
    public static let causalBlockRows = 64

    /// The blocks of query rows attention computes, each with the number of keys it reads: with
    /// a causal mask, rows r0..<r1 of T queries over S keys (a prefix of S − T first) see keys
    /// 0..<S − T + r1 only, so about half the square of scores is never computed; otherwise one
    /// block of every row and key.
    public static func rowBlocks(queries T: Int, keys S: Int, causal: Bool) -> [(rows: Range<Int>, keys: Int)] {
        guard causal else { return [(0..<T, S)] }
        return stride(from: 0, to: T, by: causalBlockRows).map { r0 in
            let r1 = Swift.min(T, r0 + causalBlockRows)
            return (r0..<r1, S - T + r1)
        }
    }

    /// softmax(q kᵀ / √d + mask) v for every head, through BLAS. `km`/`vm` may hold more rows
    /// than `qm` (a prefix first): query i is then position `S − T + i` of the `S` keys. Every
    /// (head, row block) is an independent task (`ParallelLoop`): its scores sit in their own
    /// rows of a `[heads × T, S]` buffer — the `attn.probs` tap itself when it is observed.
    private func attend(_ qm: Matrix, _ km: Matrix, _ vm: Matrix, keyMask: [Bool]?, taps: TapEmitter) -> Matrix {
        let T = qm.rows, S = km.rows, hd = headDim, group = heads / kvHeads
        let qw = qm.cols, kw = km.cols
        let wantProbs = taps.wants(.attnProbs)
        // Softmax.rows writes every element of the rows it is given: no need to zero them first.
        var probs = Matrix(rows: heads * T, cols: S, data: [Float](unsafeUninitializedCapacity: heads * T * S) { $1 = heads * T * S })
        var ctx = Matrix(zeros: T, heads * hd)
        let blocks = Self.rowBlocks(queries: T, keys: S, causal: causal)
        qm.data.withUnsafeBufferPointer { qp in
            km.data.withUnsafeBufferPointer { kp in
                vm.data.withUnsafeBufferPointer { vp in
                    ctx.data.withUnsafeMutableBufferPointer { cp in
                        probs.data.withUnsafeMutableBufferPointer { sp in
                            ParallelLoop.run(heads * blocks.count) { task in
                                let h = task / blocks.count, block = blocks[task % blocks.count], kvh = h / group
                                let rows = block.rows.count, row0 = sp.baseAddress! + (h * T + block.rows.lowerBound) * S
                                // Causal: each block of query rows computes only the keys it can see.
                                BLAS.sgemm(transB: true, m: rows, n: block.keys, k: hd,
                                           a: qp.baseAddress! + block.rows.lowerBound * qw + h * hd, lda: qw,
                                           b: kp.baseAddress! + kvh * hd, ldb: kw,
                                           c: row0, ldc: S, alpha: scale, beta: 0)
                                if let softcap { SoftCap.apply(row0, count: rows * S, cap: softcap) }
                                Softmax.rows(row0, rows: rows, cols: S, causal: causal, keyMask: keyMask, window: window,
                                             keyOffset: S - T + block.rows.lowerBound)
                                BLAS.sgemm(transB: false, m: rows, n: hd, k: block.keys,
                                           a: row0, lda: S,
                                           b: vp.baseAddress! + kvh * hd, ldb: kw,
                                           c: cp.baseAddress! + block.rows.lowerBound * heads * hd + h * hd, ldc: heads * hd,
                                           alpha: 1, beta: 0)
                            }
                        }
                    }
                }
            }
        }
        if wantProbs { taps.emit(.attnProbs, probs) }
        return ctx
    }
}

/// Row softmax of attention scores with an optional causal mask and key mask.
enum Softmax {
    /// `window`: row i (query position p = keyOffset + i) sees keys `p − window + 1 … p` only;
    /// `keyOffset`: keys before the first query (a prefix), visible to every query.
    static func rows(_ s: UnsafeMutablePointer<Float>, rows: Int, cols: Int, causal: Bool, keyMask: [Bool]?,
                     window: Int? = nil, keyOffset: Int = 0) {
        for i in 0..<rows {
            let row = s + i * cols
            let visible = causal ? keyOffset + i + 1 : cols
            if let keyMask {
                for j in 0..<visible where !keyMask[j] { row[j] = -.infinity }
            }
            if let window {
                for j in 0..<Swift.max(0, Swift.min(visible, keyOffset + i - window + 1)) { row[j] = -.infinity }
            }
            let m = maximum(row, visible)
            if m == -.infinity {  // every key masked: attend to nothing
                for j in 0..<cols { row[j] = 0 }
                continue
            }
            for j in 0..<visible { row[j] -= m }
            VectorMath.exp(row, count: visible)
            let inv = 1 / sum(row, visible)
            for j in 0..<visible { row[j] *= inv }
            for j in visible..<cols { row[j] = 0 }
        }
    }

    /// Largest of p[0..<n], sixteen lanes at a time (a select per lane, no generic min/max calls).
    @inline(__always)
    static func maximum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var v = SIMD16<Float>(repeating: -.infinity)
        var j = 0
        while j + 16 <= n {
            let w = UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
            v.replace(with: w, where: w .> v)
            j += 16
        }
        var m = v.max()
        while j < n { if p[j] > m { m = p[j] }; j += 1 }
        return m
    }

    /// Σ p[0..<n] in sixteen partial sums (the order differs from a sequential sum by rounding).
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var v = SIMD16<Float>(repeating: 0)
        var j = 0
        while j + 16 <= n {
            v += UnsafeRawPointer(p + j).loadUnaligned(as: SIMD16<Float>.self)
            j += 16
        }
        var s = v.sum()
        while j < n { s += p[j]; j += 1 }
        return s
    }
}
