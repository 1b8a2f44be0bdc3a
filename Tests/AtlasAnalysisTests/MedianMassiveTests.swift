import AtlasAnalysis
import AtlasModels
import AtlasResults
import Testing

@Suite struct MedianMassiveTests {
    static func sortedMedian(_ v: [Float]) -> Double? {
        let a = v.filter(\.isFinite).map { Double(abs($0)) }.sorted()
        guard !a.isEmpty else { return nil }
        return a.count % 2 == 1 ? a[a.count / 2] : (a[a.count / 2 - 1] + a[a.count / 2]) / 2
    }

    @Test(arguments: [1, 2, 3, 4, 7, 8, 100, 101, 1000, 1025])
    func medianIsExactOnOddAndEvenSizes(_ n: Int) {
        var rng = SeededGenerator(seed: UInt64(n))
        var scratch = MedianScratch()
        for trial in 0..<5 {
            let v: [Float] = (0..<n).map { _ in
                trial % 2 == 0 ? Float(rng.gaussian()) : Float(Int.random(in: -3...3, using: &rng))  // many duplicates
            }
            #expect(scratch.medianAbs(of: v) == Self.sortedMedian(v))
        }
    }

    @Test func medianSkipsNonFiniteValues() {
        var scratch = MedianScratch()
        #expect(scratch.medianAbs(of: [.nan, 1, .infinity, -3, -.infinity, 2]) == 2)
        #expect(scratch.medianAbs(of: [.nan, -.infinity]) == nil)
        #expect(scratch.medianAbs(of: []) == nil)
        // The (grown) buffer is reused for a smaller input.
        #expect(scratch.medianAbs(of: [5, -1]) == 3)
    }

    static func planted(_ value: Float) -> Matrix {
        var rng = SeededGenerator(seed: 42)
        var m = Matrix(rows: 64, cols: 32, data: (0..<(64 * 32)).map { _ in
            Float.random(in: 0.005...0.015, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
        })
        m[7, 3] = value
        return m
    }

    @Test func plantedMassiveActivationIsFound() {
        var scratch = MedianScratch()
        let (med, hits) = MassiveDetector.detect(Self.planted(-500), criterion: MassiveCriterion(), scratch: &scratch)
        #expect(med != nil && med! > 0.005 && med! < 0.015)
        #expect(hits == [MassiveEntry(position: 7, dim: 3, value: -500)])
    }

    @Test func belowTheAbsoluteThresholdIsNotMassive() {
        var scratch = MedianScratch()
        #expect(MassiveDetector.detect(Self.planted(50), criterion: MassiveCriterion(), scratch: &scratch).entries.isEmpty)
        // A lower absolute threshold makes it massive (50 > 10 and 50 > 1000 × ~0.01).
        let low = MassiveCriterion(absolute: 10, relative: 1000)
        #expect(MassiveDetector.detect(Self.planted(50), criterion: low, scratch: &scratch).entries.count == 1)
        // A higher relative threshold (1e5 × ~0.01 ≈ 1000) rejects 500.
        let strict = MassiveCriterion(absolute: 100, relative: 100_000)
        #expect(MassiveDetector.detect(Self.planted(500), criterion: strict, scratch: &scratch).entries.isEmpty)
    }

    @Test func thresholdsAreStrict() {
        // median |x| = 0.05 → relative bound 50; the absolute bound 100 decides, strictly.
        var data = [Float](repeating: 0.05, count: 99)
        data.append(100)
        var scratch = MedianScratch()
        let m = Matrix(rows: 10, cols: 10, data: data)
        #expect(MassiveDetector.detect(m, criterion: MassiveCriterion(), scratch: &scratch).entries.isEmpty)
        var n = m
        n[9, 9] = Float(100).nextUp
        #expect(MassiveDetector.detect(n, criterion: MassiveCriterion(), scratch: &scratch).entries.count == 1)
    }

    @Test func nonFiniteEntriesAreNeverMassiveNorInTheMedian() {
        var m = Self.planted(500)
        m[0, 0] = .nan
        m[1, 1] = .infinity
        m[2, 2] = -.infinity
        var scratch = MedianScratch()
        let (med, hits) = MassiveDetector.detect(m, criterion: MassiveCriterion(), scratch: &scratch)
        #expect(med == Self.sortedMedian(m.data))
        #expect(hits == [MassiveEntry(position: 7, dim: 3, value: 500)])
        #expect(MassiveDetector.detect(m, criterion: MassiveCriterion(), medianAbs: nil).isEmpty)
    }
}
