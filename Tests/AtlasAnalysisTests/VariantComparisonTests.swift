import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// A real variant analysis feeding the comparison: llama-tiny with its planted massive
/// activation (id 255 at position 0 makes block 1's output ~193 at dim 7, carried into block 2),
/// analyzed with `tma-removal`; the variant's profile must show fewer massive entries block by
/// block than the baseline's, and its finding must say so.
@Suite struct VariantComparisonTests {
    @Test func tmaRemovalOnLlamaTinyLowersTheMassiveCountsPerBlock() throws {
        let url = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")
        let plain = try ModelLoader.load(url)
        // The plant needs id 255 first in every window: use it as the BOS.
        let loaded = plain.with(bos: 255)
        let text = try Fixtures.temporaryDirectory().appendingPathComponent("text.txt")
        let sentence = "The quick brown fox jumps over the lazy dog while the cat sleeps in the warm sun. "
        try Data(String(repeating: sentence, count: 12).utf8).write(to: text)
        let options = AnalysisOptions(textMode: .raw, windowSize: 24, windowCount: 2, anatomy: false)
        let result = try ModelAnalysis.run(loaded, label: "llama-tiny", text: text, options: options,
                                           mitigations: [try MitigationSpecParser.parse("tma-removal:mode=zero,windows=2")])

        let baseline = OutlierProfile.make(from: result, outlierFactor: options.outlierFactor)
        #expect(baseline.blocks == [0, 1, 2])
        #expect(baseline.massiveCount == [0, 2, 2], "\(baseline.massiveCount)")
        let variant = try #require(result.variants?.first)
        let profile = try #require(variant.profile)
        #expect(profile.blocks == baseline.blocks && profile.outlierFactor == options.outlierFactor)
        for (b, v) in zip(baseline.massiveCount, profile.massiveCount) { #expect(v <= b) }
        #expect(profile.totalMassiveCount < baseline.totalMassiveCount)
        #expect(variant.massiveActivationCount == profile.totalMassiveCount)
        #expect(profile.maxAbs[1] < baseline.maxAbs[1] / 2, "block 1: \(baseline.maxAbs[1]) → \(profile.maxAbs[1])")
        #expect(profile.channelAbsmax.count == 3 && profile.channelAbsmax.allSatisfy { $0.count == 64 })
        #expect(variant.outlierChannelCount == profile.distinctOutlierChannels)
        #expect(profile.modelMeanKurtosis.map { $0 > 1 } == true)

        let finding = VariantFindings.sentence(baseline: Headline(baseline: result), variant: Headline(variant: variant),
                                               exact: variant.exact)
        #expect(finding.hasPrefix("removes"), "\(finding)")
        #expect(finding.contains("lossy)"), "\(finding)")
        #expect(try ResultsCoding.decode(try ResultsCoding.encode(result), file: "r.json") == result)
    }
}
