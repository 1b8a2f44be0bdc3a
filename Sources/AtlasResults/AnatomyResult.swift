/// Outlier anatomy of one model (issue 4): origin of massive activations, channel-wise
/// outliers with gamma and W_q evidence, attention sinks, weight statistics.
public struct AnatomyResult: Codable, Sendable, Equatable {
    public init() {}
}
