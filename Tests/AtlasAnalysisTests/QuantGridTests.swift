@testable import AtlasAnalysis
import AtlasModels
import Testing

/// Integer fake quantization on hand-computed examples: ties to even, zero rows, zero points,
/// clipping, and weight granularities (groups that do not divide the row).
@Suite struct QuantGridTests {
    func applied(_ grid: QuantGrid, _ values: [Float]) -> [Float] {
        var v = values
        v.withUnsafeMutableBufferPointer { grid.apply($0.baseAddress!, count: $0.count) }
        return v
    }

    @Test func symmetricTiesGoToEven() {
        // int8 symmetric with max |x| = 127: scale 1, so x/s is x itself.
        let grid = QuantGrid(format: .integer(bits: 8, symmetric: true), min: -127, max: 127)
        #expect(grid.scale == 1 && grid.qmin == -127 && grid.qmax == 127)
        let x: [Float] = [2.5, 3.5, -2.5, -3.5, 0.5, 1.5, -0.5, 126.5, 4.4, 4.6, -127, 127, 2.5, 3.5, 5.5, 6.5, 7.5]
        let want: [Float] = [2, 4, -2, -4, 0, 2, -0, 126, 4, 5, -127, 127, 2, 4, 6, 6, 8]
        // 17 values: the first 16 go through the SIMD path, the last through the scalar one.
        #expect(applied(grid, x) == want)
        #expect(x.map(grid.apply) == want)
    }

    @Test func allZeroGroupStaysZero() {
        for format in [ElementFormat.integer(bits: 4, symmetric: true), .integer(bits: 4, symmetric: false), .fp8(.e4m3)] {
            let grid = QuantGrid(format: format, min: 0, max: 0)
            #expect(grid.scale == 0)
            let out = applied(grid, [Float](repeating: 0, count: 19))
            #expect(out.allSatisfy { $0 == 0 && !$0.isNaN })
        }
    }

    @Test func asymmetricZeroPoint() {
        // 2 bits over [-1, 2]: scale 1, zero point 1, codes 0…3 mean -1…2.
        let grid = QuantGrid(format: .integer(bits: 2, symmetric: false), min: -1, max: 2)
        #expect(grid.scale == 1 && grid.zeroPoint == 1 && grid.qmin == 0 && grid.qmax == 3)
        #expect([-1, 0, 0.5, 1.5, 2, 3, -7].map(grid.apply) == [-1, 0, 0, 2, 2, 2, -1])
        // A range that excludes 0 is widened to contain it: [1, 3] → [0, 3], zero point 0.
        let positive = QuantGrid(format: .integer(bits: 2, symmetric: false), min: 1, max: 3)
        #expect(positive.scale == 1 && positive.zeroPoint == 0)
        #expect([1, 2, 3, 2.5].map(positive.apply) == [1, 2, 3, 2])
        // 4 bits over [-0.3, 1.2]: s = 0.1, z = round(3) = 3; 0 is exact.
        let g4 = QuantGrid(format: .integer(bits: 4, symmetric: false), min: -0.3, max: 1.2)
        #expect(g4.zeroPoint == 3)
        #expect(g4.apply(0) == 0)
        #expect(abs(g4.apply(1.2) - 1.2) < 1e-6 && abs(g4.apply(-0.3) + 0.3) < 1e-6)
    }

    @Test func clippingSaturates() {
        let grid = QuantGrid(format: .integer(bits: 8, symmetric: true), min: -254, max: 254, clip: 0.5)
        #expect(grid.scale == 1)
        #expect([200, -254, 3.5].map(grid.apply) == [127, -127, 4])
    }

    @Test func groupsThatDoNotDivideTheRowEndShort() {
        // int2 symmetric: codes -1, 0, 1. Row of 10 in groups of 4: [0..3], [4..7], [8, 9].
        let row: [Float] = [4, 1, -3, 2.5, 0.1, -0.2, 0.05, 0.15, 0.3, -0.1]
        let w = Matrix(rows: 1, cols: 10, data: row)
        let q = WeightQuantizer.fakeQuantize(w, .uniform(format: .integer(bits: 2, symmetric: true), granularity: .perGroup(4), clip: 1))
        #expect(q.data == [4, 0, -4, 4, 0, -0.2, 0, 0.2, 0.3, -0])
        // Per channel the whole row shares max |x| = 4.
        let c = WeightQuantizer.fakeQuantize(w, .uniform(format: .integer(bits: 2, symmetric: true), granularity: .perChannel, clip: 1))
        #expect(c.data == [4, 0, -4, 4, 0, -0, 0, 0, 0, -0])
        // A group larger than the row is one group.
        let big = WeightQuantizer.fakeQuantize(w, .uniform(format: .integer(bits: 2, symmetric: true), granularity: .perGroup(128), clip: 1))
        #expect(big.data == c.data)
    }

    @Test func perChannelAndPerTensorRanges() {
        let w = Matrix(rows: 2, cols: 3, data: [1.1, -2, 0.5, 100, 50, -25])
        let sym4 = ElementFormat.integer(bits: 4, symmetric: true)  // codes -7…7
        let perChannel = WeightQuantizer.fakeQuantize(w, .uniform(format: sym4, granularity: .perChannel, clip: 1))
        let s0 = Float(2) / 7  // 1.1/s0 = 3.85 → 4, 0.5/s0 = 1.75 → 2
        #expect(perChannel.row(0) == [4 * s0, -7 * s0, 2 * s0])
        let perTensor = WeightQuantizer.fakeQuantize(w, .uniform(format: sym4, granularity: .perTensor, clip: 1))
        #expect(perTensor.row(0) == [0, 0, 0])  // 100/7 swallows row 0
        #expect(abs(perTensor.row(1)[0] - 100) < 1e-4)
    }

    @Test func perTokenActivations() {
        var x = Matrix(rows: 2, cols: 3, data: [127, 2.5, -3.5, 0, 0, 0])
        ActivationQuantizer.apply(&x, ActivationQuantization(format: .integer(bits: 8, symmetric: true), granularity: .perToken))
        #expect(x.data == [127, 2, -4, 0, 0, 0])
        var y = Matrix(rows: 2, cols: 2, data: [1, 2, 3, 5])  // scale 8: 5/8 → 1, the rest → 0
        ActivationQuantizer.apply(&y, ActivationQuantization(format: .integer(bits: 2, symmetric: true), granularity: .perTensor), range: (-8, 8))
        #expect(y.data == [0, 0, 0, 8])
    }

    @Test func weightErrorMetrics() {
        let a = Matrix(rows: 1, cols: 2, data: [3, 4]), b = Matrix(rows: 1, cols: 2, data: [3, 3.5])
        let e = WeightQuantizer.error(tensor: "blk.0.q", format: "test", original: a, quantized: b)
        #expect(abs(e.sqnr - 20 * log10(5 / 0.5)) < 1e-9)  // 20 dB
        #expect(e.maxAbsError == 0.5)
        #expect(WeightQuantizer.error(tensor: "t", format: "f", original: a, quantized: a).sqnr == .infinity)
    }
}

import Foundation
