import AtlasAnalysis
import Testing

/// The channel-outlier factor k reaches the analysis from a study file, with one default.
@Suite struct AnatomyStudyFileTests {
    @Test func studyCriteriaCarryKIntoTheOptions() {
        #expect(Study.Criteria().channelOutlierK == AnalysisOptions().outlierFactor)
    }
}
