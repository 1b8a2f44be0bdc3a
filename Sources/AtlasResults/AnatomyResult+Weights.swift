/// Statistics of one weight tensor (`[rows, cols]` in checkpoint layout `[out, in]`).
public struct WeightStatistic: Codable, Sendable, Equatable {
    /// GGUF-style name, e.g. `blk.1.ffn_down.weight`.
    public var name: String
    public var block: Int?
    public var rows: Int
    public var cols: Int
    public var absmax: Double
    /// Where the largest |w| is: [row, column].
    public var absmaxAt: [Int]
    public var rms: Double
    /// Pearson kurtosis over all entries.
    public var kurtosis: Double?

    public init(name: String, block: Int?, rows: Int, cols: Int, absmax: Double, absmaxAt: [Int], rms: Double,
                kurtosis: Double?) {
        self.name = name
        self.block = block
        self.rows = rows
        self.cols = cols
        self.absmax = absmax
        self.absmaxAt = absmaxAt
        self.rms = rms
        self.kurtosis = kurtosis
    }
}

/// The distribution of one norm's gamma.
public struct NormStatistic: Codable, Sendable, Equatable {
    public var name: String
    public var block: Int?
    public var count: Int
    public var min: Double
    public var max: Double
    public var medianAbs: Double
    /// max |gamma| / median |gamma|.
    public var maxRatio: Double
    /// The channels of largest |gamma|, largest first.
    public var top: [ChannelValue]

    public init(name: String, block: Int?, count: Int, min: Double, max: Double, medianAbs: Double, maxRatio: Double,
                top: [ChannelValue]) {
        self.name = name
        self.block = block
        self.count = count
        self.min = min
        self.max = max
        self.medianAbs = medianAbs
        self.maxRatio = maxRatio
        self.top = top
    }
}

/// A channel and a value.
public struct ChannelValue: Codable, Sendable, Equatable {
    public var channel: Int
    public var value: Double

    public init(channel: Int, value: Double) {
        self.channel = channel
        self.value = value
    }
}

/// NaN/±Inf values found at one (block, tap): how many, and the first few with their token.
public struct NonFiniteReport: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    public var count: Int
    public var samples: [LocatedActivation<String>]

    public init(block: Int, tap: String, count: Int, samples: [LocatedActivation<String>]) {
        self.block = block
        self.tap = tap
        self.count = count
        self.samples = samples
    }
}

