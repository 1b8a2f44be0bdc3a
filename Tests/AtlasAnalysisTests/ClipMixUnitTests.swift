@testable import AtlasAnalysis
import AtlasModels
import Foundation
import Testing

/// The pure parts of `clip` and `int8-mixed`, on hand-computed examples.
@Suite struct ClipMixUnitTests {
    @Test func percentileInterpolatesBetweenOrderStatistics() {
        #expect(Percentile.of([4, 1, 3, 2], percentile: 50) == 2.5)  // h = 1.5 between 2 and 3
        #expect(Percentile.of([4, 1, 3, 2], percentile: 100) == 4)
        #expect(Percentile.of([4, 1, 3, 2], percentile: 1e-9) == 1)
        // Ties: sorted 1, 5, 5, 5 — h = 1.5 lies between two 5s; h = 0.75 between 1 and 5.
        #expect(Percentile.of([5, 1, 5, 5], percentile: 50) == 5)
        #expect(Percentile.of([5, 1, 5, 5], percentile: 25) == 4)
        // An all-equal channel: every percentile is that value.
        for p in [0.1, 50, 99.9, 100] { #expect(Percentile.of([3, 3, 3, 3, 3], percentile: p) == 3) }
        // 99.9 % of 2048 values: h = 2044.953, so only the 4 largest matter.
        #expect(Percentile.topCount(n: 2048, percentile: 99.9) == 4)
        #expect(Percentile.topCount(n: 4, percentile: 50) == 3)
    }

    @Test func streamingTopValuesGiveTheExactPercentile() {
        var rng = SeededGenerator(seed: 9)
        let values = (0..<1000).map { _ in Float(abs(rng.gaussian())) }
        for p in [99.9, 99, 90] {
            let limit = Percentile.topCount(n: values.count, percentile: p)
            var top: [Float] = []
            for chunk in stride(from: 0, to: values.count, by: 128) {
                Percentile.merge(Array(values[chunk..<min(chunk + 128, values.count)]), into: &top, limit: limit)
            }
            #expect(top.count == limit)
            #expect(Percentile.fromTop(top, n: values.count, percentile: p) == Percentile.of(values, percentile: p))
        }
    }

    @Test func clampKeepsEntriesWithinTheirChannelThreshold() {
        var x = Matrix(rows: 2, cols: 3, data: [5, -0.5, -7, 1, 2, 0.25])
        ActivationClipping.clamp(&x, to: [2, 1, 10])
        #expect(x.data == [2, -0.5, -7, 1, 1, 0.25])
    }

    static let int2 = ElementFormat.integer(bits: 2, symmetric: true)

    @Test func clipSearchWinsOnARowWithAnOutlier() {
        // int2 symmetric: grid {−s, 0, s}, s = r · max|x|. Row 1, 1, 1, 2:
        // r = 1: s = 2, each 1 rounds (0.5, ties to even) to 0 → noise 3; r = 0.5: s = 1 → only 2 → 1 errs, noise 1.
        let row: [Float] = [1, 1, 1, 2]
        let two = row.withUnsafeBufferPointer { WeightClipSearch.best($0.baseAddress!, count: 4, format: Self.int2, clip: 1, ratios: [1, 0.5]) }
        #expect(two == WeightClipSearch.Choice(ratio: 0.5, plainNoise: 3, bestNoise: 1))
        // On the full grid, noise 3(1 − 2r)² + (2 − 2r)² is least at r = 0.625 (0.75): 0.62 or 0.63 give 0.7504.
        let grid = row.withUnsafeBufferPointer {
            WeightClipSearch.best($0.baseAddress!, count: 4, format: Self.int2, clip: 1, ratios: QuantizationAdjustments.defaultClipRatios)
        }
        #expect(grid.ratio > 0.615 && grid.ratio < 0.635, "\(grid)")
        #expect(abs(grid.bestNoise - 0.7504) < 1e-4 && grid.plainNoise == 3)
    }

    @Test func clipSearchKeepsTheFullRangeOnAUniformRow() {
        // −7…7 in int4 symmetric: r = 1 puts every value on the grid (noise 0); any r < 1 clamps 7.
        let row = (-7...7).map { Float($0) }
        let c = row.withUnsafeBufferPointer {
            WeightClipSearch.best($0.baseAddress!, count: row.count, format: .integer(bits: 4, symmetric: true), clip: 1,
                                  ratios: QuantizationAdjustments.defaultClipRatios)
        }
        #expect(c == WeightClipSearch.Choice(ratio: 1, plainNoise: 0, bestNoise: 0))
    }

    @Test func clipSearchQuantizesEachRangeWithItsBestRatio() throws {
        let w = Matrix(rows: 2, cols: 4, data: [1, 1, 1, 2, 2, 0, -2, 2])
        let (q, report) = WeightClipSearch.fakeQuantize(w, .uniform(format: Self.int2, granularity: .perChannel, clip: 1), ratios: [1, 0.5])
        #expect(q.data == [1, 1, 1, 1, 2, 0, -2, 2])
        let r = try #require(report)
        #expect(r.ranges == 2 && r.meanRatio == 0.75 && r.plainNoise == 3 && r.clippedNoise == 1 && r.signal == 19)
        #expect(abs(r.sqnrGain - 10 * log10(3.0)) < 1e-9)
        // GGUF types keep their own scale search: quantized as they are, nothing reported.
        #expect(WeightClipSearch.fakeQuantize(Matrix(zeros: 1, 32), .gguf(.q8_0), ratios: [1, 0.5]).1 == nil)
    }

    static let int8 = ActivationQuantization(format: .integer(bits: 8, symmetric: true), granularity: .perToken)

    @Test func outlierColumnsReachTheThreshold() {
        let x = Matrix(rows: 3, cols: 4, data: [0.5, 1, 6, -0.25,
                                                0.1, -6.5, 0.2, 0.3,
                                                0.4, 0.2, 0.1, 5.99])
        #expect(MixedPrecision.outlierColumns(x, threshold: 6) == [1, 2])  // |x| ≥ 6 counts; 5.99 does not
        #expect(MixedPrecision.outlierColumns(x, threshold: 7).isEmpty)
    }

    @Test func mixedPrecisionKeepsOutlierColumnsBitIdentical() {
        let original = Matrix(rows: 2, cols: 4, data: [0.5, 0.3, 100, -0.25,
                                                       0.1, -0.7, 0.2, 0.33])
        var x = original
        #expect(MixedPrecision.apply(&x, Self.int8, threshold: 6) == 1)
        #expect(x[0, 2] == 100 && x[1, 2] == 0.2)  // the outlier column, every token
        // Row 0's range is max |x| over the other columns, 0.5: s = 0.5/127, 0.3 → round(76.2) = 76.
        #expect(x[0, 1] == 76 * (Float(0.5) / 127))
        var compact = Matrix(rows: 2, cols: 3, data: [0.5, 0.3, -0.25, 0.1, -0.7, 0.33])
        ActivationQuantizer.apply(&compact, Self.int8)
        for r in 0..<2 { for (j, c) in [0, 1, 3].enumerated() { #expect(x[r, c] == compact[r, j]) } }
        #expect(x[1, 3] != original[1, 3])  // the rest is quantized
        // No outlier: exactly the plain quantizer.
        var plain = original, mixed = original
        ActivationQuantizer.apply(&plain, Self.int8)
        #expect(MixedPrecision.apply(&mixed, Self.int8, threshold: 1000) == 0)
        #expect(plain.data == mixed.data)
    }

    @Test(arguments: [("clip:percentile=0", "percentile"), ("clip:percentile=100.5", "percentile"), ("clip:percentile=nan", "percentile"),
                      ("int8-mixed:threshold=0", "threshold"), ("int8-mixed:threshold=-6", "threshold"),
                      ("clip:target=bias", "target"), ("clip:windows=0", "windows"), ("int8-mixed:alpha=1", "key")])
    func specErrorsNameTheField(spec: String, field: String) {
        do { _ = try MitigationSpecParser.parse(spec); Issue.record("\(spec) accepted") } catch {
            #expect(error.field == field, "\(error)")
            #expect(error.spec == spec)
        }
    }

    @Test func specDefaults() throws {
        #expect(try MitigationSpecParser.parse("clip").description == "clip:percentile=99.9,target=activations,windows=4")
        #expect(try MitigationSpecParser.parse("int8-mixed").description == "int8-mixed:threshold=6.0")
        #expect(try MitigationSpecParser.parse("clip:percentile=100").parameters["percentile"] == "100")
    }
}
