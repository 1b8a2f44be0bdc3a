import AtlasModels
import AtlasResults
import Foundation

/// Runs one model over the calibration windows with observers attached and gathers a
/// `RunResult`: statistics of the observed taps, massive activations, perplexity, provenance.
public enum ModelAnalysis {
    /// The version written into every result's provenance.
    public static let toolVersion = "0.3.0"

    /// - Parameter progress: called after each window with (done, total).
    /// A perplexity that cannot be computed (non-finite logits) is an `AnalysisInputError`
    /// naming the model file and the text.
    public static func run(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                           taps: Set<TapName> = [.ffnResid], schemes: [QuantScheme] = [],
                           mitigations: [MitigationSpec] = [], against: [Checkpoint] = [],
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> RunResult {
        do {
            return try runUnnamed(loaded, label: label, text: text, options: options, taps: taps, schemes: schemes,
                                  mitigations: mitigations, against: against, progress: progress)
        } catch let error as PerplexityError {
            throw AnalysisInputError(file: loaded.url.path, problem: "\(error) (text \(text.path))")
        }
    }

    static func runUnnamed(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                           taps: Set<TapName>, schemes: [QuantScheme], mitigations: [MitigationSpec],
                           against: [Checkpoint], progress: (Int, Int) -> Void) throws -> RunResult {
        for spec in mitigations { try Mitigations.check(spec, family: loaded.network.family, file: loaded.url.path) }
        let model = try AnalyzedModel(loaded)
        guard let decoder = model.decoder else {
            if let b = against.first {
                throw AnalysisInputError(file: b.loaded.url.path, problem: "--against compares decoders (logits and every tap); \(loaded.url.lastPathComponent) is an encoder")
            }
            return try EncoderAnalysis.run(loaded, model: model, label: label, text: text, options: options,
                                           taps: taps, schemes: schemes, progress: progress)
        }
        let windows = try self.windows(loaded, text: text, options: options)
        let pairs = try against.map { b in
            let pair = try PairLockstep(reference: loaded, against: b.loaded, label: b.label,
                                        tokenStride: options.pairTokenStride, divergenceDB: options.divergenceDB)
            try PairCompatibility.checkWindows(windows, try self.windows(b.loaded, text: text, options: options),
                                               fileA: loaded.url, fileB: b.loaded.url, tokenizer: loaded.tokenizer)
            return pair
        }
        var result = try analyze(model, decoder: decoder, loaded: loaded, windows: windows, label: label, text: text,
                                 options: options, taps: taps, schemes: schemes, pairs: pairs, progress: progress)
        // The baseline's statistics and quantized copies are released by now: each variant
        // holds only its own model and schemes (peak memory of a study with mitigations).
        if !mitigations.isEmpty {
            result.variants = try VariantAnalysis.run(mitigations, loaded: loaded, windows: windows, label: label, text: text,
                                                      options: options, taps: taps, schemes: schemes,
                                                      baselineSinks: result.anatomy?.attentionSinks)
        }
        return result
    }

    /// The analysis of a decoder (baseline or mitigated variant) over `windows`, with every
    /// scheme in lockstep. `loaded` gives the tokenizer and provenance.
    static func analyze(_ model: AnalyzedModel, decoder: any DecoderModel, loaded: LoadedModel, windows: [[Int32]], label: String,
                        text: URL, options: AnalysisOptions, taps: Set<TapName>, schemes: [QuantScheme],
                        pairs: [PairLockstep] = [], progress: (Int, Int) -> Void) throws -> RunResult {
        // Quantization schemes share the float forward: per window one float pass, observed by
        // the statistics and by every scheme, then one quantized pass per scheme.
        // Static (per-tensor) activation scales come from the first windows only, as a deployed
        // model's would come from a calibration set, and stay fixed for every window evaluated.
        let locksteps = try QuantEvaluation.locksteps(schemes, model: model,
                                                      calibration: Array(windows.prefix(QuantEvaluation.staticCalibrationWindows)))
        let observer = StatisticsObserver(taps: taps, topK: options.topK, criterion: options.criterion,
                                          outlierFactor: options.outlierFactor, scheduling: .perBlock)
        let floatObserver = PassComposition.float(statistics: observer,
                                                  trackers: locksteps.map(\.floatObserver) + pairs.map(\.referenceObserver))
        var perplexity = PerplexityAccumulator()
        for (index, window) in windows.enumerated() {
            observer.beginWindow(index: index, tokens: window)
            for pair in pairs { pair.beginWindow(index, tokens: window) }
            let logits = model.pass(tokens: window, observer: floatObserver)
            try perplexity.add(logits: logits, tokens: window, window: index)
            for lockstep in locksteps { try lockstep.compare(tokens: window, window: index, floatLogits: logits) }
            for pair in pairs { try pair.compare(tokens: window, window: index, referenceLogits: logits) }
            progress(index + 1, windows.count)
        }
        let tokenizer = loaded.tokenizer
        let tokenText: (Int32) -> String = { tokenizer.tokenText($0) }
        let family = model.family.ffn
        let (provenance, summary) = try describe(loaded, label: label, text: text, options: options,
                                                 windowCount: windows.count)
        var result = RunResult(provenance: provenance, model: summary,
                               perplexity: try perplexity.result(),
                               taps: observer.summaries(family: family, tokenText: tokenText),
                               massiveActivations: observer.massiveActivations(tokenText: tokenText))
        if options.anatomy {
            result.anatomy = AnatomyAnalysis.make(model: decoder, windows: windows, statistics: observer, tokenText: tokenText)
        }
        if !locksteps.isEmpty { result.quantization = try locksteps.map { try $0.result() } }
        if !pairs.isEmpty { result.pairs = try pairs.map { try $0.result(reference: loaded, tokenText: tokenText) } }
        return result
    }

    /// The calibration windows of `text` for `loaded` (its tokenizer and BOS) under `options`.
    public static func windows(_ loaded: LoadedModel, text: URL, options: AnalysisOptions) throws -> [[Int32]] {
        let content = try CalibrationText.load(text, mode: options.textMode)
        return try CalibrationWindows.make(tokens: loaded.tokenizer.encode(content), windowSize: options.windowSize,
                                           count: options.windowCount, bos: loaded.bos, file: text.path)
    }

    /// The provenance and model summary of a run of `loaded` over `windowCount` windows of `text`.
    public static func describe(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                                windowCount: Int) throws -> (Provenance, ModelSummary) {
        (try provenance(loaded, label: label, text: text, options: options, windowCount: windowCount),
         summary(loaded.network, label: label))
    }

    /// Where a result came from (shared by the decoder and encoder paths).
    static func provenance(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                           windowCount: Int) throws -> Provenance {
        Provenance(
            toolVersion: toolVersion,
            modelLabel: label,
            modelFile: loaded.url.lastPathComponent,
            modelSHA256: try FileHash.sha256(model: loaded.url),
            modelFormat: loaded.format,
            dataFile: text.lastPathComponent,
            dataSHA256: try FileHash.sha256(url: text),
            textMode: options.textMode.rawValue,
            tokenizer: loaded.tokenizer.name,
            bos: loaded.bos != nil,
            windowSize: options.windowSize,
            windowCount: windowCount,
            criterion: options.criterion,
            generatedAt: SourceDate.iso8601())
    }

    static func summary(_ model: any TransformerModel, label: String) -> ModelSummary {
        ModelSummary(
            label: label, architecture: model.architecture, blockCount: model.blockCount,
            hiddenSize: model.hiddenSize, ffnSize: model.ffnSize, headCount: model.headCount,
            kvHeadCount: model.kvHeadCount, vocabSize: model.vocabSize, parameterCount: model.parameterCount)
    }
}

/// The only clock in results: `SOURCE_DATE_EPOCH` when set (reproducible builds), else none.
public enum SourceDate {
    public static func iso8601() -> String? {
        guard let raw = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"],
              let seconds = Int(raw) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// A second checkpoint to compare with the analyzed model (`--against`), loaded, and its label.
public struct Checkpoint: Sendable {
    public var loaded: LoadedModel
    public var label: String

    public init(loaded: LoadedModel, label: String) {
        self.loaded = loaded
        self.label = label
    }
}
