import AtlasAnalysis
import AtlasModels
import Foundation

/// `make bench`: forward-pass throughput of SmolLM2 on 512-token WikiText-2 windows, with and
/// without every tap observed, against the pure GEMM time of the same shapes in the same run.
/// Then all-MiniLM-L6-v2 (MiniLMBench.swift), the statistics kernels, quantized evaluation and
/// the site render time (SiteRenderBench). Prints Markdown tables for BENCHMARKS.md.
/// Usage: atlas-bench [MODEL] [TEXT] [WINDOWS] | --statistics | site | peer WINDOWS_JSON [MODEL] [TEXT] [WINDOWS]
/// `atlas-bench --statistics` runs only the statistics part (no model needed); `atlas-bench site`
/// only the site render.
let commandLine = CommandLine.arguments
AllocatorTuning.keepFreedBlocks()
if commandLine.dropFirst().first == "--statistics" {
    StatisticsBench.report { print($0) }
    exit(0)
}
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
if commandLine.count > 1 && commandLine[1] == "site" {
    try SiteRenderBench.run(root: root)
    exit(0)
}
// `peer WINDOWS_JSON` (make bench-peer): the other arguments shift by two.
let peerFile = commandLine.count > 2 && commandLine[1] == "peer" ? URL(fileURLWithPath: commandLine[2]) : nil
let args = peerFile == nil ? commandLine : [commandLine[0]] + commandLine.dropFirst(3)
let modelURL = URL(fileURLWithPath: args.count > 1 ? args[1] : root.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path)
let textURL = URL(fileURLWithPath: args.count > 2 ? args[2] : root.deletingLastPathComponent().appendingPathComponent("shared/data/wikitext-2-raw/wiki.test.raw").path)
let windowCount = args.count > 3 ? Int(args[3]) ?? 3 : 3
let T = 512

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
/// CPU seconds of the whole process (all threads): robust to other load on a shared machine.
func processCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
func line(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

let loadStart = now()
let loaded = try ModelLoader.load(modelURL)
let loadSeconds = now() - loadStart
guard let llama = loaded.network as? LlamaModel else { fatalError("bench expects a LLaMA-family model") }
let text = try CalibrationText.load(textURL, mode: .raw)
let tokStart = now()
let ids = loaded.tokenizer.encode(String(text.prefix(200_000)))
let tokSeconds = now() - tokStart
let windows = try CalibrationWindows.make(tokens: ids, windowSize: T, count: windowCount, bos: loaded.bos, file: textURL.path)

if let peerFile {
    BLAS.setThreads(Int(ProcessInfo.processInfo.environment["ATLAS_THREADS"] ?? "") ?? 2)
    let quantized = try LlamaGGUFLoader.load(try GGUFFile(url: modelURL), weights: .quantized)
    try PeerBench.run(llama, quantized: quantized, windows: windows, windowsFile: peerFile, time: now)
    exit(0)
}
line("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS core \(BLAS.coreName)")
line("model load (GGUF → Float32): \(String(format: "%.2f", loadSeconds)) s; tokenize 200 kB: \(String(format: "%.2f", tokSeconds)) s")
line("")
line("| threads | taps observed | tokens/s | forward s/window | CPU s/window | overhead (wall / CPU) | GEMM-only s/window | GEMM share | GEMM GFLOP/s |")
line("|---|---|---|---|---|---|---|---|---|")
// ATLAS_BENCH_ONLY=quant skips the forward-pass table (only the quantization table below).
let quantOnly = ProcessInfo.processInfo.environment["ATLAS_BENCH_ONLY"] == "quant"
for threads in quantOnly ? [] : [1, 2] {
    BLAS.setThreads(threads)
    var replay = GEMMReplay(shapes: .llama(llama.config, tokens: T))
    replay.run()  // warm-up
    var gemm = Double.infinity
    for _ in 0..<3 {
        let s = now(); replay.run(); gemm = min(gemm, now() - s)
    }
    var plain = (wall: 0.0, cpu: 0.0)
    let schedulings: [String: StatisticsScheduling] = ["inline": .inline, "background": .background, "per block": .perBlock]
    for mode in ["none", "inline", "background", "per block"] {
        let observed = mode != "none"
        let observer = observed
            ? StatisticsObserver(taps: Set(TapName.allCases), topK: 16, criterion: .init(), scheduling: schedulings[mode]!) : nil
        _ = llama.forward(tokens: windows[0], observer: nil)  // warm-up
        // Best of the windows: the least disturbed by other load on a shared machine.
        var best = Double.infinity, bestCPU = Double.infinity
        for (i, w) in windows.enumerated() {
            observer?.beginWindow(index: i, tokens: w)
            let s = now(), c = processCPU()
            _ = llama.forward(tokens: w, observer: observer)
            _ = observer?.state  // waits for background statistics: they count
            best = min(best, now() - s); bestCPU = min(bestCPU, processCPU() - c)
        }
        if !observed { plain = (best, bestCPU) }
        let overhead = observed
            ? String(format: "+%.0f %% / +%.0f %%", 100 * (best / plain.wall - 1), 100 * (bestCPU / plain.cpu - 1)) : "—"
        line("| \(threads) | \(observed ? "every tap of every block, \(mode)" : "none") | \(String(format: "%.0f", Double(T) / best)) | \(String(format: "%.3f", best)) | \(String(format: "%.3f", bestCPU)) | \(overhead) | \(String(format: "%.3f", gemm)) | \(String(format: "%.0f %%", 100 * gemm / best)) | \(String(format: "%.0f", replay.flops / gemm / 1e9)) |")
    }
}
// ATLAS_BENCH_ONLY=forward stops after the forward-pass table (any LLaMA-family or Gemma GGUF).
if ProcessInfo.processInfo.environment["ATLAS_BENCH_ONLY"] == "forward" {
    line("")
    line("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")
    exit(0)
}
if !quantOnly {
    try MiniLMBench.run(model: root.appendingPathComponent("models/all-MiniLM-L6-v2"), text: textURL)
    line("")
    BLAS.setThreads(1)
    StatisticsBench.report(line: line)
}
line("")
line("Quantized evaluation in lockstep (layer SQNRs on every \(QuantLockstep.defaultTokenStride)th token):")
line("")
try QuantBench.run(llama, windows: windows, threads: [1, 2], line: line)
line("")
line("The same lockstep as `analyze` runs it, against the every-tap observed float forward:")
line("")
try QuantBench.againstObserved(llama, windows: windows, threads: [1, 2], line: line)
line("")
line("Where a lockstep window goes (CPU s per window, 1 BLAS thread):")
line("")
try QuantBench.breakdown(llama, windows: windows, line: line)
line("")
line("peak RSS: \(String(format: "%.0f", peakRSSMiB())) MiB")
try SiteRenderBench.run(root: root)
line("")
try MitigationBench.run(llama, windows: windows, time: now, line: line)
