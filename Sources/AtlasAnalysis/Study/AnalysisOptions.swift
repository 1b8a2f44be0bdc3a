import AtlasResults

/// How one model is analyzed: the calibration text convention, the windows and the criteria.
public struct AnalysisOptions: Sendable, Equatable {
    public var textMode: TextMode
    public var windowSize: Int
    /// nil: every full window of the text.
    public var windowCount: Int?
    public var criterion: MassiveCriterion
    public var topK: Int

    public init(textMode: TextMode = .raw, windowSize: Int = 512, windowCount: Int? = nil,
                criterion: MassiveCriterion = MassiveCriterion(), topK: Int = 16) {
        self.textMode = textMode
        self.windowSize = windowSize
        self.windowCount = windowCount
        self.criterion = criterion
        self.topK = topK
    }
}
