import AtlasModels
import AtlasResults
import Foundation

/// One shard's share of one model's calibration windows (`analyze --shard i/N`): the mergeable
/// state (statistics, perplexity sums) instead of a finished result, written as a sidecar
/// `<results>/.partial/<slug>.shard-<i>-of-<N>.json`. `merge` combines the N partials into the
/// `RunResult` of one pass over all windows: every summary field is exact (max, medians of
/// window medians, top-k, massive entries); perplexity agrees to rounding of its sums.
/// Quantization, anatomy and encoder results are not carried (their features are not split).
public struct PartialRun: Codable, Sendable {
    public var shardIndex: Int
    public var shardCount: Int
    public var provenance: Provenance
    public var model: ModelSummary
    public var family: FFNFamily
    public var statistics: StatisticsObserver.State
    public var perplexity: PerplexityAccumulator
    /// Token id (decimal) → text, for every token the statistics refer to.
    public var tokenTexts: [String: String]

    /// Runs the windows of `shard` (window w belongs to shard w mod N) with global window indices.
    public static func compute(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                               taps: Set<TapName>, shard: Shard,
                               progress: (Int, Int) -> Void = { _, _ in }) throws -> PartialRun {
        let windows = try ModelAnalysis.windows(loaded, text: text, options: options)
        let mine = windows.indices.filter(shard.owns)
        let observer = StatisticsObserver(taps: taps, topK: options.topK, criterion: options.criterion,
                                          outlierFactor: options.outlierFactor, scheduling: .perBlock)
        var perplexity = PerplexityAccumulator()
        let decoder = try loaded.decoder()
        for (done, index) in mine.enumerated() {
            observer.beginWindow(index: index, tokens: windows[index])
            let logits = decoder.forward(tokens: windows[index], observer: observer)
            try perplexity.add(logits: logits, tokens: windows[index], window: index)
            progress(done + 1, mine.count)
        }
        var texts: [String: String] = [:]
        let record: (Int32) -> String = { id in
            let t = loaded.tokenizer.tokenText(id)
            texts[String(id)] = t
            return t
        }
        let family = decoder.ffnFamily
        _ = observer.summaries(family: family, tokenText: record)
        _ = observer.massiveActivations(tokenText: record)
        let (provenance, summary) = try ModelAnalysis.describe(loaded, label: label, text: text, options: options,
                                                               windowCount: windows.count)
        return PartialRun(shardIndex: shard.index, shardCount: shard.count, provenance: provenance, model: summary,
                          family: family, statistics: observer.state, perplexity: perplexity, tokenTexts: texts)
    }

    /// The sidecar's file name.
    public var fileName: String { "\(Slug.make(model.label)).shard-\(shardIndex)-of-\(shardCount).json" }

    public static func folder(in results: URL) -> URL { results.appendingPathComponent(".partial") }

    public func write(to results: URL) throws -> URL {
        let url = Self.folder(in: results).appendingPathComponent(fileName)
        try AtomicFile.write(try ResultsJSON.encode(self, .line), to: url)
        return url
    }

    /// The whole result from all N partials of one model (each shard exactly once, same inputs).
    public static func merge(_ parts: [PartialRun], file: String) throws -> RunResult {
        guard let first = parts.first else { throw ResultsError(file: file, detail: "no partial results") }
        let indices = parts.map(\.shardIndex).sorted()
        guard parts.allSatisfy({ $0.shardCount == first.shardCount }), indices == Array(0..<first.shardCount) else {
            throw ResultsError(file: file, detail: "shards \(indices.map(String.init).joined(separator: ", ")) of \(first.shardCount); expected each of 0..<\(first.shardCount) once")
        }
        var reference = first.provenance
        reference.generatedAt = nil
        for p in parts {
            var q = p.provenance
            q.generatedAt = nil
            guard q == reference, p.model == first.model, p.statistics.taps == first.statistics.taps,
                  p.statistics.topK == first.statistics.topK, p.statistics.criterion == first.statistics.criterion else {
                throw ResultsError(file: file, detail: "shard \(p.shardIndex) ran other inputs or settings; expected shards of one analysis")
            }
        }
        let ordered = parts.sorted { $0.shardIndex < $1.shardIndex }
        let observer = StatisticsObserver(state: ordered[0].statistics)
        var perplexity = ordered[0].perplexity
        var texts = ordered[0].tokenTexts
        for p in ordered.dropFirst() {
            observer.merge(StatisticsObserver(state: p.statistics))
            perplexity.merge(p.perplexity)
            texts.merge(p.tokenTexts) { a, _ in a }
        }
        let tokenText: (Int32) -> String = { texts[String($0)] ?? "<\($0)>" }
        return RunResult(provenance: first.provenance, model: first.model, perplexity: try perplexity.result(),
                         taps: observer.summaries(family: first.family, tokenText: tokenText),
                         massiveActivations: observer.massiveActivations(tokenText: tokenText))
    }

    /// The merged results of every model with partials in `folders`, by results file name.
    static func mergeFolders(_ folders: [URL]) throws -> [String: RunResult] {
        var byModel: [String: [PartialRun]] = [:]
        for folder in folders {
            let dir = Self.folder(in: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".json") {
                let url = dir.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    throw ResultsError(file: url.path, detail: "cannot be read")
                }
                let part = try ResultsJSON.decode(PartialRun.self, from: data, file: url.path, what: "a partial result")
                let slug = Slug.make(part.model.label)
                if byModel[slug]?.contains(where: { $0.shardIndex == part.shardIndex }) == true { continue }
                byModel[slug, default: []].append(part)
            }
        }
        return try byModel.mapValues { try merge($0, file: $0[0].model.label) }
    }
}
