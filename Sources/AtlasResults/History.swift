/// One line of `<results>/history.jsonl`: one model (unit) in one run. Append-only; the site
/// offers each model's lines as a download, `HistorySeries.make` turns them into series.
public struct HistoryEntry: Codable, Sendable, Equatable {
    /// The run: `--run-id`, else the SOURCE_DATE_EPOCH date, else `run-<n>`.
    public var run: String
    /// ISO-8601 from SOURCE_DATE_EPOCH, nil when unset.
    public var date: String?
    /// The analyzed code's commit (`--commit`), when given.
    public var commit: String?
    /// The results label (`RunResult.model.label`).
    public var model: String
    /// The unit's cache key (equal keys: the numbers did not change).
    public var key: String?
    /// Largest |x| at any block output (`ffn.resid`), where massive activations live.
    public var maxAbs: Double?
    public var massiveCount: Int
    /// Float perplexity, all positions.
    public var perplexity: Double?
    /// Scheme name → the quantized model's own perplexity, all positions
    /// (`SchemeResult.endToEnd.perplexity`; decoders only).
    public var schemePerplexity: [String: Double]
    /// Second checkpoint label → KL(this ‖ it) in nats (`PairResult.endToEnd.klMean`); nil
    /// without pairs (lines written before pairs existed decode unchanged).
    public var pairKL: [String: Double]?

    public init(run: String, date: String?, commit: String?, model: String, key: String?, maxAbs: Double?,
                massiveCount: Int, perplexity: Double?, schemePerplexity: [String: Double], pairKL: [String: Double]? = nil) {
        self.run = run
        self.date = date
        self.commit = commit
        self.model = model
        self.key = key
        self.maxAbs = maxAbs
        self.massiveCount = massiveCount
        self.perplexity = perplexity
        self.schemePerplexity = schemePerplexity
        self.pairKL = pairKL
    }

    /// The entry of `result` in run `run`.
    public init(result: RunResult, run: String, date: String?, commit: String?, key: String?) {
        let outputs = result.taps.filter { $0.tap == "ffn.resid" }.map(\.maxAbs)
        var schemes: [String: Double] = [:]
        for scheme in result.quantization ?? [] {
            if let endToEnd = scheme.endToEnd { schemes[scheme.name] = endToEnd.perplexity.allPositions }
        }
        var pairs: [String: Double] = [:]
        for pair in result.pairs ?? [] { if let e = pair.endToEnd { pairs[pair.label] = e.klMean } }
        self.init(run: run, date: date, commit: commit, model: result.model.label, key: key,
                  maxAbs: outputs.max(), massiveCount: result.massiveActivations.count,
                  perplexity: result.perplexity?.allPositions, schemePerplexity: schemes,
                  pairKL: pairs.isEmpty ? nil : pairs)
    }
}

/// One metric of one model over runs, in file order: what a trend chart draws.
public struct HistorySeries: Sendable, Equatable {
    /// One run's value.
    public struct Point: Sendable, Equatable {
        public var run: String
        public var date: String?
        public var value: Double
    }

    public var model: String
    /// `max_abs`, `massive_count`, `perplexity`, `perplexity[<scheme>]`, or `kl[<second checkpoint>]`.
    public var metric: String
    public var points: [Point]

    /// Series per (model, metric), sorted by model then metric; each series in run order, a
    /// later line for the same run replacing an earlier one. Pure.
    public static func make(_ entries: [HistoryEntry]) -> [HistorySeries] {
        var points: [String: [String: [Point]]] = [:]
        func add(_ e: HistoryEntry, _ metric: String, _ value: Double?) {
            guard let value else { return }
            var list = points[e.model, default: [:]][metric, default: []]
            list.removeAll { $0.run == e.run }
            list.append(Point(run: e.run, date: e.date, value: value))
            points[e.model, default: [:]][metric] = list
        }
        for e in entries {
            add(e, "max_abs", e.maxAbs)
            add(e, "massive_count", Double(e.massiveCount))
            add(e, "perplexity", e.perplexity)
            for (scheme, v) in e.schemePerplexity { add(e, "perplexity[\(scheme)]", v) }
            for (label, v) in e.pairKL ?? [:] { add(e, "kl[\(label)]", v) }
        }
        return points.keys.sorted().flatMap { model in
            points[model]!.keys.sorted().map { HistorySeries(model: model, metric: $0, points: points[model]![$0]!) }
        }
    }
}
