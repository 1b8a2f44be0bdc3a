import AtlasModels
import AtlasResults

/// Identifies one tap of one block; ordered by block, then tap order inside a block.
public struct TapKey: Codable, Sendable, Hashable, Comparable {
    public var block: Int
    public var tap: TapName

    public init(block: Int, tap: TapName) {
        self.block = block
        self.tap = tap
    }

    public static func < (a: TapKey, b: TapKey) -> Bool {
        a.block != b.block ? a.block < b.block : a.tap < b.tap
    }
}

/// A `TapObserver` that keeps one `TapAccumulator` per observed (block, tap).
///
/// Call `beginWindow(index:tokens:)` before each window's forward pass so observations know
/// their window and tokens. One median scratch buffer is shared by all taps. Merge observers of
/// disjoint window sets (e.g. shards) with `merge(_:)`; the state is `Codable` via `state`.
public final class StatisticsObserver: TapObserver {
    /// The mergeable, encodable content of an observer.
    public struct State: Codable, Sendable, Equatable {
        public var taps: Set<TapName>
        public var topK: Int
        public var criterion: MassiveCriterion
        /// k of the channel-outlier rule (absmax > k × median channel absmax).
        public var outlierFactor: Double
        public var accumulators: [TapKey: TapAccumulator]

        public init(taps: Set<TapName>, topK: Int, criterion: MassiveCriterion, outlierFactor: Double = 10,
                    accumulators: [TapKey: TapAccumulator]) {
            self.taps = taps
            self.topK = topK
            self.criterion = criterion
            self.outlierFactor = outlierFactor
            self.accumulators = accumulators
        }

