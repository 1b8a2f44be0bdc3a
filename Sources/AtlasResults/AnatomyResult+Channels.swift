/// A channel-wise outlier: a channel of a tap whose max |x| exceeds k × the median channel max |x|.
public struct ChannelOutlier: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    public var yIndex: String?
    public var channel: Int
    public var absmax: Double
    /// absmax / median channel absmax of the tap.
    public var ratio: Double
    /// Pearson kurtosis of the channel over all tokens (nil when undefined).
    public var kurtosis: Double?
    /// Fraction of the channel's tokens with |x| > k × the window's median channel absmax.
    public var tokenFraction: Double?
    /// Also a massive dimension (residual-width taps only).
    public var massiveDimension: Bool
    /// For a norm output (`attn.norm`, `ffn.norm`): how gamma shapes it.
    public var gamma: GammaEvidence?
    /// For `attn.norm`: the channel's share of the W_q trigger score (see `QueryTriggers`).
    public var queryShare: Double?

    public init(block: Int, tap: String, yIndex: String?, channel: Int, absmax: Double, ratio: Double, kurtosis: Double?,
                tokenFraction: Double?, massiveDimension: Bool, gamma: GammaEvidence?, queryShare: Double?) {
        self.block = block
        self.tap = tap
        self.yIndex = yIndex
        self.channel = channel
        self.absmax = absmax
        self.ratio = ratio
        self.kurtosis = kurtosis
        self.tokenFraction = tokenFraction
        self.massiveDimension = massiveDimension
        self.gamma = gamma
        self.queryShare = queryShare
    }
}

/// The "rescaling variation" of a norm for one channel: the channel's max |x| relative to the
/// median channel before the norm (its input tap) and after it, and its gamma relative to the
/// median |gamma|. `cause` is `gamma`, `input` or `mixed` (rule in `AnatomyCriteria.gammaCause`).
public struct GammaEvidence: Codable, Sendable, Equatable {
    public var gamma: Double
    public var gammaRatio: Double
    public var inputTap: String
    public var inputRatio: Double
    public var outputRatio: Double
    /// outputRatio / inputRatio.
    public var rescaling: Double
    public var cause: String

    public init(gamma: Double, gammaRatio: Double, inputTap: String, inputRatio: Double, outputRatio: Double,
                rescaling: Double, cause: String) {
        self.gamma = gamma
        self.gammaRatio = gammaRatio
        self.inputTap = inputTap
        self.inputRatio = inputRatio
        self.outputRatio = outputRatio
        self.rescaling = rescaling
        self.cause = cause
    }
}

/// The channels of W_q's input that dominate the query magnitude in one block.
public struct QueryTriggers: Codable, Sendable, Equatable {
    public var block: Int
    /// 1 / hidden size: the share of a channel if all were equal.
    public var uniformShare: Double
    /// The top channels by share, largest first.
    public var channels: [QueryTrigger]

    public init(block: Int, uniformShare: Double, channels: [QueryTrigger]) {
        self.block = block
        self.uniformShare = uniformShare
        self.channels = channels
    }
}

/// score = max_t |x[t, channel]| · ‖W_q[:, channel]‖₂; share = score / Σ scores.
public struct QueryTrigger: Codable, Sendable, Equatable {
    public var channel: Int
    public var inputAbsmax: Double
    public var columnNorm: Double
    public var share: Double

    public init(channel: Int, inputAbsmax: Double, columnNorm: Double, share: Double) {
        self.channel = channel
        self.inputAbsmax = inputAbsmax
        self.columnNorm = columnNorm
        self.share = share
    }
}

/// Attention mass on the sink tokens (the positions carrying massive activations) in the trace window.
/// Positions are window positions; −P…−1 are the P positions of a cached prefix (prefix-sink).
public struct SinkSummary: Codable, Sendable, Equatable {
    public var window: Int
    public var positions: [Int]
    public var tokens: [String]
    /// True when no massive token was found and position 0 stands in.
    public var fallback: Bool
    /// One entry per block, ascending.
    public var layers: [SinkLayer]

    public init(window: Int, positions: [Int], tokens: [String], fallback: Bool, layers: [SinkLayer]) {
        self.window = window
        self.positions = positions
        self.tokens = tokens
        self.fallback = fallback
        self.layers = layers
    }
}

/// Per head: the mean over query positions of the probability mass on the sink positions.
public struct SinkLayer: Codable, Sendable, Equatable {
    public var block: Int
    public var heads: [Double]
    public var mean: Double

    public init(block: Int, heads: [Double], mean: Double) {
        self.block = block
        self.heads = heads
        self.mean = mean
    }
}

/// |x| of one block output for the first positions of the trace window and the channels with
/// the largest max |x| there (the study's 3-D view, as a heatmap).
public struct HeatmapSlice: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    public var window: Int
    public var positions: [Int]
    public var tokens: [String]
    public var channels: [Int]
    /// rows = positions, columns = channels.
    public var values: [[Float]]

    public init(block: Int, tap: String, window: Int, positions: [Int], tokens: [String], channels: [Int], values: [[Float]]) {
        self.block = block
        self.tap = tap
        self.window = window
        self.positions = positions
        self.tokens = tokens
        self.channels = channels
        self.values = values
    }
}
