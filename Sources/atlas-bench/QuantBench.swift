import AtlasAnalysis
import AtlasModels
import Foundation

/// The cost of a quantized evaluation in lockstep (float forward observed for local SQNR and
/// reference outputs, quantized forward with fake quantization, perplexity, KL, top-1) against
/// one plain float forward of the same window. Budget: at most 2.3×.
///
/// Float and lockstep alternate window by window, so a change in machine load hits both; the
/// median of the per-window ratios resists load spikes. Both wall time and process CPU time
/// (all threads) are reported: on a machine shared with other jobs, CPU time is the steadier
/// measure of the work, wall time the one a user waits for.
enum QuantBench {
    static let schemes = ["W8A8", "W4A16", "W4A16-g128"]

    struct Clock {
        var wall: Double
        var cpu: Double

        static func now() -> Clock { Clock(wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, cpu: processCPU()) }

        static func - (a: Clock, b: Clock) -> Clock { Clock(wall: a.wall - b.wall, cpu: a.cpu - b.cpu) }
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Where a lockstep window goes (CPU seconds per window): float forward observed for the
    /// layer SQNRs, quantized forward with its interventions, and the rest (metrics).
    static func breakdown(_ model: LlamaModel, windows: [[Int32]], line: (String) -> Void) throws {
        BLAS.setThreads(1)
        line("| scheme | float forward | float forward, observed | quantized forward, no intervention | compare (quantized forward + metrics) |")
        line("|---|---|---|---|---|")
        for name in schemes {
            let analyzed = AnalyzedModel(decoder: model)
            let prepared = try PreparedScheme(try QuantSchemeParser.parse(name), model: analyzed)
            let lockstep = QuantLockstep(prepared, model: analyzed, calibration: [])
            var t = [Double](repeating: 0, count: 4)
            for (i, w) in windows.enumerated() {
                let a = Clock.now(); _ = model.forward(tokens: w, observer: nil)
                let b = Clock.now(); let f = model.forward(tokens: w, observer: lockstep.floatObserver)
                let c = Clock.now(); _ = prepared.quantized.pass(tokens: w, observer: nil)
                let d = Clock.now(); try lockstep.compare(tokens: w, window: i, floatLogits: f)
                let e = Clock.now()
                t[0] += (b - a).cpu; t[1] += (c - b).cpu; t[2] += (d - c).cpu; t[3] += (e - d).cpu
            }
            line("| \(name) | " + t.map { String(format: "%.3f", $0 / Double(windows.count)) }.joined(separator: " | ") + " |")
        }
    }

    /// The lockstep as `analyze` runs it: the float pass observed for every tap's statistics
    /// *and* by the scheme's tracker, then the quantized pass with the metrics, against the
    /// every-tap observed float pass alone (issue 15: at most 2.0×). Alternated per window;
    /// medians of the per-window ratios.
    static func againstObserved(_ model: LlamaModel, windows: [[Int32]], threads: [Int], line: (String) -> Void) throws {
        line("| scheme | BLAS threads | observed float forward s/window (wall) | observed + lockstep s/window (wall) | median ratio, wall | median ratio, CPU (budget 2.0×) |")
        line("|---|---|---|---|---|---|")
        for t in threads {
            BLAS.setThreads(t)
            for name in schemes {
                let analyzed = AnalyzedModel(decoder: model)
                let prepared = try PreparedScheme(try QuantSchemeParser.parse(name), model: analyzed)
                let lockstep = QuantLockstep(prepared, model: analyzed, calibration: [])
                var float = 0.0, total = 0.0, wallRatios: [Double] = [], cpuRatios: [Double] = []
                for (i, w) in windows.enumerated() {
                    // As `ModelAnalysis`: statistics on a background thread, waited for at the end.
                    let alone = StatisticsObserver(taps: Set(TapName.allCases), topK: 16, criterion: .init(), scheduling: .perBlock)
                    let shared = StatisticsObserver(taps: Set(TapName.allCases), topK: 16, criterion: .init(), scheduling: .perBlock)
                    alone.beginWindow(index: i, tokens: w)
                    shared.beginWindow(index: i, tokens: w)
                    let a = Clock.now(); _ = model.forward(tokens: w, observer: alone); _ = alone.state
                    let b = Clock.now()
                    let f = model.forward(tokens: w, observer: PassComposition.float(statistics: shared, trackers: [lockstep.floatObserver]))
                    try lockstep.compare(tokens: w, window: i, floatLogits: f)
                    _ = shared.state
                    let c = Clock.now()
                    let o = b - a, l = c - b
                    float += o.wall; total += l.wall
                    wallRatios.append(l.wall / o.wall); cpuRatios.append(l.cpu / o.cpu)
                }
                let n = Double(windows.count)
                line("| \(name) | \(t) | \(String(format: "%.3f", float / n)) | \(String(format: "%.3f", total / n)) | \(String(format: "%.2f×", median(wallRatios))) | \(String(format: "%.2f×", median(cpuRatios))) |")
            }
        }
    }

    static func run(_ model: LlamaModel, windows: [[Int32]], threads: [Int], line: (String) -> Void) throws {
        line("| scheme | BLAS threads | weight quantization s | float forward s/window (wall) | lockstep s/window (wall) | median ratio, wall | median ratio, CPU time (budget 2.3×) |")
        line("|---|---|---|---|---|---|---|")
        for t in threads {
            BLAS.setThreads(t)
            _ = model.forward(tokens: windows[0], observer: nil)  // warm-up
            for name in schemes {
                let s0 = Clock.now()
                let analyzed = AnalyzedModel(decoder: model)
                let prepared = try PreparedScheme(try QuantSchemeParser.parse(name), model: analyzed)
                let prepare = (Clock.now() - s0).wall
                let lockstep = QuantLockstep(prepared, model: analyzed, calibration: [])
                var float = 0.0, total = 0.0, wallRatios: [Double] = [], cpuRatios: [Double] = []
                for (i, w) in windows.enumerated() {
                    let a = Clock.now(); _ = model.forward(tokens: w, observer: nil)
                    let b = Clock.now(); try lockstep.step(tokens: w, window: i)
                    let c = Clock.now()
                    let f = b - a, l = c - b
                    float += f.wall; total += l.wall
                    wallRatios.append(l.wall / f.wall); cpuRatios.append(l.cpu / f.cpu)
                }
                let n = Double(windows.count)
                line("| \(name) | \(t) | \(String(format: "%.1f", prepare)) | \(String(format: "%.3f", float / n)) | \(String(format: "%.3f", total / n)) | \(String(format: "%.2f×", median(wallRatios))) | \(String(format: "%.2f×", median(cpuRatios))) |")
            }
        }
    }
}
