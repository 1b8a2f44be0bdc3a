/// One mitigated variant of a model analyzed like the baseline (same windows, same taps, same
/// schemes): what the comparison page and `--json` `variants.NAME` show.
public struct VariantResult: Codable, Sendable, Equatable {
    /// The mitigation's name (`smoothquant`, `rotation`, …).
    public var name: String
    /// The canonical spec with every parameter (`smoothquant:alpha=0.5,windows=4`).
    public var spec: String
    /// True when the mitigation leaves the float function unchanged (up to rounding).
    public var exact: Bool
    /// What the mitigation did (blocks touched, entries shrunk, …).
    public var notes: [String]
    public var perplexity: PerplexityResult?
    /// Entries meeting the massive criterion at the block outputs (`ffn.resid`).
    public var massiveActivationCount: Int
    /// Largest |x| at the block outputs.
    public var maxAbs: Double
    /// Distinct hidden channels whose absmax at some block output exceeds the outlier factor
    /// × that output's median channel absmax (`OutlierProfile.outlierChannels`).
    public var outlierChannelCount: Int
    public var quantization: [SchemeResult]?
    /// The block outputs block by block (comparison page); nil when the results
    /// file has no `profile` field.
    public var profile: OutlierProfile?
    /// `int8-mixed`: per scheme, the fraction of Linear input columns kept float (all input
    /// taps, mean over blocks and windows); nil for other mitigations.
    public var floatColumnFraction: [String: Double]?
    /// The attention mass on the baseline's sink positions (its trace window), plus any prefix
    /// the variant caches (positions −P…−1); nil when the baseline has no anatomy.
    public var attentionSinks: SinkSummary?

    public init(name: String, spec: String, exact: Bool, notes: [String], perplexity: PerplexityResult?,
                massiveActivationCount: Int, maxAbs: Double, outlierChannelCount: Int, quantization: [SchemeResult]?) {
        self.name = name
        self.spec = spec
        self.exact = exact
        self.notes = notes
        self.perplexity = perplexity
        self.massiveActivationCount = massiveActivationCount
        self.maxAbs = maxAbs
        self.outlierChannelCount = outlierChannelCount
        self.quantization = quantization
    }
}
