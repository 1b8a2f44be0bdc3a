/// How much worse a result may get before `outlier-atlas check` calls it a regression.
/// Set in the study file (`thresholds:`) or on the command line; the defaults are below.
public struct RegressionThresholds: Sendable, Equatable, Codable {
    /// Relative perplexity increase allowed (0.01 = +1 %), float and per scheme.
    public var perplexityIncrease: Double
    /// Absolute KL-divergence increase allowed (nats), per scheme.
    public var klIncrease: Double
    /// SQNR drop allowed (dB), per scheme.
    public var sqnrDropDB: Double
    /// Massive-activation dims not present in the baseline that are allowed.
    public var newMassiveDims: Int
    /// Relative growth of max |x| allowed at any tap (0.25 = +25 %).
    public var maxAbsGrowth: Double

    public init(perplexityIncrease: Double = 0.01, klIncrease: Double = 0.01, sqnrDropDB: Double = 1.0,
                newMassiveDims: Int = 0, maxAbsGrowth: Double = 0.25) {
        self.perplexityIncrease = perplexityIncrease
        self.klIncrease = klIncrease
        self.sqnrDropDB = sqnrDropDB
        self.newMassiveDims = newMassiveDims
        self.maxAbsGrowth = maxAbsGrowth
    }

    /// The study-file keys (`thresholds:`), in the order they are documented.
    public static let keys = ["perplexity_increase", "kl_increase", "sqnr_drop_db", "new_massive_dims", "max_abs_growth"]

    enum CodingKeys: String, CodingKey {
        case perplexityIncrease = "perplexity_increase", klIncrease = "kl_increase", sqnrDropDB = "sqnr_drop_db"
        case newMassiveDims = "new_massive_dims", maxAbsGrowth = "max_abs_growth"
    }
}
