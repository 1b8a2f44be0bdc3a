import AtlasAnalysis
import AtlasModels
import Foundation

/// `make bench`: forward-pass throughput of SmolLM2 on 512-token WikiText-2 windows, with and
/// without every tap observed, against the pure GEMM time of the same shapes in the same run.
/// Then the site render time (SiteRenderBench). Prints Markdown tables for BENCHMARKS.md.
/// Usage: atlas-bench [MODEL] [TEXT] [WINDOWS], or `atlas-bench site` for the site render only.
let args = CommandLine.arguments
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
if args.count > 1 && args[1] == "site" {
    try SiteRenderBench.run(root: root)
    exit(0)
}
let modelURL = URL(fileURLWithPath: args.count > 1 ? args[1] : root.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path)
let textURL = URL(fileURLWithPath: args.count > 2 ? args[2] : root.deletingLastPathComponent().appendingPathComponent("shared/data/wikitext-2-raw/wiki.test.raw").path)
let windowCount = args.count > 3 ? Int(args[3]) ?? 3 : 3
let T = 512

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
func line(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

let loadStart = now()
let loaded = try ModelLoader.load(modelURL)
let loadSeconds = now() - loadStart
guard let llama = loaded.model as? LlamaModel else { fatalError("bench expects a LLaMA-family model") }
let text = try CalibrationText.load(textURL, mode: .raw)
let tokStart = now()
let ids = loaded.tokenizer.encode(String(text.prefix(200_000)))
let tokSeconds = now() - tokStart
let windows = try CalibrationWindows.make(tokens: ids, windowSize: T, count: windowCount, bos: loaded.bos, file: textURL.path)

line("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS core \(BLAS.coreName)")
line("model load (GGUF → Float32): \(String(format: "%.2f", loadSeconds)) s; tokenize 200 kB: \(String(format: "%.2f", tokSeconds)) s")
line("")
line("| threads | taps observed | tokens/s | forward s/window | GEMM-only s/window | GEMM share | GEMM GFLOP/s |")
line("|---|---|---|---|---|---|---|")
for threads in [1, 2] {
    BLAS.setThreads(threads)
    var replay = GEMMReplay(config: llama.config, tokens: T)
    replay.run()  // warm-up
    var gemm = Double.infinity
    for _ in 0..<3 {
        let s = now(); replay.run(); gemm = min(gemm, now() - s)
    }
    for observed in [false, true] {
        let observer = observed ? StatisticsObserver(taps: Set(TapName.allCases), topK: 16, criterion: .init()) : nil
        _ = llama.forward(tokens: windows[0], observer: nil)  // warm-up
        var best = Double.infinity, total = 0.0
        for (i, w) in windows.enumerated() {
            observer?.beginWindow(index: i, tokens: w)
            let s = now()
            _ = llama.forward(tokens: w, observer: observer)
            let e = now() - s
            best = min(best, e); total += e
        }
        let mean = total / Double(windows.count)
        line("| \(threads) | \(observed ? "all \(TapName.allCases.count) taps, every block" : "none") | \(String(format: "%.0f", Double(T) / mean)) | \(String(format: "%.3f", mean)) | \(String(format: "%.3f", gemm)) | \(String(format: "%.0f %%", 100 * gemm / mean)) | \(String(format: "%.0f", replay.flops / gemm / 1e9)) |")
    }
}
line("")
line("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")
try SiteRenderBench.run(root: root)
