import Foundation

/// Which build of the statistics kernels runs. The release binary's SIMD kernels are compiled
/// for AVX2 + FMA (x86-64-v3); on a CPU without them (or with `ATLAS_CPU_PATH=baseline`) it
/// hands over, before any such code runs, to `outlier-atlas-baseline` beside it — the same
/// program built for plain x86-64 (`make baseline`) — or stops with an error saying so.
enum CPUPath {
    #if ATLAS_BASELINE_CPU
    static let thisBuild = "baseline x86-64 (SSE2)"
    #else
    static let thisBuild = "x86-64 with AVX2 + FMA"
    #endif

    /// Hands over to the baseline binary when this one cannot (or must not) run here.
    static func handOverIfNeeded() {
        #if arch(x86_64) && !ATLAS_BASELINE_CPU
        let forced = ProcessInfo.processInfo.environment["ATLAS_CPU_PATH"] == "baseline"
        guard forced || !cpuHasAVX2FMA() else { return }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let baseline = exe.deletingLastPathComponent().appendingPathComponent("outlier-atlas-baseline").path
        guard FileManager.default.isExecutableFile(atPath: baseline) else {
            let why = forced ? "ATLAS_CPU_PATH=baseline was asked for" : "this CPU has no AVX2/FMA"
            FileHandle.standardError.write(Data("error: \(why), and the baseline build \(baseline) is missing (make baseline builds it)\n".utf8))
            exit(2)
        }
        let args = [baseline] + CommandLine.arguments.dropFirst()
        let cArgs = args.map { strdup($0) } + [nil]
        execv(baseline, cArgs)
        FileHandle.standardError.write(Data("error: cannot start \(baseline): \(String(cString: strerror(errno)))\n".utf8))
        exit(3)
        #endif
    }

    /// The `flags` line of /proc/cpuinfo names both `avx2` and `fma` (unknown: assume not).
    static func cpuHasAVX2FMA() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let set = Set(flags.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }))
        return set.contains("avx2") && set.contains("fma")
    }
}
