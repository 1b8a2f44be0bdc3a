import AtlasAnalysis
import AtlasModels
import ArgumentParser
import Foundation

/// `outlier-atlas export`: write a mitigated variant (or the model as loaded) as a Hugging Face
/// safetensors folder or a GGUF file, for use in another runtime.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Apply weight mitigations and write the variant as safetensors (HF folder) or GGUF.",
        discussion: "Mitigations are applied in the order given, each on the previous result. Exit codes as the other commands (2: bad input, nothing written).")

    @Option(name: .long, help: "Model: a GGUF file or a Hugging Face folder (LLaMA family).")
    var model: String

    @Option(name: .long, help: "Calibration text (needed by smoothquant).")
    var text: String?

    @Option(name: .customLong("text-mode"), help: "raw or joined (see analyze).")
    var textMode: TextMode = .raw

    @Option(name: .long, help: "Calibration windows (default: every full window; each mitigation uses its own `windows` key of them).")
    var windows: Int?

    @Option(name: .customLong("window-size"), help: "Tokens per calibration window.")
    var windowSize: Int = 512

    @Option(name: .long, help: "Weight mitigation to apply (repeatable, in order): smoothquant[:alpha=0.5,windows=4], rotation[:seed=0], gamma-smoothing[:mode=lossy|fold,k=5], otc-tuning[:k=3].")
    var mitigation: [String] = []

    @Option(name: .long, help: "safetensors (HF folder), gguf-f32, gguf-f16, or gguf-q8_0, gguf-q4_k, gguf-q6_k (every matrix in that type as llama-quantize --pure writes it; Q4_K/Q6_K fall back to Q5_0/Q8_0 on rows not a multiple of 256).")
    var format: ExportFormat

    @Option(name: .long, help: "Output: a folder (safetensors) or a file (GGUF); must not exist unless empty or --force.")
    var out: String

    @Flag(name: .long, help: "Replace an existing output.")
    var force = false

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard windowSize >= 2 else { throw ValidationError("--window-size must be at least 2, found \(windowSize)") }
        if let windows, windows < 1 { throw ValidationError("--windows must be at least 1, found \(windows)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, found \(threads)") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let specs = try mitigation.map { spec throws(MitigationError) in try MitigationSpecParser.parse(spec) }
        try VariantExport.check(specs, hasCalibration: text != nil)
        let target = URL(fileURLWithPath: out)
        try AtomicOutput.check(target, force: force)
        let progress = Progress("export")
        progress.note("loading \(model)")
        let loaded = try ModelLoader.load(URL(fileURLWithPath: model))
        var calibration: [[Int32]] = []
        if let text, specs.contains(where: { VariantExport.calibrated.contains($0.name) }) {
            let textURL = URL(fileURLWithPath: text)
            guard FileManager.default.fileExists(atPath: textURL.path) else {
                throw AnalysisInputError(file: text, problem: "calibration text not found")
            }
            let options = AnalysisOptions(textMode: textMode, windowSize: windowSize, windowCount: windows)
            calibration = try ModelAnalysis.windows(loaded, text: textURL, options: options)
        }
        let start = Date()
        let result = try VariantExport.export(loaded, specs: specs, calibration: calibration, format: format, to: target, force: force,
                                              report: { progress.note($0) })
        for o in result.outcomes { progress.note("\(o.spec): \(o.exact ? "exact" : "lossy"); " + o.notes.joined(separator: "; ")) }
        progress.note("wrote \(target.path) (\(format.rawValue)) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }
}

extension ExportFormat: ExpressibleByArgument {}
