import AtlasAnalysis
import AtlasModels
import AtlasResults
import ArgumentParser
import Foundation

/// `outlier-atlas analyze`: the quick path for one model, without a study file.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run one model over calibration text and write its results JSON.")

    @Option(name: .long, help: "Model: a GGUF file or a Hugging Face folder (config.json + safetensors).")
    var model: String

    @Option(name: .long, help: "Calibration text file (UTF-8).")
    var text: String

    @Option(name: .long, help: "Number of windows (default: every full window of the text).")
    var windows: Int?

    @Option(name: .customLong("window-size"), help: "Tokens per window.")
    var windowSize: Int = 512

    @Option(name: .customLong("text-mode"),
            help: "raw: the file's bytes unchanged (llama.cpp perplexity); joined: lines joined with a blank line between them (GPTQ/SmoothQuant/QuaRot on WikiText-2 rows).")
    var textMode: TextMode = .raw

    @Option(name: .long, help: "Label shown in results and on the site (default: the file name).")
    var label: String?

    @Option(name: .long, help: "Folder for the results JSON.")
    var out: String = "results"

    @Option(name: .long, help: "Quantization scheme to simulate (repeatable): W8A8, W8A16, W4A16, W4A16-g128, W4A8, W6A6, W4A4, W8A8-static, W4A8-static, FP8, a GGUF type (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K) or a spec such as 'w=int4,asym,g64; a=int8,token'.")
    var scheme: [String] = []

    @Option(name: .long, help: "Mitigation to analyze as a variant next to the baseline (repeatable): smoothquant[:alpha=0.5,windows=4], rotation[:seed=0], tma-removal[:mode=zero|clamp|mean,block=all|N,bias=none|sink|token], prefix-sink[:tokens=auto|ID,…,windows=4], gamma-smoothing[:mode=lossy|fold,k=5], otc-tuning[:k=3], clip[:target=activations|weights,percentile=99.9,windows=4], int8-mixed[:threshold=6.0].")
    var mitigation: [String] = []

    @Flag(name: .long, help: "Print a summary object on stdout (perplexity, massive activations, quantization).")
    var json = false

    @Option(name: .long, help: "Analyze only windows w with w mod N = i (i/N) and write mergeable partial state to <out>/.partial/ (combine with `merge`).")
    var shard: Shard?

    @OptionGroup var tuning: AnalysisTuning

    @OptionGroup var weightOptions: WeightOptions

    @OptionGroup var pairOptions: PairOptions

    func validate() throws {
        guard windowSize >= 2 else { throw ValidationError("--window-size must be at least 2, found \(windowSize)") }
        if let windows, windows < 1 { throw ValidationError("--windows must be at least 1, found \(windows)") }
        do { _ = try schemes() } catch let error as QuantSchemeError { throw ValidationError("--scheme: \(error)") }
        do { _ = try mitigations() } catch { throw ValidationError("--mitigation: \(error)") }
    }

    func mitigations() throws(MitigationError) -> [MitigationSpec] {
        try mitigation.map { spec throws(MitigationError) in try MitigationSpecParser.parse(spec) }
    }

    func schemes() throws -> [QuantScheme] {
        let parsed = try scheme.map { spec throws(QuantSchemeError) in try QuantSchemeParser.parse(spec) }
        if let dup = Dictionary(grouping: parsed, by: \.name).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("--scheme: '\(dup)' is given twice")
        }
        return parsed
    }

    func run() throws {
        BLAS.setThreads(tuning.threads)
        let modelURL = URL(fileURLWithPath: model)
        let textURL = URL(fileURLWithPath: text)
        guard FileManager.default.fileExists(atPath: textURL.path) else {
            throw AnalysisInputError(file: text, problem: "calibration text not found")
        }
        let name = label ?? modelURL.lastPathComponent
        let progress = Progress(name)
        progress.note("loading \(model)")
        let loaded = try ModelLoader.load(modelURL, weights: weightOptions.policy)
        if let line = loaded.weightsNote { progress.note(line) }
        var options = AnalysisOptions(textMode: textMode, windowSize: windowSize, windowCount: windows,
                                      criterion: tuning.criterion, topK: tuning.topK, outlierFactor: tuning.outlierFactor)
        pairOptions.apply(to: &options)
        if let shard {
            guard pairOptions.against.isEmpty else {
                throw AnalysisInputError(file: pairOptions.against[0], problem: "--against runs whole windows in lockstep; it cannot be sharded (leave out --shard)")
            }
            let part = try PartialRun.compute(loaded, label: name, text: textURL, options: options,
                                              taps: try tuning.tapSet(), shard: shard, progress: progress.update)
            let file = try part.write(to: URL(fileURLWithPath: out))
            progress.note("partial results (shard \(shard)): \(file.path)")
            if json { print(try NightlySummary.json(["partial_file": file.path, "shard": shard.description])) }
            return
        }
        let against = try pairOptions.load(weights: weightOptions.policy, progress: progress)
        let result = try ModelAnalysis.run(loaded, label: name, text: textURL, options: options,
                                           taps: try tuning.tapSet(), schemes: try schemes(), mitigations: try mitigations(),
                                           against: against, progress: progress.update)
        let file = try ResultsStore.write(result, to: URL(fileURLWithPath: out))
        progress.note("results: \(file.path)")
        if json {
            print(try JSONSummary.make(result, resultsFile: file.path))
        }
    }
}

extension TextMode: ExpressibleByArgument {}

/// Options shared by `analyze` and `build`: threads, criteria, which taps to observe.
struct AnalysisTuning: ParsableArguments {
    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("massive-absolute"), help: "Massive activation: |x| must exceed this.")
    var massiveAbsolute: Double = 100

    @Option(name: .customLong("massive-relative"), help: "Massive activation: |x| must exceed this times the median |x| of the hidden state.")
    var massiveRelative: Double = 1000

    @Option(name: .customLong("outlier-factor"), help: "Channel-wise outlier: channel max |x| > this times the median channel max |x| of the tap.")
    var outlierFactor: Double = 10

    @Option(name: .customLong("top-k"), help: "Largest activations kept per tap.")
    var topK: Int = 16

    @Option(name: .long, help: "Taps to observe in every block: comma-separated names or patterns (e.g. ffn.resid,attn.q or 'ffn.*'), '*' or 'all'.")
    var taps: String = "all"

    var criterion: MassiveCriterion { MassiveCriterion(absolute: massiveAbsolute, relative: massiveRelative) }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, found \(threads)") }
        guard massiveAbsolute >= 0, massiveRelative >= 0 else { throw ValidationError("massive-activation thresholds must be >= 0") }
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, found \(topK)") }
        guard outlierFactor > 1 else { throw ValidationError("--outlier-factor must be above 1, found \(outlierFactor)") }
        _ = try tapSet()
    }

    /// The block output is always observed (massive activations are defined there).
    func tapSet() throws -> Set<TapName> {
        if taps == "all" { return Set(TapName.allCases) }
        do {
            return try TapPattern.select([taps], field: "--taps").union([.ffnResid])
        } catch {
            throw ValidationError(error.description)
        }
    }
}
