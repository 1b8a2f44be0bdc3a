import AtlasAnalysis
import AtlasModels
import Foundation
import Testing

/// The residual stream is one matrix at two taps (`ffn.resid` of block b, `attn.in` of block
/// b + 1): the observer copies the first tap's accumulator instead of computing the same window
/// again. These tests feed one observer the shared matrix and another a fresh copy of it (its own
/// storage, so nothing is shared), and require equal state, also when the sharing stops.
@Suite struct SharedMatrixStatisticsTests {
    /// A copy of `m` in storage of its own.
    static func copy(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, data: m.data.map { $0 }) }

    /// Feeds `windows`; `share(w)` says whether block 1's `attn.in` is block 0's `ffn.resid`
    /// matrix itself in window w (else a fresh copy when `sameValues(w)`, else other values);
    /// `skipSource(w)`: block 0's `ffn.resid` is not observed in window w.
    static func run(_ obs: StatisticsObserver, windows: Range<Int>, share: (Int) -> Bool, sameValues: (Int) -> Bool = { _ in true },
                    skipSource: (Int) -> Bool = { _ in false }) {
        for w in windows {
            var rng = SeededGenerator(seed: UInt64(7 + w))
            obs.beginWindow(index: w, tokens: (0..<16).map { Int32($0 + w) })
            var resid = TestData.activations(rows: 16, cols: 12, rng: &rng, nonFinite: w == 1)
            resid[2, 3] = 900 + Float(w)   // massive
            if w == 1 { resid[5, 7] = .nan }
            if !skipSource(w) { obs.observe(block: 0, tap: .ffnResid, value: resid) }
            let next = share(w) ? resid : sameValues(w) ? copy(resid) : TestData.activations(rows: 16, cols: 12, rng: &rng)
            obs.observe(block: 1, tap: .attnIn, value: next)
            obs.observe(block: 1, tap: .attnNorm, value: copy(next))
        }
    }

    static func observer(_ scheduling: StatisticsScheduling) -> StatisticsObserver {
        StatisticsObserver(taps: [.ffnResid, .attnIn, .attnNorm], topK: 4, scheduling: scheduling)
    }

    @Test(arguments: [StatisticsScheduling.inline, .background, .perBlock])
    func aSharedMatrixGivesTheStatisticsOfItsCopy(scheduling: StatisticsScheduling) {
        let shared = Self.observer(scheduling), copied = Self.observer(scheduling)
        Self.run(shared, windows: 0..<4, share: { _ in true })
        Self.run(copied, windows: 0..<4, share: { _ in false })
        #expect(shared.state == copied.state)
        let twin = shared.state.accumulators[TapKey(block: 1, tap: .attnIn)]
        #expect(twin?.windowCount == 4 && (twin?.massive.count ?? 0) >= 4 && (twin?.nonFiniteCount ?? 0) > 0)
    }

    @Test func sharingThatStopsOrStartsLateStillGivesTheTrueStatistics() {
        let cases: [(share: (Int) -> Bool, same: (Int) -> Bool, skip: (Int) -> Bool)] = [
            ({ $0 != 2 }, { $0 != 2 }, { _ in false }),   // window 2: attn.in gets other values
            ({ $0 >= 2 }, { _ in true }, { _ in false }),   // shared only from window 2 on
            ({ _ in true }, { _ in true }, { $0 == 1 }),    // window 1: the source is not observed
        ]
        for c in cases {
            let shared = Self.observer(.inline), copied = Self.observer(.perBlock)
            Self.run(shared, windows: 0..<5, share: c.share, sameValues: c.same, skipSource: c.skip)
            Self.run(copied, windows: 0..<5, share: { _ in false }, sameValues: c.same, skipSource: c.skip)
            #expect(shared.state == copied.state)
        }
    }

    @Test func sharedStorageMeansTheSameMatrixOnly() {
        var rng = SeededGenerator(seed: 1)
        let m = TestData.activations(rows: 4, cols: 6, rng: &rng)
        var changed = m
        changed[0, 0] += 1
        #expect(m.sharesStorage(with: m))
        #expect(!m.sharesStorage(with: Self.copy(m)))
        #expect(!m.sharesStorage(with: changed))
        #expect(!m.sharesStorage(with: Matrix(rows: 6, cols: 4, data: m.data)))
    }
}
