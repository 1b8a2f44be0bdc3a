import AtlasModels
import AtlasResults
import Foundation

/// Runs one model over the calibration windows with observers attached and gathers a
/// `RunResult`: statistics of the observed taps, massive activations, perplexity, provenance.
public enum ModelAnalysis {
    /// The version written into every result's provenance.
    public static let toolVersion = "0.1.0"

    /// - Parameter progress: called after each window with (done, total).
    public static func run(_ loaded: LoadedModel, label: String, text: URL, options: AnalysisOptions,
                           taps: Set<TapName> = [.ffnResid], schemes: [QuantScheme] = [],
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> RunResult {
        let content = try CalibrationText.load(text, mode: options.textMode)
        let ids = loaded.tokenizer.encode(content)
        let windows = try CalibrationWindows.make(tokens: ids, windowSize: options.windowSize,
                                                  count: options.windowCount, bos: loaded.bos, file: text.path)
        let model = loaded.model
        // Quantization schemes share the float forward: per window one float pass, observed by
        // the statistics and by every scheme, then one quantized pass per scheme.
        let locksteps = try QuantEvaluation.check(schemes, model: model, file: loaded.url.path).map {
            try QuantEvaluation.locksteps(schemes, model: $0, calibration: windows)
        } ?? []
        let observer = StatisticsObserver(taps: taps, topK: options.topK, criterion: options.criterion)
        let floatObserver: TapObserver = locksteps.isEmpty ? observer : TapObservers([observer] + locksteps.map(\.floatObserver))
        var perplexity = PerplexityAccumulator()
        for (index, window) in windows.enumerated() {
            observer.beginWindow(index: index, tokens: window)
            let logits = model.forward(tokens: window, observer: floatObserver)
            try perplexity.add(logits: logits, tokens: window, window: index)
            for lockstep in locksteps { try lockstep.compare(tokens: window, window: index, floatLogits: logits) }
            progress(index + 1, windows.count)
        }
        let tokenizer = loaded.tokenizer
        let tokenText: (Int32) -> String = { tokenizer.tokenText($0) }
        let family = model.ffnFamily
        let provenance = Provenance(
            toolVersion: toolVersion,
            modelLabel: label,
            modelFile: loaded.url.lastPathComponent,
            modelSHA256: try FileHash.sha256(url: loaded.url),
            modelFormat: loaded.format,
            dataFile: text.lastPathComponent,
            dataSHA256: try FileHash.sha256(url: text),
            textMode: options.textMode.rawValue,
            tokenizer: tokenizer.name,
            bos: loaded.bos != nil,
            windowSize: options.windowSize,
            windowCount: windows.count,
            criterion: options.criterion,
            generatedAt: SourceDate.iso8601())
        let summary = ModelSummary(
            label: label, architecture: model.architecture, blockCount: model.blockCount,
            hiddenSize: model.hiddenSize, ffnSize: model.ffnSize, headCount: model.headCount,
            kvHeadCount: model.kvHeadCount, vocabSize: model.vocabSize, parameterCount: model.parameterCount)
        var result = RunResult(provenance: provenance, model: summary,
                               perplexity: try perplexity.result(),
                               taps: observer.summaries(family: family, tokenText: tokenText),
                               massiveActivations: observer.massiveActivations(tokenText: tokenText))
        if !locksteps.isEmpty { result.quantization = try locksteps.map { try $0.result() } }
        return result
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
