import Foundation

/// A run's headline figures, for the baseline or one variant: massive activations at the block
/// outputs, float perplexity, and each quantization scheme's quality. What findings compare,
/// on the comparison page and in the `--json` summary alike.
public struct Headline: Sendable, Equatable {
    public var massiveCount: Int
    /// Float perplexity over all positions (nil for encoders or when not measured).
    public var floatPerplexity: Double?
    public var schemes: [SchemeHeadline]

    public init(massiveCount: Int, floatPerplexity: Double?, schemes: [SchemeHeadline]) {
        self.massiveCount = massiveCount
        self.floatPerplexity = floatPerplexity
        self.schemes = schemes
    }

    /// The baseline's figures.
    public init(baseline r: RunResult) {
        self.init(massiveCount: r.massiveActivations.count, floatPerplexity: r.perplexity?.allPositions,
                  schemes: (r.quantization ?? []).map(SchemeHeadline.init))
    }

    /// A variant's figures.
    public init(variant v: VariantResult) {
        self.init(massiveCount: v.massiveActivationCount, floatPerplexity: v.perplexity?.allPositions,
                  schemes: (v.quantization ?? []).map(SchemeHeadline.init))
    }
}

/// One scheme's quality: quantized perplexity (decoders) or mean embedding cosine (encoders).
public struct SchemeHeadline: Sendable, Equatable {
    public var name: String
    public var perplexity: Double?
    public var cosine: Double?

    public init(name: String, perplexity: Double?, cosine: Double?) {
        self.name = name
        self.perplexity = perplexity
        self.cosine = cosine
    }

    public init(_ s: SchemeResult) {
        self.init(name: s.name, perplexity: s.endToEnd?.perplexity.allPositions, cosine: s.embedding?.meanCosine)
    }
}

/// One short sentence per variant, computed from the baseline's and the variant's figures, e.g.
/// "removes 96 % of massive activations (792 → 31), float perplexity +0.02 (+0.07 %, exact);
/// W8A8 perplexity 30.16 → 29.61": the trade-off first — massive activations (removes / keeps /
/// adds, with the counts) against the float cost (absolute, relative, exactness) —, then each
/// scheme in the baseline's order then the variant's own (perplexity, or cosine for encoders; a
/// scheme one side lacks is said so).
/// Numbers use `NumberFormat` (4 significant digits). Pure.
public enum VariantFindings {
    public static func sentence(baseline: Headline, variant: Headline, exact: Bool) -> String {
        // What it buys against what it costs in float, first: the line a reviewer quotes.
        var clauses = [massive(baseline.massiveCount, variant.massiveCount) + ", " + float(baseline.floatPerplexity, variant.floatPerplexity, exact: exact)]
        var names = baseline.schemes.map(\.name)
        for s in variant.schemes where !names.contains(s.name) { names.append(s.name) }
        for name in names {
            clauses.append(scheme(name, baseline.schemes.first { $0.name == name }, variant.schemes.first { $0.name == name }))
        }
        return clauses.joined(separator: "; ")
    }

    static func noun(_ n: Int) -> String { n == 1 ? "massive activation" : "massive activations" }

    static func massive(_ b: Int, _ v: Int) -> String {
        switch (b, v) {
        case (0, 0): return "no massive activations before or after"
        case (0, _): return "adds \(NumberFormat.integer(v)) \(noun(v)) (none in the baseline)"
        case (_, 0): return (b == 1 ? "removes the massive activation" : "removes all \(NumberFormat.integer(b)) massive activations") + " (\(counts(b, v)))"
        case _ where v < b: return "removes \(percent(Double(b - v) / Double(b))) of massive activations (\(counts(b, v)))"
        case _ where v == b: return "keeps \(b == 1 ? "the" : "all \(NumberFormat.integer(b))") \(noun(b)) (\(counts(b, v)))"
        default: return "adds \(NumberFormat.integer(v - b)) \(noun(v - b)) (\(counts(b, v)))"
        }
    }

    static func counts(_ b: Int, _ v: Int) -> String { "\(NumberFormat.integer(b)) → \(NumberFormat.integer(v))" }

    /// A fraction in (0, 1) as a whole percentage that never reads 0 % or 100 %.
    static func percent(_ fraction: Double) -> String {
        let p = (fraction * 100).rounded()
        if p < 1 { return "<1 %" }
        if p >= 100 { return ">99 %" }
        return "\(Int(p)) %"
    }

    /// The scheme's metric, and its name: perplexity when both sides have one, else cosine.
    static func metric(_ b: SchemeHeadline?, _ v: SchemeHeadline?) -> (name: String, b: Double?, v: Double?) {
        if b?.perplexity != nil || v?.perplexity != nil { return ("perplexity", b?.perplexity, v?.perplexity) }
        return ("cosine", b?.cosine, v?.cosine)
    }

    static func scheme(_ name: String, _ b: SchemeHeadline?, _ v: SchemeHeadline?) -> String {
        let m = metric(b, v)
        switch (m.b, m.v) {
        case let (x?, y?): return "\(name) \(m.name) \(NumberFormat.significant(x)) → \(NumberFormat.significant(y))"
        case let (nil, y?): return "\(name) \(m.name) \(NumberFormat.significant(y)) (not evaluated on the baseline)"
        case (_?, nil): return "\(name) not evaluated on the variant"
        case (nil, nil): return "\(name) without an end-to-end figure"
        }
    }

    /// A positive number rounded to 2 significant digits, in `NumberFormat.compact` form.
    static func twoDigits(_ x: Double) -> String {
        guard x > 0, x.isFinite else { return NumberFormat.compact(x) }
        let unit = pow(10, (log10(x)).rounded(.down) - 1)
        return NumberFormat.compact((x / unit).rounded() * unit)
    }

    static func float(_ b: Double?, _ v: Double?, exact: Bool) -> String {
        let kind = exact ? "exact" : "lossy"
        guard let b, let v else { return exact ? "exact in float" : "lossy in float (float quality not measured)" }
        let delta = v - b
        if delta == 0 { return "float perplexity unchanged (\(kind))" }
        let sign = delta > 0 ? "+" : "-"
        let relative = b > 0 ? "\(sign)\(twoDigits(abs(delta) / b * 100)) %, " : ""
        return "float perplexity \(sign)\(NumberFormat.compact(abs(delta))) (\(relative)\(kind))"
    }
}

extension VariantResult {
    /// The finding sentence of this variant against `baseline` (`VariantFindings`).
    public func finding(against baseline: RunResult) -> String {
        VariantFindings.sentence(baseline: Headline(baseline: baseline), variant: Headline(variant: self), exact: exact)
    }
}
