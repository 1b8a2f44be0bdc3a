import AtlasAnalysis
import AtlasModels
import AtlasResults
import Testing

/// The vectorised statistics pass against plain loops, and the per-window extras: the cell
/// counts (exact histogram and median estimate), outlier tokens, large-value counts, patterns.
@Suite struct StatisticsKernelTests {
    /// Row-by-row scalar reference of the moments (the definition the kernel must reproduce bit for bit).
    static func reference(_ m: Matrix) -> (sums: [[Double]], count: [Int], absmax: [Float], large: [Int], bad: [Int]) {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: m.cols), count: 4)
        var count = [Int](repeating: 0, count: m.cols), large = count, bad = count
        var absmax = [Float](repeating: 0, count: m.cols)
        for r in 0..<m.rows {
            for c in 0..<m.cols {
                let v = m[r, c]
                guard v.isFinite else { bad[c] += 1; continue }
                let x = Double(v), x2 = x * x
                sums[0][c] += x; sums[1][c] += x2; sums[2][c] += x2 * x; sums[3][c] += x2 * x2
                count[c] += 1
                absmax[c] = max(absmax[c], abs(v))
                if abs(v) >= 6 { large[c] += 1 }
            }
        }
        return (sums, count, absmax, large, bad)
    }

    @Test(arguments: [(150, 37), (64, 8), (5, 3), (130, 24)])
    func vectorPassEqualsScalarLoopExactly(shape: (rows: Int, cols: Int)) {
        var rng = SeededGenerator(seed: UInt64(shape.rows * 100 + shape.cols))
        let m = TestData.activations(rows: shape.rows, cols: shape.cols, rng: &rng)
        var moments = ChannelMoments()
        moments.accumulate(m)
        let ref = Self.reference(m)
        #expect(moments.sum == ref.sums[0])
        #expect(moments.sumSquares == ref.sums[1])
        #expect(moments.sumCubes == ref.sums[2])
        #expect(moments.sumFourth == ref.sums[3])
        #expect(moments.count == ref.count)
        #expect(moments.absmax == ref.absmax)
        #expect(moments.largeCount == ref.large)
        #expect(moments.nonFinite == ref.bad)
    }

    @Test func cellCountsGiveTheExactHistogramAndANearMedian() {
        var rng = SeededGenerator(seed: 77)
        for w in 0..<6 {
            let m = TestData.activations(rows: 48, cols: 40, rng: &rng)
            var direct = LogHistogram()
            direct.accumulate(m)
            var exact = TapAccumulator(exactMedian: true), estimated = TapAccumulator(exactMedian: false)
            exact.add(m, window: w, tokens: [])
            estimated.add(m, window: w, tokens: [])
            #expect(exact.histogram == direct && estimated.histogram == direct)
            let e = exact.windowMedians[0].medianAbs, s = estimated.windowMedians[0].medianAbs
            #expect(abs(s - e) / e < 0.008, "estimate \(s) vs exact \(e)")
        }
    }

    @Test func outlierTokensCountRowsAboveKTimesTheMedianChannelAbsmax() {
        // 10 tokens × 6 channels of |x| ≤ 1; channel 4 carries 50 on 3 tokens, channel 1 has 8 (< 10 × median 0.9).
        var m = Matrix(rows: 10, cols: 6, data: (0..<60).map { Float(($0 * 7) % 10) / 10 })
        m[2, 4] = 50; m[5, 4] = -50; m[9, 4] = 40; m[3, 1] = 8
        var acc = TapAccumulator(outlierFactor: 10)
        acc.add(m, window: 0, tokens: [])
        #expect(acc.outlierTokens == [0, 0, 0, 0, 3, 0])
        var none = TapAccumulator(outlierFactor: nil)
        none.add(m, window: 0, tokens: [])
        #expect(none.outlierTokens.isEmpty)
        #expect(acc.moments.largeCount == [0, 1, 0, 0, 3, 0])
    }

    @Test func extrasMergeLikeOnePass() {
        var rng = SeededGenerator(seed: 5)
        let mats = (0..<6).map { _ in TestData.activations(rows: 60, cols: 40, rng: &rng) }
        for exact in [true, false] {
            var one = TapAccumulator(exactMedian: exact), a = TapAccumulator(exactMedian: exact), b = TapAccumulator(exactMedian: exact)
            for (w, m) in mats.enumerated() {
                one.add(m, window: w, tokens: [])
                if w % 2 == 0 { a.add(m, window: w, tokens: []) } else { b.add(m, window: w, tokens: []) }
            }
            var ab = a; ab.merge(b)
            var ba = b; ba.merge(a)
            for merged in [ab, ba] {
                #expect(merged.outlierTokens == one.outlierTokens)
                #expect(merged.nonFiniteSamples == one.nonFiniteSamples)
                #expect(merged.moments.largeCount == one.moments.largeCount)
                #expect(merged.windowMedians == one.windowMedians)
                #expect(merged.histogram == one.histogram)
            }
            #expect(one.nonFiniteSamples.count == 16)
            #expect(one.nonFiniteSamples == one.nonFiniteSamples.sorted(by: LocatedValue.inPlaceOrder))
            #expect(Set(one.nonFiniteSamples.map(\.value)) == [.nan, .inf, .negativeInf])
        }
    }

    @Test func tapPatternsSelectByNameAndPrefix() throws {
        let ffn = try TapPattern.select(["ffn.*"])
        #expect(ffn.isSuperset(of: [.ffnIn, .ffnNorm, .ffnGate, .ffnUp, .ffnAct, .ffnDownIn, .ffnDownOut, .ffnResid]))
        #expect(ffn.allSatisfy { $0.rawValue.hasPrefix("ffn.") })
        #expect(try TapPattern.select(["*"]) == Set(TapName.allCases))
        #expect(try TapPattern.select(["attn.q"]) == [.attnQ])
        #expect(try TapPattern.select(["attn.q,ffn.resid", "attn.probs"]) == [.attnQ, .ffnResid, .attnProbs])
        for bad in ["foo", "ffn*x", "", "mlp.*"] {
            #expect(throws: TapPatternError.self) { try TapPattern.select([bad], field: "--taps") }
        }
        do {
            _ = try TapPattern("attn.qq", field: "--taps")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "--taps" && error.found == "attn.qq" && error.expected.contains("ffn.down_in"))
        }
        let obs = try StatisticsObserver(patterns: ["attn.*"])
        #expect(obs.wants(block: 0, tap: .attnProbs) && !obs.wants(block: 0, tap: .ffnUp))
    }
}
