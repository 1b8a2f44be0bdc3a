import AtlasModels
import AtlasResults

/// Compares B's taps with A's, window by window: `referenceObserver` on A's forward keeps A's
/// values (every `tokenStride`-th row of each tap; every row of the block output), then
/// `checkpointObserver` on B's forward of the same window compares each of B's taps as it arrives
/// and drops A's copy. `attn.probs` is left out (a `[heads × T, T]` matrix per block, and fixed by
/// q and k, which are compared). With `lens` (decoders), each block output's sampled rows that
/// predict a next token (0, s, 2s, … < T − 1) are also read through both models' final norm and
/// head (`LensDivergence`). Accumulates per block and tap; pure apart from the observers.
final class TapParityTracker {
    let tokenStride: Int
    let taps: [TapName]
    /// The tap compared at every token, with per-channel |Δ| and the largest activations.
    let outputTap: TapName
    static let massiveCount = 4
    /// Each model's logits of residual-stream rows (A's, then B's); nil for encoders.
    let lens: (reference: (Matrix) -> Matrix, checkpoint: (Matrix) -> Matrix)?

    private var reference: [Int: [TapName: Matrix]] = [:]
    private var divergence: [Int: [TapName: TapDivergence]] = [:]
    private var channelDelta: [Int: [Float]] = [:]
    private var referenceTop: [Int: [(a: LocatedValue<Float>, b: Float)]] = [:]
    private var ownTop: [Int: TopK] = [:]
    private var lensDivergence: [Int: LensDivergence] = [:]
    private var window = 0
    private var tokens: [Int32] = []

    init(family: ModelFamily, tokenStride: Int, lens: (reference: (Matrix) -> Matrix, checkpoint: (Matrix) -> Matrix)? = nil) {
        precondition(tokenStride >= 1)
        self.tokenStride = tokenStride
        self.lens = lens
        taps = family.taps.filter { $0 != .attnProbs }
        outputTap = family.taps.last ?? .ffnResid
    }

    func beginWindow(_ index: Int, tokens: [Int32]) {
        window = index
        self.tokens = tokens
        reference = [:]
    }

    lazy var referenceObserver: TapObserver = Side(self, reference: true)
    lazy var checkpointObserver: TapObserver = Side(self, reference: false)

    final class Side: TapObserver {
        unowned let t: TapParityTracker
        let isReference: Bool
        init(_ t: TapParityTracker, reference: Bool) {
            self.t = t
            isReference = reference
        }

        func wants(block: Int, tap: TapName) -> Bool { t.taps.contains(tap) }

        func observe(block: Int, tap: TapName, value: Matrix) {
            if isReference {
                t.reference[block, default: [:]][tap] = tap == t.outputTap ? value : t.sample(value)
            } else if let a = t.reference[block]?.removeValue(forKey: tap) {
                t.compare(block: block, tap: tap, a: a, b: tap == t.outputTap ? value : t.sample(value))
            }
        }
    }

    func sample(_ m: Matrix) -> Matrix {
        guard tokenStride > 1 else { return m }
        return m.gatherRows(Array(Swift.stride(from: 0, to: m.rows, by: tokenStride)))
    }

    private func compare(block: Int, tap: TapName, a: Matrix, b: Matrix) {
        guard a.rows == b.rows, a.cols == b.cols else { return }
        guard tap == outputTap else {
            divergence[block, default: [:]][tap, default: TapDivergence()].add(reference: a, checkpoint: b)
            return
        }
        var delta = channelDelta[block] ?? [Float](repeating: 0, count: a.cols)
        delta.withUnsafeMutableBufferPointer { d in
            divergence[block, default: [:]][tap, default: TapDivergence()].add(reference: a, checkpoint: b, channelDelta: d.baseAddress!)
        }
        channelDelta[block] = delta
        var top = TopK(k: Self.massiveCount)
        top.accumulate(a, window: window, tokens: tokens)
        var kept = referenceTop[block] ?? []
        for e in top.entries { kept.append((e, b.data[e.position * b.cols + e.dim])) }
        kept.sort { LocatedValue.byMagnitude($0.a, $1.a) }
        referenceTop[block] = Array(kept.prefix(Self.massiveCount))
        ownTop[block, default: TopK(k: Self.massiveCount)].accumulate(b, window: window, tokens: tokens)
        if let lens, a.rows > 1 {
            let rows = Array(Swift.stride(from: 0, to: a.rows - 1, by: tokenStride))
            lensDivergence[block, default: LensDivergence()].add(reference: lens.reference(a.gatherRows(rows)),
                                                                checkpoint: lens.checkpoint(b.gatherRows(rows)))
        }
    }

    /// Every compared tap, in block then tap order.
    func tapResults() -> [TapParity] {
        divergence.keys.sorted().flatMap { block in
            taps.compactMap { tap -> TapParity? in
                guard let d = divergence[block]?[tap] else { return nil }
                return TapParity(block: block, tap: tap.rawValue, sqnrDB: d.sqnr, meanCosine: d.meanCosine,
                                 worstCosine: d.worstCosine, maxAbsDelta: Double(d.maxAbsDelta), maxAbs: Double(d.maxAbs))
            }
        }
    }

    func blockOutputs() -> [BlockOutputParity] {
        channelDelta.keys.sorted().map { BlockOutputParity(block: $0, tap: outputTap.rawValue, channelMaxAbsDelta: channelDelta[$0]!) }
    }

    /// Per block with lens readings: KL and top-1 of the two models' next-token distributions there.
    func lensResults() -> [BlockLensParity] {
        lensDivergence.keys.sorted().map { block in
            let d = lensDivergence[block]!
            return BlockLensParity(block: block, klMean: d.klMean, top1Agreement: d.top1Agreement, positions: d.positions)
        }
    }

    func massive(tokenText: (Int32) -> String) -> [MassiveParity] {
        func located(_ e: LocatedValue<Float>) -> LocatedActivation<Double> {
            LocatedActivation(window: e.window, position: e.position, dim: e.dim, value: Double(e.value),
                              token: e.token >= 0 ? tokenText(e.token) : "")
        }
        return referenceTop.keys.sorted().map { block in
            let ref = referenceTop[block] ?? []
            return MassiveParity(block: block, reference: ref.map { located($0.a) }, atReference: ref.map { Double($0.b) },
                                 own: (ownTop[block]?.entries ?? []).map(located))
        }
    }
}
