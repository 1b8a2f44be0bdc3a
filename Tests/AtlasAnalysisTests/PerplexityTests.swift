import AtlasAnalysis
import AtlasModels
import AtlasResults
import Foundation
import Testing

@Suite struct PerplexityTests {
    @Test(arguments: [(7, 5), (50, 8), (3, 512)])
    func uniformLogitsGivePerplexityV(_ vocab: Int, _ t: Int) throws {
        var acc = PerplexityAccumulator()
        let tokens = (0..<t).map { Int32($0 % vocab) }
        try acc.add(logits: Matrix(rows: t, cols: vocab, data: [Float](repeating: 0.25, count: t * vocab)),
                    tokens: tokens, window: 0)
        let r = try acc.result()
        #expect(abs(r.allPositions - Double(vocab)) <= 1e-12 * Double(vocab))
        #expect(abs(r.secondHalf - Double(vocab)) <= 1e-12 * Double(vocab))
        #expect(r.scoredTokensAll == t - 1)
        #expect(r.scoredTokensSecondHalf == t - t / 2 - 1)
    }

    @Test func handComputedThreeTokens() throws {
        // tokens 0, 1, 2; V = 3.
        // row 0 = [0, ln 2, 0]: softmax [1/4, 1/2, 1/4], target 1 → p = 1/2.
        // row 1 = [0, 0, ln 3]: softmax [1/5, 1/5, 3/5], target 2 → p = 3/5.
        // row 2 predicts nothing (NaN there must not matter).
        let logits = Matrix(rows: 3, cols: 3, data: [0, Float(log(2.0)), 0,
                                                     0, 0, Float(log(3.0)),
                                                     .nan, .nan, .nan])
        var acc = PerplexityAccumulator()
        try acc.add(logits: logits, tokens: [0, 1, 2], window: 0)
        let r = try acc.result()
        #expect(abs(r.allPositions - (2.0 * 5.0 / 3.0).squareRoot()) < 1e-6)
        // T = 3: first = 1, only row 1 (predicting token 2) is scored.
        #expect(abs(r.secondHalf - 5.0 / 3.0) < 1e-6)
        #expect(r.scoredTokensAll == 2 && r.scoredTokensSecondHalf == 1)
    }

    @Test func secondHalfRowsFollowLlamaCpp() {
        // perplexity.cpp: first = n_ctx/2; rows first ..< n_ctx-1 predict tokens first+1 ... n_ctx-1.
        #expect(PerplexityAccumulator.secondHalfRows(windowSize: 512) == 256..<511)
        #expect(PerplexityAccumulator.secondHalfRows(windowSize: 512).count == 255)
        #expect(PerplexityAccumulator.secondHalfRows(windowSize: 5) == 2..<4)
        #expect(PerplexityAccumulator.secondHalfRows(windowSize: 4) == 2..<3)
        #expect(PerplexityAccumulator.secondHalfRows(windowSize: 2).isEmpty)
    }

    /// Row r has a target logit a_r among zeros, so NLL_r = log(V − 1 + e^{a_r}) − a_r differs by row.
    @Test(arguments: [8, 9])
    func secondHalfScoresExactlyTheDocumentedRows(_ t: Int) throws {
        let vocab = 6
        var data = [Float](repeating: 0, count: t * vocab)
        let tokens = (0..<t).map { Int32(($0 * 5) % vocab) }
        var nll = [Double](repeating: 0, count: t)
        for r in 0..<(t - 1) {
            let a = Float(r) * 0.5 - 1
            data[r * vocab + Int(tokens[r + 1])] = a
            nll[r] = log(Double(vocab - 1) + exp(Double(a))) - Double(a)
        }
        var acc = PerplexityAccumulator()
        try acc.add(logits: Matrix(rows: t, cols: vocab, data: data), tokens: tokens, window: 0)
        let r = try acc.result()
        let rows = (t / 2)..<(t - 1)
        let expectedHalf = exp(rows.map { nll[$0] }.reduce(0, +) / Double(rows.count))
        let expectedAll = exp(nll[0..<(t - 1)].reduce(0, +) / Double(t - 1))
        #expect(abs(r.secondHalf - expectedHalf) < 1e-6 * expectedHalf)
        #expect(abs(r.allPositions - expectedAll) < 1e-6 * expectedAll)
        #expect(r.scoredTokensSecondHalf == rows.count)
    }

    @Test func nonFiniteLogitsAreReportedNotAveraged() throws {
        let vocab = 4, t = 4
        let good = Matrix(rows: t, cols: vocab, data: [Float](repeating: 1, count: t * vocab))
        var bad = good
        bad[1, 2] = .nan
        var acc = PerplexityAccumulator()
        try acc.add(logits: good, tokens: [0, 1, 2, 3], window: 0)
        try acc.add(logits: bad, tokens: [0, 1, 2, 3], window: 1)
        var inf = good
        inf[0, 0] = .infinity
        try acc.add(logits: inf, tokens: [0, 1, 2, 3], window: 2)
        #expect(acc.nonFiniteWindows == [1, 2])
        #expect(acc.countAll == 3)
        #expect(throws: PerplexityError.nonFiniteLogits(windows: [1, 2])) { try acc.result() }
        // −inf logits are legitimate (masked vocabulary entries).
        var masked = good
        masked[0, 3] = -.infinity
        var ok = PerplexityAccumulator()
        try ok.add(logits: masked, tokens: [0, 1, 2, 3], window: 0)
        // Row 0 → p = 1/3 (three finite logits), rows 1, 2 → p = 1/4.
        #expect(abs(try ok.result().allPositions - exp((log(3.0) + 2 * log(4.0)) / 3)) < 1e-9)
    }

    @Test func shapeAndTokenErrors() {
        var acc = PerplexityAccumulator()
        #expect(throws: PerplexityError.shapeMismatch(window: 3, logitRows: 2, tokens: 3)) {
            try acc.add(logits: Matrix(zeros: 2, 4), tokens: [0, 1, 2], window: 3)
        }
        #expect(throws: PerplexityError.tokenOutOfRange(window: 0, position: 1, token: 9, vocab: 4)) {
            try acc.add(logits: Matrix(zeros: 2, 4), tokens: [0, 9], window: 0)
        }
        #expect(throws: PerplexityError.noScoredTokens) { try PerplexityAccumulator().result() }
    }

    @Test func mergedHalvesEqualOnePass() throws {
        var rng = SeededGenerator(seed: 17)
        let vocab = 32, t = 10
        var one = PerplexityAccumulator(), a = PerplexityAccumulator(), b = PerplexityAccumulator()
        for w in 0..<6 {
            let logits = Matrix(rows: t, cols: vocab, data: (0..<(t * vocab)).map { _ in Float(rng.gaussian() * 3) })
            let tokens = (0..<t).map { _ in Int32.random(in: 0..<Int32(vocab), using: &rng) }
            try one.add(logits: logits, tokens: tokens, window: w)
            if w % 2 == 0 { try a.add(logits: logits, tokens: tokens, window: w) }
            else { try b.add(logits: logits, tokens: tokens, window: w) }
        }
        a.merge(b)
        let x = try a.result(), y = try one.result()
        #expect(x.scoredTokensAll == y.scoredTokensAll && x.scoredTokensSecondHalf == y.scoredTokensSecondHalf)
        #expect(abs(x.allPositions - y.allPositions) <= 1e-12 * y.allPositions)
        #expect(abs(x.secondHalf - y.secondHalf) <= 1e-12 * y.secondHalf)
    }
}
