/// A second checkpoint of the same model (`--against B`) run in lockstep with this one (A, the
/// reference) on the same windows: how far B's activations, weights and predictions are from A's,
/// block by block and tap by tap. Every SQNR is 10·log10(Σa² / Σ(a − b)²) in dB over the sampled
/// values of all windows (infinity when B is exact).
public struct PairResult: Codable, Sendable, Equatable {
    /// B: its label, file name, SHA-256 and format (`gguf`, `safetensors`).
    public var label: String
    public var file: String
    public var sha256: String
    public var format: String
    public var windowCount: Int
    /// Tap statistics use every `tokenStride`-th token (rows 0, s, 2s, …); the block outputs
    /// (`ffn.resid`, or the family's last tap) use every token.
    public var tokenStride: Int
    /// A tap "diverges" when its SQNR falls below this many dB.
    public var divergenceDB: Double
    /// Perplexity of both, KL(p_A ‖ p_B), top-1 agreement, |Δp| of the true token.
    /// (`floatPerplexity` is A's, `perplexity` B's.) Nil for encoders.
    public var endToEnd: EndToEndError?
    /// One entry per compared tap of every block, in block then tap order.
    public var taps: [TapParity]
    /// Per block: the block output's max |b − a| per channel over all tokens of all windows.
    public var blockOutputs: [BlockOutputParity]
    /// Per block (decoders): the logit lens — A's and B's block outputs, on the tap rows that
    /// predict a next token, each through its own model's final norm and head — and KL and
    /// top-1 of the two distributions. Nil in files written before it existed.
    public var lens: [BlockLensParity]?
    /// One entry per block Linear, in block then Linear order.
    public var linears: [LinearParity]
    /// Per block, A's largest block-output activations and B's values at the same place.
    public var massive: [MassiveParity]
    /// The first tap, in forward order, whose SQNR is below `divergenceDB`; nil when none.
    public var firstDivergence: TapLocation?
    /// Hyperparameters that differ between the two (the pair still runs), e.g. `rope base 10000 vs 100000`.
    public var notes: [String]

    public init(label: String, file: String, sha256: String, format: String, windowCount: Int, tokenStride: Int,
                divergenceDB: Double, endToEnd: EndToEndError?, taps: [TapParity], blockOutputs: [BlockOutputParity],
                lens: [BlockLensParity]? = nil, linears: [LinearParity], massive: [MassiveParity], firstDivergence: TapLocation?, notes: [String]) {
        self.label = label
        self.file = file
        self.sha256 = sha256
        self.format = format
        self.windowCount = windowCount
        self.tokenStride = tokenStride
        self.divergenceDB = divergenceDB
        self.endToEnd = endToEnd
        self.taps = taps
        self.blockOutputs = blockOutputs
        self.lens = lens
        self.linears = linears
        self.massive = massive
        self.firstDivergence = firstDivergence
        self.notes = notes
    }
}

/// The logit-lens reading of one block's output in both checkpoints.
public struct BlockLensParity: Codable, Sendable, Equatable {
    public var block: Int
    /// Mean over the read positions of KL(p_A ‖ p_B), in nats.
    public var klMean: Double
    public var top1Agreement: Double
    public var positions: Int

    public init(block: Int, klMean: Double, top1Agreement: Double, positions: Int) {
        self.block = block
        self.klMean = klMean
        self.top1Agreement = top1Agreement
        self.positions = positions
    }
}

extension PairResult {
    /// Each block's KL contribution: how much the lens KL grows from the previous block's
    /// output to this one's (the first block's against 0, so it also carries any difference
    /// of the embeddings). May be negative where a block brings B back towards A. Empty without lens.
    public var klContributions: [(block: Int, kl: Double)] {
        let lens = (lens ?? []).sorted { $0.block < $1.block }
        return lens.enumerated().map { i, l in
            (l.block, l.klMean - (i > 0 ? lens[i - 1].klMean : 0))
        }
    }
}

/// A block and a tap.
public struct TapLocation: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String

    public init(block: Int, tap: String) {
        self.block = block
        self.tap = tap
    }
}

/// B against A at one tap of one block.
public struct TapParity: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    public var sqnrDB: Double
    /// Mean over sampled tokens of cos(a_t, b_t) (1 for two zero rows).
    public var meanCosine: Double
    /// The smallest per-token cosine.
    public var worstCosine: Double
    public var maxAbsDelta: Double
    /// max |a| at the tap (the scale `maxAbsDelta` is read against).
    public var maxAbs: Double

    public init(block: Int, tap: String, sqnrDB: Double, meanCosine: Double, worstCosine: Double, maxAbsDelta: Double, maxAbs: Double) {
        self.block = block
        self.tap = tap
        self.sqnrDB = sqnrDB
        self.meanCosine = meanCosine
        self.worstCosine = worstCosine
        self.maxAbsDelta = maxAbsDelta
        self.maxAbs = maxAbs
    }
}

/// The block output's per-channel max |b − a| (over every token of every window).
public struct BlockOutputParity: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    @PackedFloats public var channelMaxAbsDelta: [Float]

    public init(block: Int, tap: String, channelMaxAbsDelta: [Float]) {
        self.block = block
        self.tap = tap
        self.channelMaxAbsDelta = channelMaxAbsDelta
    }
}

/// One Linear's weight in both checkpoints.
public struct LinearParity: Codable, Sendable, Equatable {
    public var block: Int
    public var linear: String
    /// How each file stores the tensor (`Q4_K`, `Q8_0`, `F32`, `BF16`…; `fused` when the Linear
    /// is a slice of a fused tensor such as Phi-3's qkv).
    public var typeA: String
    public var typeB: String
    /// B's weight against A's (infinity when equal).
    public var weightSQNR: Double

    public init(block: Int, linear: String, typeA: String, typeB: String, weightSQNR: Double) {
        self.block = block
        self.linear = linear
        self.typeA = typeA
        self.typeB = typeB
        self.weightSQNR = weightSQNR
    }
}

/// A's largest activations at one block's output and B's values at the same window, position
/// and dim, plus where B's own largest ones are.
public struct MassiveParity: Codable, Sendable, Equatable {
    public var block: Int
    /// A's largest |a| (value = a), largest first.
    public var reference: [LocatedActivation<Double>]
    /// B's value at each of `reference`'s places (same order).
    public var atReference: [Double]
    /// B's own largest |b| (value = b), largest first.
    public var own: [LocatedActivation<Double>]

    public init(block: Int, reference: [LocatedActivation<Double>], atReference: [Double], own: [LocatedActivation<Double>]) {
        self.block = block
        self.reference = reference
        self.atReference = atReference
        self.own = own
    }

    /// Relative change of the magnitude at A's largest activation, (|b| − |a|) / |a|; nil without one.
    public var topChange: Double? {
        guard let a = reference.first?.value, a != 0, let b = atReference.first else { return nil }
        return (abs(b) - abs(a)) / abs(a)
    }

    /// How many of A's distinct top dims are among B's top dims.
    public var keptDims: Int {
        let dims = Set(own.map(\.dim))
        return Set(reference.map(\.dim)).filter(dims.contains).count
    }
}
