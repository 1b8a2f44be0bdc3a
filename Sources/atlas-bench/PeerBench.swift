import AtlasAnalysis
import AtlasModels
import Foundation

/// `atlas-bench peer WINDOWS_JSON`: the OutlierAtlas side of `make bench-peer`. Writes the
/// windows (token ids, exactly those of the forward table) to WINDOWS_JSON for the PyTorch side,
/// then answers one command per stdin line with the best seconds per window over all windows:
/// `bare` (no observers), `taps` (every tap of every block observed, statistics included),
/// `gemm` (the GEMM replay of the same shapes), `quantized` (no observers, the weights kept in
/// their GGUF blocks and dequantized per product: the price of the low-memory path). The driver (scripts/peer/bench_peer.py)
/// alternates these with the PyTorch forward, so both see the same machine load.
enum PeerBench {
    static func run(_ model: LlamaModel, quantized: LlamaModel, windows: [[Int32]], windowsFile: URL, time: () -> Double) throws {
        try JSONEncoder().encode(windows).write(to: windowsFile)
        var replay = GEMMReplay(shapes: .llama(model.config, tokens: windows[0].count))
        replay.run()
        _ = model.forward(tokens: windows[0], observer: nil)  // warm-up
        line("ready \(BLAS.threads)")
        while let command = readLine() {
            var best = Double.infinity
            switch command {
            case "gemm":
                for _ in windows { let s = time(); replay.run(); best = min(best, time() - s) }
            case "quantized":
                for w in windows { let s = time(); _ = quantized.forward(tokens: w, observer: nil); best = min(best, time() - s) }
            case "bare", "taps":
                let observer = command == "taps"
                    ? StatisticsObserver(taps: Set(TapName.allCases), topK: 16, criterion: .init(), scheduling: .perBlock) : nil
                for (i, w) in windows.enumerated() {
                    observer?.beginWindow(index: i, tokens: w)
                    let s = time()
                    _ = model.forward(tokens: w, observer: observer)
                    _ = observer?.state  // waits for the background statistics: they count
                    best = min(best, time() - s)
                }
            case "quit": return
            default:
                line("error unknown command \(command)")
                continue
            }
            line(String(format: "%.6f", best))
        }
    }
}
