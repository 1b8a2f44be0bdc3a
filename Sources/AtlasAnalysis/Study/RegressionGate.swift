import AtlasResults

/// One metric that got worse than its threshold allows.
public struct Regression: Codable, Sendable, Equatable {
    /// Results file name (without `.json`) the comparison is about.
    public var results: String
    public var metric: String
    /// Where inside the results: `all positions`, `block 3 ffn.resid`, `W8A8 klDivergence`.
    public var location: String
    public var baseline: Double?
    public var current: Double?
    /// Relative change, or absolute in `unit`.
    public var change: Double?
    public var limit: Double
    /// `relative`, `nats`, `dB`, `dims` or `file`.
    public var unit: String
}

/// The outcome of comparing a results folder with a baseline.
public struct GateReport: Codable, Sendable, Equatable {
    public var regressions: [Regression]
    /// Values compared (every rule × location present in both).
    public var comparisons: Int
    /// Results present in both folders.
    public var compared: [String]
    /// Results only in the current folder (not a regression).
    public var added: [String]
    public var thresholds: RegressionThresholds

    public var passed: Bool { regressions.isEmpty }
}

/// Compares current results with a baseline (a previous night's results folder) under
/// `RegressionThresholds`. Table-driven: each `Rule` names a metric, how "worse" is measured,
/// its threshold and where its values are read; adding a metric is one line in `rules`. Pure.
public enum RegressionGate {
    /// How a value gets worse.
    public enum Kind: Sendable {
        /// (current − baseline) / |baseline| above the limit (perplexity, max |x|).
        case relativeIncrease
        /// current − baseline above the limit (KL).
        case absoluteIncrease
        /// baseline − current above the limit (SQNR).
        case absoluteDrop
    }

    /// One compared metric: location → value for a result.
    public struct Rule: Sendable {
        public var metric: String
        public var kind: Kind
        public var unit: String
        public var limit: @Sendable (RegressionThresholds) -> Double
        public var values: @Sendable (RunResult) -> [String: Double]

        public init(metric: String, kind: Kind, unit: String, limit: @escaping @Sendable (RegressionThresholds) -> Double,
                    values: @escaping @Sendable (RunResult) -> [String: Double]) {
            self.metric = metric
            self.kind = kind
            self.unit = unit
            self.limit = limit
            self.values = values
        }
    }

    /// Scheme fields of `RunResult.quantization` whose names contain one of `names`, by
    /// "<scheme> <field path>".
    static func scheme(_ names: Set<String>) -> @Sendable (RunResult) -> [String: Double] {
        { r in
            var out: [String: Double] = [:]
            for (scheme, fields) in SchemeMetrics.numbers(r.quantization ?? []) {
                for (path, v) in fields where SchemeMetrics.path(path, names: names) { out["\(scheme) \(path)"] = v }
            }
            return out
        }
    }

    public static let rules: [Rule] = [
        Rule(metric: "perplexity", kind: .relativeIncrease, unit: "relative", limit: { $0.perplexityIncrease },
             values: { r in r.perplexity.map { ["all positions": $0.allPositions, "second half": $0.secondHalf] } ?? [:] }),
        Rule(metric: "max |x|", kind: .relativeIncrease, unit: "relative", limit: { $0.maxAbsGrowth },
             values: { r in Dictionary(r.taps.map { ("block \($0.block) \($0.tap)", $0.maxAbs) }, uniquingKeysWith: max) }),
        Rule(metric: "scheme perplexity", kind: .relativeIncrease, unit: "relative", limit: { $0.perplexityIncrease },
             values: scheme(["perplexity", "ppl"])),
        Rule(metric: "scheme KL", kind: .absoluteIncrease, unit: "nats", limit: { $0.klIncrease },
             values: scheme(["kl", "kld", "kullback"])),
        Rule(metric: "scheme SQNR", kind: .absoluteDrop, unit: "dB", limit: { $0.sqnrDropDB },
             values: scheme(["sqnr"])),
        Rule(metric: "parity KL", kind: .absoluteIncrease, unit: "nats", limit: { $0.klIncrease },
             values: { r in Dictionary((r.pairs ?? []).compactMap { p in p.endToEnd.map { ("vs \(p.label) KL", $0.klMean) } },
                                       uniquingKeysWith: max) }),
        Rule(metric: "parity SQNR", kind: .absoluteDrop, unit: "dB", limit: { $0.sqnrDropDB },
             values: { r in Dictionary((r.pairs ?? []).flatMap { p in p.taps.map { ("vs \(p.label) block \($0.block) \($0.tap)", $0.sqnrDB) } },
                                       uniquingKeysWith: min) }),
    ]

    /// How much worse `current` is than `baseline` under `kind` (positive = worse).
    static func worsening(_ kind: Kind, baseline: Double, current: Double) -> Double {
        switch kind {
        case .relativeIncrease:
            return baseline == 0 ? (current > 0 ? .infinity : 0) : (current - baseline) / abs(baseline)
        case .absoluteIncrease: return current - baseline
        case .absoluteDrop: return baseline - current
        }
    }

    public static func compare(baseline: [String: RunResult], current: [String: RunResult],
                               thresholds: RegressionThresholds, rules: [Rule] = rules) -> GateReport {
        var regressions: [Regression] = []
        var comparisons = 0
        for name in baseline.keys.sorted() {
            let base = baseline[name]!
            guard let cur = current[name] else {
                regressions.append(Regression(results: name, metric: "results", location: "\(name).json missing",
                                              baseline: nil, current: nil, change: nil, limit: 0, unit: "file"))
                continue
            }
            for rule in rules {
                let before = rule.values(base), after = rule.values(cur), limit = rule.limit(thresholds)
                for location in before.keys.sorted() {
                    // An exact baseline (SQNR +∞, e.g. a lossless pair) that becomes lossy is a drop.
                    guard let b = before[location], let c = after[location], !c.isNaN,
                          b.isFinite || (rule.kind == .absoluteDrop && b == .infinity) else { continue }
                    comparisons += 1
                    let change = worsening(rule.kind, baseline: b, current: c)
                    if change > limit {
                        regressions.append(Regression(results: name, metric: rule.metric, location: location, baseline: b,
                                                      current: c, change: change, limit: limit, unit: rule.unit))
                    }
                }
            }
            comparisons += 1
            let known = Set(base.massiveActivations.map(\.dim))
            let new = Set(cur.massiveActivations.map(\.dim)).subtracting(known).sorted()
            if new.count > thresholds.newMassiveDims {
                regressions.append(Regression(results: name, metric: "new massive dims",
                                              location: "dims " + new.map(String.init).joined(separator: ", "),
                                              baseline: Double(known.count), current: Double(known.count + new.count),
                                              change: Double(new.count), limit: Double(thresholds.newMassiveDims), unit: "dims"))
            }
        }
        return GateReport(regressions: regressions, comparisons: comparisons,
                          compared: baseline.keys.filter { current[$0] != nil }.sorted(),
                          added: current.keys.filter { baseline[$0] == nil }.sorted(), thresholds: thresholds)
    }
}
