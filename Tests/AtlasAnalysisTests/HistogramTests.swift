import AtlasAnalysis
import AtlasModels
import Foundation
import Testing

@Suite struct HistogramTests {
    @Test func defaultScaleHasEightBinsPerDecadeFrom1eMinus6To1e6() {
        let h = LogHistogram()
        #expect(h.binCount == 96)
        #expect(h.edges[48] == 1)
        #expect(h.edges[56] == 10)
        // Every edge is a cell boundary (low 16 bits zero) within 2⁻⁸ of its power of ten.
        for (j, e) in h.edges.enumerated() {
            let exact = Foundation.pow(10, Double(j) / 8 - 6)
            #expect(e.bitPattern & 0xffff == 0)
            #expect(abs(Double(e) - exact) / exact <= 1.0 / 256, "edge \(j): \(e) vs \(exact)")
        }
    }

    @Test func valuesLandInTheBinOfTheirEdges() {
        var h = LogHistogram()
        let values: [Float] = [0, -0, 1e-7, 1, -1, Float(1).nextDown, 10, 9.99, 1e6, 2e7, .nan, .infinity, -LogHistogram().edges[0]]
        h.accumulate(Matrix(rows: 1, cols: values.count, data: values))
        #expect(h.zero == 2)
        #expect(h.underflow == 1)
        #expect(h.overflow == 2)
        #expect(h.total == 11)
        #expect(h.counts[48] == 2)   // 1 and −1: [1, 10^(1/8))
        #expect(h.counts[47] == 1)   // just below 1
        #expect(h.counts[56] == 1)   // 10
        #expect(h.counts[55] == 1)   // 9.99
        #expect(h.counts[0] == 1)    // −edges[0] ≈ −1e-6 (the first edge is inclusive)
    }

    @Test func binningAgreesWithEdgeSearchOnRandomMagnitudes() {
        var rng = SeededGenerator(seed: 3)
        var h = LogHistogram()
        var expected = [Int](repeating: 0, count: h.binCount)
        var values: [Float] = []
        for _ in 0..<20_000 {
            let v = Float(Foundation.pow(10, Double.random(in: -5.99...5.99, using: &rng)))
            values.append(v)
            let i = h.edges.lastIndex { $0 <= v }!
            expected[i] += 1
        }
        // Exact edges and their neighbours too.
        for e in h.edges.dropFirst().dropLast() {
            for v in [e, e.nextUp, e.nextDown] {
                values.append(v)
                expected[h.edges.lastIndex { $0 <= v }!] += 1
            }
        }
        h.accumulate(Matrix(rows: 1, cols: values.count, data: values))
        #expect(h.counts == expected)
        #expect(h.underflow == 0 && h.overflow == 0)
    }
}

extension HistogramTests {
    @Test(arguments: [(8, -6, 6), (64, -3, 3), (1, -30, 30)])
    func tableBinningEqualsEdgeSearchOnEveryScale(_ bpd: Int, _ lo: Int, _ hi: Int) throws {
        var rng = SeededGenerator(seed: UInt64(bpd))
        var h = LogHistogram(binsPerDecade: bpd, minExponent: lo, maxExponent: hi)
        var values: [Float] = [0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, .nan, -.infinity]
        for e in h.edges { values += [e, e.nextUp, e.nextDown, -e] }
        for _ in 0..<5000 { values.append(Float(bitPattern: UInt32.random(in: 0..<0x7f80_0000, using: &rng))) }
        var zero = 0, under = 0, over = 0
        var expected = [Int](repeating: 0, count: h.binCount)
        for v in values where v.isFinite {
            let a = abs(v)
            if a == 0 { zero += 1 } else if a < h.edges[0] { under += 1 } else if a >= h.edges.last! { over += 1 }
            else { expected[h.edges.lastIndex { $0 <= a }!] += 1 }
        }
        h.accumulate(Matrix(rows: 1, cols: values.count, data: values))
        #expect(h.counts == expected)
        #expect(h.zero == zero && h.underflow == under && h.overflow == over)
        let back = try JSONDecoder().decode(LogHistogram.self, from: try JSONEncoder().encode(h))
        #expect(back == h)
    }
}

@Suite struct TopKTests {
    @Test func tiesBreakByWindowPositionDimAscending() {
        var top = TopK(k: 3)
        var w1 = Matrix(zeros: 3, 2)
        w1[0, 0] = 5
        var w0 = Matrix(zeros: 3, 2)
        w0[2, 1] = -5
        w0[2, 0] = 5
        w0[1, 1] = 4
        var w2 = Matrix(zeros: 3, 2)
        w2[2, 1] = -7
        top.accumulate(w1, window: 1, tokens: [10, 11, 12])
        top.accumulate(w0, window: 0, tokens: [0, 1, 2])
        top.accumulate(w2, window: 2, tokens: [20, 21, 22])
        #expect(top.entries == [
            LocatedValue<Float>(window: 2, position: 2, dim: 1, value: -7, token: 22),
            LocatedValue<Float>(window: 0, position: 2, dim: 0, value: 5, token: 2),
            LocatedValue<Float>(window: 0, position: 2, dim: 1, value: -5, token: 2),
        ])
        var nonFinite = Matrix(zeros: 1, 3)
        nonFinite[0, 0] = .infinity
        nonFinite[0, 1] = .nan
        top.accumulate(nonFinite, window: 3, tokens: [])
        #expect(top.entries.allSatisfy { $0.value.isFinite })
    }
}
