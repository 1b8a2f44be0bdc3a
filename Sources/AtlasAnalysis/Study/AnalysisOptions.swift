import AtlasResults

/// How one model is analyzed: the calibration text convention, the windows and the criteria.
public struct AnalysisOptions: Sendable, Equatable {
    public var textMode: TextMode
    public var windowSize: Int
    /// nil: every full window of the text.
    public var windowCount: Int?
    public var criterion: MassiveCriterion
    public var topK: Int
    /// k of the channel-outlier rule: max |x| > k × the median channel max |x| of the tap.
    public var outlierFactor: Double
    /// Trace the outliers' origin (one extra forward pass, weight statistics).
    public var anatomy: Bool
    /// `--against`: tap statistics on every n-th token (block outputs use every token).
    public var pairTokenStride = PairLockstep.defaultTokenStride
    /// `--against`: a tap whose SQNR falls below this (dB) is where B diverges.
    public var divergenceDB = PairLockstep.defaultDivergenceDB

    public init(textMode: TextMode = .raw, windowSize: Int = 512, windowCount: Int? = nil,
                criterion: MassiveCriterion = MassiveCriterion(), topK: Int = 16, outlierFactor: Double = 10,
                anatomy: Bool = true) {
        self.outlierFactor = outlierFactor
        self.anatomy = anatomy
        self.textMode = textMode
        self.windowSize = windowSize
        self.windowCount = windowCount
        self.criterion = criterion
        self.topK = topK
    }
}
