import AtlasAnalysis
import AtlasModels
import Testing

@Suite struct ChannelMomentsTests {
    @Test func coinFlipsHavePearsonKurtosisOneExcessMinusTwo() {
        // Channel 0: ±1 equally often; channel 1: constant 5 (variance 0 → kurtosis undefined).
        var rows: [Float] = []
        for i in 0..<100 { rows += [i % 2 == 0 ? 1 : -1, 5] }
        var m = ChannelMoments()
        m.accumulate(Matrix(rows: 100, cols: 2, data: rows))
        #expect(m.mean(0) == 0)
        #expect(m.variance(0) == 1)
        #expect(m.kurtosis(0) == 1)
        #expect(m.excessKurtosis(0) == -2)
        #expect(m.mean(1) == 5)
        #expect(m.variance(1) == 0)
        #expect(m.kurtosis(1).isNaN)
    }

    /// Attention probabilities of sentences of different lengths: `[heads × T, T]` with T
    /// varying. Channel c is key position c; each matrix adds to its own columns, in one pass or
    /// merged, and nothing is read beyond a matrix (the values stay probabilities).
    @Test func varyingWidthsAddToTheirOwnColumns() {
        var rng = SeededGenerator(seed: 3)
        let widths = [3, 9, 2, 17, 9]
        let matrices = widths.map { t in Matrix(rows: 2 * t, cols: t, data: (0..<(2 * t * t)).map { _ in Float.random(in: 0..<1, using: &rng) }) }
        var one = ChannelMoments(), halves = (ChannelMoments(), ChannelMoments())
        for (i, m) in matrices.enumerated() {
            one.accumulate(m)
            if i < 2 { halves.0.accumulate(m) } else { halves.1.accumulate(m) }
        }
        halves.0.merge(halves.1)
        #expect(one.channels == 17 && halves.0.channels == 17)
        for c in 0..<17 {
            let column = matrices.filter { $0.cols > c }.flatMap { m in (0..<m.rows).map { m[$0, c] } }
            #expect(one.count[c] == column.count && halves.0.count[c] == column.count)
            #expect(one.absmax[c] == column.map(abs).max()! && halves.0.absmax[c] == one.absmax[c])
            #expect(abs(one.sum[c] - column.reduce(0) { $0 + Double($1) }) < 1e-9)
        }
        #expect(one.absmax.allSatisfy { $0 < 1 })
    }

    @Test func handComputedMomentsOfOneToFour() {
        // x = 1, 2, 3, 4: mean 2.5; deviations ±0.5, ±1.5; m2 = 1.25; m4 = 2.5625;
        // Pearson = 2.5625 / 1.5625 = 1.64; excess = −1.36.
        var m = ChannelMoments()
        m.accumulate(Matrix(rows: 4, cols: 1, data: [1, 2, 3, 4]))
        #expect(m.count == [4])
        #expect(m.sum == [10])
        #expect(m.sumSquares == [30])
        #expect(m.sumCubes == [100])
        #expect(m.sumFourth == [354])
        #expect(m.mean(0) == 2.5)
        #expect(m.variance(0) == 1.25)
        #expect(abs(m.kurtosis(0) - 1.64) < 1e-12)
        #expect(abs(m.excessKurtosis(0) + 1.36) < 1e-12)
        #expect(m.min == [1] && m.max == [4] && m.absmax == [4])
    }

    @Test func gaussianKurtosisIsNearThree() {
        var rng = SeededGenerator(seed: 7)
        let n = 200_000
        var m = ChannelMoments()
        m.accumulate(Matrix(rows: n, cols: 1, data: (0..<n).map { _ in Float(rng.gaussian() * 2 + 1) }))
        #expect(abs(m.mean(0) - 1) < 0.02)
        #expect(abs(m.variance(0) - 4) < 0.05)
        #expect(abs(m.kurtosis(0) - 3) < 0.05)
        #expect(abs(m.excessKurtosis(0)) < 0.05)
    }

    @Test func nonFiniteValuesAreCountedAndKeptOutOfTheSums() {
        let nan = Float.nan, inf = Float.infinity
        // 3 rows × 3 channels; channel 2 holds only non-finite values.
        let data: [Float] = [1, -2, nan,
                             nan, 4, inf,
                             3, -inf, -inf]
        var m = ChannelMoments()
        m.accumulate(Matrix(rows: 3, cols: 3, data: data))
        #expect(m.count == [2, 2, 0])
        #expect(m.nonFinite == [1, 1, 3])
        #expect(m.nonFiniteTotal == 5)
        #expect(m.totalValues == 9)
        #expect(m.sum == [4, 2, 0])
        #expect(m.sumSquares == [10, 20, 0])
        #expect(m.min == [1, -2, 0])
        #expect(m.max == [3, 4, 0])
        #expect(m.absmax == [3, 4, 0])
        #expect(m.mean(2).isNaN)
        #expect(m.maxAbs == 4)

        var acc = TapAccumulator(topK: 4)
        acc.add(Matrix(rows: 3, cols: 3, data: data), window: 0, tokens: [10, 11, 12])
        #expect(acc.nonFiniteCount == 5)
        #expect(acc.elementCount == 9)
        #expect(acc.histogram.total == 4)
        #expect(acc.top.entries.map(\.value) == [4, 3, -2, 1])
        // median of |1|, |−2|, |4|, |3| = (2 + 3) / 2
        #expect(acc.windowMedians == [WindowMedian(window: 0, medianAbs: 2.5)])
        #expect(acc.massive.isEmpty)
    }

    @Test func fastAndSlowRowPathsAgree() {
        var rng = SeededGenerator(seed: 11)
        let clean = TestData.activations(rows: 40, cols: 13, rng: &rng, nonFinite: false)
        var dirty = clean
        dirty[5, 3] = .nan  // forces row 5 onto the slow path
        var a = ChannelMoments(), b = ChannelMoments()
        a.accumulate(clean)
        b.accumulate(dirty)
        #expect(b.nonFinite[3] == 1)
        for c in 0..<13 where c != 3 {
            #expect(a.count[c] == b.count[c] && a.sum[c] == b.sum[c] && a.sumFourth[c] == b.sumFourth[c])
            #expect(a.min[c] == b.min[c] && a.max[c] == b.max[c] && a.absmax[c] == b.absmax[c])
        }
    }

    @Test func codableRoundTrip() throws {
        var rng = SeededGenerator(seed: 5)
        var m = ChannelMoments()
        m.accumulate(TestData.activations(rows: 10, cols: 4, rng: &rng))
        let data = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(ChannelMoments.self, from: data) == m)
    }
}

import Foundation