        // Encoded with sorted taps and accumulators sorted by key, so equal states give equal bytes.
        private enum CodingKeys: String, CodingKey { case taps, topK, criterion, outlierFactor, accumulators }
        private struct Entry: Codable { var key: TapKey; var accumulator: TapAccumulator }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            taps = Set(try c.decode([TapName].self, forKey: .taps))
            topK = try c.decode(Int.self, forKey: .topK)
            criterion = try c.decode(MassiveCriterion.self, forKey: .criterion)
            outlierFactor = try c.decodeIfPresent(Double.self, forKey: .outlierFactor) ?? 10
            let entries = try c.decode([Entry].self, forKey: .accumulators)
            accumulators = Dictionary(entries.map { ($0.key, $0.accumulator) }, uniquingKeysWith: { a, _ in a })
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(taps.sorted(), forKey: .taps)
            try c.encode(topK, forKey: .topK)
            try c.encode(criterion, forKey: .criterion)
            try c.encode(outlierFactor, forKey: .outlierFactor)
            try c.encode(accumulators.keys.sorted().map { Entry(key: $0, accumulator: accumulators[$0]!) },
                         forKey: .accumulators)
        }
    }

    /// The accumulators, touched by the background worker while jobs are pending and by the
    /// caller only after `drain()` (the worker's lock orders the two).
    private final class Store: @unchecked Sendable {
        var state: State
        var scratch = MedianScratch()
        /// Keys whose accumulator has received exactly the windows of another key's, the same
        /// matrices each time (see `addTwin`), so it equals that accumulator.
        var twinOf: [TapKey: TapKey] = [:]
        init(_ state: State) { self.state = state }

        func add(_ key: TapKey, _ value: Matrix, window: Int, tokens: [Int32]) {
            twinOf[key] = nil
            var acc = state.accumulators.removeValue(forKey: key)
                ?? StatisticsObserver.makeAccumulator(for: key.tap, state: state)
            acc.add(value, window: window, tokens: tokens, scratch: &scratch)
            state.accumulators[key] = acc
        }

        /// `key` sees the very matrix `source` was just given in this window (the residual stream
        /// is `ffn.resid` of one block and `attn.in` of the next). When `key`'s accumulator has
        /// so far been fed what `source`'s was, adding the same window again would give `source`'s
        /// accumulator bit for bit (`add` is a function of the matrix, the window and the tokens),
        /// so it is copied instead of computed; otherwise the window is added as usual.
        func add(_ job: PendingTap) {
            if let twin = job.twin { addTwin(job.key, of: twin, job.value, window: job.window, tokens: job.tokens) }
            else { add(job.key, job.value, window: job.window, tokens: job.tokens) }
        }

        /// Adds `jobs` (one block's taps) on every core, one tap per task, the largest first;
        /// then, in order, the twins (which copy an accumulator another job may just have made).
        func addAll(_ jobs: [PendingTap], pool: ScratchPool) {
            var plain: [PendingTap] = [], twins: [PendingTap] = []
            var seen = Set<TapKey>()
            for job in jobs {
                // A key twice in one batch (not in a forward pass) keeps its order: done serially.
                if job.twin == nil && seen.insert(job.key).inserted { plain.append(job) } else { twins.append(job) }
            }
            plain.sort { $0.value.count > $1.value.count }
            var accumulators = plain.map { job -> TapAccumulator in
                twinOf[job.key] = nil
                return state.accumulators.removeValue(forKey: job.key)
                    ?? StatisticsObserver.makeAccumulator(for: job.key.tap, state: state)
            }
            accumulators.withUnsafeMutableBufferPointer { accs in
                let slots = accs
                ParallelLoop.run(plain.count) { i in
                    var scratch = pool.take()
                    slots[i].add(plain[i].value, window: plain[i].window, tokens: plain[i].tokens, scratch: &scratch)
                    pool.give(scratch)
                }
            }
            for (job, acc) in zip(plain, accumulators) { state.accumulators[job.key] = acc }
            for job in twins { add(job) }
        }

        func addTwin(_ key: TapKey, of source: TapKey, _ value: Matrix, window: Int, tokens: [Int32]) {
            let fresh = StatisticsObserver.makeAccumulator(for: key.tap, state: state)
            if let theirs = state.accumulators[source], theirs.sameSettings(as: fresh),
               let mine = state.accumulators[key] ?? (theirs.windowCount == 1 ? fresh : nil),
               mine.windowCount + 1 == theirs.windowCount, twinOf[key] == source || mine.windowCount == 0 {
                state.accumulators[key] = theirs
                twinOf[key] = source
            } else {
                add(key, value, window: window, tokens: tokens)
            }
        }
    }

    private let store: Store
    public let scheduling: StatisticsScheduling
    private let worker: AccumulationWorker?
    /// `.perBlock`: this block's taps, not yet added.
    private var pending: [PendingTap] = []
    private let pool = ScratchPool()
    public private(set) var window: Int?
    public private(set) var tokens: [Int32] = []
    /// The last matrix observed in this window, to recognise the same matrix at the next tap.
    private var previous: (key: TapKey, value: Matrix)?

    /// Everything accumulated so far (waits for background work, adds pending taps).
    public var state: State {
        worker?.drain()
        flush()
        return store.state
    }

    /// Adds the queued taps of `.perBlock`.
    private func flush() {
        guard !pending.isEmpty else { return }
        store.addAll(pending, pool: pool)
        pending.removeAll(keepingCapacity: true)
    }

    /// Observes `taps` of every block (default: the block output `ffn.resid`), computing the
    /// statistics as `scheduling` says; reading any result waits for them.
    public init(taps: Set<TapName> = [.ffnResid], topK: Int = 16, criterion: MassiveCriterion = MassiveCriterion(),
                outlierFactor: Double = 10, scheduling: StatisticsScheduling = .inline) {
        store = Store(State(taps: taps, topK: topK, criterion: criterion, outlierFactor: outlierFactor, accumulators: [:]))
        self.scheduling = scheduling
        worker = scheduling == .background ? AccumulationWorker() : nil
    }

    /// Observes the taps matching `patterns` (`ffn.*`, `attn.q`, `*`; see `TapPattern`).
    public convenience init(patterns: [String], topK: Int = 16, criterion: MassiveCriterion = MassiveCriterion(),
                            outlierFactor: Double = 10, scheduling: StatisticsScheduling = .inline) throws {
        self.init(taps: try TapPattern.select(patterns), topK: topK, criterion: criterion, outlierFactor: outlierFactor,
                  scheduling: scheduling)
    }

    /// Restores an observer from encoded state.
    public init(state: State) {
        store = Store(state)
        scheduling = .inline
        worker = nil
    }

    deinit { worker?.stop() }

    /// Taps whose window median is computed exactly: the residual stream (where the massive
    /// criterion of DESIGN §4 is defined) and the down projection around it (y6 input, y7
    /// output), where massive activations are born. Other taps use the cell estimate, except
    /// `attn.probs`, which gets moments and top-k only (see `TapAccumulator.distribution`).
    public static let exactMedianTaps: Set<TapName> = [.attnIn, .attnResid, .ffnIn, .ffnResid, .ffnDownIn, .ffnDownOut]

    /// A new accumulator for `tap` with the settings of `state`.
    static func makeAccumulator(for tap: TapName, state: State) -> TapAccumulator {
        TapAccumulator(topK: state.topK, criterion: state.criterion, exactMedian: exactMedianTaps.contains(tap),
                       outlierFactor: tap == .attnProbs ? nil : state.outlierFactor, distribution: tap != .attnProbs)
    }

    public var taps: Set<TapName> { state.taps }
    public var accumulators: [TapKey: TapAccumulator] { state.accumulators }

    /// Sets the window that the following `observe` calls belong to.
    public func beginWindow(index: Int, tokens: [Int32]) {
        flush()
        window = index
        self.tokens = tokens
        previous = nil
    }

    public func wants(block: Int, tap: TapName) -> Bool { store.state.taps.contains(tap) }

    public func observe(block: Int, tap: TapName, value: Matrix) {
        guard store.state.taps.contains(tap) else { return }
        guard let window else { preconditionFailure("StatisticsObserver.observe before beginWindow(index:tokens:)") }
        let key = TapKey(block: block, tap: tap), tokens = tokens, store = store
        let twin = previous.flatMap { value.sharesStorage(with: $0.value) ? $0.key : nil }
        previous = (key, value)
        let job = PendingTap(key: key, value: value, window: window, tokens: tokens, twin: twin)
        switch scheduling {
        case .inline: store.add(job)
        case .background: worker!.submit(values: twin == nil ? value.count : 0) { store.add(job) }
        case .perBlock:
            if let last = pending.last, last.key.block != block || pendingValues + value.count > Self.pendingLimit { flush() }
            pending.append(job)
        }
    }

    /// `.perBlock` adds the queue early when it holds more values than this (128 MiB).
    static let pendingLimit = 32 << 20
    private var pendingValues: Int { pending.reduce(0) { $0 + $1.value.count } }

    /// Adds the windows observed by `other` (same taps, k and criterion).
    public func merge(_ other: StatisticsObserver) {
        let theirs = other.state, mine = state   // both flushed
        precondition(theirs.taps == mine.taps && theirs.topK == mine.topK
                     && theirs.criterion == mine.criterion && theirs.outlierFactor == mine.outlierFactor,
                     "StatisticsObserver.merge: different configuration")
        store.twinOf = [:]
        for (key, acc) in theirs.accumulators {
            if var own = store.state.accumulators.removeValue(forKey: key) {
                own.merge(acc)
                store.state.accumulators[key] = own
            } else {
                store.state.accumulators[key] = acc
            }
        }
    }

    /// One summary per observed (block, tap), in block order then tap order.
    public func summaries(family: FFNFamily, tokenText: (Int32) -> String) -> [TapSummary] {
        let state = self.state
        return state.accumulators.keys.sorted().map { key in
            state.accumulators[key]!.summary(block: key.block, tap: key.tap, yIndex: family.yIndex(key.tap),
                                             tokenText: tokenText)
        }
    }

    /// Every massive entry at the block output `ffn.resid` (layer = block index), sorted by
    /// (layer, window, position, dim). Empty when `ffn.resid` is not observed.
    public func massiveActivations(tokenText: (Int32) -> String) -> [LocatedActivation<Double>] {
        let state = self.state
        return state.accumulators.keys.filter { $0.tap == .ffnResid }.sorted().flatMap { key in
            state.accumulators[key]!.massive.map {
                LocatedActivation(layer: key.block, window: $0.window, position: $0.position, dim: $0.dim,
                                  value: Double($0.value), token: tokenText($0.token))
            }
        }
    }
}
