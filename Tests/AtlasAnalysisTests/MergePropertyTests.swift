import AtlasAnalysis
import AtlasModels
import AtlasResults
import Testing

/// Statistics of two halves merged must equal those of one pass over both.
@Suite struct MergePropertyTests {
    struct Case: CustomStringConvertible, Sendable {
        let seed: UInt64, windows: Int, rows: Int, cols: Int
        var description: String { "seed \(seed) \(windows)x[\(rows),\(cols)]" }
    }

    static let cases = [
        Case(seed: 1, windows: 6, rows: 17, cols: 9),
        Case(seed: 2, windows: 5, rows: 32, cols: 24),
        Case(seed: 3, windows: 8, rows: 3, cols: 40),
        Case(seed: 4, windows: 2, rows: 64, cols: 16),
    ]

    @Test(arguments: cases)
    func halvesMergedEqualOnePass(_ c: Case) throws {
        var rng = SeededGenerator(seed: c.seed)
        let mats = (0..<c.windows).map { _ in TestData.activations(rows: c.rows, cols: c.cols, rng: &rng) }
        let toks = (0..<c.windows).map { _ in TestData.tokens(c.rows, rng: &rng) }
        let criterion = MassiveCriterion(absolute: 100, relative: 200)
        var one = TapAccumulator(topK: 7, criterion: criterion)
        var first = TapAccumulator(topK: 7, criterion: criterion)
        var second = TapAccumulator(topK: 7, criterion: criterion)
        var scratch = MedianScratch()
        let split = c.windows / 2
        for w in 0..<c.windows {
            one.add(mats[w], window: w, tokens: toks[w], scratch: &scratch)
            if w < split { first.add(mats[w], window: w, tokens: toks[w]) }
            else { second.add(mats[w], window: w, tokens: toks[w], scratch: &scratch) }
        }
        var ab = first; ab.merge(second)
        var ba = second; ba.merge(first)

        // Scales that bound the rounding error of each raw moment: Σ|x|^k per channel.
        var scale = [[Double]](repeating: [Double](repeating: 0, count: c.cols), count: 4)
        for m in mats {
            for r in 0..<m.rows { for col in 0..<m.cols where m[r, col].isFinite {
                let a = Double(abs(m[r, col]))
                for k in 0..<4 { scale[k][col] += Foundation_pow(a, k + 1) }
            } }
        }
        for merged in [ab, ba] {
            let x = merged.moments, y = one.moments
            #expect(x.channels == y.channels)
            #expect(x.count == y.count)
            #expect(x.min == y.min)
            #expect(x.max == y.max)
            #expect(x.absmax == y.absmax)
            #expect(x.nonFinite == y.nonFinite)
            #expect(x.nonFiniteTotal == y.nonFiniteTotal)
            for col in 0..<c.cols {
                #expect(close(x.sum[col], y.sum[col], rel: 1e-12, scale: scale[0][col]))
                #expect(close(x.sumSquares[col], y.sumSquares[col], rel: 1e-12, scale: scale[1][col]))
                #expect(close(x.sumCubes[col], y.sumCubes[col], rel: 1e-12, scale: scale[2][col]))
                #expect(close(x.sumFourth[col], y.sumFourth[col], rel: 1e-12, scale: scale[3][col]))
            }
            #expect(merged.top == one.top)
            #expect(merged.histogram == one.histogram)
            #expect(merged.windowMedians == one.windowMedians)
            #expect(merged.massive == one.massive)
            #expect(merged.windowCount == one.windowCount)
            #expect(merged.elementCount == c.windows * c.rows * c.cols)
        }
        // The data really exercises ties, non-finite values and massive entries.
        #expect(one.nonFiniteCount > 0)
        #expect(!one.massive.isEmpty)
        let mags = one.top.entries.map(\.magnitude)
        #expect(Set(mags).count < mags.count, "expected |x| ties in the top-k")
        #expect(one.top.entries == one.top.entries.sorted(by: LocatedValue.byMagnitude))
    }

    @Test func topKMatchesSortingEveryCandidate() {
        var rng = SeededGenerator(seed: 99)
        var top = TopK(k: 10)
        var all: [LocatedValue<Float>] = []
        for w in 0..<4 {
            let m = TestData.activations(rows: 20, cols: 12, rng: &rng)
            let toks = TestData.tokens(20, rng: &rng)
            top.accumulate(m, window: w, tokens: toks)
            for r in 0..<m.rows { for c in 0..<m.cols where m[r, c].isFinite {
                all.append(LocatedValue<Float>(window: w, position: r, dim: c, value: m[r, c], token: toks[r]))
            } }
        }
        #expect(top.entries == Array(all.sorted(by: LocatedValue.byMagnitude).prefix(10)))
    }
}

private func Foundation_pow(_ a: Double, _ k: Int) -> Double {
    var r = 1.0
    for _ in 0..<k { r *= a }
    return r
}
